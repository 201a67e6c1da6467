"""Compiled plans for the engineer list (``persons``) and a person's ``node(id:)``: the
page with each person's current employment and employer in one statement (person LEFT
JOIN the open employment LEFT JOIN its employer; at most one open employment per person,
``uq_employment_open_per_person``), rows shaped straight into the response.

The rows are the ones the resolvers would load: the same ``person_query`` scope and
filter, the same keyset window and cursors, ``totalCount`` from the same COUNT. Any
field outside the shapes below (registration, hours, credit, the audited full ID
number …) sends the whole field through the resolvers (graphql/core/compiled.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from graphql.pyutils import Path
from sqlmodel import col
from strawberry import relay

from graphql import GraphQLSchema
from regsafe.graphql.core.compiled import (
    Batched,
    Compiled,
    CompilingExecutor,
    Derived,
    FieldRun,
    Later,
    Leaf,
    Nested,
    NotCompilable,
    Shape,
    compile_object,
)
from regsafe.graphql.core.relay import count_statement, encode_cursor, page_window, parse_pk
from regsafe.identity import rules, service
from regsafe.identity.models import Employer, Employment, Person
from regsafe.identity.service import PersonFilter

from . import types
from .enums import EducationEnum, EmployerKindEnum, IdentityStatusEnum, SpecialtyEnum
from .inputs import person_filter
from .types import PersonType


def _gid(type_name: str) -> Callable[[Any], relay.GlobalID]:
    return lambda pk: relay.GlobalID(type_name, str(pk))


_P, _E, _M = Person.__table__.c, Employment.__table__.c, Employer.__table__.c  # type: ignore[attr-defined]
_OPEN = sa.and_(_E.person_id == _P.id, _E.end_date.is_(None))
_FROM = Person.__table__.outerjoin(Employment.__table__, _OPEN).outerjoin(  # type: ignore[attr-defined]
    Employer.__table__,  # type: ignore[attr-defined]
    _M.id == _E.employer_id,
)
_COLUMNS = [
    *(
        _P[c].label(f"p_{c}")
        for c in (
            "id",
            "name",
            "gender",
            "education",
            "region_code",
            "specialty",
            "identity_status",
            "version",
            "created_at",
            "id_number_cipher",
            "phone_cipher",
        )
    ),
    *(_E[c].label(f"e_{c}") for c in ("id", "start_date", "end_date", "social_insurance")),
    *(
        _M[c].label(f"m_{c}")
        for c in (
            "id",
            "name",
            "credit_code",
            "credit_code_checksum_valid",
            "kind",
            "industry",
            "region_code",
            "version",
        )
    ),
]


def _id_number_masked(row: Any, ctx: Any) -> str:
    return rules.mask_id_number(
        service.decrypt_id_cipher(ctx.runtime.cipher, row.p_id_number_cipher)
    )


def _phone_masked(row: Any, ctx: Any) -> str | None:
    if row.p_phone_cipher is None:
        return None
    return rules.mask_phone(service.decrypt_phone_cipher(ctx.runtime.cipher, row.p_phone_cipher))


EMPLOYER = Nested(
    "Employer",
    present="m_id",
    fields={
        "id": Leaf("m_id", _gid("Employer")),
        "name": Leaf("m_name"),
        "creditCode": Leaf("m_credit_code"),
        "creditCodeChecksumValid": Derived(
            lambda row, _ctx: row.m_credit_code_checksum_valid, "credit_code_checksum_valid"
        ),
        "kind": Leaf("m_kind", EmployerKindEnum),
        "industry": Leaf("m_industry"),
        "regionCode": Leaf("m_region_code"),
        "version": Leaf("m_version"),
    },
)
EMPLOYMENT = Nested(
    "Employment",
    present="e_id",
    fields={
        "id": Leaf("e_id", _gid("Employment")),
        "startDate": Leaf("e_start_date"),
        "endDate": Leaf("e_end_date"),
        "socialInsurance": Leaf("e_social_insurance"),
        "isCurrent": Derived(lambda row, _ctx: row.e_end_date is None, "is_current"),
        "employer": EMPLOYER,
    },
)
PERSON = Shape(
    "Person",
    source=lambda row: PersonType.of(row.Person),
    fields={
        "id": Leaf("p_id", _gid("Person")),
        "name": Leaf("p_name"),
        "gender": Leaf("p_gender", rules.Gender),
        "education": Leaf("p_education", EducationEnum),
        "regionCode": Leaf("p_region_code"),
        "specialty": Leaf("p_specialty", SpecialtyEnum),
        "identityStatus": Leaf("p_identity_status", IdentityStatusEnum),
        "version": Leaf("p_version"),
        "createdAt": Leaf("p_created_at"),
        "idNumberMasked": Derived(_id_number_masked, "id_number_masked"),
        "phoneMasked": Derived(_phone_masked, "phone_masked"),
        "currentEmployment": EMPLOYMENT,
        # The status at a glance: one call per page of the functions the resolvers use.
        "registration": Batched(types.registrations_of, "registration"),
        "currentCertificate": Batched(types.certificates_of, "current_certificate"),
        "hours": Batched(types.hours_of, "hours"),
        "creditScore": Batched(types.credit_scores_of, "credit_score"),
        "creditGrade": Batched(types.credit_grades_of, "credit_grade"),
    },
)


def _rows_of(scoped: Any, compiled: Compiled) -> Any:
    """The shaped columns under exactly the scoped statement's conditions (person_query
    filters with WHERE only, never a join: pinned by test_compiled_reads), and the
    Person itself when resolvers answer some of the selection."""
    entity = [Person] if compiled.needs_source else []
    return sa.select(*entity, *_COLUMNS).select_from(_FROM).where(scoped.whereclause)


def persons_plan(run: FieldRun) -> Awaitable[Any] | None:
    steps: list[tuple[str, str, Any]] = []  # (response key, part, compiled sub-shape)
    for key, sub in run.subfields("PersonConnection", run.field_details).items():
        name = sub[0].node.name.value
        if name == "edges":
            edge: list[tuple[str, str, Any]] = []
            for ekey, esub in run.subfields("PersonEdge", sub).items():
                ename = esub[0].node.name.value
                if ename == "node":
                    edge.append((ekey, ename, compile_object(run, PERSON, esub)))
                elif ename in ("cursor", "__typename"):
                    edge.append((ekey, ename, None))
                else:
                    raise NotCompilable(ename)
            steps.append((key, name, edge))
        elif name == "pageInfo":
            info_keys = [
                (k, s[0].node.name.value) for k, s in run.subfields("PageInfo", sub).items()
            ]
            steps.append((key, name, info_keys))
        elif name in ("totalCount", "__typename"):
            steps.append((key, name, None))
        else:
            raise NotCompilable(name)
    return _persons(run, steps)


async def _persons(run: FieldRun, steps: list[tuple[str, str, Any]]) -> dict[str, Any]:
    run.check_permissions()
    args = run.arguments()
    ctx = run.context
    scoped = service.person_query(ctx.viewer, person_filter(args.get("filter")), ctx.runtime.cipher)
    window = page_window(
        ctx.settings.max_page_size,
        key=col(Person.id),
        key_label="p_id",
        first=args.get("first"),
        after=args.get("after"),
        last=args.get("last"),
        before=args.get("before"),
    )
    compiled = next((c for _, n, c in _edge_parts(steps) if n == "node"), None)
    statement = _rows_of(scoped, compiled) if compiled else _rows_of(scoped, _KEYS_ONLY)
    rows = window.finish(await ctx.records(window.apply(statement)))
    out: dict[str, Any] = {}
    later = Later()
    for key, name, part in steps:
        if name == "edges":
            edges_path = run.path.add_key(key, "PersonConnection")
            out[key] = [
                _edge(row, part, edges_path.add_key(i, None), later) for i, row in enumerate(rows)
            ]
        elif name == "pageInfo":
            page = window.page_info(rows)
            out[key] = {k: ("PageInfo" if f == "__typename" else page[f]) for k, f in part}
        elif name == "totalCount":
            out[key] = int(await ctx.one(count_statement(scoped)))
        else:
            out[key] = "PersonConnection"
    await later.settle(ctx)
    return out


_KEYS_ONLY = Compiled(lambda row, path, later: {}, needs_source=False)


def _edge_parts(steps: list[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
    return next((part for _, name, part in steps if name == "edges"), [])


def _edge(row: Any, parts: list[tuple[str, str, Any]], path: Path, later: Later) -> dict[str, Any]:
    edge: dict[str, Any] = {}
    for key, name, compiled in parts:
        if name == "node":
            edge[key] = compiled.shape(row, path.add_key(key, "PersonEdge"), later)
        elif name == "cursor":
            edge[key] = encode_cursor(row.p_id)
        else:
            edge[key] = "PersonEdge"
    return edge


def node_plan(run: FieldRun) -> Awaitable[Any] | None:
    """node(id:) when the id names a Person (any other type, or an id that does not
    parse, goes through strawberry's node resolver and its errors)."""
    try:
        raw = run.raw_arguments()
        gid = relay.GlobalID.from_id(raw["id"])
    except Exception:
        return None
    if gid.type_name != "Person":
        return None
    return _node(run, gid.node_id, compile_object(run, PERSON, run.field_details))


async def _node(run: FieldRun, node_id: str, compiled: Compiled) -> Any:
    pk = parse_pk(node_id)
    if pk is None:
        return None
    ctx = run.context
    scoped = service.person_query(ctx.viewer, PersonFilter(), ctx.runtime.cipher)
    rows = await ctx.records(_rows_of(scoped, compiled).where(_P.id == pk))
    if not rows:
        return None
    later = Later()
    out = compiled.shape(rows[0], run.path, later)
    await later.settle(ctx)
    return out


def install(executor: type[CompilingExecutor], schema: GraphQLSchema) -> None:
    """Register the plans (when the schema is built), after checking that every field
    they shape is still a plain one (graphql/core/compiled.py)."""
    PERSON.check(schema)
    executor.plans = {
        **executor.plans,
        ("Query", "persons"): persons_plan,
        ("Query", "node"): node_plan,
    }
