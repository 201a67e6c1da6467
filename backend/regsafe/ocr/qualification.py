"""职业资格证书 and 成绩合格证明 as they are really issued (issue 13).

The 中华人民共和国注册安全工程师职业资格证书 (paper, and the electronic licence since
2021-12-17) prints labelled values — 姓名, 性别, 出生年月, 身份证件号码, 专业类别, 批准日期,
管理号, 签发单位（盖章） with the provincial 人社 department's name, 签发日期, 证书编号 —
under a fixed sentence (本证书由中华人民共和国人力资源和社会保障部、应急管理部批准颁发…).
Those are read by position like every labelled field (``fields.SPECS``).

A 成绩合格证明 from the provincial 人事考试中心 is prose instead:

    张三（身份证件号码：440106198503121234）参加2019年度全国中级注册安全工程师职业资格
    考试，成绩合格，专业类别为化工安全。特此证明。
    管理号：2019044400012345
    广东省人事考试中心
    2020年1月15日

OCR breaks the sentence into lines anywhere, so as for the diploma (``diploma.py``) the
page's lines are joined and read by the fixed wording. Pure: text in, values out.
"""

from __future__ import annotations

import re

from regsafe.ocr.diploma import ProseValue

_PUNCT = str.maketrans(
    {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", " ": "", "\u3000": ""}
)
_NAME = r"[\u4e00-\u9fff·]{2,6}"
_ID_LABEL = r"(?:身份证件号码|公民身份号码|身份证号码|身份证号|证件号码)"

# A provincial (or municipal) issuing authority: 广东省人力资源和社会保障厅,
# 北京市人力资源和社会保障局, 广东省人事考试中心, …
AUTHORITY = re.compile(
    r"((?:[\u4e00-\u9fff]{2,8}?(?:省|市|自治区))"
    r"(?:人力资源和社会保障厅|人力资源社会保障厅|人力资源和社会保障局|人力资源社会保障局"
    r"|人事考试中心|人事考试院|人事考试局|应急管理厅|应急管理局))"
)

_PATTERNS: dict[str, re.Pattern[str]] = {
    # The name opens the sentence, right after the heading (成绩合格证明) if any.
    "name": re.compile(rf"(?:^|证明|。)({_NAME}?)（{_ID_LABEL}"),
    "id_number": re.compile(rf"{_ID_LABEL}：?([0-9Xx]{{17,18}})"),
    "exam_year": re.compile(r"参加(\d{4})年度?"),
    "specialty": re.compile(
        r"专业(?:类别)?(?:为|：)([\u4e00-\u9fff（）]{2,16}?安全(?:（[^）]*）)?)"
    ),
    "management_number": re.compile(r"管理号(?:码)?：?([0-9A-Za-z]{6,24})"),
}


def looks_like_pass_proof(text: str) -> bool:
    """Whether the page is worded like a 成绩合格证明 (its fixed phrases)."""
    flat = "".join(text.split())
    return "成绩合格证明" in flat or ("成绩合格" in flat and "特此证明" in flat)


def prose_fields(text: str) -> dict[str, ProseValue]:
    """The pass proof's values found in ``text`` (the page's lines in reading order):
    ``name``, ``id_number`` (as printed; the caller checks it), ``exam_year``,
    ``specialty`` (the printed name; the caller maps it), ``management_number`` and
    ``issuing_authority``."""
    flat = "".join(text.split()).translate(_PUNCT)
    out: dict[str, ProseValue] = {}
    for name, pattern in _PATTERNS.items():
        m = pattern.search(flat)
        if m:
            out[name] = ProseValue(m.group(1), m.group(0))
    authority = find_authority(text)
    if authority:
        out["issuing_authority"] = ProseValue(authority, authority)
    return out


def find_authority(text: str) -> str | None:
    """The issuing authority on a line of its own (a seal's or footer's text), not one
    named inside the certificate's fixed sentence (…人力资源和社会保障部、应急管理部…)."""
    for line in text.splitlines():
        flat = "".join(line.split()).translate(_PUNCT)
        flat = re.sub(r"^(?:签发单位|发证机关|发证单位|颁发单位)(?:（?盖章）?)?：?", "", flat)
        m = AUTHORITY.fullmatch(flat)
        if m:
            return m.group(1)
    return None
