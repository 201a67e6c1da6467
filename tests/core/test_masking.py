"""core.masking: one rule per personal field, and every personal GraphQL field registered."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from graphql import GraphQLObjectType, build_schema
from regsafe.auth.roles import Role, Viewer
from regsafe.core import masking
from regsafe.core.masking import Disclosure

ID = "441302199001013076"
SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"
PERSONAL = re.compile(
    r"(?i)(idnumber|birth|^age$|gender|phone|mobile|address|holder|personname|"
    r"leadname|ethnic)"
)


def test_public_forms_show_first_and_last_character_only() -> None:
    assert masking.id_number(ID, Disclosure.PUBLIC) == "4****************6"
    assert masking.name("胡小明", Disclosure.PUBLIC) == "胡**"
    # idempotent on the older masked form stored in signed payloads
    assert masking.id_number("441302********3076", Disclosure.PUBLIC) == "4****************6"


def test_masked_id_number_never_comes_with_its_birth_date() -> None:
    assert masking.id_number(ID, Disclosure.MASKED) == "441302********3076"
    assert masking.birth_date(date(1990, 1, 1), Disclosure.MASKED) is None
    assert masking.age(36, Disclosure.MASKED) is None
    assert masking.birth_date(date(1990, 1, 1), Disclosure.PUBLIC) is None
    assert masking.birth_date(date(1990, 1, 1), Disclosure.FULL) == date(1990, 1, 1)


def test_document_fields_are_masked_by_kind() -> None:
    assert masking.text_field("id_number", ID, Disclosure.MASKED) == "441302********3076"
    assert masking.text_field("birth_date", "1990-01-01", Disclosure.MASKED) is None
    assert masking.text_field("address", "广东省惠州市", Disclosure.MASKED) is None
    assert masking.text_field("issue_date", "2020-01-01", Disclosure.MASKED) == "2020-01-01"


def test_disclosure_is_decided_from_viewer_and_subject() -> None:
    anonymous = Viewer()
    admin = Viewer(user_id=1, roles=frozenset({Role.ADMIN}))
    employer = Viewer(user_id=2, roles=frozenset({Role.EMPLOYER_ADMIN}), employer_id=5)
    me = Viewer(user_id=3, roles=frozenset({Role.REGISTRANT}), person_id=9)
    assert masking.disclosure(anonymous, subject_person_id=9) is Disclosure.PUBLIC
    assert masking.disclosure(admin, subject_person_id=9) is Disclosure.FULL
    assert masking.disclosure(employer, subject_person_id=9) is Disclosure.MASKED
    assert masking.disclosure(me, subject_person_id=9) is Disclosure.FULL
    assert (
        masking.disclosure(employer, subject_person_id=9, assigned_reviewer=True) is Disclosure.FULL
    )


def test_every_personal_field_of_the_schema_is_registered_with_its_masking() -> None:
    schema = build_schema(SCHEMA.read_text())
    found = {
        f"{name}.{field}"
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
        for field in t.fields
        if PERSONAL.search(field) or (name == "Person" and field == "name")
    }
    unregistered = sorted(found - set(masking.GRAPHQL_FIELDS))
    assert unregistered == [], f"personal fields without a masking function: {unregistered}"
