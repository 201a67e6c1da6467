"""外部学时导入: row-by-row validation of a trainer's CSV and the downloadable error report."""

from __future__ import annotations

import csv
import io
import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regsafe.core import masking
from regsafe.education.imports import (
    REPORT_HEADER,
    ImportErrorCode,
    ImportResult,
    RowError,
    ValidRow,
    error_report_csv,
    parse_completed_on,
    parse_hours,
    spreadsheet_safe,
    validate_import,
)
from regsafe.identity.rules import id_check_character

TODAY = date(2025, 6, 30)
COURSES = {"C001": Decimal(8), "C002": Decimal("2.5")}
EN_HEADER = "id_number,name,course_code,course_title,subject_kind,hours,completed_on,reference"
ZH_HEADER = "身份证号,姓名,课程编号,课程名称,科目类型,学时,完成日期,证明编号"


def make_id(birth: str = "19800101", seq: str = "123", area: str = "110105") -> str:
    first17 = area + birth + seq
    return first17 + id_check_character(first17)


ID_A = make_id(seq="123")
ID_B = make_id(birth="19850615", seq="246", area="440305")
ID_X = "11010519491231002X"  # DOMAIN.md's example, check character X


def csv_bytes(*rows: str, header: str = ZH_HEADER, encoding: str = "utf-8") -> bytes:
    return "\r\n".join((header, *rows)).encode(encoding)


def run(data: bytes, **kwargs: object) -> ImportResult:
    options: dict[str, object] = {"course_hours": COURSES, "today": TODAY}
    options.update(kwargs)
    return validate_import(data, **options)  # type: ignore[arg-type]


def codes(result: ImportResult) -> list[ImportErrorCode]:
    return [error.code for error in result.errors]


def only_error(result: ImportResult) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


GOOD = f"{ID_A},张三,C001,安全生产法律法规,专业,8,2024-03-01,ZS-001"


# --- Valid input ----------------------------------------------------------------------


def test_valid_rows_are_normalized() -> None:
    result = run(
        csv_bytes(
            GOOD,
            # full-width digits and a lower-case x from a Chinese input method, an external
            # course without code, English kind, Excel's slash date, no reference
            "１１０１０５１９４９１２３１００２x, 李 四 ,,危险化学品 安全管理 ,GENERAL,2.5,"
            "2024/3/5,",
            f"{ID_B},王五,,应急预案编制,公需科目,1,2024年12月31日,",
        )
    )
    assert result.ok
    assert result.rows == [
        ValidRow(
            line=2,
            id_number=ID_A,
            name="张三",
            course_code="C001",
            course_title="安全生产法律法规",
            subject_kind="PROFESSIONAL",
            hours=Decimal("8.0"),
            completed_on=date(2024, 3, 1),
            reference="ZS-001",
        ),
        ValidRow(
            line=3,
            id_number=ID_X,
            name="李 四",
            course_code=None,
            course_title="危险化学品 安全管理",
            subject_kind="GENERAL",
            hours=Decimal("2.5"),
            completed_on=date(2024, 3, 5),
            reference=None,
        ),
        ValidRow(
            line=4,
            id_number=ID_B,
            name="王五",
            course_code=None,
            course_title="应急预案编制",
            subject_kind="GENERAL",
            hours=Decimal("1.0"),
            completed_on=date(2024, 12, 31),
            reference=None,
        ),
    ]


def test_english_headers_any_order_extra_columns_and_optional_columns_absent() -> None:
    header = "Hours,备注,Name,ID_Number,completed_on,subject_kind,course_title"
    row = f"2,外部讲座,张三,{ID_A},2024-05-01,professional,消防安全"
    result = run(csv_bytes(row, header=header))
    assert result.ok
    (valid,) = result.rows
    assert (valid.hours, valid.course_code, valid.reference) == (Decimal("2.0"), None, None)
    assert valid.subject_kind == "PROFESSIONAL"


def test_chinese_header_variants_with_required_markers() -> None:
    header = "身份证号码*,姓名*,课程代码,课程名称*,科目*,学时数*,完成日期*,证书编号"
    assert run(csv_bytes(GOOD, header=header)).ok


def test_gbk_file_from_excel() -> None:
    data = csv_bytes(GOOD, f"{ID_B},欧阳娜娜,,职业卫生,公需,2,2024/3/1,", encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run(data)
    assert result.ok
    assert [row.name for row in result.rows] == ["张三", "欧阳娜娜"]
    assert result.rows[1].course_title == "职业卫生"


def test_gb18030_only_characters() -> None:
    # 䶮 (U+4DAE) is outside GBK but in GB18030, as in some personal names.
    result = run(csv_bytes(f"{ID_B},刘䶮,,职业卫生,公需,2,2024/3/1,", encoding="gb18030"))
    assert result.ok
    assert result.rows[0].name == "刘䶮"


def test_utf8_with_bom() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(GOOD, header=EN_HEADER)
    result = run(data)
    assert result.ok, result.errors
    assert result.rows[0].id_number == ID_A


def test_blank_lines_and_comma_only_rows_are_skipped_but_counted_as_lines() -> None:
    data = csv_bytes("", ",,,,,,,", GOOD, "")
    result = run(data)
    assert result.ok
    assert result.rows[0].line == 4


def test_multiline_quoted_cell_keeps_physical_line_numbers() -> None:
    data = csv_bytes(
        f'{ID_A},张三,,"安全管理\n（上）",专业,2,2024-03-01,',
        f"{ID_B},王五,,应急管理,专业,0,2024-03-01,",
    )
    result = run(data)
    assert result.rows[0].line == 2
    assert result.rows[0].course_title == "安全管理 （上）"
    error = only_error(result)
    assert (error.line, error.code) == (4, ImportErrorCode.BAD_HOURS)


def test_tab_separated_file_is_accepted() -> None:
    header = ZH_HEADER.replace(",", "\t")
    assert run(csv_bytes(GOOD.replace(",", "\t"), header=header)).ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024/03/01", date(2024, 3, 1)),
        ("2024/3/1", date(2024, 3, 1)),
        ("2024/3/1 0:00", date(2024, 3, 1)),
        ("2024年3月1日", date(2024, 3, 1)),
        (" ２０２４年３月１日 ", date(2024, 3, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2023-02-29", None),
        ("2024-13-01", None),
        ("2024/3-1", None),
        ("20240301", None),
        ("3/1/2024", None),
        ("2024年3月", None),
        ("", None),
    ],
)
def test_date_formats(raw: str, expected: date | None) -> None:
    assert parse_completed_on(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", Decimal("1.0")),
        ("2.5", Decimal("2.5")),
        ("2.50", Decimal("2.5")),
        ("０.５", Decimal("0.5")),
        ("48", Decimal("48.0")),
        ("0", None),
        ("0.0", None),
        ("-1", None),
        ("2.3", None),
        ("0.25", None),
        ("1e1", None),
        ("NaN", None),
        ("Infinity", None),
        ("二", None),
        ("", None),
        ("99999", None),
    ],
)
def test_hours_values(raw: str, expected: Decimal | None) -> None:
    assert parse_hours(raw) == expected


# --- Each error code ------------------------------------------------------------------


def test_bad_encoding_points_at_the_line() -> None:
    data = csv_bytes(GOOD).replace(b"\r\n", b"\n") + b"\n" + b"\xff\xfe\xfd,bad\n"
    error = only_error(run(data))
    assert error.code is ImportErrorCode.BAD_ENCODING
    assert error.line == 3
    assert "UTF-8" in error.message and "GBK" in error.message


def test_bad_encoding_after_a_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(GOOD, encoding="gbk")  # BOM says UTF-8, body is GBK
    error = only_error(run(data))
    assert error.code is ImportErrorCode.BAD_ENCODING
    assert error.line == 1  # 姓名 in the header is not UTF-8


def test_utf16_file_gets_a_save_as_hint() -> None:
    data = "\ufeff".encode("utf-16-le") + ZH_HEADER.encode("utf-16-le")
    error = only_error(run(data))
    assert error.code is ImportErrorCode.BAD_ENCODING
    assert "UTF-16" in error.message and "另存为" in error.message


def test_unbalanced_quote_in_a_huge_cell_is_reported_not_raised() -> None:
    data = csv_bytes(f'{ID_A},"' + "很长" * 70_000 + ",2024-03-01")
    error = only_error(run(data))
    assert error.code is ImportErrorCode.BAD_ENCODING
    assert error.line == 2


def test_empty_file_is_missing_header() -> None:
    for data in (b"", b"\r\n\r\n", b",,,\n"):
        error = only_error(run(data))
        assert error.code is ImportErrorCode.MISSING_HEADER
        assert error.line == 1


def test_missing_required_columns_are_each_reported_and_rows_not_checked() -> None:
    header = "身份证号,姓名,课程名称,完成日期"
    result = run(csv_bytes(f"{ID_A},张三,消防,2024-03-01", header=header))
    assert result.rows == []
    assert codes(result) == [ImportErrorCode.MISSING_HEADER] * 2
    messages = " ".join(error.message for error in result.errors)
    assert "“科目类型”" in messages and "“学时”" in messages
    assert {error.line for error in result.errors} == {1}


def test_data_in_the_first_row_means_no_header() -> None:
    result = run(GOOD.encode())
    assert result.rows == []
    assert len(result.errors) == 6
    assert set(codes(result)) == {ImportErrorCode.MISSING_HEADER}
    assert "第一行应为表头" in result.errors[0].message


def test_a_column_given_twice_is_refused() -> None:
    header = ZH_HEADER + ",hours"
    result = run(csv_bytes(GOOD + ",3", header=header))
    error = only_error(result)
    assert error.code is ImportErrorCode.MISSING_HEADER
    assert error.column == "hours"
    assert result.rows == []


@pytest.mark.parametrize(
    ("id_number", "fragment"),
    [
        (ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1"), "校验位"),
        ("11010519800101123", "18位"),
        ("110105198002301234", "出生日期"),
        ("", "不能为空"),
        ("1.10105E+17", "科学计数法"),
    ],
)
def test_bad_id_number(id_number: str, fragment: str) -> None:
    error = only_error(run(csv_bytes(f"{id_number},张三,C001,消防,专业,8,2024-03-01,")))
    assert (error.code, error.column, error.line) == (ImportErrorCode.BAD_ID_NUMBER, "身份证号", 2)
    assert fragment in error.message


@pytest.mark.parametrize("name", ["", "   ", "12345"])
def test_name_required(name: str) -> None:
    error = only_error(run(csv_bytes(f"{ID_A},{name},C001,消防,专业,8,2024-03-01,")))
    assert (error.code, error.column) == (ImportErrorCode.NAME_REQUIRED, "姓名")


@pytest.mark.parametrize("kind", ["", "其他", "公需专业", "GENERALS"])
def test_bad_subject_kind(kind: str) -> None:
    error = only_error(run(csv_bytes(f"{ID_A},张三,C001,消防,{kind},8,2024-03-01,")))
    assert (error.code, error.column) == (ImportErrorCode.BAD_SUBJECT_KIND, "科目类型")


@pytest.mark.parametrize("hours", ["", "0", "-2", "2.3", "abc", "1e3"])
def test_bad_hours(hours: str) -> None:
    error = only_error(run(csv_bytes(f"{ID_A},张三,C001,消防,专业,{hours},2024-03-01,")))
    assert (error.code, error.column) == (ImportErrorCode.BAD_HOURS, "学时")
    assert "0.5" in error.message


def test_hours_over_course() -> None:
    result = run(
        csv_bytes(
            f"{ID_A},张三,C002,消防,专业,3,2024-03-01,",
            f"{ID_B},王五,C002,消防,专业,2.5,2024-03-01,",  # exactly the course's hours: fine
        )
    )
    error = only_error(result)
    assert (error.code, error.column, error.line) == (ImportErrorCode.HOURS_OVER_COURSE, "学时", 2)
    assert "2.5" in error.message and "C002" in error.message
    assert [row.line for row in result.rows] == [3]


def test_unknown_course() -> None:
    error = only_error(run(csv_bytes(f"{ID_A},张三,C999,消防,专业,3,2024-03-01,")))
    assert (error.code, error.column) == (ImportErrorCode.UNKNOWN_COURSE, "课程编号")
    assert "C999" in error.message


def test_neither_course_code_nor_title() -> None:
    error = only_error(run(csv_bytes(f"{ID_A},张三,, ,专业,3,2024-03-01,")))
    assert (error.code, error.column) == (ImportErrorCode.UNKNOWN_COURSE, "课程名称")


def test_course_code_alone_identifies_the_course() -> None:
    result = run(csv_bytes(f"{ID_A},张三,C001,,专业,3,2024-03-01,"))
    assert result.ok
    assert result.rows[0].course_title == ""


@pytest.mark.parametrize("day", ["2024-02-30", "2024.03.01", "昨天", ""])
def test_bad_date(day: str) -> None:
    error = only_error(run(csv_bytes(f"{ID_A},张三,C001,消防,专业,8,{day},")))
    assert (error.code, error.column) == (ImportErrorCode.BAD_DATE, "完成日期")


def test_future_date_but_today_is_fine() -> None:
    result = run(
        csv_bytes(
            f"{ID_A},张三,C001,消防,专业,8,2025-07-01,",
            f"{ID_B},王五,C001,消防,专业,8,2025-06-30,",
        )
    )
    error = only_error(result)
    assert (error.code, error.column, error.line) == (ImportErrorCode.FUTURE_DATE, "完成日期", 2)
    assert [row.line for row in result.rows] == [3]


def test_every_problem_of_a_row_is_reported() -> None:
    header = "Id_Number,姓名,课程编号,课程名称,科目类型,学时,完成日期,证明编号"
    row = "110105198001011230,,C999,,其他,2.3,2099-01-01,R"
    result = run(csv_bytes(row, header=header))
    assert result.rows == []
    assert [(e.code, e.column) for e in result.errors] == [
        (ImportErrorCode.BAD_ID_NUMBER, "Id_Number"),
        (ImportErrorCode.NAME_REQUIRED, "姓名"),
        (ImportErrorCode.UNKNOWN_COURSE, "课程编号"),
        (ImportErrorCode.BAD_SUBJECT_KIND, "科目类型"),
        (ImportErrorCode.BAD_HOURS, "学时"),
        (ImportErrorCode.FUTURE_DATE, "完成日期"),
    ]
    # the raw line is kept to find the row, with the ID number masked
    masked = "110105********1230,,C999,,其他,2.3,2099-01-01,R"
    assert {(e.line, e.raw) for e in result.errors} == {(2, masked)}


def test_short_rows_are_missing_cells_not_a_crash() -> None:
    result = run(csv_bytes(f"{ID_A},张三"))
    assert set(codes(result)) == {
        ImportErrorCode.UNKNOWN_COURSE,
        ImportErrorCode.BAD_SUBJECT_KIND,
        ImportErrorCode.BAD_HOURS,
        ImportErrorCode.BAD_DATE,
    }


# --- Duplicates -----------------------------------------------------------------------


def test_duplicate_by_course_code_names_the_first_line() -> None:
    result = run(
        csv_bytes(
            GOOD,
            f"{ID_B},王五,C001,安全生产法律法规,专业,8,2024-03-01,",  # another person: fine
            f"{ID_A.lower()},张三,C001,另一个名称,专业,4,2024-05-01,",  # same person, course
        )
    )
    error = only_error(result)
    assert (error.code, error.line, error.column) == (ImportErrorCode.DUPLICATE_ROW, 4, None)
    assert "第2行" in error.message
    assert [row.line for row in result.rows] == [2, 3]


def test_duplicate_by_title_and_date_without_course_code() -> None:
    result = run(
        csv_bytes(
            f"{ID_X},李四,,危化品 安全,专业,2,2024-03-01,",
            f"{ID_X},李四,,危化品  安全,专业,2,2024/3/1,",  # same after normalizing
            f"{ID_X},李四,,危化品 安全,专业,2,2024-03-02,",  # another day: another session
        )
    )
    error = only_error(result)
    assert (error.code, error.line) == (ImportErrorCode.DUPLICATE_ROW, 3)
    assert "第2行" in error.message
    assert [row.line for row in result.rows] == [2, 4]


def test_duplicate_of_an_invalid_row_is_still_reported() -> None:
    result = run(csv_bytes(f"{ID_A},张三,C001,消防,专业,9,2024-03-01,", GOOD))
    assert codes(result) == [ImportErrorCode.HOURS_OVER_COURSE, ImportErrorCode.DUPLICATE_ROW]
    assert result.rows == []


# --- Row cap --------------------------------------------------------------------------


def _rows(count: int) -> list[str]:
    return [f"{ID_A},张三,,课程{i},专业,1,2024-03-01," for i in range(count)]


def test_exactly_max_rows_is_accepted() -> None:
    started = time.perf_counter()
    result = run(csv_bytes(*_rows(5000)))
    elapsed = time.perf_counter() - started
    assert result.ok
    assert len(result.rows) == 5000
    assert elapsed < 5


def test_one_row_over_the_cap_refuses_the_file() -> None:
    result = run(csv_bytes(*_rows(5001), "not even read"))
    error = only_error(result)
    assert (error.code, error.line) == (ImportErrorCode.TOO_MANY_ROWS, 5002)
    assert "5000" in error.message
    assert result.rows == []


def test_cap_keeps_the_errors_found_before_it() -> None:
    rows = _rows(3)
    rows[1] = rows[1].replace(",1,", ",0,")
    result = run(csv_bytes(*rows), max_rows=2)
    assert codes(result) == [ImportErrorCode.BAD_HOURS, ImportErrorCode.TOO_MANY_ROWS]
    assert result.rows == []


def test_blank_rows_do_not_count_toward_the_cap() -> None:
    assert run(csv_bytes(*_rows(2), "", ",,,", ""), max_rows=2).ok


# --- Error report ---------------------------------------------------------------------


def _read_report(report: bytes) -> list[list[str]]:
    assert report.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(report[3:].decode("utf-8"), newline="")))


def test_report_content() -> None:
    result = run(
        csv_bytes(
            GOOD, f'{ID_A},张三,C001,"消防,基础",专业,8,2024-03-01,', f"{ID_B},,C001,x,y,1,z,"
        )
    )
    report = error_report_csv(result)
    assert b"\r\n" in report  # Excel's line ending
    table = _read_report(report)
    assert table[0] == list(REPORT_HEADER) == ["行号", "列", "错误代码", "说明", "原始内容"]
    masked_a = masking.id_number(ID_A, masking.Disclosure.MASKED)
    assert table[1] == [
        "3",
        "",
        "DUPLICATE_ROW",
        result.errors[0].message,
        f'{masked_a},张三,C001,"消防,基础",专业,8,2024-03-01,',
    ]
    assert [row[:3] for row in table[2:]] == [
        ["4", "姓名", "NAME_REQUIRED"],
        ["4", "科目类型", "BAD_SUBJECT_KIND"],
        ["4", "完成日期", "BAD_DATE"],
    ]
    assert len(table) == 1 + len(result.errors)


def test_report_of_a_clean_import_is_just_the_header() -> None:
    assert _read_report(error_report_csv(run(csv_bytes(GOOD)))) == [list(REPORT_HEADER)]


def test_report_guards_against_formula_injection() -> None:
    rows = [
        '=HYPERLINK("http://evil.example"),张三,C001,消防,专业,8,2024-03-01,',
        "+1+1,张三,C001,消防,专业,8,2024-03-01,",
        "-1+1,张三,C001,消防,专业,8,2024-03-01,",
        "@SUM(A1),张三,C001,消防,专业,8,2024-03-01,",
    ]
    result = run(csv_bytes(*rows))
    assert codes(result) == [ImportErrorCode.BAD_ID_NUMBER] * 4
    table = _read_report(error_report_csv(result))
    raws = [row[4] for row in table[1:]]
    assert raws == ["'" + row for row in rows]
    for row in table[1:]:
        assert not row[4].startswith(("=", "+", "-", "@"))


def test_report_guards_every_cell() -> None:
    # A header cell is attacker-controlled text too; messages quote cell values.
    result = ImportResult(errors=[RowError(2, "=1+1", ImportErrorCode.BAD_HOURS, "-bad", "\tx")])
    (row,) = _read_report(error_report_csv(result))[1:]
    assert row == ["2", "'=1+1", "BAD_HOURS", "'-bad", "'\tx"]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("a=1", "a=1"), ("", "")],
)
def test_spreadsheet_safe(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe


# --- Never raises ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for candidate in (data, csv_bytes().rstrip(b"\r\n") + b"\n" + data):
        result = validate_import(candidate, course_hours=COURSES, today=TODAY)
        assert isinstance(result, ImportResult)
        assert all(error.line >= 1 for error in result.errors)
        error_report_csv(result)


_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_cell, max_size=10), max_size=20))
def test_arbitrary_rows_under_a_valid_header_never_raise(rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ZH_HEADER.split(","))
    writer.writerows(rows)
    for encoding in ("utf-8", "utf-8-sig"):
        result = validate_import(
            out.getvalue().encode(encoding, errors="surrogatepass"),
            course_hours=COURSES,
            today=TODAY,
        )
        assert len(result.rows) + len({e.line for e in result.errors}) <= len(rows) + 1
        for row in result.rows:
            assert row.hours > 0 and row.completed_on <= TODAY
