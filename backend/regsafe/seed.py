"""Demo data, fast: persons, employers and employments written with PostgreSQL COPY.

Rows are built the way the identity service builds them — valid ID numbers (GB 11643)
and credit codes (GB 32100), ID number and phone encrypted with the field cipher under
the service's contexts, the blind index of the ID number — so seeded rows are
indistinguishable from rows entered through the API. Output depends only on ``rng_seed``,
the province and the number of persons already present: a second run adds new rows
(fresh ID numbers and credit codes, checked against the table) without conflicts.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

import psycopg
from psycopg import sql
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.models import User
from regsafe.auth.passwords import hash_password
from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.crypto import FieldCipher
from regsafe.core.db import Database, raw_connection
from regsafe.identity import rules
from regsafe.identity.models import Education, EmployerKind, IdentityStatus, Specialty
from regsafe.identity.service import ID_CONTEXT, PHONE_CONTEXT
from regsafe.registration.service import CertificateIssuer
from regsafe.seeding.education import seed_education
from regsafe.seeding.names import (
    BRANDS,
    FEMALE_GIVEN,
    MALE_GIVEN,
    PHONE_PREFIXES,
    PROVINCE_SHORT,
    PROVINCES,
    SPECIALTY_WEIGHTS,
    SURNAMES,
    TRADES,
    Trade,
    city_of,
    districts_of,
)
from regsafe.seeding.practice import seed_practice

__all__ = [
    "DEMO_PASSWORD",
    "PERSON_COLUMNS",
    "DemoLogin",
    "SeedReport",
    "build_person_rows",
    "copy_persons",
    "is_seeded",
    "seed",
]

DEMO_PASSWORD = "RegSafe@2026"

MALE_SHARE = 0.72  # registered safety engineers are mostly men
EMPLOYED_SHARE = 0.95  # persons with an open employment
INSURED_SHARE = 0.90  # of those, social insurance paid by that employer (else: 挂证 signal)
EARLIER_JOB_SHARE = 0.10  # employed persons who also have an ended, earlier employment
LOCAL_SHARE = 0.70  # employed persons living in their employer's district
EDUCATION_WEIGHTS = (
    (Education.BACHELOR, 52),
    (Education.JUNIOR_COLLEGE, 27),
    (Education.MASTER, 14),
    (Education.SECONDARY, 5),
    (Education.DOCTORATE, 2),
)


def _columns(spec: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ "id int8 name text" → (("id", "name"), ("int8", "text")): the columns COPY writes
    and the PostgreSQL type each value is sent as (binary format)."""
    words = spec.split()
    return tuple(words[::2]), tuple(words[1::2])


PERSON_COLUMNS, _PERSON_TYPES = _columns(
    """
    id int8  name text  gender text  birth_date date  id_number_cipher bytea
    id_number_index bytea  phone_cipher bytea  education text  region_code text
    specialty text  identity_status text  identity_checked_at timestamptz  version int4
    """
)
_EMPLOYER_COLUMNS, _EMPLOYER_TYPES = _columns(
    """
    id int8  name text  credit_code text  credit_code_checksum_valid bool  kind text
    industry text  region_code text  version int4
    """
)
_EMPLOYMENT_COLUMNS, _EMPLOYMENT_TYPES = _columns(
    "person_id int8  employer_id int8  start_date date  end_date date  social_insurance bool"
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account printed after seeding; ``note`` says in Chinese what it is for."""

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


# --- identifiers ----------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (later if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def make_id_number(rng: random.Random, area: str, born: date, *, male: bool) -> str:
    """A valid resident ID number: area, birth date, sequence (odd = male), check."""
    sequence = (rng.randrange(1000) & ~1) | int(male)
    body = f"{area}{born.year:04d}{born.month:02d}{born.day:02d}{sequence:03d}"
    return body + rules.id_check_character(body)


def make_credit_code(rng: random.Random, area: str) -> str:
    """A valid unified social credit code of an enterprise (91) registered in ``area``:
    positions 9-17 are an organisation code with its GB 11714 check character; newer
    registrations have codes starting "MA", older ones carry their numeric legacy code."""
    if rng.random() < 0.55:
        org8 = "MA" + "".join(rng.choice(rules.USCC_ALPHABET) for _ in range(6))
    else:
        org8 = str(rng.randint(10_000_000, 79_999_999))
    first17 = f"91{area}{org8}{rules.org_code_check_character(org8)}"
    return first17 + rules.uscc_check_character(first17)


class _Ages:
    """Birth dates for ages 25-65 on ``today``, most people in their late thirties."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.youngest = (today - _years_before(today, 25)).days
        self.oldest = (today - _years_before(today, 66)).days - 1
        self.mode = (today - _years_before(today, 38)).days

    def birth_date(self, rng: random.Random) -> date:
        days = int(rng.triangular(self.youngest, self.oldest, self.mode))
        return self.today - timedelta(days=days)


@dataclass
class _Draft:
    """A person before encryption: what must be unique is settled first."""

    id_number: str
    born: date
    area: str
    male: bool
    index: bytes


def _draft(
    rng: random.Random, cipher: FieldCipher, ages: _Ages, area: str, seen: set[str]
) -> _Draft:
    male = rng.random() < MALE_SHARE
    while True:
        born = ages.birth_date(rng)
        id_number = make_id_number(rng, area, born, male=male)
        if id_number not in seen:
            seen.add(id_number)
            index = cipher.blind_index(id_number, context=ID_CONTEXT)
            return _Draft(id_number, born, area, male, index)


async def _taken(conn: psycopg.AsyncConnection[Any], indexes: list[bytes]) -> set[bytes]:
    cur = await conn.execute(
        "SELECT id_number_index FROM person WHERE id_number_index = ANY(%b)", (indexes,)
    )
    return {bytes(row[0]) for row in await cur.fetchall()}


async def _draft_people(
    conn: psycopg.AsyncConnection[Any] | None,
    rng: random.Random,
    cipher: FieldCipher,
    ages: _Ages,
    homes: Sequence[str],
) -> list[_Draft]:
    """One person per district in ``homes``, with distinct ID numbers none of which is in
    the person table yet (checked through the blind index when ``conn`` is given)."""
    seen: set[str] = set()
    drafts = [_draft(rng, cipher, ages, area, seen) for area in homes]
    pending = list(range(len(drafts))) if conn is not None else []
    while conn is not None and pending:
        taken = await _taken(conn, [drafts[i].index for i in pending])
        pending = [i for i in pending if drafts[i].index in taken]
        for i in pending:  # rare: regenerate in the same district, then check again
            drafts[i] = _draft(rng, cipher, ages, drafts[i].area, seen)
    return drafts


# --- people ---------------------------------------------------------------------------


class _PersonMaker:
    """Names, phones, education and specialty, from the seeded random generator."""

    def __init__(self, rng: random.Random, cipher: FieldCipher, now: datetime) -> None:
        self.rng = rng
        self.cipher = cipher
        self.now = now
        self.surnames = list(SURNAMES)
        self.surname_cum = list(accumulate(1 / (rank + 8) for rank in range(len(SURNAMES))))
        self.educations = [e.value for e, _ in EDUCATION_WEIGHTS]
        self.education_cum = list(accumulate(w for _, w in EDUCATION_WEIGHTS))

    def name(self, male: bool) -> str:
        surname = self.rng.choices(self.surnames, cum_weights=self.surname_cum)[0]
        return surname + self.rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(100_000_000):08d}"

    def row(self, person_id: int, d: _Draft, specialty: Specialty) -> tuple[Any, ...]:
        """One COPY row of PERSON_COLUMNS, encrypted exactly as create_person does."""
        return (
            person_id,
            self.name(d.male),
            rules.Gender.MALE.value if d.male else rules.Gender.FEMALE.value,
            d.born,
            self.cipher.encrypt(d.id_number, context=ID_CONTEXT),
            d.index,
            self.cipher.encrypt(self.phone(), context=PHONE_CONTEXT),
            self.rng.choices(self.educations, cum_weights=self.education_cum)[0],
            d.area,
            specialty.value,
            IdentityStatus.VERIFIED.value,
            self.now,
            1,
        )


class _Picker:
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, pairs: Iterable[tuple[Any, float]]) -> None:
        items = list(pairs)
        self.values = [v for v, _ in items]
        self.cum = list(accumulate(w for _, w in items))

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cum)[0]


_NATIONAL_SPECIALTY = _Picker(SPECIALTY_WEIGHTS)


def build_person_rows(
    cipher: FieldCipher,
    *,
    people: int,
    province: str = "440000",
    rng_seed: int = 2026,
    today: date | None = None,
    first_id: int = 1,
) -> list[tuple[Any, ...]]:
    """Person rows ready for COPY (ids from ``first_id``), without touching a database:
    for benchmarks that time COPY alone."""
    rng = random.Random(f"{rng_seed}:{province}:rows")
    ages = _Ages(today or today_shanghai())
    seen: set[str] = set()
    areas = districts_of(province)
    drafts = [_draft(rng, cipher, ages, rng.choice(areas), seen) for _ in range(people)]
    maker = _PersonMaker(rng, cipher, utcnow())
    return [maker.row(first_id + i, d, _NATIONAL_SPECIALTY(rng)) for i, d in enumerate(drafts)]


# --- COPY -----------------------------------------------------------------------------


async def _copy(
    conn: psycopg.AsyncConnection[Any],
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Binary COPY of ``rows`` into ``table``; returns the number of rows written."""
    n = 0
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    async with conn.cursor().copy(statement) as copy:
        copy.set_types(list(types))
        for row in rows:
            await copy.write_row(row)
            n += 1
    return n


async def copy_persons(
    conn: psycopg.AsyncConnection[Any], rows: Iterable[Sequence[Any]], *, table: str = "person"
) -> int:
    """COPY rows of PERSON_COLUMNS (as built by build_person_rows) into ``table``."""
    return await _copy(conn, table, PERSON_COLUMNS, _PERSON_TYPES, rows)


async def _reserve_ids(conn: psycopg.AsyncConnection[Any], table: str, n: int) -> list[int]:
    """Take ``n`` values of the table's id sequence, so rows can refer to each other
    before they are written; works beside rows other sessions insert meanwhile."""
    cur = await conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
    sequence = (await cur.fetchone() or (None,))[0]
    assert sequence, f"{table}.id has no sequence"
    cur = await conn.execute(
        "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", (sequence, n)
    )
    row = await cur.fetchone()
    return sorted(int(i) for i in row[0]) if row and row[0] else []


# --- employers ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Employer:
    id: int
    name: str
    credit_code: str
    kind: EmployerKind
    industry: str
    area: str
    specialty: _Picker

    def row(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.name,
            self.credit_code,
            True,
            self.kind.value,
            self.industry,
            self.area,
            1,
        )


def _new_credit_code(rng: random.Random, area: str, seen: set[str]) -> str:
    while (code := make_credit_code(rng, area)) in seen:
        pass
    seen.add(code)
    return code


async def _make_employers(
    conn: psycopg.AsyncConnection[Any], rng: random.Random, areas: Sequence[str], n: int
) -> list[_Employer]:
    prefix = areas[0][:2]
    cur = await conn.execute("SELECT name FROM employer WHERE region_code LIKE %s", (prefix + "%",))
    names = {row[0] for row in await cur.fetchall()}
    trade_picker = _Picker((t, t.weight) for t in TRADES)
    drafts: list[tuple[str, str, Trade]] = []
    for _ in range(n):
        area = rng.choice(areas)
        trade = trade_picker(rng)
        for attempt in range(1000):
            roll = rng.random()
            if roll < 0.55:
                where = city_of(area)
            elif roll < 0.85:
                where = PROVINCE_SHORT.get(area[:2], "")
            else:
                where = ""
            brand = rng.choice(BRANDS)
            if attempt >= 20:  # many employers in few districts: two-word trade names
                brand += rng.choice(BRANDS)
            name = f"{where}{brand}{trade.suffix}"
            if name not in names:
                break
        else:  # pragma: no cover - ~10^6 names per province
            raise RuntimeError("ran out of distinct employer names")
        names.add(name)
        drafts.append((name, area, trade))

    seen: set[str] = set()
    codes = [_new_credit_code(rng, area, seen) for _, area, _ in drafts]
    pending = list(range(n))
    while pending:  # rare: a code another employer already has
        cur = await conn.execute(
            "SELECT credit_code FROM employer WHERE credit_code = ANY(%s)",
            ([codes[i] for i in pending],),
        )
        taken = {row[0] for row in await cur.fetchall()}
        pending = [i for i in pending if codes[i] in taken]
        for i in pending:
            codes[i] = _new_credit_code(rng, drafts[i][1], seen)

    ids = await _reserve_ids(conn, "employer", n)
    return [
        _Employer(
            id=eid,
            name=name,
            credit_code=code,
            kind=trade.kind,
            industry=trade.industry,
            area=area,
            specialty=_Picker(trade.specialties),
        )
        for eid, (name, area, trade), code in zip(ids, drafts, codes, strict=True)
    ]


# --- employments ----------------------------------------------------------------------


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _employments(
    rng: random.Random,
    today: date,
    person_ids: Sequence[int],
    drafts: Sequence[_Draft],
    employers: Sequence[_Employer],
    employer_of: Sequence[int | None],
) -> Iterator[tuple[int, int, date, date | None, bool]]:
    """Open employments for the employed (most with social insurance), and ended
    earlier ones at other employers for some of them and for some of the rest."""
    for i, (pid, d) in enumerate(zip(person_ids, drafts, strict=True)):
        adult = _years_before(d.born, -22)
        current = employer_of[i]
        if current is not None:
            start = _between(rng, max(adult, _years_before(today, 12)), today - timedelta(30))
            insured = i < 2 or rng.random() < INSURED_SHARE  # demo registrants stay clean
            earlier = rng.random() < EARLIER_JOB_SHARE
            yield (pid, employers[current].id, start, None, insured)
        else:
            start = today
            earlier = rng.random() < 0.5  # left their last job
        if earlier and len(employers) > 1:
            end = start - timedelta(days=rng.randint(1, 120))
            begin = max(adult, end - timedelta(days=rng.randint(365, 3000)))
            other = rng.randrange(len(employers) - 1)
            other += other >= (current if current is not None else len(employers))
            if begin < end:
                yield (pid, employers[other].id, begin, end, True)


# --- demo users -----------------------------------------------------------------------


async def _demo_users(
    session: AsyncSession,
    province: str,
    registrants: list[tuple[int, str, _Employer]],
    busiest: tuple[_Employer, int],
) -> list[DemoLogin]:
    province_name = PROVINCES.get(province[:2], province)
    employer, staff = busiest
    specs: list[tuple[str, Role, str, str, dict[str, Any]]] = [
        ("admin", Role.ADMIN, "系统管理员", "系统管理员（全部数据与设置）", {}),
        (
            "reviewer",
            Role.PROVINCIAL_REVIEWER,
            f"{province_name}初审员",
            f"{province_name}初审",
            {"province_code": province},
        ),
        ("ministry", Role.MINISTRY_REVIEWER, "应急管理部终审员", "应急管理部终审", {}),
        (
            "mohurd",
            Role.PROVINCIAL_REVIEWER,
            "住房和城乡建设部初审员",
            "建筑施工安全专业的初审（住建部）",
            {"review_scope": "MOHURD"},
        ),
        (
            "employer",
            Role.EMPLOYER_ADMIN,
            f"{employer.name}管理员"[:64],
            f"单位管理员：{employer.name}（在职{staff}人）",
            {"employer_id": employer.id},
        ),
        ("trainer", Role.TRAINER, "安全生产继续教育培训中心", "培训机构（继续教育课程）", {}),
        (
            "analyst",
            Role.ANALYST,
            f"{province_name}统计分析员",
            f"{province_name}统计分析",
            {"province_code": province},
        ),
    ]
    for username, (pid, name, job) in zip(("registrant", "registrant2"), registrants, strict=False):
        specs.insert(
            -2,
            (
                username,
                Role.REGISTRANT,
                name,
                f"注册人员：{name}（{job.name}）",
                {"person_id": pid},
            ),
        )
    wanted = [s[0] for s in specs]
    existing = set(
        (await session.exec(select(User.username).where(col(User.username).in_(wanted)))).all()
    )
    todo = [s for s in specs if s[0] not in existing]
    if not todo:
        return []
    password_hash = await hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
    for username, role, display, _, extra in todo:
        session.add(
            User(
                username=username,
                display_name=display,
                password_hash=password_hash,
                roles=[role.value],
                **extra,
            )
        )
    await session.flush()
    return [DemoLogin(u, DEMO_PASSWORD, role.value, note) for u, role, _, note, _ in todo]


# --- entry points ---------------------------------------------------------------------


async def is_seeded(db: Database) -> bool:
    """Whether any person exists (then `regsafe dev` does not seed again)."""
    async with db.session() as session:
        conn = await raw_connection(session)
        cur = await conn.execute("SELECT EXISTS (SELECT 1 FROM person)")
        row = await cur.fetchone()
        return bool(row and row[0])


async def seed(
    db: Database,
    cipher: FieldCipher,
    *,
    people: int,
    province: str = "440000",
    rng_seed: int = 2026,
    demo_users: bool = True,
    today: date | None = None,
    certificates: CertificateIssuer | None = None,
) -> SeedReport:
    """Add ``people`` persons of ``province`` (about one employer per 20, at least 5),
    their employments and, unless present, one demo user per role, in one transaction.

    ``today`` (default: today in Asia/Shanghai) anchors ages and employment dates.
    Raises ``rules.RuleViolation`` for a malformed province code."""
    started = time.perf_counter()
    if people < 0:
        raise ValueError("people must not be negative")
    if people == 0:
        return SeedReport(persons=0, employers=0, employments=0, users=0, seconds=0.0)
    province = rules.province_of(rules.validate_region_code(province))  # "440300" → "440000"
    today = today or today_shanghai()
    areas = districts_of(province)
    async with db.session() as session:
        conn = await raw_connection(session)
        cur = await conn.execute("SELECT count(*) FROM person")
        existing = int((await cur.fetchone() or (0,))[0])
        rng = random.Random(f"{rng_seed}:{province}:{existing}")

        employers = await _make_employers(conn, rng, areas, max(5, people // 20))
        await _copy(
            conn, "employer", _EMPLOYER_COLUMNS, _EMPLOYER_TYPES, (e.row() for e in employers)
        )

        # A few large employers and many small ones (log-normal sizes).
        size_cum = list(accumulate(rng.lognormvariate(0, 1) for _ in employers))
        assigned = rng.choices(range(len(employers)), cum_weights=size_cum, k=people)
        employer_of: list[int | None] = [
            e if i < 2 or rng.random() < EMPLOYED_SHARE else None for i, e in enumerate(assigned)
        ]
        # The second demo registrant works for the largest employer, whose admin is the
        # demo employer admin: their practice records name their own unit's admin as lead.
        if len(employer_of) > 1:
            employer_of[1] = Counter(e for e in employer_of if e is not None).most_common(1)[0][0]
        # Most people live, and were registered at birth, where they work.
        homes = [
            employers[e].area if e is not None and rng.random() < LOCAL_SHARE else rng.choice(areas)
            for e in employer_of
        ]
        drafts = await _draft_people(conn, rng, cipher, _Ages(today), homes)
        person_ids = await _reserve_ids(conn, "person", people)
        maker = _PersonMaker(rng, cipher, utcnow())

        def person_rows() -> Iterator[tuple[Any, ...]]:
            for pid, d, job in zip(person_ids, drafts, employer_of, strict=True):
                # Most engineers practise in their employer's field.
                picker = _NATIONAL_SPECIALTY
                if job is not None and rng.random() < 0.85:
                    picker = employers[job].specialty
                yield maker.row(pid, d, picker(rng))

        await copy_persons(conn, person_rows())
        employments = await _copy(
            conn,
            "employment",
            _EMPLOYMENT_COLUMNS,
            _EMPLOYMENT_TYPES,
            _employments(rng, today, person_ids, drafts, employers, employer_of),
        )

        logins: list[DemoLogin] = []
        if demo_users:
            staff = Counter(e for e in employer_of if e is not None)
            top, count = staff.most_common(1)[0]
            cur = await conn.execute(
                "SELECT id, name, specialty FROM person WHERE id = ANY(%s) ORDER BY id",
                (person_ids[:2],),
            )
            registrants = []
            specialties = []
            for i, (pid, name, specialty) in enumerate(await cur.fetchall()):
                job = employer_of[i]
                assert job is not None  # the first two persons are always employed
                registrants.append((int(pid), str(name), employers[job]))
                specialties.append(str(specialty or "CHEMICAL"))
                # The demo registrants passed the exam two years ago: they can apply.
                await conn.execute(
                    "INSERT INTO qualification (person_id, specialty, certificate_number,"
                    " obtained_on, source) VALUES (%s, %s, %s, %s, 'EXAM_RESULTS')"
                    " ON CONFLICT DO NOTHING",
                    (
                        pid,
                        specialty or "CHEMICAL",
                        f"{today.year - 2}{province[:2]}{int(pid):08d}",
                        _years_before(today, 2),
                    ),
                )
            logins = await _demo_users(session, province, registrants, (employers[top], count))
            # The second demo registrant is already registered (with hours to show); the
            # first one applies through the registration flow.
            second = (
                (registrants[1][0], registrants[1][2].id, specialties[1])
                if len(registrants) > 1
                else None
            )
            await seed_education(
                session,
                rng=rng,
                district=employers[0].area,
                today=today,
                now=utcnow(),
                registered=second,
                credit_code=_new_credit_code(
                    rng, employers[0].area, {e.credit_code for e in employers}
                ),
                certificates=certificates,
            )
            if second is not None:
                await seed_practice(
                    session, rng=rng, person_id=second[0], today=today, now=utcnow()
                )
        await session.commit()
    return SeedReport(
        persons=people,
        employers=len(employers),
        employments=employments,
        users=len(logins),
        seconds=time.perf_counter() - started,
        logins=logins,
    )
