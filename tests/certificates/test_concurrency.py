"""Approvals committing at the same time (real commits, a database of its own): the log
stays dense and consistent, numbers never repeat, every certificate verifies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

from sqlmodel import col, select

from regsafe.certificates import ledger
from regsafe.certificates.integrity import audit_log
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.models import Certificate
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.identity import service as identity
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from tests.certificates.helpers import register
from tests.plugins.identity import SYSTEM, World, make_credit_code, make_id_number

PEOPLE = 8


async def _world(rt: Runtime) -> World:
    async with rt.db.session() as s:
        employer = await identity.create_employer(
            s,
            data=EmployerInput(
                name="深圳市并发化工有限公司",
                credit_code=make_credit_code("440300", "DDDD"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        people = {}
        for i in range(PEOPLE):
            person = await identity.create_person(
                s,
                data=PersonInput(
                    name=f"测试{'一二三四五六七八'[i]}",
                    id_number=make_id_number("440305", date(1980, 1, 1 + i), 100 + i),
                    region_code="440305",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=date(2026, 11, 28),
                ages=AgePolicy(),
            )
            assert person.id is not None and employer.id is not None
            await identity.start_employment(
                s, person_id=person.id, employer_id=employer.id, start_date=date(2020, 1, 1),
                social_insurance=True, viewer=SYSTEM, today=date(2026, 11, 28),
            )  # fmt: skip
            people[f"p{i}"] = person
        await s.commit()
    return World(runtime=rt, people=people, employers={"chem": employer}, users={})


async def test_parallel_approvals_keep_the_log_dense_and_numbers_unique(
    committed_runtime: Callable[..., Awaitable[Runtime]],
) -> None:
    rt = await committed_runtime("cert_concurrency", admin=False)
    world = await _world(rt)
    await asyncio.gather(*(register(rt, world, key=f"p{i}") for i in range(PEOPLE)))
    async with rt.db.session() as s:
        certs = (await s.exec(select(Certificate).order_by(col(Certificate.leaf_index)))).all()
        assert [c.leaf_index for c in certs] == list(range(PEOPLE))
        assert len({c.number for c in certs}) == PEOPLE
        head = await ledger.sign_now(s, keys=issuer_keys(rt.settings), origin="o", now=utcnow())
        await s.commit()
        assert head is not None and head.row.size == PEOPLE
        report = await audit_log(s, issuer_keys(rt.settings).public())
    assert report.ok, report.problems
