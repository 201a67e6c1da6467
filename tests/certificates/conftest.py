from __future__ import annotations

import pytest

from regsafe.certificates.signing import Ed25519Signer, Sm2Signer


@pytest.fixture(scope="session")
def ed_signer() -> Ed25519Signer:
    return Ed25519Signer.generate()


@pytest.fixture(scope="session")
def sm2_signer() -> Sm2Signer:
    return Sm2Signer.generate()
