"""毕业证书 and 学位证书 as they are really printed: prose, not labels (issue 13).

A 普通高等学校毕业证书 reads

    学生张三，性别男，1985年3月12日生，于2003年9月至2007年7月在本校安全工程专业四年制
    本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。
    校名：华南理工大学   校（院）长：李四   证书编号：105611200705001234
    二〇〇七年七月一日

and a 学位证书 ``…授予工学学士学位``. OCR breaks the prose into lines anywhere, so the
page's text is joined without line breaks and read with patterns anchored on the fixed
wording (学生…，性别…，…生，于…至…在本校…专业…学习). Dates may be in Chinese numerals.
Pure: text in, values out; ``fields.extract_fields`` merges them with the labelled ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regsafe.identity.models import Education
from regsafe.identity.rules import Gender

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "〇○零ＯO一二三四五六七八九十"


def cn_number(text: str) -> int | None:
    """二〇〇七 → 2007 (digit by digit), 十二 → 12, 二十一 → 21, 三十 → 30; None if not one."""
    if not text or any(ch not in _CN for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


_CN_DATE = re.compile(rf"([{_CN}]{{4}})年([{_CN}]{{1,3}})月([{_CN}]{{1,3}})日")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def cn_date(text: str) -> str | None:
    """The first date written in Chinese numerals (二〇〇七年七月一日) as ISO."""
    m = _CN_DATE.search(text)
    if m is None:
        return None
    return _iso(cn_number(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3)))


@dataclass(frozen=True)
class ProseValue:
    value: str
    raw: str  # the words it was read from


# Punctuation OCR reads either way (full-width, ASCII) and spaces inside the prose.
_PUNCT = str.maketrans(
    {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", " ": "", "\u3000": ""}
)
_NAME = r"[\u4e00-\u9fff·]{2,6}"
_LEVELS = {
    "博士研究生": Education.DOCTORATE,
    "硕士研究生": Education.MASTER,
    "研究生": Education.MASTER,
    "本科": Education.BACHELOR,
    "专科": Education.JUNIOR_COLLEGE,
}
_DEGREES = (("博士", Education.DOCTORATE), ("硕士", Education.MASTER), ("学士", Education.BACHELOR))
# The labels that end the 校名 value when the footer is one line.
_FOOTER = r"(?=校（院）长|校长|院长|证书编号|$)"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "name": re.compile(rf"学生({_NAME}?)，?性别"),
    "gender": re.compile(r"性别([男女])"),
    "birth_date": re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)生"),
    "study_period": re.compile(r"于(\d{4})年(\d{1,2})月至(\d{4})年(\d{1,2})月"),
    "major": re.compile(r"在本校(.{2,30}?)专业"),
    "years": re.compile(r"([二三四五六七八2-8])年制"),
    "school": re.compile(rf"校名：?(.{{2,30}}?){_FOOTER}"),
    "president": re.compile(rf"校（院）长：?({_NAME}?)(?=证书编号|校名|\d|$)"),
    "certificate_number": re.compile(r"证书编号：?(\d{17,18})"),
    "degree": re.compile(r"授予(.{1,12}?)学位"),
}


def prose_fields(text: str) -> dict[str, ProseValue]:
    """The diploma's values found in ``text`` (the page's lines in reading order)."""
    flat = "".join(text.split()).translate(_PUNCT)
    out: dict[str, ProseValue] = {}

    def put(name: str, value: str | None, raw: str) -> None:
        if value:
            out[name] = ProseValue(value, raw)

    for name in ("name", "gender", "major"):
        m = _PATTERNS[name].search(flat)
        if m:
            put(name, m.group(1), m.group(0))
    # The footer's values end with their line (a seal caption may follow on the next).
    lines = ["".join(line.split()).translate(_PUNCT) for line in text.splitlines()]
    for name in ("school", "president", "certificate_number"):
        m = next((m for line in lines if (m := _PATTERNS[name].search(line))), None)
        if m:
            put(name, m.group(1), m.group(0))
    if "gender" in out:
        gender = Gender.MALE if out["gender"].value == "男" else Gender.FEMALE
        out["gender"] = ProseValue(gender.value, out["gender"].raw)
    m = _PATTERNS["birth_date"].search(flat)
    if m:
        d = _DATE.search(m.group(1))
        if d:
            put("birth_date", _iso(*(int(g) for g in d.groups())), m.group(0))
    m = _PATTERNS["study_period"].search(flat)
    if m:
        y0, m0, y1, m1 = (int(g) for g in m.groups())
        if 1 <= m0 <= 12 and 1 <= m1 <= 12 and y0 <= y1:
            put("study_period", f"{y0:04d}-{m0:02d}/{y1:04d}-{m1:02d}", m.group(0))
    m = _PATTERNS["years"].search(flat)
    if m:
        digit = m.group(1)
        put("years", str(cn_number(digit) if not digit.isdigit() else int(digit)), m.group(0))
    # 层次: the study (…四年制本科学习) or the degree (学士 → 本科, 硕士/博士 → 研究生).
    study = re.search(r"(博士研究生|硕士研究生|研究生|本科|专科)学习", flat)
    if study:
        put("level", _LEVELS[study.group(1)].value, study.group(0))
    degree = _PATTERNS["degree"].search(flat)
    if degree:
        put("degree", degree.group(1) + "学位", degree.group(0))
        held = next((level for word, level in _DEGREES if word in degree.group(1)), None)
        if "level" not in out and held is not None:
            put("level", held.value, degree.group(0))
    # 毕业日期: the date in Chinese numerals at the foot, else the end of the study.
    graduated = cn_date(flat)
    if graduated:
        put("graduation_date", graduated, "")
    return out


def looks_like_prose_diploma(text: str) -> bool:
    """Whether the page is worded like a 毕业证书/学位证书 (its fixed phrases)."""
    flat = "".join(text.split())
    return any(word in flat for word in ("准予毕业", "在本校", "授予", "学位证书", "毕业证书"))
