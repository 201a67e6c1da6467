"""Demo practice and credit for `regsafe dev`: the second demo registrant (who holds an
active registration) has one practice record confirmed and evaluated, one waiting in the
待评价 queue of the demo employer admin (named as its project lead), a commendation
entered by the demo reviewer, and a computed credit score that traces to all of them."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.models import User
from regsafe.auth.roles import Role, Viewer
from regsafe.education.rules import RequirementPolicy
from regsafe.identity import rules as id_rules
from regsafe.identity.models import Employer, EmployerKind
from regsafe.practice import credit, service
from regsafe.practice.models import PracticeKind, PracticeRecord
from regsafe.practice.rules import EventKind, GradePolicy
from regsafe.registration import service as registration


def _client_code(rng: random.Random, area: str) -> str:
    org8 = "MA" + "".join(rng.choice(id_rules.USCC_ALPHABET) for _ in range(6))
    first17 = f"91{area}{org8}{id_rules.org_code_check_character(org8)}"
    return first17 + id_rules.uscc_check_character(first17)


async def seed_practice(
    session: AsyncSession, *, rng: random.Random, person_id: int, today: date, now: datetime
) -> None:
    reg = await registration.active_registration(session, person_id)
    users = {
        u.username: u
        for u in (
            await session.exec(
                select(User).where(col(User.username).in_(["registrant2", "employer", "reviewer"]))
            )
        ).all()
    }
    if reg is None or len(users) < 3:
        return
    done = (
        await session.exec(select(PracticeRecord).where(col(PracticeRecord.person_id) == person_id))
    ).first()
    if done is not None:
        return
    employer = await session.get(Employer, reg.employer_id)
    assert employer is not None
    client_name = client_code = None
    if employer.kind == EmployerKind.SERVICE_AGENCY:
        client_name = "某危险化学品储存有限公司"
        client_code = _client_code(rng, employer.region_code)
    engineer = Viewer(
        user_id=users["registrant2"].id, roles=frozenset({Role.REGISTRANT}), person_id=person_id
    )
    lead = users["employer"]
    lead_viewer = Viewer(
        user_id=lead.id, roles=frozenset({Role.EMPLOYER_ADMIN}), employer_id=lead.employer_id
    )
    start = max(reg.valid_from, today - timedelta(days=120))
    specs = [
        (PracticeKind.HAZARD_INVESTIGATION, "储罐区年度隐患排查", 14, 12),
        (PracticeKind.EMERGENCY_DRILL, "危化品泄漏应急演练", None, None),
    ]
    records = []
    for n, (kind, project, found, fixed) in enumerate(specs):
        begun = min(start + timedelta(days=20 * n), today - timedelta(days=5))
        record = await service.create_record(
            session,
            viewer=engineer,
            person_id=None,
            data=service.RecordData(
                kind=kind,
                project=project,
                role="项目负责人" if n == 0 else "参演人员",
                started_on=begun,
                ended_on=min(begun + timedelta(days=3), today),
                description="演示数据",
                hazards_found=found,
                hazards_rectified=fixed,
                project_lead_id=lead.id,
                client_name=client_name,
                client_credit_code=client_code,
            ),
            now=now,
            today=today,
        )
        assert record.id is not None
        await service.submit_record(
            session, viewer=engineer, record_id=record.id, expected_version=1, now=now
        )
        records.append(record)
    assert records[0].id is not None
    await service.evaluate(
        session,
        viewer=lead_viewer,
        record_id=records[0].id,
        scores=service.Scores(5, 4, 5, 5),
        comment="排查全面，整改跟踪到位。",
        now=now,
    )
    reviewer = users["reviewer"]
    await service.enter_event(
        session,
        viewer=Viewer(
            user_id=reviewer.id,
            roles=frozenset({Role.PROVINCIAL_REVIEWER}),
            province_code=reviewer.province_code,
        ),
        person_id=person_id,
        data=service.EventData(
            EventKind.COMMENDATION,
            "安全生产先进个人表彰决定",
            "省应急管理厅",
            today - timedelta(days=60),
        ),
        today=today,
    )
    inputs = await credit.gather_person(session, person_id, policy=RequirementPolicy(), today=today)
    score = credit.compute(inputs, today=today, grades=GradePolicy())
    await credit.store_scores(session, [(person_id, score)], now=now)
