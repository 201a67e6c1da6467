"""Stored credit scores: the set-based recompute (one statement per page) equals the
per-person computation the job runs; the job runs in the real worker; history rows only
when a score changes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.db import raw_connection
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.identity import service as identity
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import EmployerInput, PersonInput
from regsafe.jobs.app import configured_app
from regsafe.practice import credit, service, tasks
from regsafe.practice.models import PracticeKind
from regsafe.practice.rules import EventKind
from regsafe.registration import service as registration
from tests.plugins.identity import PASSWORD, SYSTEM, World, make_credit_code, make_id_number

SCORES = [(5, 5, 4, 5), (2, 3, 2, 3), (4, 4, 4, 4)]


async def _build(rt: Runtime, person_ids: list[int], employer_id: int) -> None:
    """Registrations, confirmed and draft records, evaluations with a correction, events
    with an upheld and a rejected dispute: a little of everything, through the services."""
    today = today_shanghai()
    now = utcnow()
    start = today - timedelta(days=500)
    admin = Viewer(user_id=None, roles=frozenset({Role.EMPLOYER_ADMIN}), employer_id=employer_id)
    async with rt.db.session() as s:
        boss = await auth_service.create_user(
            s,
            username="store_boss",
            password=PASSWORD,
            display_name="boss",
            roles=[Role.EMPLOYER_ADMIN],
            employer_id=employer_id,
        )
        r1 = await auth_service.create_user(
            s,
            username="store_r1",
            password=PASSWORD,
            display_name="r1",
            roles=[Role.ADMIN],
        )
        r2 = await auth_service.create_user(
            s,
            username="store_r2",
            password=PASSWORD,
            display_name="r2",
            roles=[Role.ADMIN],
        )
        admin = Viewer(
            user_id=boss.id, roles=frozenset({Role.EMPLOYER_ADMIN}), employer_id=employer_id
        )
        rev1 = Viewer(user_id=r1.id, roles=frozenset({Role.ADMIN}))
        rev2 = Viewer(user_id=r2.id, roles=frozenset({Role.ADMIN}))
        for n, pid in enumerate(person_ids):
            if n == len(person_ids) - 1:
                continue  # the last one: no registration, no inputs at all
            await registration.import_registration(
                s,
                person_id=pid,
                employer_id=employer_id,
                specialty=Specialty.CHEMICAL,
                valid_from=start,
                valid_until=start + timedelta(days=5 * 365),
            )
            for k in range(n + 1):
                rec = await service.create_record(
                    s,
                    viewer=admin,
                    person_id=pid,
                    data=service.RecordData(
                        kind=PracticeKind.RISK_ASSESSMENT,
                        project=f"项目{k}",
                        role="成员",
                        started_on=start + timedelta(days=10 * k),
                        ended_on=start + timedelta(days=10 * k + 5),
                    ),
                    now=now,
                    today=today,
                )
                await service.submit_record(
                    s, viewer=admin, record_id=rec.id or 0, expected_version=1, now=now
                )
                if k == 2:
                    continue  # submitted, never confirmed: counts nothing
                q, t, c, d = SCORES[(n + k) % len(SCORES)]
                ev = await service.evaluate(
                    s,
                    viewer=admin,
                    record_id=rec.id or 0,
                    scores=service.Scores(q, t, c, d),
                    comment="",
                    now=now - timedelta(days=40 * k),
                )
                if k == 1:
                    await service.correct_evaluation(
                        s,
                        viewer=admin,
                        evaluation_id=ev.id or 0,
                        scores=service.Scores(3, 3, 3, 3),
                        comment="更正",
                        now=now,
                    )
            for j, kind in enumerate((EventKind.COMMENDATION, EventKind.ADMINISTRATIVE_PENALTY)):
                event = await service.enter_event(
                    s,
                    viewer=rev1,
                    person_id=pid,
                    data=service.EventData(
                        kind, "文号", "应急管理局", today - timedelta(days=90 * (n + j))
                    ),
                    today=today,
                )
                if n == 1 and j == 1:
                    d = await service.open_dispute(
                        s,
                        viewer=Viewer(user_id=r2.id, person_id=pid),
                        event_id=event.id or 0,
                        reason="异议",
                        now=now,
                    )
                    await service.decide_dispute(
                        s, viewer=rev2, dispute_id=d.id or 0, uphold=True, note="成立", now=now
                    )
                if n == 2 and j == 0:
                    await service.withdraw_event(
                        s, viewer=rev2, event_id=event.id or 0, reason="误录", now=now
                    )
        await s.commit()


async def _scores(rt: Runtime) -> dict[int, tuple[Any, ...]]:
    async with rt.db.session() as s:
        rows = (
            await s.exec(  # type: ignore[call-overload]
                text(
                    "SELECT person_id, value, grade, model_version, contributions FROM credit_score"
                )
            )
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


async def test_set_based_recompute_equals_the_per_person_computation(
    runtime: Runtime, world: World
) -> None:
    async with runtime.db.session() as s:
        employer = await identity.create_employer(
            s,
            data=EmployerInput(
                name="惠州市石化安全有限公司",
                credit_code=make_credit_code("441300", "HKPH"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        pids = []
        for n in range(5):
            p = await identity.create_person(
                s,
                data=PersonInput(
                    name=f"测试{'一二三四五'[n]}",
                    region_code="441302",
                    id_number=make_id_number("441302", date(1980 + n, 1, 1), 100 + n),
                ),
                viewer=SYSTEM,
                cipher=runtime.cipher,
                today=date(2026, 11, 28),
                ages=identity.AgePolicy(),
            )
            pids.append(p.id or 0)
        await s.commit()
    await _build(runtime, pids, employer.id or 0)
    now = utcnow()
    async with runtime.db.session() as s:
        for pid in pids:
            await credit.recompute_person(s, pid, settings=runtime.settings, now=now)
        await s.commit()
    one_by_one = await _scores(runtime)
    async with runtime.db.session() as s:
        await s.exec(text("DELETE FROM credit_score"))  # type: ignore[call-overload]
        small_pages = runtime.settings.model_copy(update={"credit_recompute_page_size": 2})
        report = await credit.recompute_all(s, settings=small_pages, now=now)
        await s.commit()
    set_based = await _scores(runtime)
    assert report.persons == len(set_based) >= len(pids)
    for pid in pids:
        assert set_based[pid] == one_by_one[pid]
    values = {one_by_one[p][0] for p in pids}
    assert len(values) >= 4  # the dataset really exercises the model
    # a second run changes nothing: no new history rows
    async with runtime.db.session() as s:
        history = (await s.exec(text("SELECT count(*) FROM credit_score_history"))).one()[0]  # type: ignore[call-overload]
        again = await credit.recompute_all(s, settings=runtime.settings, now=now)
        await s.commit()
        after = (await s.exec(text("SELECT count(*) FROM credit_score_history"))).one()[0]  # type: ignore[call-overload]
    assert again.changed == 0 and after == history


@pytest.fixture(scope="module")
async def committed(committed_runtime: Callable[..., Awaitable[Runtime]]) -> Runtime:
    return await committed_runtime("practice_jobs")


async def test_recompute_job_runs_in_the_worker(committed: Runtime) -> None:
    set_runtime(committed)
    url = committed.settings.database_url
    assert url
    async with committed.db.session() as s:
        p = await identity.create_person(
            s,
            data=PersonInput(
                name="任务人员",
                region_code="440305",
                id_number=make_id_number("440305", date(1987, 7, 7), 77),
            ),
            viewer=SYSTEM,
            cipher=committed.cipher,
            today=date(2026, 11, 28),
            ages=identity.AgePolicy(),
        )
        admin = Viewer(user_id=1, roles=frozenset({Role.ADMIN}))
        await service.enter_event(
            s,
            viewer=admin,
            person_id=p.id or 0,
            data=service.EventData(EventKind.AWARD, "表彰文件", "省应急厅", today_shanghai()),
            today=today_shanghai(),
        )
        await tasks.defer_recompute(await raw_connection(s), p.id or 0)
        await s.commit()
    app = configured_app(url)
    async with app.open_async():
        await app.run_worker_async(queues=["practice"], wait=False, install_signal_handlers=False)
    with psycopg.connect(url) as conn:
        status = conn.execute(
            "SELECT status FROM procrastinate_jobs WHERE task_name = 'practice.recompute_credit'"
        ).fetchall()
        row = conn.execute(
            "SELECT value, contributions FROM credit_score WHERE person_id = %s", (p.id,)
        ).fetchone()
    assert status == [("succeeded",)]
    assert row is not None and row[0] == 640
    assert [c["factor"] for c in row[1]] == ["BASE", "EVENT"]
    set_runtime(None)
