"""Issuer keys from settings: dev generates one like the other dev secrets, production
refuses to start without one, retired public keys stay published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.signing import Ed25519Signer, KeyRing, Sm2Signer
from regsafe.core.settings import Environment, Settings


def test_dev_generates_and_keeps_a_signing_key(tmp_path: Path) -> None:
    first = Settings(env=Environment.DEV, data_dir=tmp_path).with_dev_secrets()
    again = Settings(env=Environment.DEV, data_dir=tmp_path).with_dev_secrets()
    assert first.certificate_signing_key == again.certificate_signing_key
    assert issuer_keys(first).active_key_id == issuer_keys(again).active_key_id
    assert "certificate_signing_key" in json.loads((tmp_path / "secrets.json").read_text())


def test_a_data_dir_from_before_certificates_gets_a_key(tmp_path: Path) -> None:
    old = Settings(env=Environment.DEV, data_dir=tmp_path).with_dev_secrets()
    stored = json.loads((tmp_path / "secrets.json").read_text())
    del stored["certificate_signing_key"]
    (tmp_path / "secrets.json").write_text(json.dumps(stored))
    upgraded = Settings(env=Environment.DEV, data_dir=tmp_path).with_dev_secrets()
    assert upgraded.secret_key == old.secret_key and upgraded.certificate_signing_key


def test_sm2_dev_key_and_production_without_a_key(tmp_path: Path) -> None:
    sm2 = Settings(
        env=Environment.DEV, data_dir=tmp_path, certificate_algorithm="SM2"
    ).with_dev_secrets()
    assert issuer_keys(sm2).get(issuer_keys(sm2).active_key_id).algorithm.value == "SM2"
    assert sm2.certificate_signing_key is not None
    Sm2Signer.from_hex(sm2.certificate_signing_key)
    with pytest.raises(RuntimeError, match="certificate_signing_key"):
        Settings(
            env=Environment.PROD,
            data_dir=tmp_path,
            secret_key="a",
            data_keys="k:a",
            data_key_id="k",
            blind_index_key="a",
        ).with_dev_secrets()


def test_key_file_and_published_retired_keys(tmp_path: Path) -> None:
    current, retired = Ed25519Signer.generate(), Ed25519Signer.generate()
    key_file = tmp_path / "issuer.pem"
    key_file.write_bytes(current.to_pem())
    settings = Settings(
        certificate_signing_key_file=key_file,
        certificate_verify_keys=KeyRing.of([retired.public_key]).to_json(),
    )
    ring = issuer_keys(settings)
    assert ring.active_key_id == current.public_key.key_id
    published = KeyRing.from_json(ring.public().to_json())
    assert set(published.keys) == {current.public_key.key_id, retired.public_key.key_id}
