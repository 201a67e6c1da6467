"""The COPY-based seeder writes rows the identity rules accept and the API can find."""

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, func, select

from regsafe.auth.models import User
from regsafe.auth.passwords import verify_password
from regsafe.auth.roles import Role
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.identity import rules, service
from regsafe.identity.models import Employer, Employment, Person
from regsafe.seed import DEMO_PASSWORD, seed
from tests.conftest import make_settings
from tests.plugins.identity import SYSTEM

TODAY = date(2026, 11, 28)


@pytest.fixture
async def fresh(postgres: Any, s3_settings: dict[str, Any]) -> AsyncIterator[Runtime]:
    url = postgres.new_database("seed")
    upgrade_head(url)
    rt = Runtime.from_settings(make_settings(url, s3_settings))
    yield rt
    await rt.db.dispose()


async def test_seeded_rows_are_valid_findable_and_repeatable(fresh: Runtime) -> None:
    # given an empty database
    runtime = fresh
    before = 0

    # when seeding twice
    first = await seed(runtime.db, runtime.cipher, people=600, province="440000", today=TODAY)
    second = await seed(runtime.db, runtime.cipher, people=300, province="110000", today=TODAY)

    # then both runs added their rows
    assert (first.persons, second.persons) == (600, 300)
    assert first.employers == 30 and second.employers == 15
    async with runtime.db.session() as s:
        persons = (await s.exec(select(Person).where(col(Person.id) > 0))).all()
        assert len(persons) == before + 900
        seeded = [p for p in persons if p.identity_status == "VERIFIED"]
        for p in seeded:
            idn = rules.parse_id_number(service.decrypt_id_number(runtime.cipher, p), today=TODAY)
            assert idn.birth_date == p.birth_date and idn.gender.value == p.gender
            assert 25 <= rules.age_on(p.birth_date, TODAY) <= 65
            assert p.region_code[:2] in ("44", "11")
            assert rules.normalize_phone(service.decrypt_phone(runtime.cipher, p) or "")
        employers = (await s.exec(select(Employer))).all()
        for e in employers:
            assert rules.parse_credit_code(e.credit_code).checksum_valid, e.credit_code
        open_jobs = (
            await s.exec(
                select(func.count())
                .select_from(Employment)
                .where(col(Employment.end_date).is_(None))
            )
        ).one()
        assert open_jobs >= 0.9 * 900

        # the blind index finds a seeded person by their decrypted number
        sample = seeded[len(seeded) // 2]
        stmt = service.person_query(
            SYSTEM,
            service.PersonFilter(id_number=service.decrypt_id_number(runtime.cipher, sample)),
            runtime.cipher,
        )
        assert [p.id for p in (await s.exec(stmt)).all()] == [sample.id]

        # demo users for every role, created once, with a working password
        users = {u.username: u for u in (await s.exec(select(User))).all()}
    demo = {login.username for login in first.logins}
    assert {Role(login.role) for login in first.logins} == set(Role)
    assert second.logins == []  # idempotent
    for name in demo:
        assert verify_password(users[name].password_hash, DEMO_PASSWORD)
    registrant = users["registrant"]
    async with runtime.db.session() as s:
        job = (
            await s.exec(
                select(Employment).where(
                    Employment.person_id == registrant.person_id, col(Employment.end_date).is_(None)
                )
            )
        ).first()
    assert job is not None
    assert users["employer"].employer_id is not None
    assert users["reviewer"].province_code == "440000"
