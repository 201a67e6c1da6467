"""Shared documents and helpers for the identity API tests (GraphQL over HTTP)."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from sqlmodel import col, func, select
from strawberry.relay import to_base64

from regsafe.audit.models import AuditEvent
from regsafe.auth.models import User
from regsafe.core.runtime import Runtime
from regsafe.identity import rules, service
from regsafe.identity.models import Employer, Employment, Person
from tests.plugins.api import Api
from tests.plugins.identity import World

Login = Callable[[str], Awaitable[Api]]

# World people by key, with their names (the session-scoped `world` fixture).
NAMES = {"zhang": "张伟", "li": "李娜", "wang": "王芳", "zhao": "赵强"}
WORLD_NAMES = frozenset(NAMES.values())
EMPLOYER_NAMES = {
    "chem": "深圳市安泰化工有限公司",
    "agency": "广州市安评技术咨询有限公司",
    "beijing": "北京城建安全工程有限公司",
}
MAX_BIGINT = 2**63 - 1

PERSONS = """query($f: PersonFilterInput, $first: Int, $after: String, $last: Int,
  $before: String) { persons(filter: $f, first: $first, after: $after, last: $last,
  before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id name regionCode specialty } } } }"""

EMPLOYERS = """query($f: EmployerFilterInput) { employers(filter: $f, first: 50) { totalCount
  edges { node { id name creditCode creditCodeChecksumValid kind industry regionCode version
  employeeCount } } } }"""

PERSON_CREATE = """mutation($input: PersonCreateInput!) { personCreate(input: $input) {
  person { id name gender birthDate idNumber idNumberMasked phoneMasked education regionCode
  specialty identityStatus version employments { id } currentEmployment { id } }
  errors { field code message } } }"""

PERSON_UPDATE = """mutation($id: ID!, $input: PersonUpdateInput!) { personUpdate(id: $id,
  input: $input) { person { id name phone phoneMasked education regionCode specialty version }
  errors { field code message } } }"""

EMPLOYER_CREATE = """mutation($input: EmployerCreateInput!) { employerCreate(input: $input) {
  employer { id name creditCode creditCodeChecksumValid kind industry regionCode version
  employeeCount } errors { field code message } } }"""

EMPLOYER_UPDATE = """mutation($id: ID!, $input: EmployerUpdateInput!) { employerUpdate(id: $id,
  input: $input) { employer { id name kind industry regionCode version }
  errors { field code message } } }"""

EMPLOYMENT_START = """mutation($input: EmploymentStartInput!) { employmentStart(input: $input) {
  employment { id startDate endDate isCurrent socialInsurance person { name }
  employer { name } } errors { field code message } } }"""

EMPLOYMENT_END = """mutation($id: ID!, $d: Date!) { employmentEnd(id: $id, endDate: $d) {
  employment { id startDate endDate isCurrent } errors { field code message } } }"""


def gid(type_name: str, pk: int | None) -> str:
    """The relay global id of a row."""
    assert pk is not None
    return to_base64(type_name, pk)


def person_gid(world: World, key: str) -> str:
    return gid("Person", world.pid(key))


def employer_gid(world: World, key: str) -> str:
    return gid("Employer", world.employers[key].id)


def cursor_of(raw: str) -> str:
    """A cursor in the server's format, with any payload (for malformed cursors)."""
    return base64.urlsafe_b64encode(raw.encode()).decode()


def codes(errors: list[dict[str, Any]]) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for e in errors]


def field_codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    """The (field, code) pairs of a mutation payload's errors, in order."""
    return [(e["field"], e["code"]) for e in payload["errors"]]


def with_check(first17: str) -> str:
    """An ID number whose check character is right for the given 17 digits."""
    return first17 + rules.id_check_character(first17)


def wrong_check(idn: str) -> str:
    """The same ID number with a wrong check character."""
    return idn[:17] + ("1" if idn[17] != "1" else "2")


def masked(idn: str) -> str:
    return idn[:6] + "*" * 8 + idn[-4:]


async def names_of(api: Api, f: dict[str, Any] | None = None) -> set[str]:
    """World people among the persons the viewer sees with this filter."""
    data = await api.gql(PERSONS, {"f": f or {}, "first": 100})
    return {e["node"]["name"] for e in data["persons"]["edges"]} & WORLD_NAMES


def full_id_number(runtime: Runtime, world: World, key: str) -> str:
    """The ID number of a world person, decrypted here (not through the API under test)."""
    return service.decrypt_id_number(runtime.cipher, world.people[key])


async def user_id(runtime: Runtime, username: str) -> int:
    async with runtime.db.session() as s:
        uid = (await s.exec(select(User.id).where(User.username == username))).one()
    assert uid is not None
    return uid


async def audit_rows(runtime: Runtime, **where: Any) -> list[AuditEvent]:
    """Audit events matching every given column (e.g. request_id=..., action=...)."""
    stmt = select(AuditEvent)
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, name) == value)
    async with runtime.db.session() as s:
        return list((await s.exec(stmt.order_by(col(AuditEvent.id)))).all())


async def counts(runtime: Runtime) -> dict[str, int]:
    """Row counts that a failed mutation must leave unchanged."""
    async with runtime.db.session() as s:
        persons = (await s.exec(select(func.count()).select_from(Person))).one()
        employers = (await s.exec(select(func.count()).select_from(Employer))).one()
        employments = (await s.exec(select(func.count()).select_from(Employment))).one()
        audits = (await s.exec(select(func.count()).select_from(AuditEvent))).one()
        conn = await s.connection()
        jobs = (await conn.exec_driver_sql("SELECT count(*) FROM procrastinate_jobs")).scalar()
    return {
        "persons": int(persons),
        "employers": int(employers),
        "employments": int(employments),
        "audit": int(audits),
        "jobs": int(jobs or 0),
    }


async def jobs_for(runtime: Runtime, task_name: str) -> list[dict[str, Any]]:
    """The args of every procrastinate job of this task."""
    async with runtime.db.session() as s:
        conn = await s.connection()
        result = await conn.exec_driver_sql(
            "SELECT args FROM procrastinate_jobs WHERE task_name = %(t)s ORDER BY id",
            {"t": task_name},
        )
        return [dict(row[0]) for row in result.all()]
