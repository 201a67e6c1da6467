"""Pure rules: ID-number correction, dates, mappings and position matching."""

from __future__ import annotations

import random
from datetime import date

import pytest

from regsafe.identity.rules import id_check_character
from regsafe.ocr.engines import TextBox
from regsafe.ocr.fields import (
    DocumentKind,
    correct_id_number,
    extract_fields,
    make_id_number,
    map_education,
    map_specialty,
    parse_date,
    reading_order,
    turn_boxes,
)

VALID = "11010519491231002X"
VALID_DIGITS = make_id_number("440305", date(1988, 9, 1), 690)


def test_make_id_number_is_valid() -> None:
    assert VALID_DIGITS[-1] == id_check_character(VALID_DIGITS[:17])
    assert correct_id_number(VALID_DIGITS) == (VALID_DIGITS, False, True)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [("O", "0"), ("o", "0"), ("D", "0"), ("I", "1"), ("l", "1"), ("|", "1"), ("Z", "2")],
)
def test_one_confusion_is_corrected_when_check_digit_holds(wrong: str, right: str) -> None:
    base = VALID
    pos = next(i for i, ch in enumerate(base[:17]) if ch == right)
    garbled = base[:pos] + wrong + base[pos + 1 :]
    assert correct_id_number(garbled) == (VALID, True, True)


@pytest.mark.parametrize(("wrong", "right"), [("S", "5"), ("B", "8")])
def test_confusions_5_and_8(wrong: str, right: str) -> None:
    number = make_id_number("510107", date(1985, 8, 5), 358)
    pos = number.index(right)
    garbled = number[:pos] + wrong + number[pos + 1 :]
    assert correct_id_number(garbled) == (number, True, True)


def test_lowercase_x_check_character() -> None:
    assert correct_id_number("11010519491231002x") == (VALID, True, True)


def test_spaces_and_label_remnants_are_ignored() -> None:
    assert correct_id_number("1101 0519 4912 3100 2X") == (VALID, False, True)
    assert correct_id_number("号码:11010519491231002X") == (VALID, False, True)


def test_no_correction_when_check_digit_still_fails() -> None:
    # A real digit error (3 → 8) cannot be explained by a confusion: left invalid.
    value, corrected, valid = correct_id_number("11010519491281002X")
    assert (corrected, valid) == (False, False)
    assert value == "11010519491281002X"


def test_no_correction_when_confusion_breaks_check_digit() -> None:
    # I→1 would give 11110519491231002X, whose check character is wrong: kept as read.
    garbled = "11I10519491231002X"
    value, corrected, valid = correct_id_number(garbled)
    assert (corrected, valid) == (False, False)
    assert value == garbled.upper()


def test_only_one_character_is_corrected() -> None:
    _, corrected, valid = correct_id_number("11O1O519491231002X")
    assert (corrected, valid) == (False, False)
    assert correct_id_number("11O1O519491231002X", max_corrections=2)[1:] == (True, True)


def test_wrong_length_is_invalid() -> None:
    assert correct_id_number("1101051949123100")[2] is False


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("1990年5月6日", "1990-05-06"),
        ("1990 年 5 月 6 日", "1990-05-06"),
        ("1990.05.06", "1990-05-06"),
        ("1990-05-06", "1990-05-06"),
        ("1990/5/6", "1990-05-06"),
        ("19900506", "1990-05-06"),
        ("2012年7月", "2012-07"),
        ("l99O.O5.O6", "1990-05-06"),
    ],
)
def test_parse_date(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["1990年2月30日", "无", "2019.13.01"])
def test_parse_date_rejects(raw: str) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("煤矿安全", "COAL_MINE"),
        ("金属非金属矿山安全", "METAL_NONMETAL_MINE"),
        ("化工安全", "CHEMICAL"),
        ("金属冶炼安全", "METAL_SMELTING"),
        ("建筑施工安全", "CONSTRUCTION"),
        ("道路运输安全", "ROAD_TRANSPORT"),
        ("其他安全（不包括消防安全）", "OTHER"),
    ],
)
def test_map_specialty(name: str, value: str) -> None:
    specialty = map_specialty(name)
    assert specialty is not None and specialty.value == value


def test_map_education() -> None:
    assert map_education("大学本科") == "BACHELOR"
    assert map_education("硕士研究生") == "MASTER"
    assert map_education("博士研究生") == "DOCTORATE"
    assert map_education("大学专科") == "JUNIOR_COLLEGE"
    assert map_education("学前") is None


def _box(text: str, x0: float, y0: float, x1: float, y1: float) -> TextBox:
    return TextBox.from_rect(text, 0.99, x0, y0, x1, y1)


CARD = [
    _box("姓名", 40, 40, 100, 70),
    _box("张伟", 140, 40, 220, 72),
    _box("性别", 40, 100, 100, 130),
    _box("男", 140, 100, 170, 132),
    _box("民族", 260, 100, 320, 130),
    _box("汉", 360, 100, 390, 132),
    _box("出生", 40, 160, 100, 190),
    _box("1949年12月31日", 140, 160, 330, 192),
    _box("住址", 40, 220, 100, 250),
    _box("北京市朝阳区建国路88号", 140, 220, 450, 252),
    _box("3号楼2单元501室", 140, 262, 380, 294),
    _box("公民身份号码", 40, 440, 210, 470),
    _box("11010519491231002X", 260, 440, 540, 472),
]
CARD_EXPECTED = {
    "name": "张伟",
    "gender": "MALE",
    "ethnicity": "汉",
    "birth_date": "1949-12-31",
    "address": "北京市朝阳区建国路88号3号楼2单元501室",
    "id_number": VALID,
}


def _values(boxes: list[TextBox], kind: DocumentKind) -> dict[str, str]:
    fields, _ = extract_fields(boxes, kind)
    return {name: f.value for name, f in fields.items()}


def test_position_matching_ignores_output_order() -> None:
    shuffled = CARD[:]
    random.Random(7).shuffle(shuffled)
    assert _values(shuffled, DocumentKind.ID_CARD) == CARD_EXPECTED


def test_label_and_value_merged_in_one_box() -> None:
    boxes = [b for b in CARD if b.text not in ("性别", "男", "民族", "汉")]
    boxes += [_box("性别男", 40, 100, 170, 132), _box("民族：汉", 260, 100, 390, 132)]
    assert _values(boxes, DocumentKind.ID_CARD) == CARD_EXPECTED


def test_value_below_label() -> None:
    boxes = [
        _box("姓名", 40, 40, 100, 70),
        _box("李娜", 40, 80, 120, 112),
        _box("专业类别", 300, 40, 420, 70),
        _box("化工安全", 300, 80, 420, 112),
    ]
    fields, _ = extract_fields(boxes, DocumentKind.QUALIFICATION_CERTIFICATE)
    assert fields["name"].value == "李娜"
    assert fields["specialty"].value == "CHEMICAL"


def test_missing_value_does_not_steal_the_next_field() -> None:
    boxes = [b for b in CARD if b.text != "男"]
    values = _values(boxes, DocumentKind.ID_CARD)
    assert values["ethnicity"] == "汉"
    # the 性别 the engine missed is derived from the ID number, and says so
    fields, _ = extract_fields(boxes, DocumentKind.ID_CARD)
    assert values["gender"] == "FEMALE"  # what 11010519491231002X encodes (002 is even)
    assert fields["gender"].corrected is True and fields["gender"].raw == ""


def test_a_failed_check_below_a_label_is_left_to_the_next_label() -> None:
    # given 性别 whose 男 was missed, with the birth date right below it
    boxes = [
        _box("性别", 40, 100, 100, 132),
        _box("出生", 40, 150, 100, 182),
        _box("1990年5月6日", 130, 150, 330, 182),
    ]
    values = _values(boxes, DocumentKind.ID_CARD)
    assert "gender" not in values and values["birth_date"] == "1990-05-06"


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_turned_geometry_is_recovered(turns: int) -> None:
    # Put the card on a rotated page (counter-clockwise), then turn it back.
    size = (860, 540)
    rotated, rotated_size = turn_boxes(CARD, size, 4 - turns)
    upright, upright_size = turn_boxes(rotated, rotated_size, turns)
    assert upright_size == size
    assert _values(upright, DocumentKind.ID_CARD) == CARD_EXPECTED
    # In the wrong frame the layout makes no sense, so it scores lower.
    assert (
        extract_fields(rotated, DocumentKind.ID_CARD)[1]
        < extract_fields(upright, DocumentKind.ID_CARD)[1]
    )


def test_corrected_flag_on_field() -> None:
    boxes = [b for b in CARD if not b.text.startswith("1101")]
    boxes.append(_box("1101O519491231002X", 260, 440, 540, 472))
    fields, _ = extract_fields(boxes, DocumentKind.ID_CARD)
    assert fields["id_number"].value == VALID
    assert fields["id_number"].corrected is True
    assert fields["id_number"].valid is True
    assert fields["name"].corrected is False


def test_reading_order() -> None:
    text = reading_order(list(reversed(CARD)))
    assert text.splitlines()[0] == "姓名 张伟"
    assert text.splitlines()[1] == "性别 男 民族 汉"
