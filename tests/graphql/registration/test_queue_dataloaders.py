"""The review queue resolves applicants, employers, documents and history through
dataloaders: the statement count does not grow with the page."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.education.hours import CycleRequirement
from regsafe.education.rules import RequirementPolicy
from regsafe.identity import service as identity
from regsafe.identity.models import Specialty
from regsafe.identity.service import AgePolicy, PersonInput
from regsafe.practice.service import BlacklistEligibility
from regsafe.registration import rules, service
from regsafe.registration.models import Document, UploadStatus
from regsafe.registration.rules import ApplicationKind
from tests.graphql.test_dataloaders import count_statements
from tests.plugins.identity import SYSTEM, World, make_id_number

QUEUE = """query($n: Int!) { reviewQueue(stage: PRELIMINARY, first: $n) { totalCount
  edges { node { kind status dueAt deadlineStatus applicantIdNumber
    applicant { name } employer { name creditCode }
    documents { kind ocrStatus } missingDocuments
    history { action actorName } checks { code result } flags { code }
    preliminaryReviewerName } } }
  reviewQueueCounts(stage: PRELIMINARY) { total unclaimed } }"""


async def _applicants(rt: Runtime, world: World, n: int) -> None:
    chem = world.employers["chem"].id
    assert chem is not None
    async with rt.db.session() as s:
        for i in range(n):
            person = await identity.create_person(
                s,
                data=PersonInput(
                    name=f"申请{chr(0x4E00 + i)}",
                    id_number=make_id_number("440305", date(1988, 2, 1 + i), 700 + i),
                    region_code="440305",
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=date(2026, 11, 29),
                ages=AgePolicy(),
            )
            assert person.id is not None
            await identity.start_employment(
                s,
                person_id=person.id,
                employer_id=chem,
                start_date=date(2022, 1, 1),
                social_insurance=i % 2 == 0,
                viewer=SYSTEM,
                today=date(2026, 11, 29),
            )
            await service.record_qualification(
                s,
                person_id=person.id,
                specialty=Specialty.CHEMICAL,
                certificate_number=f"20244400{i:08d}",
                obtained_on=date(2024, 10, 1),
            )
            viewer = Viewer(roles=frozenset({Role.REGISTRANT}), person_id=person.id)
            app = await service.create_application(
                s,
                viewer=viewer,
                data=service.NewApplication(ApplicationKind.INITIAL, Specialty.CHEMICAL, chem),
                policy=service.Policy(),
                now=utcnow(),
            )
            assert app.id is not None
            for j, kind in enumerate(rules.REQUIRED_DOCUMENTS[ApplicationKind.INITIAL]):
                s.add(
                    Document(
                        person_id=person.id,
                        application_id=app.id,
                        kind=kind.value,
                        filename="scan.pdf",
                        declared_size=10,
                        declared_content_type="application/pdf",
                        object_key=f"documents/queue/{app.id}/{j}",
                        status=UploadStatus.CONFIRMED.value,
                    )
                )
            await s.flush()
            await service.submit_application(
                s,
                viewer=viewer,
                application_id=app.id,
                expected_version=app.version,
                policy=service.Policy(),
                education=CycleRequirement(RequirementPolicy(), date(2026, 11, 29)),
                blacklist=BlacklistEligibility(),
                cipher=rt.cipher,
                now=utcnow(),
                today=date(2026, 11, 29),
            )
        await s.commit()


async def test_queue_statements_do_not_grow_with_the_page(
    runtime: Runtime, engine: AsyncEngine, world: World, login_as: Any
) -> None:
    await _applicants(runtime, world, 12)
    reviewer = await login_as("gd_reviewer")
    counts = {}
    for n in (2, 12):
        with count_statements(engine) as statements:
            data = await reviewer.gql(QUEUE, {"n": n})
        edges = data["reviewQueue"]["edges"]
        assert len(edges) == n
        assert all(e["node"]["status"] == "SUBMITTED" for e in edges)
        assert all("*" in e["node"]["applicantIdNumber"] for e in edges)  # none claimed
        counts[n] = len(statements)
    assert counts[2] == counts[12], counts
    assert counts[12] <= 12, counts
    # ordered by the running clock: oldest submission first
    dues = [e["node"]["dueAt"] for e in data["reviewQueue"]["edges"]]
    assert dues == sorted(dues)
    assert data["reviewQueueCounts"]["unclaimed"] == data["reviewQueueCounts"]["total"] >= 12
    flagged = [e for e in edges if e["node"]["flags"]]
    assert len(flagged) == 6  # the uninsured half carries the social-insurance signal
