"""GraphQL-over-HTTP helpers for API tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest


@dataclass
class Api:
    client: httpx.AsyncClient
    token: str | None = None

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        h = dict(headers or {})
        bearer = token if token is not None else self.token
        if bearer:
            h["Authorization"] = f"Bearer {bearer}"
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=h
        )

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """Run an operation and return ``data``; fail the test on top-level errors."""
        resp = await self.post(query, variables, token=token)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> list[dict[str, Any]]:
        """Run an operation that must fail with top-level errors; return them."""
        resp = await self.post(query, variables, token=token)
        body = resp.json()
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors

    async def login(self, username: str, password: str) -> dict[str, Any]:
        data = await self.gql(
            """mutation($u: String!, $p: String!) { tokenCreate(username: $u, password: $p) {
                token { accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt }
                errors { field code message } } }""",
            {"u": username, "p": password},
        )
        payload: dict[str, Any] = data["tokenCreate"]
        return payload

    async def as_user(self, username: str, password: str) -> Api:
        payload = await self.login(username, password)
        assert payload["errors"] == [], payload
        return Api(self.client, payload["token"]["accessToken"])


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


# --- uploads: every purpose's slot is PUT and confirmed the same way ------------------

# The fields of an UploadSlot the helpers below need; request mutations select
# ``upload { ...SLOT }`` by pasting this in.
SLOT = "id url contentType maxBytes declaredSize filename expiresAt status size sha256"
UPLOAD_CONFIRM = """mutation($id: ID!) { uploadConfirm(id: $id) {
  upload { id status refusal size sha256 mediaType pages }
  target { __typename ... on ApplicationDocument { id status size mediaType sha256 pages
    ocrStatus } ... on CourseUnit { id materialFilename materialMediaType }
    ... on PracticeRecord { id evidence { filename mediaType sha256 size } } }
  errors { field code message } } }"""


async def put_slot(slot: dict[str, Any], data: bytes, content_type: str | None = None) -> None:
    """PUT the bytes to the slot's presigned URL as a browser would."""
    assert slot["url"], slot
    async with httpx.AsyncClient() as http:
        resp = await http.put(
            slot["url"], content=data, headers={"Content-Type": content_type or slot["contentType"]}
        )
    assert resp.status_code in (200, 204), resp.text


async def upload(
    client: Api, slot: dict[str, Any], data: bytes | None, *, content_type: str | None = None
) -> dict[str, Any]:
    """PUT ``data`` to the slot (none: skip the PUT) and call uploadConfirm; returns the
    payload (``upload``, ``target``, ``errors``)."""
    if data is not None:
        await put_slot(slot, data, content_type)
    out = await client.gql(UPLOAD_CONFIRM, {"id": slot["id"]})
    payload: dict[str, Any] = out["uploadConfirm"]
    return payload
