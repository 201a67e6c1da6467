"""/metrics labels GraphQL operations by known names only: the frontend's documents
(a generated list, checked here) and names registered by code; any other name a client
sends is counted as "other" and creates no series."""

from __future__ import annotations

import secrets
from pathlib import Path

from regsafe.web.metrics import OTHER, operation_label
from regsafe.web.operation_names import FRONTEND, scan_frontend
from tests.plugins.api import Api

FRONTEND_DIR = Path(__file__).resolve().parents[2] / "frontend"


def _series(text: str) -> set[str]:
    return {line.rsplit(" ", 1)[0] for line in text.splitlines() if line and line[0] != "#"}


def test_known_names_are_those_of_the_frontend_documents() -> None:
    # when this fails: python -m regsafe.web.operation_names
    assert scan_frontend(FRONTEND_DIR) == FRONTEND
    assert {"Viewer", "CertificateVerification", "TranscriptVerification"} <= FRONTEND
    assert operation_label("Viewer") == "Viewer"
    assert operation_label("Viewer2") == OTHER


async def test_random_operation_names_add_no_series(api: Api) -> None:
    # given the "other" series exist and /metrics has been scraped once
    await api.post(f"query R{secrets.token_hex(8)} {{ __typename }}")
    await api.client.get("/metrics")
    before = _series((await api.client.get("/metrics")).text)
    # when 500 operations with made-up names run
    for _ in range(500):
        resp = await api.post(f"query R{secrets.token_hex(8)} {{ __typename }}")
        assert resp.status_code == 200
    await api.post("query Viewer { viewer { user { id } } }")
    after = _series((await api.client.get("/metrics")).text)
    # then no series was added for them, and they were counted as "other"
    added = after - before
    assert all('operation="Viewer"' in s for s in added), sorted(added)[:5]
    assert 'regsafe_graphql_operations_total{operation="other",outcome="ok",type="query"}' in after
    assert not any('operation="R' in s for s in after)
