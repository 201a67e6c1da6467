"""Registration fixtures: qualifications recorded through the service, an object store
bucket, and helpers to upload real bytes through presigned URLs."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PIL import Image

from regsafe.core.runtime import Runtime
from regsafe.identity.models import Specialty
from regsafe.registration import service
from tests.graphql.identity.helpers import gid
from tests.plugins.api import SLOT, Api, put_slot
from tests.plugins.api import upload as upload_slot
from tests.plugins.identity import World

CREATE = """mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) {
  application { id version status kind reviewScope provinceCode
    requiredDocuments { kind } missingDocuments }
  errors { field code message } } }"""
UPLOAD_REQUEST = (
    """mutation($app: ID!, $kind: DocumentKind!, $name: String!, $size: Int!,
  $type: String!) { documentUploadRequest(applicationId: $app, kind: $kind, filename: $name,
  size: $size, contentType: $type) { document { id status } upload { """
    + SLOT
    + """ }
  errors { field code message } } }"""
)
SUBMIT = """mutation($id: ID!, $v: Int!) { applicationSubmit(id: $id, expectedVersion: $v) {
  application { id version status dueAt deadlineStatus checks { code result explanation }
    flags { code result } }
  errors { field code message } } }"""
CLAIM = """mutation($id: ID!, $v: Int!) { applicationClaim(id: $id, expectedVersion: $v) {
  application { id version status assignedToMe } errors { field code message } } }"""
DECIDE = """mutation($id: ID!, $v: Int!, $d: ReviewDecision!, $r: String, $items: [String!]) {
  applicationDecide(id: $id, expectedVersion: $v, decision: $d, reason: $r, items: $items) {
  application { id version status returnItems decisionReason
    registration { status validFrom validUntil specialty } }
  errors { field code message } } }"""


def png(width: int = 40, height: int = 30) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
async def bucket(runtime: Runtime) -> Runtime:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    return runtime


@pytest.fixture
async def qualified(world: World, runtime: Runtime) -> None:
    """张伟 holds the CHEMICAL qualification (2022), 赵强 the CONSTRUCTION one (2023)."""
    async with runtime.db.session() as s:
        await service.record_qualification(
            s,
            person_id=world.pid("zhang"),
            specialty=Specialty.CHEMICAL,
            certificate_number="2022440012345678",
            obtained_on=date(2022, 10, 20),
        )
        await service.record_qualification(
            s,
            person_id=world.pid("zhao"),
            specialty=Specialty.CONSTRUCTION,
            certificate_number="2021110087654321",
            obtained_on=date(2023, 10, 20),
        )
        await s.commit()


@dataclass
class Uploader:
    api: Api

    async def request(
        self, app_id: str, kind: str, data: bytes, name: str = "scan.png", ctype: str = "image/png"
    ) -> dict[str, Any]:
        out = await self.api.gql(
            UPLOAD_REQUEST,
            {"app": app_id, "kind": kind, "name": name, "size": len(data), "type": ctype},
        )
        payload: dict[str, Any] = out["documentUploadRequest"]
        return payload

    async def put(self, slot: dict[str, Any], data: bytes, ctype: str = "image/png") -> None:
        await put_slot(slot, data, ctype)

    async def confirm(self, slot: dict[str, Any]) -> dict[str, Any]:
        """uploadConfirm without a PUT; the payload with the document as ``document``."""
        return _as_document(await upload_slot(self.api, slot, None))

    async def upload(
        self, app_id: str, kind: str, data: bytes, name: str = "scan.png"
    ) -> dict[str, Any]:
        ticket = await self.request(app_id, kind, data, name)
        assert ticket["errors"] == [], ticket
        confirmed = await upload_slot(self.api, ticket["upload"], data)
        assert confirmed["errors"] == [], confirmed
        doc: dict[str, Any] = confirmed["target"]
        return doc


def _as_document(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "document": payload["target"]}


async def new_draft(
    api: Api,
    world: World,
    *,
    kind: str = "INITIAL",
    specialty: str = "CHEMICAL",
    employer: str = "chem",
) -> dict[str, Any]:
    out = await api.gql(
        CREATE,
        {
            "input": {
                "kind": kind,
                "specialty": specialty,
                "employerId": gid("Employer", world.employers[employer].id),
                "form": {"qualificationNumber": "2022440012345678"},
            }
        },
    )
    payload = out["applicationCreate"]
    assert payload["errors"] == [], payload
    app: dict[str, Any] = payload["application"]
    return app


Draft = Callable[..., Awaitable[dict[str, Any]]]
