"""RegSafe's registration certificate numbers (注册证书编号).

``AQ`` + year (4) + province (2, GB/T 2260) + specialty (2) + sequence (6) + check (1),
e.g. ``AQ202511MK000123`` + check. The check character is ISO/IEC 7064 MOD 37-2 (a pure
system: sum of value × 2^position mod the prime 37), written with 0-9A-Z and ``*`` for 36.
Because 37 is prime and 2 has order 36 modulo 37, a wrong character changes the sum by
(a−b)·2^k ≢ 0 and two swapped neighbours by (a−b)·2^k ≢ 0: every single substitution and
every adjacent transposition is caught (tests prove it exhaustively). The hybrid MOD
37,36 was rejected: it misses 1 in 36 transpositions of neighbouring values (e.g. 0↔1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from regsafe.core.errors import DomainError
from regsafe.identity.models import Specialty

PREFIX = "AQ"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHECK_ALPHABET = ALPHABET + "*"  # ISO 7064's 37th symbol, for check value 36 only
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_MODULUS = 37

SPECIALTY_CODES: dict[Specialty, str] = {
    Specialty.COAL_MINE: "MK",
    Specialty.METAL_NONMETAL_MINE: "JK",
    Specialty.CHEMICAL: "HG",
    Specialty.METAL_SMELTING: "YJ",
    Specialty.CONSTRUCTION: "JZ",
    Specialty.ROAD_TRANSPORT: "DL",
    Specialty.OTHER: "QT",
}
_SPECIALTY_BY_CODE = {code: s for s, code in SPECIALTY_CODES.items()}

# GB/T 2260 province-level codes (first two digits of 行政区划代码).
PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省",
    "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip

MIN_YEAR, MAX_YEAR = 2000, 2099
MAX_SEQUENCE = 999_999
LENGTH = 17
_SHAPE = re.compile(r"^AQ(\d{4})(\d{2})([A-Z]{2})(\d{6})([0-9A-Z*])$")
# Separators people type or that input methods produce; dropped before parsing.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_·.]")


class NumberErrorCode(StrEnum):
    EMPTY = "EMPTY"
    BAD_FORMAT = "BAD_FORMAT"
    BAD_YEAR = "BAD_YEAR"
    BAD_PROVINCE = "BAD_PROVINCE"
    BAD_SPECIALTY = "BAD_SPECIALTY"
    BAD_SEQUENCE = "BAD_SEQUENCE"
    BAD_CHECK_CHARACTER = "BAD_CHECK_CHARACTER"


class InvalidNumber(DomainError):
    """A certificate number that is not RegSafe's scheme, or fails its check character."""

    def __init__(self, code: NumberErrorCode, message: str) -> None:
        super().__init__(code, message, field="number")
        self.code: NumberErrorCode = code


@dataclass(frozen=True, slots=True)
class CertificateNumber:
    """注册证书编号, parsed."""

    year: int
    province: str
    specialty: Specialty
    sequence: int

    @property
    def body(self) -> str:
        code = SPECIALTY_CODES[self.specialty]
        return f"{PREFIX}{self.year:04d}{self.province}{code}{self.sequence:06d}"

    @property
    def check(self) -> str:
        return check_character(self.body)

    def __str__(self) -> str:
        return self.body + self.check


def check_sum(text: str, *, with_check: bool = False) -> int:
    """ISO 7064 pure-system recursion: P = 2(P + a) mod 37 per body character; a trailing
    check character (``with_check``) is added with weight 1."""
    body, check = (text[:-1], text[-1]) if with_check else (text, "")
    total = 0
    for ch in body:
        if ch not in _VALUE:
            raise InvalidNumber(NumberErrorCode.BAD_FORMAT, f"编号含有非法字符“{ch}”")
        total = (total + _VALUE[ch]) * 2 % _MODULUS
    if check:
        if check not in CHECK_ALPHABET:
            raise InvalidNumber(NumberErrorCode.BAD_FORMAT, f"校验位“{check}”非法")
        total = (total + CHECK_ALPHABET.index(check)) % _MODULUS
    return total


def check_character(body: str) -> str:
    """ISO/IEC 7064 MOD 37-2 check character of ``body`` (characters from 0-9A-Z)."""
    # Choose c so that the whole string, check included, sums to 1 (mod 37).
    return CHECK_ALPHABET[(1 - check_sum(body)) % _MODULUS]


def is_valid_check(text: str) -> bool:
    """Whether the last character is the check character of the rest."""
    return len(text) >= 2 and check_sum(text, with_check=True) == 1


def _validate(year: int, province: str, specialty: Specialty, sequence: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidNumber(NumberErrorCode.BAD_YEAR, f"年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR}")
    if province not in PROVINCES:
        raise InvalidNumber(NumberErrorCode.BAD_PROVINCE, f"省级行政区划代码“{province}”无效")
    if specialty not in SPECIALTY_CODES:
        raise InvalidNumber(NumberErrorCode.BAD_SPECIALTY, f"专业类别“{specialty}”无效")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise InvalidNumber(NumberErrorCode.BAD_SEQUENCE, f"顺序号应在 1–{MAX_SEQUENCE}")


def format_number(year: int, province: str, specialty: Specialty, sequence: int) -> str:
    """The number's canonical text, check character included."""
    _validate(year, province, specialty, sequence)
    return str(CertificateNumber(year, province, specialty, sequence))


def normalize(text: str) -> str:
    """Full-width to ASCII (NFKC), upper case, separators and spaces removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def parse_number(text: str) -> CertificateNumber:
    """Parse a typed or scanned number; raises ``InvalidNumber`` with a specific code."""
    value = normalize(text)
    if not value:
        raise InvalidNumber(NumberErrorCode.EMPTY, "请输入证书编号")
    match = _SHAPE.match(value)
    if match is None:
        raise InvalidNumber(
            NumberErrorCode.BAD_FORMAT,
            "证书编号格式应为 AQ + 年份4位 + 省份2位 + 专业2位 + 顺序号6位 + 校验位1位",
        )
    year, province, code, sequence, check = match.groups()
    # The check comes first: a typo anywhere should read as a typo, not as a bad field.
    if check_character(value[:-1]) != check:
        raise InvalidNumber(
            NumberErrorCode.BAD_CHECK_CHARACTER, "证书编号校验位不符，请核对是否输错"
        )
    specialty = _SPECIALTY_BY_CODE.get(code)
    if specialty is None:
        raise InvalidNumber(NumberErrorCode.BAD_SPECIALTY, f"专业代码“{code}”无效")
    _validate(int(year), province, specialty, int(sequence))
    return CertificateNumber(int(year), province, specialty, int(sequence))
