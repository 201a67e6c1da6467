"""What one leaf of the certificate transparency log (证书存证日志) contains.

A leaf commits to the event and to the exact signed object, not to a database row:
``RSLOG1`` ‖ 0x00 ‖ event kind (ASCII) ‖ 0x00 ‖ SHA-256(payload) ‖ SHA-256(signature).
Hashing the signature too pins which signature was issued (SM2 signatures are randomised,
so one payload can have many). Revocation and cancellation events log the certificate's
canonical revocation record (``RevocationRecord``) signed by the issuer.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from regsafe.certificates.merkle import leaf_hash

LEAF_TAG = b"RSLOG1"


class LogEvent(StrEnum):
    """Certificate events that append a leaf."""

    ISSUED = "ISSUED"
    RENEWED = "RENEWED"
    CHANGED = "CHANGED"
    REISSUED = "REISSUED"
    REVOKED = "REVOKED"
    CANCELLED = "CANCELLED"


def leaf_bytes(event: LogEvent, payload: bytes, signature: bytes) -> bytes:
    """The leaf's data (the Merkle leaf hash is SHA-256(0x00 ‖ this))."""
    return b"".join(
        (
            LEAF_TAG,
            b"\x00",
            LogEvent(event).value.encode("ascii"),
            b"\x00",
            hashlib.sha256(payload).digest(),
            hashlib.sha256(signature).digest(),
        )
    )


def event_leaf_hash(event: LogEvent, payload: bytes, signature: bytes) -> bytes:
    return leaf_hash(leaf_bytes(event, payload, signature))
