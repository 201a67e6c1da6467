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
from typing import Any

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


_FACE: list[tuple[str, int]] = []  # set by use_font (the benchmark varies the face)


def use_font(path: str | None, index: int = 0) -> None:
    """Draw with this font file and face from now on (None: back to the default)."""
    _FACE.clear()
    if path is not None:
        _FACE.append((path, index))


def font_path() -> tuple[str, int]:
    if _FACE:
        return _FACE[0]
    configured = os.environ.get("REGSAFE_CJK_FONT")
    if configured:
        return configured, int(os.environ.get("REGSAFE_CJK_FONT_INDEX", "0"))
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    raise FontMissing("no CJK font found: apt-get install -y fonts-noto-cjk")


def font(size: int) -> ImageFont.FreeTypeFont:
    path, index = font_path()
    return _font(path, index, size)


@cache
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
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


# --- 职业资格证书 and 成绩合格证明 as issued (issue 13) -------------------------------

PROVINCE_NAMES = (
    ("44", "广东省"),
    ("11", "北京市"),
    ("31", "上海市"),
    ("51", "四川省"),
    ("33", "浙江省"),
    ("42", "湖北省"),
    ("37", "山东省"),
)
CERTIFICATE_SENTENCE = (
    "本证书由中华人民共和国人力资源和社会保障部、应急管理部批准颁发。"
    "它表明持证人通过国家统一组织的考试，取得注册安全工程师职业资格。"
)
SEAL_RED = (200, 40, 40)


@dataclass(frozen=True)
class Text:
    """One line of text at (x, y) (top left, pixels of a 150 dpi page)."""

    x: float
    y: float
    text: str
    size: int
    fill: tuple[int, int, int] = INK


@dataclass(frozen=True)
class Layout:
    """A page as text lines and decorations, drawn by Pillow (:meth:`render`) or written
    with a real text layer into a PDF (:func:`layout_pdf`)."""

    size: tuple[int, int]
    texts: tuple[Text, ...]
    background: tuple[int, int, int] = (250, 247, 238)
    rings: tuple[tuple[float, float, float], ...] = ()  # seal rings: centre x, y, radius
    rects: tuple[tuple[float, float, float, float], ...] = ()  # photo boxes

    def render(self) -> Image.Image:
        image = Image.new("RGB", self.size, self.background)
        draw = ImageDraw.Draw(image)
        width, height = self.size
        # A faint guilloche (the security background) and a border, as printed.
        for k in range(0, height, 36):
            points = [(x, k + 10 * np.sin(x / 60 + k)) for x in range(0, width, 8)]
            draw.line(points, fill=(236, 228, 212), width=1)
        draw.rectangle((24, 24, width - 25, height - 25), outline=(190, 150, 90), width=4)
        for x0, y0, x1, y1 in self.rects:
            draw.rectangle((x0, y0, x1, y1), fill=(214, 218, 226), outline=(170, 170, 170))
        for cx, cy, r in self.rings:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SEAL_RED, width=5)
        for t in self.texts:
            draw.text((t.x, t.y), t.text, font=font(t.size), fill=t.fill)
        return image


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def _province(rng: random.Random) -> tuple[str, str, str]:
    """(area code of a district, province code, province name)."""
    code, name = rng.choice(PROVINCE_NAMES)
    area = next((a for a, _ in AREAS if a.startswith(code)), f"{code}0102")
    return area, code, name


def _authority(code: str, name: str, suffix: str) -> str:
    # Municipalities have a 局 where provinces have a 厅.
    if suffix == "人力资源和社会保障厅" and code in ("11", "12", "31", "50"):
        return name + "人力资源和社会保障局"
    return name + suffix


def certificate_as_issued_layout(rng: random.Random) -> tuple[Layout, dict[str, str]]:
    """The 注册安全工程师职业资格证书 (中级) inner page as issued: title and the fixed
    sentence, then 姓名/性别/出生年月/身份证件号码 on the left beside the photo, 专业类别/
    批准日期/管理号/签发单位（盖章）/签发日期 on the right, the seal of the provincial 人社
    department over its name, and the 证书编号 at the foot."""
    name = _name(rng)
    area, code, province = _province(rng)
    born = _birth(rng)
    sequence = rng.randrange(1, 999)
    number = make_id_number(area, born, sequence)
    gender = "男" if sequence % 2 else "女"
    year = rng.randrange(2019, 2026)
    approved = date(year, rng.choice((10, 11, 12)), 1)
    issued = approved + timedelta(days=rng.randrange(20, 120))
    management = f"{year}035{code}{rng.randrange(10**6, 10**7)}"
    certificate_no = f"{code}{year}{rng.randrange(10**7, 10**8)}"
    specialty_text, specialty = rng.choice(SPECIALTIES)
    authority = _authority(code, province, "人力资源和社会保障厅")
    grey, ink = (90, 70, 50), INK
    texts = [
        Text(590, 60, "中华人民共和国", 40, (150, 30, 30)),
        Text(400, 120, "注册安全工程师职业资格证书", 52, (150, 30, 30)),
        Text(650, 192, "（中级）", 30, (150, 30, 30)),
    ]
    for i, line in enumerate(_wrap(CERTIFICATE_SENTENCE, 42)):
        texts.append(Text(90, 260 + i * 42, line, 26, (60, 60, 60)))
    left = [
        ("姓名", name),
        ("性别", gender),
        ("出生年月", f"{born.year}年{born.month:02d}月"),
        ("身份证件号码", number),
    ]
    for i, (label, value) in enumerate(left):
        y = 420 + i * 76
        texts.append(Text(90, y, label, 28, grey))
        texts.append(Text(290, y - 2, value, 30, ink))
    right = [
        ("专业类别", specialty_text),
        ("批准日期", f"{approved.year}年{approved.month:02d}月"),
        ("管理号", management),
    ]
    for i, (label, value) in enumerate(right):
        y = 420 + i * 76
        texts.append(Text(800, y, label, 28, grey))
        texts.append(Text(960, y - 2, value, 30, ink))
    texts.append(Text(800, 648, "签发单位（盖章）", 28, grey))
    texts.append(Text(810, 720, authority, 30, SEAL_RED))
    texts.append(Text(800, 800, "签发日期", 28, grey))
    texts.append(Text(960, 798, f"{issued.year}年{issued.month}月{issued.day}日", 30, ink))
    texts.append(Text(90, 880, "证书编号", 26, grey))
    texts.append(Text(230, 878, certificate_no, 28, ink))
    layout = Layout(
        (1400, 990), tuple(texts), rings=((1000, 740, 95),), rects=((560, 400, 700, 580),)
    )
    expected = {
        "name": name,
        "gender": "MALE" if gender == "男" else "FEMALE",
        "birth_date": f"{born.year:04d}-{born.month:02d}",
        "id_number": number,
        "specialty": specialty.value,
        "approval_date": f"{approved.year:04d}-{approved.month:02d}",
        "management_number": management,
        "certificate_number": certificate_no,
        "issuing_authority": authority,
        "issue_date": issued.isoformat(),
    }
    return layout, expected


def pass_proof_layout(rng: random.Random) -> tuple[Layout, dict[str, str]]:
    """The 成绩合格证明 of a provincial 人事考试中心: one sentence of prose (name, ID number
    in brackets, the exam year, 专业类别为…), 特此证明, the 管理号, the centre and the date."""
    name = _name(rng)
    area, code, province = _province(rng)
    number = make_id_number(area, _birth(rng), rng.randrange(1, 999))
    year = rng.randrange(2019, 2026)
    issued = date(year + 1, rng.randrange(1, 4), rng.randrange(1, 29))
    management = f"{year}035{code}{rng.randrange(10**6, 10**7)}"
    specialty_text, specialty = rng.choice(SPECIALTIES)
    authority = _authority(code, province, "人事考试中心")
    sentence = (
        f"{name}（身份证件号码：{number}）参加{year}年度全国中级注册安全工程师职业资格考试，"
        f"成绩合格，专业类别为{specialty_text}。"
    )
    texts = [Text(560, 70, "成绩合格证明", 52, INK)]
    y = 200
    for line in _wrap(sentence, 36):  # the prose wraps mid-word, as printed
        texts.append(Text(110, y, line, 30))
        y += 56
    texts.append(Text(170, y, "特此证明。", 30))
    texts.append(Text(110, y + 90, f"管理号：{management}", 30))
    texts.append(Text(820, y + 200, authority, 30))
    texts.append(Text(860, y + 256, f"{issued.year}年{issued.month}月{issued.day}日", 30))
    layout = Layout(
        (1400, 990), tuple(texts), background=(252, 252, 250), rings=((960, y + 225, 95),)
    )
    expected = {
        "name": name,
        "id_number": number,
        "exam_year": str(year),
        "specialty": specialty.value,
        "management_number": management,
        "certificate_number": management,
        "issuing_authority": authority,
        "issue_date": issued.isoformat(),
    }
    return layout, expected


def certificate_as_issued(rng: random.Random) -> Sample:
    layout, expected = certificate_as_issued_layout(rng)
    return Sample(DocumentKind.QUALIFICATION_CERTIFICATE, layout.render(), expected)


def pass_proof(rng: random.Random) -> Sample:
    layout, expected = pass_proof_layout(rng)
    return Sample(DocumentKind.QUALIFICATION_CERTIFICATE, layout.render(), expected)


def layout_pdf(layout: Layout, *, dpi: float = 150.0) -> bytes:
    """The page as an electronic certificate is issued: a PDF whose text is real text
    (a text layer, the CJK font embedded), written with fpdf2 (a runtime dependency
    already, for the platform's own PDFs)."""
    from fpdf import FPDF

    from regsafe.core.pdf_fonts import add_cjk_font

    path, _ = font_path()
    scale = 72 / dpi  # pixels of the 150 dpi layout → points
    width, height = layout.size
    document = FPDF(unit="pt", format=(width * scale, height * scale))
    document.set_auto_page_break(False)
    document.set_margin(0)
    add_cjk_font(document, "cjk", path)
    document.add_page()
    document.set_fill_color(*layout.background)
    document.rect(0, 0, width * scale, height * scale, style="F")
    for cx, cy, r in layout.rings:
        document.set_draw_color(*SEAL_RED)
        document.set_line_width(5 * scale)
        document.ellipse((cx - r) * scale, (cy - r) * scale, 2 * r * scale, 2 * r * scale)
    for t in layout.texts:
        document.set_font("cjk", size=t.size * scale)
        document.set_text_color(*t.fill)
        document.set_xy(t.x * scale, t.y * scale)
        document.cell(text=t.text, h=t.size * scale * 1.2)
    return bytes(document.output())


# --- Phone photos (issue 13) ------------------------------------------------------------


def _table(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray[Any, Any]:
    """A wood-like table top: a dark tint, grain stripes and low-frequency noise."""
    width, height = size
    base = np.array(
        [rng.uniform(70, 130), rng.uniform(50, 100), rng.uniform(30, 80)], dtype=np.float32
    )
    ys = np.arange(height, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    grain = 14 * np.sin(ys / rng.uniform(6, 14) + 3 * np.sin(xs / rng.uniform(150, 300)))
    coarse = rng.normal(0, 1, (height // 64 + 2, width // 64 + 2)).astype(np.float32)
    import cv2

    blotches = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC) * 12
    fine = rng.normal(0, 6, (height, width)).astype(np.float32)
    shade = (grain + blotches + fine)[:, :, None]
    return np.clip(base[None, None, :] + shade, 0, 255)


def photograph(document: Image.Image, seed: int = 0, **options: Any) -> Image.Image:
    """``document`` lying on a table, photographed (see :func:`photograph_with_corners`)."""
    return photograph_with_corners(document, seed, **options)[0]


def photograph_with_corners(
    document: Image.Image,
    seed: int = 0,
    *,
    size: tuple[int, int] = (2400, 1800),
    angle: float = 14.0,
    tilt: float = 0.22,
    coverage: float = 0.6,
    shadow: bool = True,
    glare: bool = True,
) -> tuple[Image.Image, list[tuple[float, float]]]:
    """``document`` lying on a table, photographed at an angle: turned by ``angle``°,
    its far edge shortened by ``tilt`` (perspective), covering about ``coverage`` of the
    frame's width, with a soft shadow across one side and a glare spot. Returns the photo
    and the document's true corners in it (tl, tr, br, bl)."""
    import cv2

    rng = np.random.default_rng(seed)
    width, height = size
    photo = _table(size, rng)
    dw, dh = document.size
    scale = coverage * width / dw
    w, h = dw * scale, dh * scale
    # The document's corners: a rectangle, far edge shorter, turned, centred.
    corners = np.array(
        [
            [-w / 2 * (1 - tilt), -h / 2],
            [w / 2 * (1 - tilt), -h / 2],
            [w / 2, h / 2],
            [-w / 2, h / 2],
        ],
        dtype=np.float32,
    )
    theta = np.radians(angle)
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    centre = np.array([width / 2 + rng.uniform(-0.05, 0.05) * width, height / 2], np.float32)
    target = (corners @ turn.T + centre).astype(np.float32)
    source = np.array([[0, 0], [dw - 1, 0], [dw - 1, dh - 1], [0, dh - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    paper = cv2.warpPerspective(
        np.asarray(document.convert("RGB")).astype(np.float32), matrix, size, flags=cv2.INTER_AREA
    )
    mask = cv2.warpPerspective(np.ones((dh, dw), np.float32), matrix, size, flags=cv2.INTER_LINEAR)
    # A drop shadow under the document, then the document on top.
    offset = cv2.warpAffine(mask, np.array([[1, 0, 18], [0, 1, 24]], np.float32), size)
    drop = cv2.GaussianBlur(offset, (0, 0), 14)[:, :, None]
    photo = photo * (1 - 0.45 * drop)
    photo = photo * (1 - mask[:, :, None]) + paper * mask[:, :, None]
    if shadow:  # a hand's or phone's shadow: a soft dark band across one side
        xs = np.arange(width, dtype=np.float32)[None, :]
        ys = np.arange(height, dtype=np.float32)[:, None]
        edge = width * rng.uniform(0.25, 0.4) + (ys - height / 2) * rng.uniform(-0.4, 0.4)
        band = 1 / (1 + np.exp((xs - edge) / 40))
        photo = photo * (1 - 0.35 * band[:, :, None])
    if glare:  # a bright reflection on the document, off the text's centre line
        gx, gy = centre + rng.uniform(-0.25, 0.25, 2) * np.array([w, h], np.float32)
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        blob = np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * (0.06 * width) ** 2))
        photo = photo + 90 * blob[:, :, None]
    truth = [(float(x), float(y)) for x, y in target]
    return Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), truth


# --- ID card back and the prose diploma, with random data (benchmark) --------------------

POLICE = {
    "110105": "北京市公安局朝阳分局",
    "310104": "上海市公安局徐汇分局",
    "440305": "深圳市公安局南山分局",
    "510107": "成都市公安局武侯区分局",
    "330106": "杭州市公安局西湖区分局",
    "420102": "武汉市公安局江岸区分局",
    "370102": "济南市公安局历下区分局",
}


def id_card_back(rng: random.Random) -> Sample:
    """The 国徽面: title, 签发机关 and 有效期限 (10 or 20 years, or 长期)."""
    image, draw = _canvas((1000, 630), rng)
    area, _ = rng.choice(AREAS)
    authority = POLICE[area]
    start = date(rng.randrange(2006, 2025), rng.randrange(1, 13), rng.randrange(1, 29))
    years = rng.choice((10, 20, 0))
    end = "长期" if years == 0 else f"{start.year + years}.{start.month:02d}.{start.day:02d}"
    draw.ellipse((70, 60, 230, 220), outline=(200, 40, 40), width=6)  # the emblem
    draw.text((330, 120), "中华人民共和国", font=font(52), fill=INK)
    draw.text((380, 210), "居民身份证", font=font(52), fill=INK)
    draw.text((200, 400), "签发机关", font=font(28), fill=LABEL)
    draw.text((360, 398), authority, font=font(30), fill=INK)
    draw.text((200, 480), "有效期限", font=font(28), fill=LABEL)
    draw.text((360, 478), f"{start:%Y.%m.%d}-{end}", font=font(30), fill=INK)
    end_iso = (
        "长期" if years == 0 else f"{start.year + years:04d}-{start.month:02d}-{start.day:02d}"
    )
    expected = {"issuing_authority": authority, "valid_period": f"{start.isoformat()}/{end_iso}"}
    return Sample(DocumentKind.ID_CARD, image, expected)


_CN_NUMERALS = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    if n < 10:
        return _CN_NUMERALS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _CN_NUMERALS[tens]) + "十" + (_CN_NUMERALS[units] if units else "")


def cn_date_text(day: date) -> str:
    """2007-07-01 → 二〇〇七年七月一日, as diplomas print their date."""
    year = "".join(_CN_NUMERALS[int(d)] for d in str(day.year))
    return f"{year}年{_cn_small(day.month)}月{_cn_small(day.day)}日"


def diploma_prose(rng: random.Random) -> Sample:
    """A 普通高等学校毕业证书 in its real wording: one sentence of prose wrapped mid-word,
    then 校名, 校（院）长, 证书编号 and the date in Chinese numerals."""
    name = _name(rng)
    gender = rng.choice("男女")
    born = _birth(rng)
    years, level_text, level = rng.choice(((4, "本科", "BACHELOR"), (3, "专科", "JUNIOR_COLLEGE")))
    enrolled = born.year + 18
    graduated = date(enrolled + years, rng.choice((6, 7)), rng.randrange(1, 29))
    school = rng.choice(SCHOOLS)
    major = rng.choice(MAJORS)
    president = _name(rng)
    number = "".join(str(rng.randrange(10)) for _ in range(18))
    body = (
        f"学生{name}，性别{gender}，{born.year}年{born.month}月{born.day}日生，于{enrolled}年9月至"
        f"{graduated.year}年{graduated.month}月在本校{major}专业{_CN_NUMERALS[years]}年制"
        f"{level_text}学习，修完教学计划规定的全部课程，成绩合格，准予毕业。"
    )
    image, draw = _canvas((1400, 900), rng)
    draw.text((520, 40), "毕业证书", font=font(56), fill=(150, 20, 20))
    y = 160
    for line in _wrap(body, 38):
        draw.text((90, y), line, font=font(30), fill=INK)
        y += 52
    draw.text((90, y + 40), f"校名：{school}", font=font(30), fill=INK)
    draw.text((560, y + 40), f"校（院）长：{president}", font=font(30), fill=INK)
    draw.text((90, y + 110), f"证书编号：{number}", font=font(30), fill=INK)
    draw.text((900, y + 180), cn_date_text(graduated), font=font(30), fill=INK)
    expected = {
        "name": name,
        "gender": "MALE" if gender == "男" else "FEMALE",
        "birth_date": born.isoformat(),
        "study_period": f"{enrolled:04d}-09/{graduated.year:04d}-{graduated.month:02d}",
        "major": major,
        "years": str(years),
        "level": level,
        "school": school,
        "president": president,
        "certificate_number": number,
        "graduation_date": graduated.isoformat(),
    }
    return Sample(DocumentKind.DIPLOMA, image, expected)
