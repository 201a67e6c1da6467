"""The COPY-based seeder writes rows the identity rules accept and the API can find.

Each test gets fresh, migrated databases on the suite's PostgreSQL and a field cipher
from fixed test keys.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, func, select

from regsafe.auth.models import User
from regsafe.auth.passwords import verify_password
from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import service as certificate_service
from regsafe.certificates import tasks as certificate_tasks
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.models import Certificate, LogLeaf
from regsafe.core.crypto import FieldCipher
from regsafe.core.db import Database
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.identity import rules, service
from regsafe.identity.models import Employer, EmployerKind, Employment, Person, Specialty
from regsafe.seed import DEMO_PASSWORD, build_person_rows, is_seeded, seed
from regsafe.seeding.education import PROVIDER_NAME
from regsafe.seeding.names import DISTRICTS, SERVICE_AGENCY_MARKERS

TODAY = date(2026, 11, 28)
SYSTEM = Viewer(user_id=None, roles=frozenset({Role.ADMIN}))
INDUSTRY_BY_WORD = {"化工": "C", "建设": "E", "建筑": "E", "运输": "G", "矿业": "B", "咨询": "M"}

_KEY = base64.b64encode(bytes(range(32))).decode()
_INDEX_KEY = base64.b64encode(bytes(range(32, 64))).decode()


@pytest.fixture(scope="module")
def cipher() -> FieldCipher:
    settings = Settings(
        data_keys=f"k1:{_KEY}", data_key_id="k1", blind_index_key=_INDEX_KEY, secret_key=_KEY
    )
    return FieldCipher.from_settings(settings)


@pytest.fixture
def database_urls(postgres: Any) -> Callable[[], str]:
    """Makes fresh, fully migrated databases on the suite's PostgreSQL (dropped at the
    end of the session by the `postgres` fixture)."""

    def make() -> str:
        url: str = postgres.new_database("seed")
        upgrade_head(url)
        return url

    return make


@pytest.fixture
async def databases(
    database_urls: Callable[[], str],
) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    opened: list[Database] = []

    async def make() -> Database:
        db = Database.from_url(database_urls(), pool_size=2, max_overflow=0)
        opened.append(db)
        return db

    yield make
    for db in opened:
        await db.dispose()


@pytest.fixture
async def db(databases: Callable[[], Awaitable[Database]]) -> Database:
    return await databases()


async def test_seeded_rows_are_valid_and_findable(db: Database, cipher: FieldCipher) -> None:
    # given an empty database
    assert not await is_seeded(db)

    # when seeding 600 persons in Guangdong
    report = await seed(db, cipher, people=600, province="440000", today=TODAY)

    # then the counts are as reported
    assert (report.persons, report.employers) == (600, 30)
    assert await is_seeded(db)
    async with db.session() as s:
        persons = (await s.exec(select(Person).order_by(col(Person.id)))).all()
        employers = (await s.exec(select(Employer))).all()
        jobs = (await s.exec(select(Employment))).all()
    # (the demo training provider is one more employer)
    assert len(persons) == 600 and len(employers) == 31 and len(jobs) == report.employments

    # and every person has a valid, consistent, Guangdong ID number and a mobile phone
    districts = set(DISTRICTS["44"])
    for p in persons:
        idn = rules.parse_id_number(service.decrypt_id_number(cipher, p), today=TODAY)
        assert idn.birth_date == p.birth_date and idn.gender.value == p.gender
        assert idn.area_code == p.region_code and p.region_code in districts
        assert 25 <= rules.age_on(p.birth_date, TODAY) <= 65
        assert rules.normalize_phone(service.decrypt_phone(cipher, p) or "")
        assert p.identity_status == "VERIFIED" and p.identity_checked_at is not None
        assert p.specialty in set(Specialty) and p.education is not None
        assert rules.validate_person_name(p.name) == p.name and 2 <= len(p.name) <= 3
        assert p.id_number_index == cipher.blind_index(idn.value, context=service.ID_CONTEXT)
    assert len({p.id_number_index for p in persons}) == 600
    assert Counter(p.education for p in persons).most_common(1)[0][0] == "BACHELOR"
    assert 0.6 < sum(p.gender == "MALE" for p in persons) / 600 < 0.85

    # and every employer has a valid credit code of its own district and a fitting kind
    provider = [e for e in employers if e.name == PROVIDER_NAME]
    assert len(provider) == 1 and provider[0].kind == EmployerKind.SERVICE_AGENCY
    employers = [e for e in employers if e.name != PROVIDER_NAME]
    for e in employers:
        code = rules.parse_credit_code(e.credit_code)
        assert code.checksum_valid and e.credit_code_checksum_valid, e.credit_code
        assert code.value[:2] == "91" and code.region_code == e.region_code
        assert rules.org_code_check_character(code.value[8:16]) == code.value[16]
        assert e.region_code in districts
        agency = any(m in e.name for m in SERVICE_AGENCY_MARKERS)
        assert e.kind == (EmployerKind.SERVICE_AGENCY if agency else EmployerKind.PRODUCTION_UNIT)
        for word, section in INDUSTRY_BY_WORD.items():
            if word in e.name:
                assert e.industry == section, e.name
    assert len({e.name for e in employers}) == 30

    # and about 95% work somewhere now, mostly with social insurance there
    open_jobs = [j for j in jobs if j.end_date is None]
    assert len({j.person_id for j in open_jobs}) == len(open_jobs)
    assert 0.90 <= len(open_jobs) / 600 <= 0.99
    insured = sum(j.social_insurance for j in open_jobs) / len(open_jobs)
    assert 0.83 <= insured <= 0.96
    ended = [j for j in jobs if j.end_date is not None]
    assert 0.04 <= len(ended) / 600 <= 0.2
    born = {p.id: p.birth_date for p in persons}
    for j in jobs:
        assert j.start_date <= TODAY and j.start_date > born[j.person_id]
        assert j.end_date is None or j.start_date <= j.end_date < TODAY
    earlier = {j.person_id: j for j in ended}
    for j in open_jobs:
        if j.person_id in earlier:
            assert earlier[j.person_id].employer_id != j.employer_id
            assert earlier[j.person_id].end_date < j.start_date  # type: ignore[operator]

    # and the blind index finds a seeded person by their decrypted number, as the API does
    sample = persons[len(persons) // 2]
    stmt = service.person_query(
        SYSTEM,
        service.PersonFilter(id_number=service.decrypt_id_number(cipher, sample)),
        cipher,
    )
    async with db.session() as s:
        assert [p.id for p in (await s.exec(stmt)).all()] == [sample.id]


async def test_demo_users_cover_every_role(db: Database, cipher: FieldCipher) -> None:
    # when seeding with demo users
    report = await seed(db, cipher, people=300, province="440000", today=TODAY)

    # then there is a login per role, with the demo password
    assert {Role(login.role) for login in report.logins} == set(Role)
    assert report.users == len(report.logins) == 9  # two registrants, two 初审 scopes
    assert all(login.password == DEMO_PASSWORD and login.note for login in report.logins)
    async with db.session() as s:
        users = {u.username: u for u in (await s.exec(select(User))).all()}
        assert set(users) == {login.username for login in report.logins}
        for u in users.values():
            assert await verify_password(u.password_hash, DEMO_PASSWORD), u.username
            assert len(u.roles) == 1
        assert users["reviewer"].province_code == "440000"
        assert users["analyst"].province_code == "440000"
        assert users["mohurd"].review_scope == "MOHURD"
        assert {login.note for login in report.logins} >= {"广东省初审"}

        # and the registrants are the first seeded persons, employed now
        first_ids = (await s.exec(select(Person.id).order_by(col(Person.id)).limit(2))).all()
        assert [users["registrant"].person_id, users["registrant2"].person_id] == first_ids
        registrant = await s.get(Person, users["registrant"].person_id)
        assert registrant is not None and users["registrant"].display_name == registrant.name
        for name in ("registrant", "registrant2"):
            job = (
                await s.exec(
                    select(Employment).where(
                        Employment.person_id == users[name].person_id,
                        col(Employment.end_date).is_(None),
                    )
                )
            ).one()
            assert job.social_insurance

        # and the employer admin runs the employer with the most current staff
        staff = (
            await s.exec(
                select(Employment.employer_id, func.count())
                .where(col(Employment.end_date).is_(None))
                .group_by(col(Employment.employer_id))
            )
        ).all()
        employer_id = users["employer"].employer_id
        assert employer_id is not None
        assert max(n for _, n in staff) == dict(staff)[employer_id]


async def test_second_seed_adds_rows_without_conflicts(db: Database, cipher: FieldCipher) -> None:
    # given a seeded database
    first = await seed(db, cipher, people=400, province="440000", today=TODAY)

    # when seeding again, in the same and in another province, with the same rng seed
    again = await seed(db, cipher, people=400, province="440000", today=TODAY)
    beijing = await seed(db, cipher, people=200, province="110000", today=TODAY)
    elsewhere = await seed(db, cipher, people=50, province="620000", today=TODAY)

    # then every run added its rows, with unique ID numbers and credit codes
    async with db.session() as s:
        persons = (await s.exec(select(Person))).all()
        employers = (await s.exec(select(Employer))).all()
        jobs = (await s.exec(select(func.count()).select_from(Employment))).one()
        users = (await s.exec(select(func.count()).select_from(User))).one()
    assert len(persons) == 1050
    # (+1: the demo training provider, made once)
    assert len(employers) == first.employers + again.employers + beijing.employers + 5 + 1
    assert jobs == first.employments + again.employments + beijing.employments + (
        elsewhere.employments
    )
    numbers = [service.decrypt_id_number(cipher, p) for p in persons]
    assert len(set(numbers)) == 1050
    assert len({e.credit_code for e in employers}) == len(employers)
    assert Counter(p.region_code[:2] for p in persons) == {"44": 800, "11": 200, "62": 50}
    for p in persons:
        if p.region_code.startswith("62"):  # no district table: Lanzhou's codes
            assert p.region_code[:4] == "6201"

    # and the demo users were created once
    assert users == 9 and first.users == 9
    assert again.logins == beijing.logins == elsewhere.logins == []


async def test_same_seed_same_data(
    databases: Callable[[], Awaitable[Database]], cipher: FieldCipher
) -> None:
    # given two empty databases
    one, two = await databases(), await databases()

    # when both are seeded with the same rng seed
    for target in (one, two):
        await seed(target, cipher, people=120, rng_seed=7, demo_users=False, today=TODAY)

    # then they hold the same people (ciphertexts differ: random nonces)
    async def people(target: Database) -> list[tuple[str, str, str | None]]:
        async with target.session() as s:
            rows = (await s.exec(select(Person).order_by(col(Person.id)))).all()
        return [(p.name, service.decrypt_id_number(cipher, p), p.specialty) for p in rows]

    assert await people(one) == await people(two)


async def test_existing_id_number_is_not_generated_again(
    databases: Callable[[], Awaitable[Database]], cipher: FieldCipher
) -> None:
    # given what the seeder generates after one unrelated person exists
    reference = await databases()
    await _create_person(reference, cipher, _id_number("11010519850615012"))
    await seed(reference, cipher, people=50, demo_users=False, today=TODAY)
    async with reference.session() as s:
        rows = (await s.exec(select(Person).order_by(col(Person.id)))).all()
    would_be = service.decrypt_id_number(cipher, rows[1])

    # and a database where that number is already registered through the service
    target = await databases()
    await _create_person(target, cipher, would_be)

    # when seeding the same way there
    report = await seed(target, cipher, people=50, demo_users=False, today=TODAY)

    # then the seeder chose another number instead of failing on the unique index
    async with target.session() as s:
        rows = (await s.exec(select(Person).order_by(col(Person.id)))).all()
    numbers = [service.decrypt_id_number(cipher, p) for p in rows]
    assert report.persons == 50 and len(rows) == 51
    assert numbers.count(would_be) == 1 and numbers[0] == would_be


async def test_seeding_2000_completes(db: Database, cipher: FieldCipher) -> None:
    report = await seed(db, cipher, people=2000, demo_users=False, today=TODAY)

    async with db.session() as s:
        count = (await s.exec(select(func.count()).select_from(Person))).one()
    assert report.persons == count == 2000
    assert report.employers == 100 and report.seconds > 0


async def test_nothing_to_seed_and_bad_province(db: Database, cipher: FieldCipher) -> None:
    report = await seed(db, cipher, people=0, today=TODAY)
    assert (report.persons, report.employers, report.users) == (0, 0, 0)
    assert not await is_seeded(db)
    with pytest.raises(rules.RuleViolation):
        await seed(db, cipher, people=10, province="GD", today=TODAY)


def test_benchmark_rows_are_valid(cipher: FieldCipher) -> None:
    rows = build_person_rows(cipher, people=200, province="510000", today=TODAY, first_id=10)
    assert [r[0] for r in rows] == list(range(10, 210))
    for r in rows:
        number = cipher.decrypt(r[4], context=service.ID_CONTEXT)
        assert rules.parse_id_number(number, today=TODAY).area_code == r[8]
        assert r[5] == cipher.blind_index(number, context=service.ID_CONTEXT)


def _id_number(first17: str) -> str:
    return first17 + rules.id_check_character(first17)


async def _create_person(db: Database, cipher: FieldCipher, id_number: str) -> None:
    async with db.session() as s:
        await service.create_person(
            s,
            data=service.PersonInput(name="测试", id_number=id_number, region_code="110105"),
            viewer=SYSTEM,
            cipher=cipher,
            today=TODAY,
            ages=service.AgePolicy(),
        )
        await s.commit()


async def test_demo_registrants_hold_a_qualification(db: Database, cipher: FieldCipher) -> None:
    """They can apply for registration right away in `make dev`."""
    report = await seed(db, cipher, people=50, province="440000", today=TODAY)
    from regsafe.registration.models import Qualification

    async with db.session() as s:
        users = {u.username: u for u in (await s.exec(select(User))).all()}
        quals = (await s.exec(select(Qualification))).all()
    holders = {q.person_id for q in quals}
    assert users["registrant"].person_id in holders
    assert users["registrant2"].person_id in holders
    assert all(q.obtained_on.year == TODAY.year - 2 for q in quals)
    assert report.users == 9


async def test_the_registered_demo_registrant_holds_a_signed_certificate(
    db: Database, cipher: FieldCipher, settings: Settings
) -> None:
    """`regsafe dev` hands seed the certificate issuer: registrant2's registration comes
    with its certificate, signed with the platform key and logged."""
    rt = Runtime(settings=settings, db=db, cipher=cipher, store=None)
    await seed(
        db,
        cipher,
        people=100,
        province="440000",
        today=TODAY,
        certificates=certificate_tasks.issuer(rt, render=False),
    )
    async with db.session() as s:
        user = (await s.exec(select(User).where(col(User.username) == "registrant2"))).one()
        certs = (
            await s.exec(select(Certificate).where(col(Certificate.person_id) == user.person_id))
        ).all()
        leaves = (await s.exec(select(func.count()).select_from(LogLeaf))).one()
    assert [c.status for c in certs] == ["ACTIVE"]
    check = certificate_service.check_row(certs[0], issuer_keys(settings))
    assert check.signature_valid and check.problems == []
    assert leaves == 1
