"""毕业证书 / 学位证书 in their real prose wording (issue 13): the values come out of
sentences broken anywhere by the line layout, dates in Chinese numerals included, and
the school is no longer read off the 学校印章 line; the last test runs the real OCR
model on a rendered page."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from regsafe.ocr.diploma import cn_date, cn_number, prose_fields
from regsafe.ocr.engines import RapidOcrEngine, TextBox
from regsafe.ocr.extract import extract_pages
from regsafe.ocr.fields import DocumentKind, extract_fields
from regsafe.ocr.synthetic import font

BODY = (
    "学生张三，性别男，1985年3月12日生，于2003年9月至2007年7月在本校安全工程专业四年制"
    "本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。"
)
FOOTER = [
    "校名：华南理工大学",
    "校（院）长：李四",
    "证书编号：105611200705001234",
    "二〇〇七年七月一日",
]
EXPECTED = {
    "name": "张三",
    "gender": "MALE",
    "birth_date": "1985-03-12",
    "study_period": "2003-09/2007-07",
    "major": "安全工程",
    "years": "4",
    "level": "BACHELOR",
    "school": "华南理工大学",
    "president": "李四",
    "certificate_number": "105611200705001234",
    "graduation_date": "2007-07-01",
}


def _values(text: str) -> dict[str, str]:
    return {k: v.value for k, v in prose_fields(text).items()}


@pytest.mark.parametrize("width", [9, 17, 23, 40])
def test_a_diploma_broken_into_lines_anywhere_gives_every_value(width: int) -> None:
    # given the prose wrapped at an arbitrary width, as the printed lines break it
    lines = [BODY[i : i + width] for i in range(0, len(BODY), width)]
    # when it is read
    values = _values("\n".join([*lines, *FOOTER]))
    # then every value comes out
    assert values == EXPECTED


def test_ascii_punctuation_and_spaces_from_ocr_are_the_same_text() -> None:
    text = (
        BODY.replace("，", ",") + "\n校名: 华南理工大学 校(院)长: 李四 证书编号: 105611200705001234"
    )
    values = _values(text)
    assert values["school"] == "华南理工大学" and values["president"] == "李四"
    assert values["certificate_number"] == "105611200705001234"


def test_a_degree_certificate_gives_degree_and_level() -> None:
    text = (
        "学士学位证书\n张三，男，1985年3月12日生。在本校安全工程专业完成了\n本科学习计划，"
        "业已毕业。经审核符合《中华人民共和国学位条例》的规定，授予工学学\n士学位。\n"
        "二〇〇七年七月一日"
    )
    values = _values(text)
    assert values["degree"] == "工学学士学位"
    assert values["level"] == "BACHELOR" and values["major"] == "安全工程"
    assert values["graduation_date"] == "2007-07-01"


def test_chinese_numerals() -> None:
    assert [cn_number(t) for t in ("二〇〇七", "七", "十", "十二", "二十", "三十一")] == [
        2007,
        7,
        10,
        12,
        20,
        31,
    ]
    assert cn_number("2007") is None and cn_number("十二十") is None
    assert cn_date("二〇一〇年十二月三十一日") == "2010-12-31"
    assert cn_date("二〇一〇年十三月一日") is None  # no 13th month


def test_a_master_study_and_an_unknown_page() -> None:
    text = (
        "学生李娜，性别女，于2008年9月至2011年7月在本校安全科学与工程专业硕士研究生学习，准予毕业。"
    )
    values = _values(text)
    assert values["level"] == "MASTER" and values["gender"] == "FEMALE"
    assert values["major"] == "安全科学与工程"
    assert _values("这是一张与证书无关的图片") == {}


def _box(text: str, x0: float, y0: float, x1: float, y1: float) -> TextBox:
    return TextBox.from_rect(text, 0.98, x0, y0, x1, y1)


def test_the_school_is_not_read_off_the_seal_line() -> None:
    # given a page whose only 学校 label is the seal's caption (学校印章), beside 印章
    boxes = [
        _box(BODY[:30], 50, 100, 900, 130),
        _box(BODY[30:], 50, 140, 900, 170),
        _box("校名：华南理工大学", 50, 220, 400, 250),
        _box("学校印章", 600, 300, 700, 330),
        _box("印章", 720, 300, 780, 330),
    ]
    # when the fields are extracted
    fields, score = extract_fields(boxes, DocumentKind.DIPLOMA)
    # then the school is the 校名, not 印章, and the prose filled the rest
    assert fields["school"].value == "华南理工大学"
    assert fields["name"].value == "张三" and fields["major"].value == "安全工程"
    assert fields["birth_date"].valid is True and score >= len(EXPECTED) - 2


def _render() -> Image.Image:
    page = Image.new("RGB", (1400, 900), (250, 246, 236))
    draw = ImageDraw.Draw(page)
    draw.text((520, 40), "毕业证书", font=font(56), fill=(150, 20, 20))
    body = font(30)
    y = 160
    for i in range(0, len(BODY), 38):  # the prose wraps mid-word, as printed
        draw.text((90, y), BODY[i : i + 38], font=body, fill=(20, 20, 20))
        y += 52
    draw.text((90, y + 40), FOOTER[0], font=body, fill=(20, 20, 20))
    draw.text((560, y + 40), FOOTER[1], font=body, fill=(20, 20, 20))
    draw.text((90, y + 110), FOOTER[2], font=body, fill=(20, 20, 20))
    draw.text((900, y + 180), FOOTER[3], font=body, fill=(20, 20, 20))
    return page


def test_the_real_ocr_model_reads_a_rendered_prose_diploma(ocr_engine: RapidOcrEngine) -> None:
    # given a diploma page rendered in its real wording and layout
    page = _render()
    # when the real model reads it
    extraction = extract_pages([page], DocumentKind.DIPLOMA, ocr_engine)
    values = {k: f.value for k, f in extraction.fields.items()}
    # then the values of the prose and the footer are found
    wrong = {k: (values.get(k), v) for k, v in EXPECTED.items() if values.get(k) != v}
    assert not wrong, (wrong, extraction.raw_text)
