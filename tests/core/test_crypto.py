import base64
import os

import pytest

from regsafe.core.crypto import DecryptionError, FieldCipher
from regsafe.core.settings import Settings


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


INDEX = _key()


def cipher(keys: str, active: str) -> FieldCipher:
    return FieldCipher.from_settings(
        Settings(data_keys=keys, data_key_id=active, blind_index_key=INDEX, secret_key=_key())
    )


def test_round_trip_and_fresh_nonce() -> None:
    c = cipher(f"k1:{_key()}", "k1")
    a = c.encrypt("11010519491231002X", context="person.id_number")
    b = c.encrypt("11010519491231002X", context="person.id_number")
    assert a != b  # random nonce: equal plaintexts do not show as equal ciphertexts
    assert c.decrypt(a, context="person.id_number") == "11010519491231002X"
    assert b"11010519491231002X" not in a


def test_rotation_keeps_old_rows_readable() -> None:
    k1, k2 = _key(), _key()
    old = cipher(f"k1:{k1}", "k1").encrypt("secret", context="c")
    rotated = cipher(f"k1:{k1},k2:{k2}", "k2")
    new = rotated.encrypt("secret", context="c")
    assert rotated.key_id_of(old) == "k1" and rotated.key_id_of(new) == "k2"
    assert rotated.decrypt(old, context="c") == rotated.decrypt(new, context="c") == "secret"


def test_tampering_moving_or_unknown_key_is_detected() -> None:
    c = cipher(f"k1:{_key()}", "k1")
    blob = bytearray(c.encrypt("secret", context="a"))
    with pytest.raises(DecryptionError):
        c.decrypt(bytes(blob), context="b")  # moved to another column
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        c.decrypt(bytes(blob), context="a")
    other = cipher(f"k9:{_key()}", "k9")
    with pytest.raises(DecryptionError):
        other.decrypt(c.encrypt("x", context="a"), context="a")


def test_blind_index_is_deterministic_keyed_and_contextual() -> None:
    c = cipher(f"k1:{_key()}", "k1")
    assert c.blind_index("v", context="a") == c.blind_index("v", context="a")
    assert c.blind_index("v", context="a") != c.blind_index("v", context="b")
    other = FieldCipher(keys=c.keys, active_key_id="k1", index_key=os.urandom(32))
    assert other.blind_index("v", context="a") != c.blind_index("v", context="a")


def test_bad_key_configuration_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        cipher("k1:" + base64.b64encode(b"short").decode(), "k1")
    with pytest.raises(ValueError, match="REGSAFE_DATA_KEY_ID 'k2' is not in"):
        cipher(f"k1:{_key()}", "k2")
    with pytest.raises(ValueError, match="not valid base64"):
        cipher("k1:CHANGE-ME!", "k1")
