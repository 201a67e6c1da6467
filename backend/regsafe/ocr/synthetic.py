"""Synthetic document images with fake but valid data, for tests and the benchmark.

Needs a CJK font: Debian ``fonts-noto-cjk`` (NotoSansCJK-Regular.ttc, face 2 = SC) or
``fonts-wqy-zenhei``; override with ``REGSAFE_CJK_FONT``. Layouts imitate the real
documents only loosely: labels on the left, values to the right, one field per line.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from regsafe.identity.models import Specialty
from regsafe.ocr.fields import DocumentKind, make_id_number

FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)


class FontMissing(RuntimeError):
    pass


def font_path() -> tuple[str, int]:
    configured = os.environ.get("REGSAFE_CJK_FONT")
    if configured:
        return configured, int(os.environ.get("REGSAFE_CJK_FONT_INDEX", "0"))
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    raise FontMissing("no CJK font found: apt-get install -y fonts-noto-cjk")


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    path, index = font_path()
    return ImageFont.truetype(path, size, index=index)


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红宇浩然子轩欣怡梓涵"
ETHNICITIES = ("汉", "汉", "汉", "回", "满", "壮", "蒙古", "苗")
AREAS = (
    ("110105", "北京市朝阳区建国路"),
    ("310104", "上海市徐汇区漕溪北路"),
    ("440305", "广东省深圳市南山区科技园路"),
    ("510107", "四川省成都市武侯区人民南路"),
    ("330106", "浙江省杭州市西湖区文三路"),
    ("420102", "湖北省武汉市江岸区解放大道"),
    ("370102", "山东省济南市历下区泉城路"),
)
SCHOOLS = (
    "中国矿业大学",
    "北京理工大学",
    "华东理工大学",
    "中南大学",
    "西南交通大学",
    "武汉理工大学",
)
MAJORS = ("安全工程", "化学工程与工艺", "采矿工程", "土木工程", "交通运输", "冶金工程")
LEVELS = (("大学本科", "BACHELOR"), ("硕士研究生", "MASTER"), ("大学专科", "JUNIOR_COLLEGE"))
SPECIALTIES = (
    ("煤矿安全", Specialty.COAL_MINE),
    ("金属非金属矿山安全", Specialty.METAL_NONMETAL_MINE),
    ("化工安全", Specialty.CHEMICAL),
    ("金属冶炼安全", Specialty.METAL_SMELTING),
    ("建筑施工安全", Specialty.CONSTRUCTION),
    ("道路运输安全", Specialty.ROAD_TRANSPORT),
    ("其他安全（不包括消防安全）", Specialty.OTHER),
)


@dataclass(frozen=True)
class Sample:
    kind: DocumentKind
    image: Image.Image
    expected: dict[str, str]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _birth(rng: random.Random) -> date:
    return date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))


def _date_text(day: date, style: int) -> str:
    if style == 0:
        return f"{day.year}年{day.month}月{day.day}日"
    if style == 1:
        return f"{day:%Y.%m.%d}"
    return f"{day:%Y-%m-%d}"


def _canvas(size: tuple[int, int], rng: random.Random) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    tint = rng.randrange(236, 252)
    image = Image.new("RGB", size, (tint, tint + 2 if tint < 250 else tint, 255))
    return image, ImageDraw.Draw(image)


LABEL = (70, 90, 120)
INK = (20, 20, 20)


def id_card(rng: random.Random) -> Sample:
    image, draw = _canvas((860, 540), rng)
    name = _name(rng)
    born = _birth(rng)
    area, street = rng.choice(AREAS)
    sequence = rng.randrange(1, 999)
    number = make_id_number(area, born, sequence)
    gender = "男" if sequence % 2 else "女"
    ethnicity = rng.choice(ETHNICITIES)
    address = (
        f"{street}{rng.randrange(1, 300)}号{rng.randrange(1, 30)}栋"
        f"{rng.randrange(1, 9)}单元{rng.randrange(101, 2999)}室"
    )
    f_label, f_value = font(26), font(30)
    draw.text((50, 45), "姓名", font=f_label, fill=LABEL)
    draw.text((150, 42), name, font=f_value, fill=INK)
    draw.text((50, 110), "性别", font=f_label, fill=LABEL)
    draw.text((150, 107), gender, font=f_value, fill=INK)
    draw.text((270, 110), "民族", font=f_label, fill=LABEL)
    draw.text((370, 107), ethnicity, font=f_value, fill=INK)
    draw.text((50, 175), "出生", font=f_label, fill=LABEL)
    draw.text((150, 172), f"{born.year}年{born.month}月{born.day}日", font=f_value, fill=INK)
    draw.text((50, 240), "住址", font=f_label, fill=LABEL)
    for i in range(0, len(address), 12):
        draw.text((150, 237 + (i // 12) * 44), address[i : i + 12], font=f_value, fill=INK)
    draw.rectangle((620, 60, 800, 290), fill=(205, 210, 220))  # photo
    draw.text((50, 445), "公民身份号码", font=f_label, fill=LABEL)
    draw.text((260, 442), number, font=font(32), fill=INK)
    expected = {
        "name": name,
        "gender": "MALE" if gender == "男" else "FEMALE",
        "ethnicity": ethnicity,
        "birth_date": born.isoformat(),
        "address": address,
        "id_number": number,
    }
    return Sample(DocumentKind.ID_CARD, image, expected)


def _rows(
    draw: ImageDraw.ImageDraw, rows: list[tuple[str, str]], top: int, label_x: int, value_x: int
) -> None:
    f_label, f_value = font(30), font(32)
    for i, (label, value) in enumerate(rows):
        y = top + i * 72
        draw.text((label_x, y), label, font=f_label, fill=LABEL)
        draw.text((value_x, y - 2), value, font=f_value, fill=INK)


def diploma(rng: random.Random) -> Sample:
    image, draw = _canvas((1240, 880), rng)
    draw.text((500, 50), "毕业证书", font=font(56), fill=(150, 30, 30))
    name = _name(rng)
    school = rng.choice(SCHOOLS)
    major = rng.choice(MAJORS)
    level_text, level = rng.choice(LEVELS)
    number = "".join(str(rng.randrange(10)) for _ in range(18))
    graduated = date(rng.randrange(1995, 2022), rng.choice((6, 7)), rng.randrange(1, 30))
    colon = rng.choice(("", "："))
    rows = [
        ("姓名" + colon, name),
        ("学校" + colon, school),
        ("专业" + colon, major),
        ("学历" + colon, level_text),
        ("证书编号" + colon, number),
        ("毕业日期" + colon, _date_text(graduated, rng.randrange(3))),
    ]
    _rows(draw, rows, 190, 150, 420)
    expected = {
        "name": name,
        "school": school,
        "major": major,
        "level": level,
        "certificate_number": number,
        "graduation_date": graduated.isoformat(),
    }
    return Sample(DocumentKind.DIPLOMA, image, expected)


def certificate(rng: random.Random) -> Sample:
    image, draw = _canvas((1240, 880), rng)
    draw.text(
        (170, 50), "中华人民共和国注册安全工程师职业资格证书", font=font(44), fill=(150, 30, 30)
    )
    name = _name(rng)
    area, _ = rng.choice(AREAS)
    number = make_id_number(area, _birth(rng), rng.randrange(1, 999))
    management = f"{rng.randrange(2015, 2025)}{rng.randrange(10, 66)}{rng.randrange(10**7, 10**8)}"
    specialty_text, specialty = rng.choice(SPECIALTIES)
    issued = date(rng.randrange(2015, 2025), rng.randrange(1, 13), rng.randrange(1, 29))
    rows = [
        ("姓名", name),
        ("身份证号", number),
        (rng.choice(("管理号", "证书编号")), management),
        ("专业类别", specialty_text),
        (rng.choice(("取得日期", "签发日期")), _date_text(issued, rng.randrange(3))),
    ]
    _rows(draw, rows, 200, 150, 400)
    expected = {
        "name": name,
        "id_number": number,
        "certificate_number": management,
        "specialty": specialty.value,
        "issue_date": issued.isoformat(),
    }
    return Sample(DocumentKind.QUALIFICATION_CERTIFICATE, image, expected)


GENERATORS = {
    DocumentKind.ID_CARD: id_card,
    DocumentKind.DIPLOMA: diploma,
    DocumentKind.QUALIFICATION_CERTIFICATE: certificate,
}


def generate(kind: DocumentKind, seed: int) -> Sample:
    return GENERATORS[kind](random.Random(f"{kind}-{seed}"))


def rotate(image: Image.Image, degrees: int) -> Image.Image:
    """Counter-clockwise, canvas expanded (as a phone photo held sideways)."""
    return image.rotate(degrees, expand=True, fillcolor=(255, 255, 255))


def add_noise(image: Image.Image, sigma: float = 14.0, seed: int = 0) -> Image.Image:
    arr = np.asarray(image).astype(np.int16)
    noise = np.random.default_rng(seed).normal(0, sigma, arr.shape).astype(np.int16)
    noisy = np.clip(arr + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(noisy).filter(ImageFilter.GaussianBlur(0.6))


def encode(image: Image.Image, fmt: str = "PNG", quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    if fmt.upper() in ("JPEG", "JPG"):
        image.convert("RGB").save(buffer, "JPEG", quality=quality)
    else:
        image.save(buffer, fmt.upper())
    return buffer.getvalue()


def pdf(images: list[Image.Image], resolution: float = 150.0) -> bytes:
    buffer = io.BytesIO()
    first, *rest = [im.convert("RGB") for im in images]
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=resolution)
    return buffer.getvalue()


def blank_pdf(width_pt: float, height_pt: float) -> bytes:
    """A one-page PDF of any page size with nothing on it, a few hundred bytes long (as
    the 455-byte 14400 pt page of issue 11): the cost is the page box, not the content."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>" % (width_pt, height_pt),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
