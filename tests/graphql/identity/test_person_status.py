"""The engineer's status on Person (issue 20): registration, current certificate, hours of
the cycle and credit — batched (one statement per relation per level, for any page size
and any number of aliases) and scoped (null, never an error, outside each field's rule)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import tasks as certificate_tasks
from regsafe.certificates.models import Certificate, CertificateStatus
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.education.models import HourRecord, HourSource
from regsafe.education.rules import EXTERNAL_RULE_VERSION
from regsafe.identity import service as identity
from regsafe.identity.models import Specialty
from regsafe.identity.service import AgePolicy, PersonInput
from regsafe.practice import credit
from regsafe.registration import service as reg_service
from regsafe.registration.models import Application
from regsafe.registration.rules import ApplicationKind, Status
from tests.certificates.helpers import TODAY, register
from tests.graphql.identity.helpers import Login, gid, person_gid
from tests.graphql.test_dataloaders import count_statements
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, SYSTEM, World, make_id_number

STATUS = """registration { status number validFrom validUntil provinceCode specialty
    employer { name } }
  currentCertificate { number status idNumberMasked holderNameMasked }
  hours { cycleStart cycleEnd required earnedProfessional counted shortfall met }
  creditScore { value grade contributions { factor } }
  creditGrade { grade provincialColour }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Person { name %s } } }" % STATUS
APPLICANT = (
    "query($id: ID!) { node(id: $id) { ... on Application { applicant { name %s } } } }" % STATUS
)
PAGE = (
    """query($n: Int!, $f: PersonFilterInput) { persons(first: $n, filter: $f) {
  totalCount edges { node { id name currentEmployment { employer { name } }
  %s again: creditGrade { grade } } } } }"""
    % STATUS
)
NOTHING = {
    "registration": None,
    "currentCertificate": None,
    "hours": None,
    "creditScore": None,
    "creditGrade": None,
}
CHEM = "深圳市安泰化工有限公司"
AGENCY = "广州市安评技术咨询有限公司"


async def _user(rt: Runtime, username: str, roles: list[Role], **extra: Any) -> None:
    async with rt.db.session() as s:
        await auth_service.create_user(
            s, username=username, password=PASSWORD, display_name=username, roles=roles, **extra
        )
        await s.commit()


async def _hours(s: AsyncSession, person_id: int, specialty: str) -> None:
    """20 professional hours in the specialty and 10 general ones, inside the cycle."""
    for title, kind, spec, amount in (
        ("专业课", "PROFESSIONAL", specialty, 20),
        ("公需课", "GENERAL", None, 10),
    ):
        s.add(
            HourRecord(
                person_id=person_id,
                source=HourSource.EXTERNAL.value,
                dedup_key=f"ext:status:{title}",
                provider_name="测试培训机构",
                course_title=title,
                subject_kind=kind,
                specialty=spec,
                hours=Decimal(amount),
                recognised_on=TODAY + timedelta(days=1),
                rule_version=EXTERNAL_RULE_VERSION,
            )
        )


async def _engineer(rt: Runtime, world: World, *, employer: str = "chem") -> Certificate:
    """张伟 (employed by the chemical plant) registered in CONSTRUCTION with ``employer``
    — a MOHURD-queue application, approved — with hours in the cycle and a credit score."""
    cert = await register(rt, world, specialty=Specialty.CONSTRUCTION, employer=employer)
    assert cert is not None
    async with rt.db.session() as s:
        # register() skips the review; the application ends APPROVED, as 终审 leaves it
        app = (
            await s.exec(
                select(Application).where(col(Application.person_id) == world.pid("zhang"))
            )
        ).one()
        app.status = Status.APPROVED.value
        s.add(app)
        await _hours(s, world.pid("zhang"), Specialty.CONSTRUCTION.value)
        await credit.recompute_person(s, world.pid("zhang"), settings=rt.settings, now=utcnow())
        await s.commit()
    return cert


async def _application_of(rt: Runtime, person_id: int) -> str:
    async with rt.db.session() as s:
        app_id = (
            await s.exec(select(Application.id).where(col(Application.person_id) == person_id))
        ).one()
    return gid("Application", app_id)


def _full(world: World, runtime: Runtime, cert: Certificate, employer: str) -> dict[str, Any]:
    """What a viewer allowed everything sees of 张伟 (the score's value aside)."""
    return {
        "registration": {
            "status": "ACTIVE",
            "number": cert.number,
            "validFrom": TODAY.isoformat(),
            "validUntil": cert.valid_until.isoformat(),
            "provinceCode": "440000",
            "specialty": "CONSTRUCTION",
            "employer": {"name": employer},
        },
        "currentCertificate": {
            "number": cert.number,
            "status": "ACTIVE",
            "idNumberMasked": cert.id_number_masked,  # the public form, fixed at issue
            "holderNameMasked": cert.holder_name_masked,
        },
        "hours": {
            "cycleStart": TODAY.isoformat(),
            "cycleEnd": cert.valid_until.isoformat(),
            "required": 48.0,
            "earnedProfessional": 20.0,
            "counted": 30.0,
            "shortfall": 18.0,
            "met": False,
        },
    }


# --- who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "details"),
    [
        ("zhang", True),  # the person themself
        ("admin", True),
        ("gd_reviewer", True),  # reviewer of his province
        ("ministry", True),  # national
        ("chem_admin", False),  # his current employer: the grade, not the details
    ],
)
async def test_the_person_reviewers_and_employer_see_the_status(
    world: World, runtime: Runtime, login_as: Login, user: str, details: bool
) -> None:
    # given 张伟 registered with his employer, with a certificate, hours and a score
    cert = await _engineer(runtime, world)
    viewer = await login_as(user)

    # when the viewer looks him up by id
    person = (await viewer.gql(NODE, {"id": person_gid(world, "zhang")}))["node"]

    # then registration, certificate and hours are shown, masked where masking applies
    expected = _full(world, runtime, cert, CHEM)
    for name, value in expected.items():
        assert person[name] == value, name
    assert "*" in person["currentCertificate"]["holderNameMasked"]
    # and the credit details only to himself and the reviewers, the grade to all of them
    grade = person["creditGrade"]
    assert grade is not None and grade["grade"] in "ABCD" and grade["provincialColour"]
    if details:
        score = person["creditScore"]
        assert score["grade"] == grade["grade"] and score["contributions"]
    else:
        assert person["creditScore"] is None


async def test_viewers_outside_the_rules_get_null_not_errors(
    world: World, runtime: Runtime, login_as: Login, api: Api
) -> None:
    # given 张伟's status, a MOHURD-queue reviewer without a province (his CONSTRUCTION
    # application is in that queue) and the admin of an employer he does not work for
    await _engineer(runtime, world)
    await _user(runtime, "mohurd_status", [Role.PROVINCIAL_REVIEWER], review_scope="MOHURD")
    await _user(
        runtime, "agency_status", [Role.EMPLOYER_ADMIN], employer_id=world.employers["agency"].id
    )
    zhang = {"id": person_gid(world, "zhang")}

    # when / then: another province's reviewer and another employer's admin do not reach
    # him at all, and the anonymous public is refused the list and gets null by id
    for username in ("bj_reviewer", "agency_status"):
        other = await login_as(username)
        assert (await other.gql(NODE, zhang))["node"] is None, username
        page = await other.gql(PAGE, {"n": 50, "f": {}})
        assert "张伟" not in {e["node"]["name"] for e in page["persons"]["edges"]}, username
    assert (await api.gql(NODE, zhang))["node"] is None
    refused = await api.errors(PAGE, {"n": 5, "f": {}})
    assert refused[0]["extensions"]["code"] == "UNAUTHENTICATED"

    # the MOHURD reviewer reaches him only as the applicant of a case in the queue: his
    # name, but none of his registration, certificate, hours or credit
    mohurd = await login_as("mohurd_status")
    assert (await mohurd.gql(NODE, zhang))["node"] is None
    case = {"id": await _application_of(runtime, world.pid("zhang"))}
    applicant = (await mohurd.gql(APPLICANT, case))["node"]["applicant"]
    assert applicant == {"name": "张伟", **NOTHING}


async def test_certificate_follows_its_own_rule_when_registered_elsewhere(
    world: World, runtime: Runtime, login_as: Login
) -> None:
    # given 张伟 works for the chemical plant but is registered with the agency (挂证)
    cert = await _engineer(runtime, world, employer="agency")
    await _user(
        runtime, "agency_status", [Role.EMPLOYER_ADMIN], employer_id=world.employers["agency"].id
    )
    full = _full(world, runtime, cert, AGENCY)

    # when his current employer lists its staff
    chem = await login_as("chem_admin")
    page = await chem.gql(PAGE, {"n": 50, "f": {"regionCode": "440305"}})
    (zhang,) = [e["node"] for e in page["persons"]["edges"] if e["node"]["name"] == "张伟"]

    # then it sees the registration with the agency (the signal) and his hours and grade,
    # but not the agency's certificate (nor its number on the registration)
    assert zhang["registration"] == {**full["registration"], "number": None}
    assert zhang["hours"] == full["hours"]
    assert zhang["currentCertificate"] is None and zhang["creditScore"] is None
    assert zhang["creditGrade"] is not None and zhang["again"] == {
        "grade": zhang["creditGrade"]["grade"]
    }

    # and the agency's admin, reaching him through the application it is named in, sees
    # only its own certificate: he is not its employee
    agency = await login_as("agency_status")
    case = {"id": await _application_of(runtime, world.pid("zhang"))}
    applicant = (await agency.gql(APPLICANT, case))["node"]["applicant"]
    assert applicant == {
        **NOTHING,
        "name": "张伟",
        "currentCertificate": full["currentCertificate"],
    }


# --- statements per request --------------------------------------------------------------


async def _staff(rt: Runtime, world: World, n: int) -> list[int]:
    """``n`` engineers of 440306 employed by the chemical plant, each registered with a
    certificate, hours in the cycle and a credit score."""
    chem = world.employers["chem"].id
    assert chem is not None
    ids = []
    async with rt.db.session() as s:
        for i in range(n):
            p = await identity.create_person(
                s,
                data=PersonInput(
                    name=f"状态{chr(0x4E00 + i)}",
                    id_number=make_id_number("440306", date(1978, 1 + i % 12, 1 + i % 28), 700 + i),
                    region_code="440306",
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=TODAY,
                ages=AgePolicy(),
            )
            assert p.id is not None
            await identity.start_employment(
                s,
                person_id=p.id,
                employer_id=chem,
                start_date=date(2021, 1, 1),
                social_insurance=True,
                viewer=SYSTEM,
                today=TODAY,
            )
            await reg_service.record_qualification(
                s,
                person_id=p.id,
                specialty=Specialty.CHEMICAL,
                certificate_number=f"Q2022CHEM{i:04d}",
                obtained_on=date(2022, 10, 20),
            )
            app = await reg_service.create_application(
                s,
                viewer=Viewer(roles=frozenset({Role.REGISTRANT}), person_id=p.id),
                data=reg_service.NewApplication(ApplicationKind.INITIAL, Specialty.CHEMICAL, chem),
                policy=reg_service.Policy(),
                now=utcnow(),
            )
            await reg_service._register(
                s,
                app,
                today=TODAY,
                now=utcnow(),
                policy=reg_service.Policy(),
                certificates=certificate_tasks.issuer(rt, render=False),
            )
            await _hours(s, p.id, Specialty.CHEMICAL.value)
            ids.append(p.id)
        await credit.recompute_all(s, settings=rt.settings, now=utcnow())
        await s.commit()
        active = (
            await s.exec(
                select(Certificate.id).where(
                    col(Certificate.person_id).in_(ids),
                    col(Certificate.status) == CertificateStatus.ACTIVE.value,
                )
            )
        ).all()
    assert len(active) == n
    return ids


def _queries(statements: list[str]) -> list[str]:
    """The statements that read or write, without the savepoints around the token's
    session check."""
    control = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    return [s for s in statements if not s.startswith(control)]


# One statement each: the token's session check, the page (with each person's current
# employment and employer joined in: the compiled plan), totalCount, registrations, the
# registrations' employers, certificates, cycle sums, credit scores; the employer admin's
# rule also reads the employments (through the loader).
PAGE_STATEMENTS = {"gd_reviewer": 8, "chem_admin": 9}


@pytest.mark.parametrize("user", ["gd_reviewer", "chem_admin"])
async def test_a_page_of_50_with_the_status_costs_a_constant_number_of_statements(
    world: World, runtime: Runtime, engine: AsyncEngine, login_as: Login, user: str
) -> None:
    # given 50 registered engineers with certificates, hours and scores
    await _staff(runtime, world, 50)
    viewer = await login_as(user)

    # when a page of 3 and a page of 50 ask for all four fields (and an alias)
    counts = {}
    for n in (3, 50):
        with count_statements(engine) as statements:
            page = (await viewer.gql(PAGE, {"n": n, "f": {"regionCode": "440306"}}))["persons"]
        assert len(page["edges"]) == n and page["totalCount"] == 50
        counts[n] = len(_queries(statements))
        nodes = [e["node"] for e in page["edges"]]
        assert all(p["registration"]["number"] for p in nodes)
        assert all(p["currentCertificate"]["number"] == p["registration"]["number"] for p in nodes)
        assert all(p["hours"]["counted"] == 30.0 for p in nodes)
        assert all(p["creditGrade"] and p["again"] for p in nodes)
        assert all((p["creditScore"] is not None) == (user == "gd_reviewer") for p in nodes)

    # then the same, constant number of statements
    assert counts[3] == counts[50] == PAGE_STATEMENTS[user], counts


# The token's session check, the persons (for the reviewer's reach), the scores.
ALIAS_STATEMENTS = 3


async def test_aliased_root_credit_scores_batch_into_constant_statements(
    world: World, runtime: Runtime, engine: AsyncEngine, login_as: Login
) -> None:
    # given 15 engineers with scores, and their reviewer
    ids = (await _staff(runtime, world, 15))[:15]
    reviewer = await login_as("gd_reviewer")

    def document(k: int) -> str:
        fields = " ".join(
            f'p{i}: creditScore(personId: "{gid("Person", pid)}") {{ value grade }}'
            for i, pid in enumerate(ids[:k])
        )
        return "{ " + fields + " }"

    # when 1 and 15 aliases of creditScore(personId:) are asked at once
    counts = {}
    for k in (1, 15):
        with count_statements(engine) as statements:
            data = await reviewer.gql(document(k))
        assert len(data) == k and all(v is not None and v["grade"] for v in data.values())
        counts[k] = len(_queries(statements))

    # then they cost the same few statements
    assert counts[1] == counts[15] == ALIAS_STATEMENTS, counts


@pytest.mark.parametrize("user", ["admin", "gd_reviewer", "bj_reviewer", "chem_admin", "zhang"])
async def test_the_compiled_status_page_equals_the_resolvers(
    world: World,
    runtime: Runtime,
    engine: AsyncEngine,
    login_as: Login,
    monkeypatch: pytest.MonkeyPatch,
    user: str,
) -> None:
    # given 12 registered engineers with certificates, hours and scores
    await _staff(runtime, world, 12)
    viewer = await login_as(user)
    variables = {"n": 20, "f": {"regionCode": "440306"}}

    # when the status page is answered with the compiled plan and by the resolvers
    with count_statements(engine) as compiled_statements:
        compiled = (await viewer.post(PAGE, variables)).json()
    monkeypatch.setattr(runtime.settings, "compiled_reads", False)
    resolved = (await viewer.post(PAGE, variables)).json()

    # then the answers are identical, and the plan did read the status in batches
    assert compiled == resolved
    assert "errors" not in compiled
    nodes = [e["node"] for e in compiled["data"]["persons"]["edges"]]
    if user in ("admin", "gd_reviewer", "chem_admin"):
        assert len(nodes) == 12 and all(n["registration"] for n in nodes)
    assert len(_queries(compiled_statements)) <= PAGE_STATEMENTS["chem_admin"]
