"""GB 11643 resident ID numbers and GB 32100 unified social credit codes."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regsafe.identity import rules
from regsafe.identity.errors import IdentityErrorCode as Code

TODAY = date(2026, 11, 28)


def test_domain_example_id_number_is_valid() -> None:
    idn = rules.parse_id_number("11010519491231002X", today=TODAY)
    assert idn.birth_date == date(1949, 12, 31)
    assert idn.gender == rules.Gender.FEMALE  # sequence 002: even
    assert idn.area_code == "110105"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", Code.ID_NUMBER_CHECKSUM),  # check should be X
        ("11010519491231002", Code.ID_NUMBER_FORMAT),  # 17 characters
        ("11010519491231002XX", Code.ID_NUMBER_FORMAT),
        ("01010519491231002X", Code.ID_NUMBER_FORMAT),  # area code cannot start with 0
        ("1101051949123100AX", Code.ID_NUMBER_FORMAT),
        ("110105199902300000", Code.BIRTH_DATE_INVALID),  # 30 February
        ("110105203001010000", Code.BIRTH_DATE_INVALID),  # born in the future
        ("110105189912310000", Code.BIRTH_DATE_INVALID),  # before 1900
    ],
)
def test_invalid_id_numbers_are_rejected_with_a_reason(raw: str, code: Code) -> None:
    with pytest.raises(rules.RuleViolation) as exc:
        rules.parse_id_number(raw, today=TODAY)
    assert exc.value.code == code


def test_lowercase_x_and_spaces_are_normalised() -> None:
    assert rules.parse_id_number(" 11010519491231002x ", today=TODAY).value == "11010519491231002X"


def test_retired_area_codes_stay_valid() -> None:
    # 370111 is a former district code; people keep their numbers.
    body = "37011119800101123"
    value = body + rules.id_check_character(body)
    assert rules.parse_id_number(value, today=TODAY).area_code == "370111"


def test_odd_sequence_means_male() -> None:
    body = "44030519850615123"
    assert rules.parse_id_number(body + rules.id_check_character(body), today=TODAY).gender == (
        rules.Gender.MALE
    )


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    area = draw(st.integers(110000, 659999))
    born = draw(st.dates(date(1930, 1, 1), date(2008, 1, 1)))
    seq = draw(st.integers(0, 999))
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + rules.id_check_character(body)


@given(id_numbers())
def test_generated_numbers_round_trip(value: str) -> None:
    idn = rules.parse_id_number(value, today=TODAY)
    assert idn.value == value
    assert rules.mask_id_number(value) == value[:6] + "********" + value[-4:]


@given(id_numbers(), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_is_detected(value: str, pos: int, delta: int) -> None:
    """MOD 11-2 catches every single-digit substitution in the first 17 positions."""
    wrong = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1 :]
    with pytest.raises(rules.RuleViolation):
        rules.parse_id_number(wrong, today=TODAY)


def test_age_counts_birthdays() -> None:
    assert rules.age_on(date(1956, 11, 29), TODAY) == 69
    assert rules.age_on(date(1956, 11, 28), TODAY) == 70


# --- credit codes -----------------------------------------------------------------------


def test_domain_example_credit_code_is_valid() -> None:
    code = rules.parse_credit_code("91350200MA2YJ1XR9G")
    assert code.checksum_valid
    assert code.region_code == "350200"


def test_wrong_check_character_is_a_warning_not_a_format_error() -> None:
    code = rules.parse_credit_code("91350200MA2YJ1XR9H")
    assert not code.checksum_valid


@pytest.mark.parametrize(
    "raw",
    [
        "91350200MA2YJ1XR9",
        "91350200MA2YJ1XR9GG",
        "91350200MA2YJ1XRIG",
        "91350200MA2YJ1XROG",
        "91350200MA2YJ1XRZG",
        "91350200MA2YJ1XRSG",
        "91350200MA2YJ1XRVG",
        "9135A200MA2YJ1XR9G",
    ],
)
def test_malformed_credit_codes_are_rejected(raw: str) -> None:
    with pytest.raises(rules.RuleViolation) as exc:
        rules.parse_credit_code(raw)
    assert exc.value.code == Code.CREDIT_CODE_FORMAT


@given(st.text(alphabet=rules.USCC_ALPHABET, min_size=9, max_size=9), st.integers(0, 16))
def test_credit_code_check_catches_single_substitutions(org: str, pos: int) -> None:
    first17 = "91440300" + org
    value = first17 + rules.uscc_check_character(first17)
    assert rules.parse_credit_code(value).checksum_valid
    replacement = next(c for c in rules.USCC_ALPHABET if c != value[pos])
    wrong = value[:pos] + replacement + value[pos + 1 :]
    try:
        parsed = rules.parse_credit_code(wrong)
    except rules.RuleViolation:
        return  # broke the area-code shape: also caught
    assert not parsed.checksum_valid


def test_phone_numbers() -> None:
    assert rules.normalize_phone("+86 138-0013-8000") == "13800138000"
    assert rules.mask_phone("13800138000") == "138****8000"
    with pytest.raises(rules.RuleViolation):
        rules.normalize_phone("12800138000")


def test_person_names_allow_middle_dot_and_reject_digits() -> None:
    assert rules.validate_person_name("  阿卜杜拉·艾买提 ") == "阿卜杜拉·艾买提"
    with pytest.raises(rules.RuleViolation):
        rules.validate_person_name("张3")
    with pytest.raises(rules.RuleViolation):
        rules.validate_person_name("张" * 51)
