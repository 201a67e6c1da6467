"""Registration certificates (注册证书): numbers, signed payloads, the transparency log.

This package's pure core (no database, no network) lives in ``numbers``, ``canonical``,
``signing``, ``merkle``, ``log``, ``tree_head``, ``status_list``, ``qr`` and ``offline``;
the offline verifier uses nothing else. See docs/certificates-crypto.md.
"""
