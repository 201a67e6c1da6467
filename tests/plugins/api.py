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
