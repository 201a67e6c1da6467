"""Field extraction from OCR boxes by position.

OCR engines return labels (姓名) and values (张伟) as separate boxes, sometimes merged
(性别男), and in an order that depends on rotation and layout. Values are therefore
found geometrically: the nearest box on the same line to the right of the label, else
the nearest box directly below it; multi-line values (住址) continue with boxes
left-aligned under the first value line. Nothing here depends on output order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from regsafe.identity.models import Education, Specialty
from regsafe.identity.rules import (
    Gender,
    RuleViolation,
    id_check_character,
    normalize_id_number,
    parse_id_number,
)
from regsafe.ocr import diploma, qualification
from regsafe.ocr.engines import TextBox


class DocumentKind(StrEnum):
    ID_CARD = "ID_CARD"  # 居民身份证（人像面）
    DIPLOMA = "DIPLOMA"  # 毕业证书 / 学位证书
    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"  # 职业资格证书 / 成绩证明


@dataclass(frozen=True)
class Field:
    """One extracted value. ``valid`` is None for free text, else whether the value
    passed its check (ID check digit, real date, known specialty)."""

    value: str
    confidence: float
    corrected: bool = False
    valid: bool | None = None
    raw: str = ""


@dataclass
class Extraction:
    kind: DocumentKind
    fields: dict[str, Field]
    raw_text: str
    pages: int
    engine: str
    ms: float
    rotations: list[int] = field(default_factory=list)  # degrees turned back, per page
    # What the text looks like when it is another kind (ocr/classify.py), and a notice
    # for the registrant: the wrong document, or no text at all.
    detected_kind: str | None = None
    notice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = str(self.kind)
        return data


# --- Value parsers --------------------------------------------------------------------

Parsed = tuple[str, bool, bool | None]  # value, corrected, valid

# One-character OCR confusions for digits (ID numbers, dates).
DIGIT_CONFUSIONS = {
    "O": "0",
    "o": "0",
    "D": "0",
    "Q": "0",
    "I": "1",
    "l": "1",
    "|": "1",
    "i": "1",
    "Z": "2",
    "z": "2",
    "S": "5",
    "s": "5",
    "B": "8",
}
_ID_TOKEN = re.compile(r"[0-9Xx" + re.escape("".join(DIGIT_CONFUSIONS)) + r"]{15,}")


def correct_id_number(raw: str, *, today: date | None = None, max_corrections: int = 1) -> Parsed:
    """Validate an OCR'd ID number by its GB 11643 check character. Confusable
    characters (O→0, l→1, S→5, x→X …) are replaced only when at most
    ``max_corrections`` replacements make the check character hold."""
    day = today or date.today()
    compact = re.sub(r"[\s:：.·\-]", "", raw)
    tokens = sorted(_ID_TOKEN.findall(compact), key=len, reverse=True)
    token = tokens[0] if tokens else compact
    if len(token) > 18:
        # Label remnants or noise glued on: prefer an 18-character window that validates.
        for start in range(len(token) - 17):
            window = token[start : start + 18]
            value, corrected, valid = correct_id_number(
                window, today=day, max_corrections=max_corrections
            )
            if valid:
                return value, corrected, True
        return normalize_id_number(token), False, False
    if len(token) != 18:
        return normalize_id_number(token), False, False
    if _is_valid_id(token, day):
        value = normalize_id_number(token)
        return value, value != token, True
    fixed: list[str] = []
    changes = 0
    for pos, ch in enumerate(token):
        if pos == 17 and ch == "x":
            fixed.append("X")
        elif ch in DIGIT_CONFUSIONS:
            fixed.append(DIGIT_CONFUSIONS[ch])
            changes += 1
        else:
            fixed.append(ch)
    candidate = "".join(fixed)
    if 0 < changes <= max_corrections and _is_valid_id(candidate, day):
        return candidate, True, True
    return normalize_id_number(token), False, False


def _is_valid_id(value: str, today: date) -> bool:
    try:
        parse_id_number(value, today=today)
    except RuleViolation:
        return False
    return True


def make_id_number(area: str, birth: date, sequence: int) -> str:
    """A valid (fake) ID number; used by the synthetic generator and tests."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


_DATE_FULL = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_DATE_MONTH = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?")


def parse_date(raw: str) -> str | None:
    """1990年5月6日, 1990.05.06, 1990-05-06, 1990/5/6, 19900506 → 1990-05-06;
    a year and month alone (2012年7月) → 2012-07. None when no real date is found."""
    text = "".join(DIGIT_CONFUSIONS.get(ch, ch) for ch in raw)
    text = text.replace(" ", "")
    for pattern in (_DATE_FULL, _DATE_COMPACT):
        match = pattern.search(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
            except ValueError:
                return None
    match = _DATE_MONTH.search(text)
    if match and 1 <= int(match[2]) <= 12:
        return f"{int(match[1]):04d}-{int(match[2]):02d}"
    return None


def _parse_date_field(raw: str) -> Parsed:
    iso = parse_date(raw)
    return (iso, False, True) if iso else (raw.strip(), False, False)


_VALIDITY_SPLIT = re.compile(r"[-－—–~～至]")


def parse_validity(raw: str) -> tuple[str, str] | None:
    """有效期限 of an ID card's back: ``2015.03.12-2035.03.12`` → (start, end) ISO, and
    ``2015.03.12-长期`` → (start, "长期"). None when the start is not a date."""
    text = "".join(DIGIT_CONFUSIONS.get(ch, ch) for ch in raw).replace(" ", "")
    head, _, tail = _VALIDITY_SPLIT.sub("|", text, count=1).partition("|")
    start = parse_date(head)
    if start is None or len(start) != 10:
        return None
    if "长期" in tail:
        return start, "长期"
    end = parse_date(tail)
    return (start, end) if end is not None and len(end) == 10 else None


def _parse_validity(raw: str) -> Parsed:
    found = parse_validity(raw)
    if found is None:
        return raw.strip(), False, False
    start, end = found
    return f"{start}/{end}", False, True


def _parse_gender(raw: str) -> Parsed:
    if "男" in raw:
        return Gender.MALE.value, False, True
    if "女" in raw:
        return Gender.FEMALE.value, False, True
    return raw.strip(), False, False


SPECIALTY_NAMES: tuple[tuple[str, Specialty], ...] = (
    ("金属非金属", Specialty.METAL_NONMETAL_MINE),
    ("非煤矿山", Specialty.METAL_NONMETAL_MINE),
    ("金属冶炼", Specialty.METAL_SMELTING),
    ("冶金", Specialty.METAL_SMELTING),
    ("煤矿", Specialty.COAL_MINE),
    ("化工", Specialty.CHEMICAL),
    ("危险化学品", Specialty.CHEMICAL),
    ("建筑施工", Specialty.CONSTRUCTION),
    ("建筑", Specialty.CONSTRUCTION),
    ("道路运输", Specialty.ROAD_TRANSPORT),
    ("交通运输", Specialty.ROAD_TRANSPORT),
    ("其他安全", Specialty.OTHER),
    ("其他", Specialty.OTHER),
)


E = TypeVar("E", Specialty, Education)


def _first_named(names: tuple[tuple[str, E], ...], raw: str) -> E | None:
    """The value of the first name (in table order: specific before general) in the text."""
    text = re.sub(r"\s", "", raw)
    return next((value for name, value in names if name in text), None)


def _enum_parsed(value: Specialty | Education | None, raw: str) -> Parsed:
    return (value.value, False, True) if value else (raw.strip(), False, False)


def map_specialty(raw: str) -> Specialty | None:
    return _first_named(SPECIALTY_NAMES, raw)


def _parse_specialty(raw: str) -> Parsed:
    return _enum_parsed(map_specialty(raw), raw)


EDUCATION_NAMES: tuple[tuple[str, Education], ...] = (
    ("博士", Education.DOCTORATE),
    ("硕士", Education.MASTER),
    ("研究生", Education.MASTER),
    ("本科", Education.BACHELOR),
    ("学士", Education.BACHELOR),
    ("专科", Education.JUNIOR_COLLEGE),
    ("大专", Education.JUNIOR_COLLEGE),
    ("高职", Education.JUNIOR_COLLEGE),
    ("中专", Education.SECONDARY),
    ("高中", Education.SECONDARY),
)


def map_education(raw: str) -> Education | None:
    return _first_named(EDUCATION_NAMES, raw)


def _parse_education(raw: str) -> Parsed:
    return _enum_parsed(map_education(raw), raw)


def _parse_id(raw: str) -> Parsed:
    return correct_id_number(raw)


def _parse_code(raw: str) -> Parsed:
    # Certificate numbers are opaque strings (DOMAIN.md): only strip spaces and colons.
    return re.sub(r"[\s:：]", "", raw), False, None


def _parse_text(raw: str) -> Parsed:
    return re.sub(r"\s+", "", raw).strip(":：·"), False, None


def _parse_authority(raw: str) -> Parsed:
    # The label's remark (（盖章）, misread as （孟章） or 盖章) is not the authority.
    text = re.sub(r"^(?:[（(][^）)]{1,3}[）)]|盖章)", "", re.sub(r"\s+", "", raw))
    return text.strip(":：·"), False, None


def _parse_name(raw: str) -> Parsed:
    # A name is CJK (with · for minority names) or Latin letters: a stray mark read off a
    # photo box or border beside it (■, |, ]) is dropped.
    return re.sub(r"[^\u3400-\u9fffA-Za-z·]", "", raw), False, None


# --- Field specs per kind -------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    labels: tuple[str, ...]
    parse: Callable[[str], Parsed] = _parse_text
    multiline: bool = False


SPECS: dict[DocumentKind, tuple[FieldSpec, ...]] = {
    DocumentKind.ID_CARD: (
        FieldSpec("name", ("姓名",), _parse_name),
        FieldSpec("gender", ("性别", "性別"), _parse_gender),
        FieldSpec("ethnicity", ("民族",)),
        FieldSpec("birth_date", ("出生日期", "出生"), _parse_date_field),
        FieldSpec("address", ("住址", "地址"), multiline=True),
        FieldSpec("id_number", ("公民身份号码", "公民身份证号码", "身份号码"), _parse_id),
        # The back (国徽面).
        FieldSpec("issuing_authority", ("签发机关",)),
        FieldSpec("valid_period", ("有效期限", "有效期"), _parse_validity),
    ),
    DocumentKind.DIPLOMA: (
        FieldSpec("name", ("姓名",), _parse_name),
        FieldSpec("school", ("毕业院校", "学校名称", "院校名称", "学校", "院校")),
        FieldSpec("major", ("所学专业", "专业名称", "专业")),
        FieldSpec("level", ("学历层次", "学位级别", "学历", "学位", "层次"), _parse_education),
        FieldSpec("certificate_number", ("证书编号", "证书号码", "编号"), _parse_code),
        FieldSpec("graduation_date", ("毕业日期", "毕业时间"), _parse_date_field),
    ),
    # 职业资格证书 as issued (ocr/qualification.py): 管理号 and 证书编号 are two numbers;
    # 批准日期 (the qualification, often year and month) differs from 签发日期 (the paper).
    DocumentKind.QUALIFICATION_CERTIFICATE: (
        FieldSpec("name", ("姓名",), _parse_name),
        FieldSpec("gender", ("性别", "性別"), _parse_gender),
        FieldSpec("birth_date", ("出生年月", "出生日期"), _parse_date_field),
        FieldSpec(
            "id_number",
            ("身份证件号码", "身份证号码", "公民身份号码", "身份证号", "证件号码"),
            _parse_id,
        ),
        FieldSpec("management_number", ("管理号", "管理号码"), _parse_code),
        FieldSpec("certificate_number", ("证书编号", "证书号码", "证书号"), _parse_code),
        FieldSpec("specialty", ("专业类别", "专业"), _parse_specialty),
        FieldSpec("approval_date", ("批准日期", "批准时间"), _parse_date_field),
        FieldSpec(
            "issue_date", ("取得日期", "签发日期", "发证日期", "取得时间"), _parse_date_field
        ),
        FieldSpec(
            "issuing_authority",
            (
                "签发单位（盖章）",
                "签发单位(盖章)",
                "签发单位盖章",
                "签发单位",
                "发证机关",
                "发证单位",
                "颁发单位",
            ),
            _parse_authority,
        ),
    ),
}


def _norm(text: str) -> str:
    return re.sub(r"[\s:：]", "", text)


@dataclass(frozen=True)
class _Label:
    spec: FieldSpec
    alias: str
    rest: str  # text after the label inside the same box (性别男 → 男)


def _match_label(text: str, specs: Sequence[FieldSpec]) -> _Label | None:
    norm = _norm(text)
    best: _Label | None = None
    for spec in specs:
        for alias in spec.labels:
            if norm.startswith(alias) and (best is None or len(alias) > len(best.alias)):
                best = _Label(spec, alias, norm[len(alias) :])
    return best


def _v_overlap(a: TextBox, b: TextBox) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def _same_line(a: TextBox, b: TextBox) -> bool:
    return _v_overlap(a, b) >= 0.4 * min(a.height, b.height)


same_line = _same_line


def _right_of(anchor: TextBox, boxes: Iterable[TextBox], x_from: float) -> list[TextBox]:
    h = anchor.height
    # A value box may overlap its label a little (the detector pads boxes, more so at low
    # resolution): what starts past the label's middle and is centred beyond it counts.
    found = [
        b
        for b in boxes
        if b is not anchor
        and _same_line(anchor, b)
        and (
            b.x0 >= x_from - 0.3 * h
            or (b.x0 > anchor.x0 + 0.5 * anchor.width and (b.x0 + b.x1) / 2 > x_from)
        )
    ]
    return sorted(found, key=lambda b: b.x0)


def extract_fields(boxes: Sequence[TextBox], kind: DocumentKind) -> tuple[dict[str, Field], int]:
    """Fields found in one page of upright boxes, and a layout score (labelled fields,
    checked ones counting double) used to pick the page orientation."""
    specs = SPECS[kind]
    labels: dict[int, _Label] = {}
    for i, box in enumerate(boxes):
        label = _match_label(box.text, specs)
        if label is not None:
            labels[i] = label
    label_ids = {id(boxes[i]) for i in labels}
    used: set[int] = set(label_ids)
    fields: dict[str, Field] = {}
    score = 0
    # Labels top-to-bottom, left-to-right, so a repeated label keeps its first value.
    for i in sorted(labels, key=lambda k: (boxes[k].y0, boxes[k].x0)):
        label = labels[i]
        if label.spec.name in fields:
            continue
        found = _value_for(boxes[i], label, boxes, label_ids, used)
        if found is None:
            continue
        raw, conf, parts = found
        value, corrected, valid = label.spec.parse(raw)
        if not value:
            continue
        if valid is False and not label.rest and parts and not _same_line(boxes[i], parts[0]):
            # The box below failed this field's check (性别 above the birth date when the
            # 男/女 box was missed): it belongs to the next label, leave it there.
            continue
        used.update(id(p) for p in parts)
        fields[label.spec.name] = Field(value, round(conf, 4), corrected, valid, raw)
        # Checked values weigh more than free text; a failed check counts nothing.
        score += {True: 2, None: 1, False: 0}[valid]
    if kind is DocumentKind.QUALIFICATION_CERTIFICATE:
        score += _qualification(boxes, fields)
    _fallbacks(boxes, kind, fields)
    if kind is DocumentKind.DIPLOMA:
        score += _prose_diploma(boxes, fields)
    return fields, score


WEAK_CONFIDENCE = 0.85


def unanswered_labels(
    boxes: Sequence[TextBox], kind: DocumentKind, fields: dict[str, Field]
) -> list[tuple[TextBox, list[TextBox]]]:
    """Label boxes (alone in their box) whose field got no value, or a short value read
    with low confidence (two characters merged into one): where the engine probably
    missed or garbled a short value box (性别 男, a name on a noisy photo), to be read
    again. Each with the weak value boxes a better reading would replace."""
    out: list[tuple[TextBox, list[TextBox]]] = []
    for box in boxes:
        label = _match_label(box.text, SPECS[kind])
        if label is None or label.rest:
            continue
        found = fields.get(label.spec.name)
        if found is None:
            out.append((box, []))
        elif found.confidence < WEAK_CONFIDENCE and len(found.raw) <= 6:
            weak = [
                b
                for b in _right_of(box, boxes, box.x1)
                if b.confidence < WEAK_CONFIDENCE and b.text and b.text in found.raw
            ]
            if weak:
                out.append((box, weak))
    return out


# Values the prose patterns read are checked by their own shape (a date, 18 digits).
_PROSE_CHECKED = {"birth_date", "graduation_date", "certificate_number", "study_period"}


def _prose_diploma(boxes: Sequence[TextBox], fields: dict[str, Field]) -> int:
    """毕业证书/学位证书 in their real wording (ocr/diploma.py): fills what the labels did
    not give, and replaces a 学校 read off the 学校印章 line. Returns the layout score the
    prose adds (one per value), so that the upright page wins the orientation vote."""
    text = reading_order(boxes)
    if not diploma.looks_like_prose_diploma(text):
        return 0
    found = diploma.prose_fields(text)
    if not found:
        return 0
    school = fields.get("school")
    if school is not None and "印章" in school.raw + school.value:
        del fields["school"]
    conf = sum(b.confidence for b in boxes) / len(boxes)
    for name, value in found.items():
        if name in fields:
            continue
        checked = True if name in _PROSE_CHECKED else None
        fields[name] = Field(value.value, round(conf * 0.95, 4), False, checked, value.raw)
    return len(found)


def _qualification(boxes: Sequence[TextBox], fields: dict[str, Field]) -> int:
    """职业资格证书/成绩合格证明 as issued (ocr/qualification.py): the 成绩合格证明's prose
    fills what no label gave; the issuing authority is found on a line of its own (the
    seal's text) when its label was not read. ``certificate_number`` falls back to the
    管理号 and ``issue_date`` to the 批准日期 when the page prints only those (the fields
    registration compares). Returns the layout score the prose adds."""
    if not boxes:
        return 0
    text = reading_order(boxes)
    conf = round(sum(b.confidence for b in boxes) / len(boxes) * 0.95, 4)
    added = 0
    if qualification.looks_like_pass_proof(text):
        for name, found in qualification.prose_fields(text).items():
            if name in fields:
                continue
            if name == "id_number":
                value, corrected, valid = correct_id_number(found.value)
                fields[name] = Field(value, conf, corrected, valid, found.raw)
            elif name == "specialty":
                value, corrected, checked = _parse_specialty(found.value)
                fields[name] = Field(value, conf, corrected, checked, found.raw)
            else:
                fields[name] = Field(found.value, conf, False, None, found.raw)
            added += 1
        if "issue_date" not in fields:
            # The date under the authority: the last full date on the page.
            for line in reversed(text.splitlines()):
                iso = parse_date(line)
                if iso and len(iso) == 10 and "参加" not in line:
                    fields["issue_date"] = Field(iso, conf, False, True, line.strip())
                    added += 1
                    break
    if "issuing_authority" not in fields:
        authority = qualification.find_authority(text)
        if authority:
            fields["issuing_authority"] = Field(authority, conf, False, None, authority)
    # Only when the page does not print the label at all: a 证书编号 whose value was missed
    # must stay missing rather than become the 管理号.
    flat = _norm(text)
    if (
        "certificate_number" not in fields
        and "management_number" in fields
        and not any(word in flat for word in ("证书编号", "证书号"))
    ):
        fields["certificate_number"] = fields["management_number"]
    if (
        "issue_date" not in fields
        and "approval_date" in fields
        and not any(word in flat for word in ("签发日期", "发证日期", "取得日期"))
    ):
        fields["issue_date"] = fields["approval_date"]
    return added


def _value_for(
    label_box: TextBox,
    label: _Label,
    boxes: Sequence[TextBox],
    label_ids: set[int],
    used: set[int],
) -> tuple[str, float, list[TextBox]] | None:
    h = label_box.height
    parts: list[TextBox] = []
    texts: list[str] = []
    confs: list[float] = []
    if label.rest:
        texts.append(label.rest)
        confs.append(label_box.confidence)
        share = len(label.alias) / max(len(_norm(label_box.text)), 1)
        start_x = label_box.x0 + label_box.width * share
        line_anchor = label_box
    else:
        start_x = label_box.x1
        line_anchor = label_box
    # Same line, to the right: take boxes left to right until a label or a wide gap.
    cursor = label_box.x1
    for box in _right_of(label_box, boxes, label_box.x1):
        if id(box) in label_ids or id(box) in used:
            break
        if box.x0 - cursor > (4 if texts else 15) * h:
            break
        if not texts:
            start_x = box.x0
        parts.append(box)
        texts.append(box.text)
        confs.append(box.confidence)
        cursor = box.x1
        line_anchor = box
    if not texts:
        # Directly below the label: nearest box whose left edge lines up with it.
        below = [
            b
            for b in boxes
            if b is not label_box
            and b.y0 >= label_box.y1 - 0.3 * h
            and b.y0 - label_box.y1 <= 2.0 * h
            and b.x0 < label_box.x1 + h
            and b.x1 > label_box.x0 - h
        ]
        if not below:
            return None
        first = min(below, key=lambda b: (b.y0, abs(b.x0 - label_box.x0)))
        if id(first) in label_ids or id(first) in used:
            return None
        parts.append(first)
        texts.append(first.text)
        confs.append(first.confidence)
        start_x = first.x0
        line_anchor = first
    if label.spec.multiline:
        current = line_anchor
        while True:
            lh = current.height
            nxt = [
                b
                for b in boxes
                if id(b) not in label_ids
                and id(b) not in used
                and b not in parts
                and b.y0 >= current.y1 - 0.3 * lh
                and b.y0 - current.y1 <= 0.8 * lh
                and abs(b.x0 - start_x) <= 1.5 * lh
            ]
            if not nxt:
                break
            current = min(nxt, key=lambda b: b.y0)
            parts.append(current)
            texts.append(current.text)
            confs.append(current.confidence)
    return "".join(texts), sum(confs) / len(confs), parts


def _fallbacks(boxes: Sequence[TextBox], kind: DocumentKind, fields: dict[str, Field]) -> None:
    """Values recognisable without their label (the label box was missed)."""
    wants_id = any(spec.name == "id_number" for spec in SPECS[kind])
    if wants_id and "id_number" not in fields:
        for box in sorted(boxes, key=lambda b: -b.confidence):
            value, corrected, valid = correct_id_number(box.text)
            if valid:
                fields["id_number"] = Field(
                    value, round(box.confidence * 0.9, 4), corrected, True, box.text
                )
                break
    number = fields.get("id_number")
    if kind is DocumentKind.ID_CARD and number is not None and number.valid:
        # The front prints what the number encodes: a 性别 or 出生 the engine missed (a
        # one-character box) is derived from it, marked corrected and with no raw text.
        parsed = parse_id_number(number.value, today=date.today())
        derived = {"gender": parsed.gender.value, "birth_date": parsed.birth_date.isoformat()}
        on_front = any(_match_label(b.text, SPECS[kind][:5]) for b in boxes)
        for name, value in derived.items():
            if on_front and name not in fields:
                fields[name] = Field(value, round(number.confidence * 0.8, 4), True, True, "")
    if kind is DocumentKind.QUALIFICATION_CERTIFICATE and "specialty" not in fields:
        for box in boxes:
            specialty = map_specialty(box.text)
            if specialty and "安全" in box.text:
                fields["specialty"] = Field(
                    specialty.value, round(box.confidence * 0.9, 4), False, True, box.text
                )
                break


# --- Orientation ----------------------------------------------------------------------


def turn_boxes(
    boxes: Sequence[TextBox], size: tuple[int, int], quarter_turns: int
) -> tuple[list[TextBox], tuple[int, int]]:
    """Box coordinates after turning the page clockwise by 90° ``quarter_turns`` times
    (undoes a page that was rotated counter-clockwise). Text is untouched: the engine
    already read rotated lines (rapidocr turns tall crops and its cls model flips
    upside-down ones), only the geometry needs the upright frame."""
    width, height = size
    current = list(boxes)
    for _ in range(quarter_turns % 4):
        turned: list[TextBox] = []
        for b in current:
            pts = [(height - y, x) for x, y in b.box]
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            turned.append(
                TextBox.from_rect(b.text, b.confidence, min(xs), min(ys), max(xs), max(ys))
            )
        current = turned
        width, height = height, width
    return current, (width, height)


def reading_order(boxes: Sequence[TextBox]) -> str:
    """Lines top to bottom, boxes left to right (for raw_text and search)."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        if lines and _same_line(lines[-1][0], box):
            lines[-1].append(box)
        else:
            lines.append([box])
    return "\n".join(" ".join(b.text for b in sorted(line, key=lambda b: b.x0)) for line in lines)
