"""外部学时导入: row-by-row validation of a trainer's CSV of externally completed hours.

Pure (bytes in, result out, no database), so the service can validate before it opens a
transaction and the trainer gets every problem of every row in one downloadable report
instead of fixing the file one error at a time.

Real files come from Excel on Chinese Windows, which saves CSV in GBK (GB18030 is its
superset) without a BOM, writes 2024/3/1 for dates, and turns 18-digit ID numbers into
1.10105E+17 unless the column is text. Each of those gets a specific message.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from regsafe.core import masking
from regsafe.identity.rules import (
    RuleViolation,
    normalize_id_number,
    parse_id_number,
    validate_person_name,
)

MAX_ROWS = 5000


class ImportErrorCode(StrEnum):
    BAD_ENCODING = "BAD_ENCODING"
    MISSING_HEADER = "MISSING_HEADER"
    BAD_ID_NUMBER = "BAD_ID_NUMBER"
    NAME_REQUIRED = "NAME_REQUIRED"
    BAD_SUBJECT_KIND = "BAD_SUBJECT_KIND"
    BAD_HOURS = "BAD_HOURS"
    HOURS_OVER_COURSE = "HOURS_OVER_COURSE"
    UNKNOWN_COURSE = "UNKNOWN_COURSE"
    BAD_DATE = "BAD_DATE"
    FUTURE_DATE = "FUTURE_DATE"
    DUPLICATE_ROW = "DUPLICATE_ROW"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    # Found against the database by the import service (education.hours):
    UNKNOWN_PERSON = "UNKNOWN_PERSON"  # no person with this ID number on the platform
    NAME_MISMATCH = "NAME_MISMATCH"  # the name differs from the person's record
    ALREADY_RECORDED = "ALREADY_RECORDED"  # the same hours are already held: not counted twice


@dataclass(frozen=True)
class ValidRow:
    line: int
    id_number: str  # normalized: ASCII, upper-case X
    name: str
    course_code: str | None
    course_title: str  # may be empty when course_code identifies the course
    subject_kind: str  # "GENERAL" | "PROFESSIONAL"
    hours: Decimal  # > 0, multiple of 0.5, one decimal place
    completed_on: date
    reference: str | None


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based physical line of the file where the record starts
    column: str | None  # header text as written in the file
    code: ImportErrorCode
    message: str
    raw: str  # the record as written, ID numbers masked

    def __post_init__(self) -> None:
        # The error report is stored and downloaded later, and the payload's messages
        # are shown to the trainer: an ID number, valid or not, is masked in both (the
        # line number still finds the row in the trainer's own file).
        object.__setattr__(self, "message", _masked(self.message))
        object.__setattr__(self, "raw", _masked(self.raw))


def _masked(text: str) -> str:
    return masking.id_numbers_in_text(text, masking.Disclosure.MASKED)


@dataclass
class ImportResult:
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Header ---------------------------------------------------------------------------

# field -> (Chinese label used in messages, accepted header spellings after _header_key)
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id_number": ("身份证号", ("身份证号", "身份证号码", "公民身份号码", "id_number", "idnumber")),
    "name": ("姓名", ("姓名", "name")),
    "course_code": ("课程编号", ("课程编号", "课程代码", "course_code", "coursecode")),
    "course_title": ("课程名称", ("课程名称", "course_title", "coursetitle")),
    "subject_kind": ("科目类型", ("科目类型", "科目", "subject_kind", "subjectkind")),
    "hours": ("学时", ("学时", "学时数", "hours")),
    "completed_on": ("完成日期", ("完成日期", "completed_on", "completedon")),
    "reference": ("证明编号", ("证明编号", "证书编号", "reference")),
}
_REQUIRED = ("id_number", "name", "course_title", "subject_kind", "hours", "completed_on")
_ALIASES = {alias: name for name, (_, aliases) in _FIELDS.items() for alias in aliases}


def _header_key(cell: str) -> str:
    """Template headers often carry a required marker (学时*) or stray spaces."""
    return unicodedata.normalize("NFKC", cell).strip().strip("*").strip().casefold()


# --- Cell rules -----------------------------------------------------------------------

_SUBJECT_KINDS = {
    "公需": "GENERAL",
    "公需科目": "GENERAL",
    "general": "GENERAL",
    "专业": "PROFESSIONAL",
    "专业科目": "PROFESSIONAL",
    "professional": "PROFESSIONAL",
}
_HOURS = re.compile(r"^[0-9]{1,4}(?:\.[0-9]{1,4})?$")
_HALF = Decimal("0.5")
_ONE_DECIMAL = Decimal("0.1")
_DATE_DASHED = re.compile(r"^([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})(?:\s+0{1,2}:00(?::00)?)?$")
_DATE_ZH = re.compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日$")
_SCIENTIFIC = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)


def _clean(cell: str) -> str:
    """Full-width digits and letters (Chinese input methods) become ASCII."""
    return unicodedata.normalize("NFKC", cell).strip()


def parse_completed_on(raw: str) -> date | None:
    """YYYY-MM-DD, YYYY/MM/DD (Excel: 2024/3/1, optionally with a 0:00 time) or 2024年3月1日."""
    value = _clean(raw)
    dashed = _DATE_DASHED.match(value)
    if dashed:
        parts = (dashed.group(1), dashed.group(3), dashed.group(4))
    else:
        zh = _DATE_ZH.match(value)
        if not zh:
            return None
        parts = (zh.group(1), zh.group(2), zh.group(3))
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def parse_hours(raw: str) -> Decimal | None:
    """A positive multiple of 0.5 (courses award whole or half hours)."""
    value = _clean(raw)
    if not _HOURS.match(value):
        return None
    try:
        hours = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex admits only plain decimals
        return None
    if hours <= 0 or hours % _HALF != 0:
        return None
    return hours.quantize(_ONE_DECIMAL)


# --- Decoding -------------------------------------------------------------------------


class _Undecodable(Exception):
    def __init__(self, line: int, raw: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.raw = raw
        self.message = message


def _line_at(data: bytes, offset: int) -> tuple[int, str]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    text = data[start : end if end >= 0 else len(data)]
    return line, text.decode("utf-8", errors="replace").rstrip("\r")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030. GB18030 is tried second because valid
    UTF-8 Chinese is almost never valid-looking GBK by accident, while the reverse fails
    fast on the first multi-byte character."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Undecodable(
            1,
            "",
            "文件为 UTF-16 编码（Excel 的“Unicode 文本”格式），"
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后重新上传",
        )
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")
    furthest = 0
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # The encoding that got further is the likelier intended one: point there.
            furthest = max(furthest, exc.start)
    line, raw = _line_at(data, furthest)
    raise _Undecodable(
        line,
        raw,
        f"第{line}行含有无法识别的字符：文件应为 UTF-8 或 GBK（GB18030）编码的 CSV 文件",
    )


# --- Reading records ------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    line: int
    cells: list[str]
    raw: str


def _records(text: str) -> Iterator[_Record]:
    """CSV records with their first physical line and original text (a quoted cell may
    span lines, so csv's own line_num, the last line, is not what a user looks for)."""
    consumed: list[str] = []
    physical = io.StringIO(text, newline="")

    def feed() -> Iterator[str]:
        for chunk in physical:
            consumed.append(chunk)
            yield chunk

    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "," not in first_line and "\t" in first_line else ","
    reader = csv.reader(feed(), delimiter=delimiter, strict=False)
    next_line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _Undecodable(
                next_line,
                "".join(consumed).rstrip("\r\n"),
                f"第{next_line}行无法按 CSV 格式解析（{exc}），请检查引号是否成对",
            ) from None
        raw = "".join(consumed).rstrip("\r\n")
        start = next_line
        next_line += len(consumed)
        consumed.clear()
        yield _Record(line=start, cells=cells, raw=raw)


def _is_blank(cells: list[str]) -> bool:
    """Excel leaves rows of bare commas after deleted data."""
    return all(not cell.strip() for cell in cells)


# --- Validation -----------------------------------------------------------------------


def validate_import(
    data: bytes,
    *,
    course_hours: Mapping[str, Decimal],
    today: date,
    max_rows: int = MAX_ROWS,
) -> ImportResult:
    """Check every row; a row is valid only when it has no problem at all.

    ``course_hours`` maps this provider's course codes to the hours each course awards.
    Over ``max_rows`` data rows the file is refused as a whole (``rows`` is emptied, the
    errors found so far are kept), so nobody imports a silently truncated file.
    Never raises on bad input: every problem is a :class:`RowError`.
    """
    result = ImportResult()
    try:
        text = _decode(data)
    except _Undecodable as exc:
        result.errors.append(
            RowError(exc.line, None, ImportErrorCode.BAD_ENCODING, exc.message, exc.raw)
        )
        return result

    records = _records(text)
    try:
        _validate_records(records, result, course_hours, today, max_rows)
    except _Undecodable as exc:
        result.errors.append(
            RowError(exc.line, None, ImportErrorCode.BAD_ENCODING, exc.message, exc.raw)
        )
    if any(error.code is ImportErrorCode.TOO_MANY_ROWS for error in result.errors):
        result.rows.clear()
    return result


def _read_header(
    records: Iterator[_Record], result: ImportResult
) -> tuple[dict[str, int], dict[str, str]] | None:
    """Column index and original header text per field, or None after reporting."""
    header = next((r for r in records if not _is_blank(r.cells)), None)
    if header is None:
        result.errors.append(
            RowError(1, None, ImportErrorCode.MISSING_HEADER, "文件为空：缺少表头行", "")
        )
        return None
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    for position, cell in enumerate(header.cells):
        name = _ALIASES.get(_header_key(cell))
        if name is None:
            continue  # extra columns (备注, 序号, ...) are allowed and ignored
        if name in index:
            result.errors.append(
                RowError(
                    header.line,
                    cell.strip(),
                    ImportErrorCode.MISSING_HEADER,
                    f"表头中“{_FIELDS[name][0]}”列出现了两次，无法确定使用哪一列",
                    header.raw,
                )
            )
            continue
        index[name] = position
        names[name] = cell.strip()
    for name in (n for n in _REQUIRED if n not in index):
        label, aliases = _FIELDS[name]
        english = next(a for a in aliases if a.isascii())
        result.errors.append(
            RowError(
                header.line,
                None,
                ImportErrorCode.MISSING_HEADER,
                f"表头缺少“{label}”列（也可写作 {english}）；第一行应为表头",
                header.raw,
            )
        )
    if result.errors:
        return None
    return index, names


def _validate_records(
    records: Iterator[_Record],
    result: ImportResult,
    course_hours: Mapping[str, Decimal],
    today: date,
    max_rows: int,
) -> None:
    header = _read_header(records, result)
    if header is None:
        return
    index, names = header
    seen: dict[tuple[str, ...], int] = {}
    count = 0
    for record in records:
        if _is_blank(record.cells):
            continue
        count += 1
        if count > max_rows:
            result.errors.append(
                RowError(
                    record.line,
                    None,
                    ImportErrorCode.TOO_MANY_ROWS,
                    f"文件超过{max_rows}行数据，整份文件未导入；请拆分为多个文件后分别导入",
                    record.raw,
                )
            )
            return
        _validate_row(record, index, names, course_hours, today, seen, result)


def _validate_row(
    record: _Record,
    index: dict[str, int],
    names: dict[str, str],
    course_hours: Mapping[str, Decimal],
    today: date,
    seen: dict[tuple[str, ...], int],
    result: ImportResult,
) -> None:
    errors: list[RowError] = []

    def cell(name: str) -> str:
        position = index.get(name)
        if position is None or position >= len(record.cells):
            return ""
        return record.cells[position]

    def fail(name: str | None, code: ImportErrorCode, message: str) -> None:
        column = names.get(name) if name else None
        errors.append(RowError(record.line, column, code, message, record.raw))

    # 身份证号
    id_number: str | None = None
    raw_id = cell("id_number")
    if not raw_id.strip():
        fail("id_number", ImportErrorCode.BAD_ID_NUMBER, "身份证号不能为空")
    elif _SCIENTIFIC.match(_clean(raw_id)):
        fail(
            "id_number",
            ImportErrorCode.BAD_ID_NUMBER,
            f"身份证号“{raw_id.strip()}”已被 Excel 转换为科学计数法，"
            "请将该列设置为“文本”格式并重新填写",
        )
    else:
        try:
            id_number = parse_id_number(raw_id, today=today).value
        except RuleViolation as exc:
            shown = normalize_id_number(raw_id)
            fail(
                "id_number", ImportErrorCode.BAD_ID_NUMBER, f"身份证号“{shown}”无效：{exc.message}"
            )

    # 姓名
    name: str | None = None
    raw_name = cell("name")
    if not raw_name.strip():
        fail("name", ImportErrorCode.NAME_REQUIRED, "姓名不能为空")
    else:
        try:
            name = validate_person_name(raw_name)
        except RuleViolation as exc:
            fail(
                "name",
                ImportErrorCode.NAME_REQUIRED,
                f"姓名“{raw_name.strip()}”无效：{exc.message}",
            )

    # 课程编号 / 课程名称
    course_code = _clean(cell("course_code")) or None
    course_title = " ".join(cell("course_title").split())
    course_known = False
    if course_code is not None:
        if course_code in course_hours:
            course_known = True
        else:
            fail(
                "course_code",
                ImportErrorCode.UNKNOWN_COURSE,
                f"课程编号“{course_code}”不是本机构在平台上的课程；外部课程请留空课程编号，只填课程名称",
            )
    elif not course_title:
        fail(
            "course_title",
            ImportErrorCode.UNKNOWN_COURSE,
            "课程编号和课程名称不能同时为空",
        )

    # 科目类型
    raw_kind = cell("subject_kind")
    subject_kind = _SUBJECT_KINDS.get(_clean(raw_kind).casefold())
    if subject_kind is None:
        fail(
            "subject_kind",
            ImportErrorCode.BAD_SUBJECT_KIND,
            f"科目类型“{raw_kind.strip()}”无效：应为“公需”或“专业”",
        )

    # 学时
    raw_hours = cell("hours")
    hours = parse_hours(raw_hours)
    if hours is None:
        fail(
            "hours",
            ImportErrorCode.BAD_HOURS,
            f"学时“{raw_hours.strip()}”无效：应为大于0的数字，且为0.5的整数倍（如 2 或 2.5）",
        )
    elif course_known and course_code is not None and hours > course_hours[course_code]:
        fail(
            "hours",
            ImportErrorCode.HOURS_OVER_COURSE,
            f"学时 {_plain(hours)} 超过课程“{course_code}”的学时"
            f" {_plain(course_hours[course_code])}",
        )

    # 完成日期
    raw_date = cell("completed_on")
    completed_on = parse_completed_on(raw_date)
    if completed_on is None:
        fail(
            "completed_on",
            ImportErrorCode.BAD_DATE,
            f"完成日期“{raw_date.strip()}”无效："
            "应为 2024-03-01、2024/3/1 或 2024年3月1日 格式的有效日期",
        )
    elif completed_on > today:
        fail(
            "completed_on",
            ImportErrorCode.FUTURE_DATE,
            f"完成日期 {completed_on.isoformat()} 晚于今天（{today.isoformat()}），"
            "不能导入尚未完成的学时",
        )

    reference = _clean(cell("reference")) or None

    # 重复行: the same person and the same course (by code, else by title and date).
    if id_number is not None and (course_code is not None or course_title):
        if course_code is not None:
            key: tuple[str, ...] | None = (id_number, "code", course_code)
        elif completed_on is not None:
            key = (id_number, "title", course_title.casefold(), completed_on.isoformat())
        else:
            key = None
        if key is not None:
            first = seen.setdefault(key, record.line)
            if first != record.line:
                fail(
                    None,
                    ImportErrorCode.DUPLICATE_ROW,
                    f"与第{first}行重复（同一身份证号的同一课程），同一课程的学时只计一次",
                )

    if errors:
        result.errors.extend(errors)
        return
    assert id_number is not None and name is not None and subject_kind is not None
    assert hours is not None and completed_on is not None
    result.rows.append(
        ValidRow(
            line=record.line,
            id_number=id_number,
            name=name,
            course_code=course_code,
            course_title=course_title,
            subject_kind=subject_kind,
            hours=hours,
            completed_on=completed_on,
            reference=reference,
        )
    )


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- Error report ---------------------------------------------------------------------

REPORT_HEADER = ("行号", "列", "错误代码", "说明", "原始内容")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A leading ' stops Excel/WPS from evaluating a cell as a formula (CSV injection):
    the raw content of a row is attacker-controlled text that the trainer will open."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def error_report_csv(result: ImportResult) -> bytes:
    """The downloadable report: UTF-8 with BOM (without it Excel reads UTF-8 as GBK)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_HEADER)
    for error in result.errors:
        writer.writerow(
            [
                spreadsheet_safe(cell)
                for cell in (
                    str(error.line),
                    error.column or "",
                    error.code.value,
                    error.message,
                    error.raw,
                )
            ]
        )
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
