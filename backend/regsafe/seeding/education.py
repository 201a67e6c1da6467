"""Demo continuing education for `regsafe dev`: a qualified training provider that the
demo trainer works for, a small published catalogue (one short 体验课 that can be finished
in two minutes, exam included), and for the second demo registrant an active
registration with some hours, so 我的学时 shows a real cycle with a shortfall."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.models import User
from regsafe.auth.roles import Role, Viewer
from regsafe.education import rules, service
from regsafe.education.models import (
    HourRecord,
    HourSource,
    QuestionKind,
    SubjectKind,
    TrainingProvider,
    UnitKind,
)
from regsafe.education.service import CourseData, QuestionData, UnitData
from regsafe.identity.models import Employer, EmployerKind, Specialty
from regsafe.registration import rules as registration_rules
from regsafe.registration import service as registration
from regsafe.registration.rules import ApplicationKind
from regsafe.registration.service import CertificateIssuer

PROVIDER_NAME = "安全生产继续教育培训中心"

_QUICK_QUESTIONS = [
    QuestionData(
        QuestionKind.SINGLE,
        "《安全生产法》规定，生产经营单位的主要负责人是本单位安全生产工作的（　）。",
        ["第一责任人", "直接责任人", "间接责任人", "监督责任人"],
        [0],
    ),
    QuestionData(
        QuestionKind.TRUE_FALSE,
        "从业人员发现直接危及人身安全的紧急情况时，有权停止作业或者在采取可能的应急措施后撤离作业场所。",
        [],
        [0],
    ),
    QuestionData(
        QuestionKind.MULTIPLE,
        "下列属于事故隐患排查治理“五落实”内容的有（　）。",
        ["责任", "措施", "资金", "时限和预案", "宣传"],
        [0, 1, 2, 3],
    ),
]


async def seed_education(
    session: AsyncSession,
    *,
    rng: random.Random,
    district: str,
    today: date,
    now: datetime,
    registered: tuple[int, int, str] | None,
    credit_code: str,
    certificates: CertificateIssuer | None = None,
) -> None:
    """``registered``: (person_id, employer_id, specialty) of the demo registrant who gets
    an active registration and hours; ``credit_code`` is the provider's."""
    existing = (
        await session.exec(
            select(TrainingProvider).where(col(TrainingProvider.name) == PROVIDER_NAME)
        )
    ).first()
    if existing is not None:
        return
    employer = Employer(
        name=PROVIDER_NAME,
        credit_code=credit_code,
        kind=EmployerKind.SERVICE_AGENCY.value,
        industry="P",  # 教育
        region_code=district,
    )
    session.add(employer)
    await session.flush()
    assert employer.id is not None
    provider = await service.create_provider(
        session,
        employer_id=employer.id,
        name=PROVIDER_NAME,
        qualified_until=today.replace(year=today.year + 3),
    )
    trainer = (await session.exec(select(User).where(col(User.username) == "trainer"))).first()
    if trainer is not None:
        trainer.employer_id = employer.id
        session.add(trainer)
    viewer = Viewer(
        user_id=trainer.id if trainer else None,
        roles=frozenset({Role.TRAINER}),
        employer_id=employer.id,
    )
    opens, closes = today - timedelta(days=30), today + timedelta(days=335)
    catalogue = [
        CourseData(
            code="TY-001",
            title="安全生产法律法规要点（体验课）",
            subject_kind=SubjectKind.GENERAL,
            hours=Decimal(2),
            opens_on=opens,
            closes_on=closes,
            description="两个各1分钟的单元和3道题，演示学习进度、考试与学时认定的完整流程。",
            units=[
                UnitData("第一讲 安全生产法总则", UnitKind.VIDEO, 60),
                UnitData("第二讲 从业人员的权利和义务", UnitKind.DOCUMENT, 60),
            ],
            exam_question_count=3,
            exam_minutes=10,
            pass_mark=60,
        ),
        CourseData(
            code="HG-101",
            title="危险化学品重大危险源辨识与管控",
            subject_kind=SubjectKind.PROFESSIONAL,
            specialty=Specialty.CHEMICAL,
            hours=Decimal(8),
            opens_on=opens,
            closes_on=closes,
            description="GB 18218 重大危险源辨识、分级与监控预警。",
            units=[
                UnitData("重大危险源辨识", UnitKind.VIDEO, 45 * 60),
                UnitData("分级方法与案例", UnitKind.VIDEO, 45 * 60),
                UnitData("监控预警系统", UnitKind.DOCUMENT, 30 * 60),
            ],
        ),
        CourseData(
            code="GX-201",
            title="安全生产形势与政策（公需科目）",
            subject_kind=SubjectKind.GENERAL,
            hours=Decimal(4),
            opens_on=opens,
            closes_on=closes,
            units=[UnitData("形势与政策", UnitKind.VIDEO, 90 * 60)],
        ),
        CourseData(
            code="QT-301",
            title="风险分级管控与隐患排查治理双重预防机制",
            subject_kind=SubjectKind.PROFESSIONAL,
            hours=Decimal(6),
            opens_on=opens,
            closes_on=closes,
            capacity=200,
            units=[
                UnitData("双重预防机制概述", UnitKind.VIDEO, 60 * 60),
                UnitData("现场直播答疑", UnitKind.LIVE, 60 * 60, now + timedelta(days=14)),
            ],
        ),
    ]
    for data in catalogue:
        course = await service.create_course(session, viewer=viewer, data=data, now=now)
        assert course.id is not None
        if data.exam_question_count:
            course = await service.set_questions(
                session,
                viewer=viewer,
                course_id=course.id,
                expected_version=course.version,
                questions=_QUICK_QUESTIONS,
                now=now,
            )
        await service.publish_course(
            session,
            viewer=viewer,
            course_id=course.id or 0,
            expected_version=course.version,
            now=now,
        )
    if registered is None:
        return
    person_id, employer_id, specialty = registered
    start = date(today.year - 3, today.month, 1)
    reg = await registration.import_registration(
        session,
        person_id=person_id,
        employer_id=employer_id,
        specialty=Specialty(specialty),
        valid_from=start,
        valid_until=registration_rules.registration_end(start, 5),
    )
    assert reg.id is not None
    if certificates is not None:  # the registration's certificate, signed and logged
        await certificates.issue(
            session, registration=reg, previous=None, kind=ApplicationKind.INITIAL, now=now
        )
    for title, kind, hours, days_ago in (
        ("安全生产法律法规（公需）", SubjectKind.GENERAL, 16, 700),
        ("本专业安全技术进展", SubjectKind.PROFESSIONAL, 12, 300),
    ):
        session.add(
            HourRecord(
                person_id=person_id,
                source=HourSource.EXTERNAL.value,
                dedup_key=f"ext:{provider.id}:{title}",
                provider_id=provider.id,
                provider_name=PROVIDER_NAME,
                course_title=title,
                subject_kind=kind.value,
                specialty=specialty if kind == SubjectKind.PROFESSIONAL else None,
                hours=Decimal(hours),
                recognised_on=today - timedelta(days=days_ago + rng.randint(0, 20)),
                rule_version=rules.EXTERNAL_RULE_VERSION,
                reference=f"WB{today.year}{rng.randint(100000, 999999)}",
                created_at=now,
            )
        )
    await session.flush()
