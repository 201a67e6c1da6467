"""Pure rules for Chinese identifiers: resident ID numbers (GB 11643-1999) and unified
social credit codes (GB 32100-2015). No I/O here; every function is cheap to test."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from regsafe.identity.errors import IdentityErrorCode


class Gender(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"


class RuleViolation(ValueError):
    def __init__(self, code: IdentityErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- Resident ID number (公民身份号码) -------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class IdNumber:
    value: str
    area_code: str
    birth_date: date
    gender: Gender


def ascii_form(raw: str) -> str:
    """Full-width digits and letters (the default of Chinese input methods) become ASCII,
    so "４４０３…" and "4403…" are the same number and find the same blind index."""
    return unicodedata.normalize("NFKC", raw)


def normalize_id_number(raw: str) -> str:
    return ascii_form(raw).strip().replace(" ", "").upper()


def parse_id_number(raw: str, *, today: date) -> IdNumber:
    """Validate an 18-character ID number and derive area, birth date and gender.

    Retired area codes stay valid (people keep their numbers); only the shape of the
    area code (first digit 1-9) is checked.
    """
    value = normalize_id_number(raw)
    if not _ID_SHAPE.match(value):
        raise RuleViolation(
            IdentityErrorCode.ID_NUMBER_FORMAT,
            "身份证号码应为18位：前17位数字，最后一位为数字或X",
        )
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise RuleViolation(
            IdentityErrorCode.BIRTH_DATE_INVALID, "身份证号码中的出生日期不存在"
        ) from None
    if born > today or born.year < 1900:
        raise RuleViolation(
            IdentityErrorCode.BIRTH_DATE_INVALID, "身份证号码中的出生日期不在合理范围内"
        )
    if id_check_character(value[:17]) != value[17]:
        raise RuleViolation(IdentityErrorCode.ID_NUMBER_CHECKSUM, "身份证号码校验位不正确")
    gender = Gender.MALE if int(value[16]) % 2 == 1 else Gender.FEMALE
    return IdNumber(value=value, area_code=value[:6], birth_date=born, gender=gender)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def mask_id_number(value: str) -> str:
    """110105********002X: area code and the last four stay visible."""
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# --- Phone numbers --------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_phone(raw: str) -> str:
    value = re.sub(r"[\s-]", "", ascii_form(raw).strip())
    if value.startswith("+86"):
        value = value[3:]
    if not _MOBILE.match(value):
        raise RuleViolation(IdentityErrorCode.PHONE_INVALID, "请输入11位中国大陆手机号码")
    return value


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the surname's first character stays (PIPL masking for
    public pages, e.g. transcript and certificate verification)."""
    name = value.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


def mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:]


# --- Region codes (行政区划代码) ------------------------------------------------------

_REGION = re.compile(r"^[1-9][0-9]{5}$")


def validate_region_code(value: str) -> str:
    value = ascii_form(value).strip()
    if not _REGION.match(value):
        raise RuleViolation(IdentityErrorCode.REGION_INVALID, "行政区划代码应为6位数字")
    return value


def province_of(region_code: str) -> str:
    return region_code[:2] + "0000"


# --- Names ----------------------------------------------------------------------------

_NAME = re.compile(r"^[\u3400-\u9fff\u00b7A-Za-z ]{1,50}$")


def validate_person_name(raw: str) -> str:
    value = " ".join(raw.split())
    if not value or not _NAME.match(value):
        raise RuleViolation(
            IdentityErrorCode.NAME_INVALID,
            "姓名应为1至50个汉字或字母（少数民族姓名可含间隔号·）",
        )
    return value


def validate_org_name(raw: str) -> str:
    value = " ".join(raw.split())
    if not 2 <= len(value) <= 100:
        raise RuleViolation(IdentityErrorCode.NAME_INVALID, "单位名称应为2至100个字符")
    return value


# --- Unified social credit code (统一社会信用代码) -------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(first8: str) -> str:
    """GB 11714 organisation code check (positions 9-17 of a USCC hold such a code)."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@dataclass(frozen=True)
class CreditCode:
    value: str
    checksum_valid: bool
    region_code: str


def normalize_credit_code(raw: str) -> str:
    return ascii_form(raw).strip().replace(" ", "").upper()


def parse_credit_code(raw: str) -> CreditCode:
    """Shape errors are fatal; a wrong check character is returned as ``checksum_valid``
    False, because DOMAIN.md lets a reviewer override that warning."""
    value = normalize_credit_code(raw)
    if len(value) != 18 or any(c not in _USCC_VALUE for c in value):
        raise RuleViolation(
            IdentityErrorCode.CREDIT_CODE_FORMAT,
            "统一社会信用代码应为18位，由数字和大写字母（不含I、O、Z、S、V）组成",
        )
    if not _REGION.match(value[2:8]):
        raise RuleViolation(
            IdentityErrorCode.CREDIT_CODE_FORMAT, "统一社会信用代码第3至8位应为行政区划代码"
        )
    valid = uscc_check_character(value[:17]) == value[17]
    return CreditCode(value=value, checksum_valid=valid, region_code=value[2:8])
