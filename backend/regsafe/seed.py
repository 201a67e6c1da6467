"""Demo data, fast: persons, employers and employments written with PostgreSQL COPY.

Rows are built exactly as the identity service builds them (validated ID numbers and
credit codes, encrypted ID numbers and phones, blind indexes), so seeded data is
indistinguishable from data entered through the API. Deterministic for a seed and the
number of rows already present; a second run adds rows without conflicts.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, func, select

from regsafe.auth.models import User
from regsafe.auth.passwords import hash_password
from regsafe.auth.roles import Role
from regsafe.core.crypto import FieldCipher
from regsafe.core.db import Database, raw_connection
from regsafe.identity import rules
from regsafe.identity.models import Education, EmployerKind, IdentityStatus, Person, Specialty
from regsafe.identity.service import ID_CONTEXT, PHONE_CONTEXT

DEMO_PASSWORD = "RegSafe@2026"

# Real county-level codes (GB/T 2260) per province; others fall back to XX0102..XX0106.
DISTRICTS: dict[str, list[str]] = {
    "44": [
        "440103",
        "440104",
        "440105",
        "440106",
        "440111",
        "440112",
        "440113",
        "440114",
        "440303",
        "440304",
        "440305",
        "440306",
        "440307",
        "440308",
        "440309",
        "440310",
        "440402",
        "440604",
        "440605",
        "440606",
        "441302",
        "441900",
        "442000",
        "440705",
    ],
    "11": [
        "110101",
        "110102",
        "110105",
        "110106",
        "110107",
        "110108",
        "110109",
        "110111",
        "110112",
        "110113",
        "110114",
        "110115",
    ],
    "32": [
        "320102",
        "320104",
        "320105",
        "320106",
        "320111",
        "320205",
        "320206",
        "320211",
        "320505",
        "320506",
        "320507",
        "320508",
        "320582",
        "320583",
    ],
    "37": [
        "370102",
        "370103",
        "370104",
        "370105",
        "370112",
        "370202",
        "370203",
        "370211",
        "370212",
        "370302",
        "370602",
        "370702",
    ],
    "51": [
        "510104",
        "510105",
        "510106",
        "510107",
        "510108",
        "510112",
        "510113",
        "510114",
        "510116",
        "510117",
        "510302",
        "510703",
    ],
}
CITY_NAMES = {
    "4401": "广州市",
    "4403": "深圳市",
    "4404": "珠海市",
    "4406": "佛山市",
    "4413": "惠州市",
    "4419": "东莞市",
    "4420": "中山市",
    "4407": "江门市",
    "1101": "北京市",
    "3201": "南京市",
    "3202": "无锡市",
    "3205": "苏州市",
    "3701": "济南市",
    "3702": "青岛市",
    "3703": "淄博市",
    "3706": "烟台市",
    "3707": "潍坊市",
    "5101": "成都市",
    "5103": "自贡市",
    "5107": "绵阳市",
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 "
    "平 刚 桂英 志强 建华 建国 海燕 俊杰 子涵 浩然 欣怡 宇轩 梓萱 晓东 "
    "晓明 文博 婷婷 红梅 国强 志明 春生 秋菊 雪梅 家豪 思远 嘉欣 雨泽 "
    "博文 一鸣 佳琪 振华 立新 永红 德明 晨阳 欣然 泽宇 "
).split()
BRANDS = (
    "安泰 华安 恒信 中能 远航 宏达 鑫源 正德 瑞丰 广通 金石 海川 天工 "
    "明德 兴业 永安 盛世 泰和 合力 新锐 长城 东方 南粤 卓越 嘉诚 润达 "
    "德信 大成 中建 同舟 "
).split()
# (name suffix, kind, GB/T 4754 section)
TRADES = [
    ("化工有限公司", EmployerKind.PRODUCTION_UNIT, "C"),
    ("石油化工股份有限公司", EmployerKind.PRODUCTION_UNIT, "C"),
    ("建设集团有限公司", EmployerKind.PRODUCTION_UNIT, "E"),
    ("建筑工程有限公司", EmployerKind.PRODUCTION_UNIT, "E"),
    ("物流运输有限公司", EmployerKind.PRODUCTION_UNIT, "G"),
    ("矿业有限公司", EmployerKind.PRODUCTION_UNIT, "B"),
    ("钢铁有限公司", EmployerKind.PRODUCTION_UNIT, "C"),
    ("电子科技有限公司", EmployerKind.PRODUCTION_UNIT, "C"),
    ("安全技术咨询有限公司", EmployerKind.SERVICE_AGENCY, "M"),
    ("安全评价有限公司", EmployerKind.SERVICE_AGENCY, "M"),
]
SPECIALTY_BY_INDUSTRY = {
    "C": [Specialty.CHEMICAL, Specialty.CHEMICAL, Specialty.METAL_SMELTING, Specialty.OTHER],
    "E": [Specialty.CONSTRUCTION],
    "G": [Specialty.ROAD_TRANSPORT],
    "B": [Specialty.METAL_NONMETAL_MINE, Specialty.COAL_MINE],
    "M": list(Specialty),
}
EDUCATION_WEIGHTS = [
    (Education.BACHELOR, 55),
    (Education.JUNIOR_COLLEGE, 25),
    (Education.MASTER, 15),
    (Education.DOCTORATE, 2),
    (Education.SECONDARY, 3),
]
PROVINCE_NAMES = {"44": "广东", "11": "北京", "32": "江苏", "37": "山东", "51": "四川"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    note: str


@dataclass
class SeedReport:
    persons: int
    employers: int
    employments: int
    users: int
    seconds: float
    logins: list[DemoLogin] = field(default_factory=list)


def districts_of(province: str) -> list[str]:
    prefix = province[:2]
    return DISTRICTS.get(prefix, [f"{prefix}01{n:02d}" for n in range(2, 7)])


def make_credit_code(rng: random.Random, area: str) -> str:
    org8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    first17 = f"91{area}{org8}{rules.org_code_check_character(org8)}"
    return first17 + rules.uscc_check_character(first17)


def make_id_number(rng: random.Random, area: str, today: date) -> tuple[str, date]:
    born = today - timedelta(days=rng.randint(25 * 365 + 7, 65 * 365 - 7))
    body = f"{area}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + rules.id_check_character(body), born


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


async def is_seeded(db: Database) -> bool:
    async with db.session() as s:
        return (await s.exec(select(Person.id).limit(1))).first() is not None


async def _reserve_ids(conn: Any, sequence: str, n: int) -> list[int]:
    cur = await conn.execute(
        "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", (sequence, n)
    )
    return [r[0] for r in await cur.fetchall()]


async def seed(
    db: Database,
    cipher: FieldCipher,
    *,
    people: int,
    province: str = "440000",
    rng_seed: int = 2026,
    demo_users: bool = True,
    today: date | None = None,
) -> SeedReport:
    started = time.perf_counter()
    today = today or date.today()
    areas = districts_of(province)
    async with db.session() as session:
        existing = (await session.exec(select(func.count()).select_from(Person))).one()
        rng = random.Random(f"{rng_seed}:{province}:{existing}")
        conn = await raw_connection(session)

        # employers
        n_employers = max(5, people // 20)
        employer_ids = await _reserve_ids(conn, "employer_id_seq", n_employers)
        employers: list[tuple[int, str, str, str, str]] = []  # id, name, kind, industry, area
        codes: set[str] = set()
        used_names: set[str] = set()
        async with conn.cursor().copy(
            "COPY employer (id, name, credit_code, credit_code_checksum_valid, kind, industry,"
            " region_code, version) FROM STDIN"
        ) as copy:
            for eid in employer_ids:
                area = rng.choice(areas)
                suffix, kind, industry = rng.choice(TRADES)
                city = CITY_NAMES.get(area[:4], PROVINCE_NAMES.get(area[:2], ""))
                name = f"{city}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{suffix}"
                while name in used_names:
                    name = f"{city}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{suffix}"
                used_names.add(name)
                code = make_credit_code(rng, area)
                while code in codes:
                    code = make_credit_code(rng, area)
                codes.add(code)
                employers.append((eid, name, kind.value, industry, area))
                await copy.write_row((eid, name, code, True, kind.value, industry, area, 1))

        # persons: generate, then replace the rare ID numbers that already exist
        rows: list[list[Any]] = []
        indexes: dict[bytes, int] = {}
        for _ in range(people):
            area = rng.choice(areas)
            idn, born = make_id_number(rng, area, today)
            index = cipher.blind_index(idn, context=ID_CONTEXT)
            while index in indexes:
                idn, born = make_id_number(rng, area, today)
                index = cipher.blind_index(idn, context=ID_CONTEXT)
            employer = rng.choice(employers)
            indexes[index] = len(rows)
            rows.append([idn, born, area, employer, index])
        taken = await conn.execute(
            "SELECT id_number_index FROM person WHERE id_number_index = ANY(%s)",
            (list(indexes),),
        )
        for (index,) in await taken.fetchall():
            row = rows[indexes.pop(bytes(index))]
            while row[4] in indexes or row[4] == bytes(index):
                row[0], row[1] = make_id_number(rng, row[2], today)
                row[4] = cipher.blind_index(row[0], context=ID_CONTEXT)
            indexes[row[4]] = rows.index(row)

        person_ids = await _reserve_ids(conn, "person_id_seq", people)
        async with conn.cursor().copy(
            "COPY person (id, name, gender, birth_date, id_number_cipher, id_number_index,"
            " phone_cipher, education, region_code, specialty, identity_status, version)"
            " FROM STDIN"
        ) as copy:
            for pid, (idn, born, area, employer, index) in zip(person_ids, rows, strict=True):
                gender = "MALE" if int(idn[16]) % 2 else "FEMALE"
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
                specialty = rng.choice(SPECIALTY_BY_INDUSTRY[employer[3]])
                await copy.write_row(
                    (
                        pid,
                        name,
                        gender,
                        born,
                        cipher.encrypt(idn, context=ID_CONTEXT),
                        index,
                        cipher.encrypt(phone, context=PHONE_CONTEXT),
                        _weighted(rng, EDUCATION_WEIGHTS).value,
                        area,
                        specialty.value,
                        IdentityStatus.VERIFIED.value,
                        1,
                    )
                )

        # employments: ~95% employed now; ~10% of those also have an ended earlier job;
        # ~10% of current jobs without social insurance there (an anti-挂证 signal)
        employments = 0
        current: dict[int, int] = {}
        async with conn.cursor().copy(
            "COPY employment (person_id, employer_id, start_date, end_date, social_insurance)"
            " FROM STDIN"
        ) as copy:
            for i, (pid, row) in enumerate(zip(person_ids, rows, strict=True)):
                if i > 0 and rng.random() > 0.95:
                    continue  # keep the first person employed: the demo registrant
                employer_id = row[3][0]
                start = today - timedelta(days=rng.randint(30, 3650))
                if rng.random() < 0.10 and len(employers) > 1:
                    earlier = rng.choice([e for e in employers if e[0] != employer_id])
                    begin = start - timedelta(days=rng.randint(400, 2500))
                    await copy.write_row((pid, earlier[0], begin, start - timedelta(days=1), True))
                    employments += 1
                await copy.write_row((pid, employer_id, start, None, rng.random() < 0.9))
                employments += 1
                current[pid] = employer_id

        logins: list[DemoLogin] = []
        users = 0
        if demo_users:
            logins, users = await _demo_users(session, province, person_ids, rows, current)
        await session.commit()
    return SeedReport(
        persons=people,
        employers=n_employers,
        employments=employments,
        users=users,
        seconds=time.perf_counter() - started,
        logins=logins,
    )


async def _demo_users(
    session: Any,
    province: str,
    person_ids: list[int],
    rows: list[list[Any]],
    current: dict[int, int],
) -> tuple[list[DemoLogin], int]:
    counts: dict[int, int] = {}
    for employer_id in current.values():
        counts[employer_id] = counts.get(employer_id, 0) + 1
    busiest = max(counts, key=lambda e: counts[e])
    province_name = PROVINCE_NAMES.get(province[:2], province)
    registrant_ids = [pid for pid in person_ids if pid in current][:2]
    specs: list[tuple[str, Role, str, dict[str, Any]]] = [
        ("admin", Role.ADMIN, "系统管理员", {}),
        (
            "reviewer",
            Role.PROVINCIAL_REVIEWER,
            f"{province_name}省级初审",
            {"province_code": province},
        ),
        ("ministry", Role.MINISTRY_REVIEWER, "应急管理部终审", {}),
        (
            "employer",
            Role.EMPLOYER_ADMIN,
            "单位管理员（在职人数最多的单位）",
            {"employer_id": busiest},
        ),
        ("registrant", Role.REGISTRANT, "注册人员", {"person_id": registrant_ids[0]}),
        ("registrant2", Role.REGISTRANT, "注册人员", {"person_id": registrant_ids[-1]}),
        ("trainer", Role.TRAINER, "培训机构", {}),
        ("analyst", Role.ANALYST, f"{province_name}统计分析", {"province_code": province}),
    ]
    names = {u for u in (await session.exec(select(User.username))).all()}
    taken_people = {
        p
        for p in (
            await session.exec(select(User.person_id).where(col(User.person_id).is_not(None)))
        ).all()
    }
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is deliberately slow
    logins: list[DemoLogin] = []
    created = 0
    for username, role, note, extra in specs:
        if username in names or extra.get("person_id") in taken_people:
            continue
        display = note
        if "person_id" in extra:
            person = await session.get(Person, extra["person_id"])
            display = person.name if person else note
        session.add(
            User(
                username=username,
                display_name=display,
                password_hash=password_hash,
                roles=[role.value],
                **extra,
            )
        )
        logins.append(DemoLogin(username, DEMO_PASSWORD, role.value, note))
        created += 1
    await session.flush()
    return logins, created
