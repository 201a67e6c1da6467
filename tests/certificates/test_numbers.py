from __future__ import annotations

import random

import pytest

from regsafe.certificates.numbers import (
    ALPHABET,
    CHECK_ALPHABET,
    SPECIALTY_CODES,
    InvalidNumber,
    NumberErrorCode,
    check_character,
    check_sum,
    format_number,
    is_valid_check,
    parse_number,
)
from regsafe.identity.models import Specialty


def _random_numbers(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    provinces = ["11", "31", "44", "51", "65", "82"]
    return [
        format_number(
            rng.randint(2000, 2099),
            rng.choice(provinces),
            rng.choice(list(Specialty)),
            rng.randint(1, 999_999),
        )
        for _ in range(count)
    ]


def test_format_and_parse_round_trip() -> None:
    text = format_number(2025, "11", Specialty.COAL_MINE, 123)
    assert text.startswith("AQ202511MK000123") and len(text) == 17
    parsed = parse_number(text)
    assert (parsed.year, parsed.province, parsed.specialty, parsed.sequence) == (
        2025,
        "11",
        Specialty.COAL_MINE,
        123,
    )
    assert str(parsed) == text


def test_every_specialty_has_its_code() -> None:
    assert {s: format_number(2024, "32", s, 1)[8:10] for s in Specialty} == SPECIALTY_CODES
    assert len(set(SPECIALTY_CODES.values())) == len(Specialty)


def test_check_character_follows_iso_7064_mod_37_2() -> None:
    # Independent recomputation: sum of value · 2^(n−i) over the body plus the check ≡ 1.
    for text in _random_numbers(50):
        body, check = text[:-1], text[-1]
        weighted = sum(ALPHABET.index(c) * pow(2, len(body) - i, 37) for i, c in enumerate(body))
        assert (weighted + CHECK_ALPHABET.index(check)) % 37 == 1
    # ISO/IEC 7064 published example for MOD 37-2: "G123498654321" → "H".
    assert check_character("G123498654321") == "H"


def test_tolerates_what_people_type() -> None:
    text = format_number(2025, "44", Specialty.CHEMICAL, 42)
    messy = f" {text[:2].lower()}-{text[2:6]} {text[6:8]}—{text[8:10].lower()}_{text[10:]} "
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in text)  # ＡＱ２０…
    assert str(parse_number(messy)) == text
    assert str(parse_number(full_width)) == text
    assert str(parse_number("\u3000" + full_width + "\u3000")) == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", NumberErrorCode.EMPTY),
        (" - ", NumberErrorCode.EMPTY),
        ("AQ2025", NumberErrorCode.BAD_FORMAT),
        ("BQ202511MK0001235", NumberErrorCode.BAD_FORMAT),
        ("AQ202511MK00012355", NumberErrorCode.BAD_FORMAT),
        ("AQ202511MK0001236", NumberErrorCode.BAD_CHECK_CHARACTER),
    ],
)
def test_rejects_with_a_code(text: str, code: NumberErrorCode) -> None:
    with pytest.raises(InvalidNumber) as info:
        parse_number(text)
    assert info.value.code is code
    assert info.value.field == "number"


def _with_valid_check(body: str) -> str:
    return body + check_character(body)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("AQ199911MK000123", NumberErrorCode.BAD_YEAR),
        ("AQ202599MK000123", NumberErrorCode.BAD_PROVINCE),
        ("AQ202511XX000123", NumberErrorCode.BAD_SPECIALTY),
        ("AQ202511MK000000", NumberErrorCode.BAD_SEQUENCE),
    ],
)
def test_rejects_bad_fields_even_with_a_valid_check(body: str, code: NumberErrorCode) -> None:
    with pytest.raises(InvalidNumber) as info:
        parse_number(_with_valid_check(body))
    assert info.value.code is code


def test_format_refuses_bad_fields() -> None:
    with pytest.raises(InvalidNumber):
        format_number(2025, "00", Specialty.OTHER, 1)
    with pytest.raises(InvalidNumber):
        format_number(2025, "11", Specialty.OTHER, 1_000_000)


def test_every_single_substitution_is_detected() -> None:
    numbers = _random_numbers(300)
    mutations = 0
    for text in numbers:
        for position in range(len(text)):
            alphabet = CHECK_ALPHABET if position == len(text) - 1 else ALPHABET
            for replacement in alphabet:
                if replacement != text[position]:
                    wrong = text[:position] + replacement + text[position + 1 :]
                    assert not is_valid_check(wrong), wrong
                    mutations += 1
    assert mutations == 300 * (16 * 35 + 36)


def test_every_adjacent_transposition_is_detected() -> None:
    swaps = 0
    for text in _random_numbers(2000, seed=11):
        for i in range(len(text) - 1):
            if text[i] != text[i + 1]:
                swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
                if swapped[-1] in CHECK_ALPHABET and all(c in ALPHABET for c in swapped[:-1]):
                    assert not is_valid_check(swapped), swapped
                    swaps += 1
    assert swaps > 2000 * 10


def test_detection_holds_in_every_state_of_the_recursion() -> None:
    # The random tests above sample; this covers every running sum (0..36) and every pair
    # of characters, so it holds for all numbers: the proof, done exhaustively.
    def step(state: int, ch: str) -> int:
        return (state + ALPHABET.index(ch)) * 2 % 37

    for state in range(37):
        for a in ALPHABET:
            for b in ALPHABET:
                if a != b:
                    assert step(state, a) != step(state, b)  # substitution in the body
                    assert step(step(state, a), b) != step(step(state, b), a)  # transposition
        for b in ALPHABET:  # last body character swapped with the check character
            check = CHECK_ALPHABET[(1 - step(state, b)) % 37]
            if check != b and check in ALPHABET:
                assert (step(state, check) + ALPHABET.index(b)) % 37 != 1


def test_check_sum_of_a_valid_number_is_one() -> None:
    for text in _random_numbers(20):
        assert check_sum(text, with_check=True) == 1
