"""Nested practice lists resolve through dataloaders: the statement count does not grow
with the page."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from regsafe.core.runtime import Runtime
from tests.graphql.identity.helpers import Login
from tests.graphql.test_dataloaders import count_statements

from .conftest import CREATE, EVALUATE, GOOD_SCORES, SUBMIT, Registered, record_input

NESTED = """query($n: Int!) { practiceRecords(first: $n) { totalCount edges { node {
  project personName employerName projectLeadName evidence { filename }
  evaluation { versionNo evaluatorName } evaluations { versionNo } } } } }"""


async def test_nested_records_issue_a_bounded_number_of_statements(
    login_as: Login, runtime: Runtime, engine: AsyncEngine, registered: Registered
) -> None:
    zhang = await login_as("zhang")
    admin = await login_as("chem_admin")
    for n in range(6):
        made = (await zhang.gql(CREATE, {"input": record_input(project=f"项目{n}")}))[
            "practiceRecordCreate"
        ]["record"]
        await zhang.gql(SUBMIT, {"id": made["id"], "v": made["version"]})
        await admin.gql(EVALUATE, {"r": made["id"], "s": GOOD_SCORES, "c": ""})
    counts = []
    for size in (2, 6):
        with count_statements(engine) as seen:
            data = await admin.gql(NESTED, {"n": size})
        assert len(data["practiceRecords"]["edges"]) == size
        counts.append(len(seen))
    assert counts[0] == counts[1] and counts[1] <= 12, counts
