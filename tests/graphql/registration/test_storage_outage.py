"""The object store restarts while a registrant uploads (issue 11): over GraphQL, every
step answers a typed STORAGE_UNAVAILABLE (a payload error, or a field error with that
code), never INTERNAL_SERVER_ERROR; the slot and the staged bytes survive, and the same
confirm succeeds once the store is back. The OCR job raises the typed outage (which its
retry strategy waits out) and leaves the document PENDING."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import col, select
from strawberry.relay import from_base64

from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.core.storage import StorageUnavailable
from regsafe.core.upload_slots import SlotStatus, Upload
from regsafe.jobs.retry import STORAGE_OUTAGE
from regsafe.registration import documents
from regsafe.registration import tasks as registration_tasks
from regsafe.registration.models import Document, OcrStatus
from tests.graphql.identity.helpers import Login
from tests.plugins.api import Api, put_slot
from tests.plugins.api import upload as confirm_slot
from tests.plugins.identity import World
from tests.plugins.seaweed import PrivateS3

from .conftest import Uploader, new_draft, png

pytestmark = pytest.mark.usefixtures("qualified")

DOWNLOAD = """query($id: ID!) { node(id: $id) { ... on ApplicationDocument { id status
  downloadUrl } } }"""


@pytest.fixture
async def outage_store(runtime: Runtime, private_s3: PrivateS3) -> AsyncIterator[PrivateS3]:
    """The API's store is a SeaweedFS of this test's own, which it may stop."""
    shared = runtime.store
    runtime.store = private_s3.store(runtime.settings)
    await runtime.store.ensure_bucket()
    yield private_s3
    runtime.store = shared


async def _confirm_once_back(client: Api, slot: dict[str, Any]) -> dict[str, Any]:
    """uploadConfirm as a client retries it: again while STORAGE_UNAVAILABLE (SeaweedFS
    answers /healthz a little before its S3 gateway serves), for at most 30 s."""
    deadline = time.monotonic() + 30
    while True:
        payload = await confirm_slot(client, slot, None)
        codes = [e["code"] for e in payload["errors"]]
        if codes != ["STORAGE_UNAVAILABLE"] or time.monotonic() > deadline:
            return payload
        await asyncio.sleep(0.5)


async def _slot(runtime: Runtime, slot_gid: str) -> Upload:
    async with runtime.db.session() as s:
        pk = int(from_base64(slot_gid)[1])
        return (await s.exec(select(Upload).where(col(Upload.id) == pk))).one()


async def test_a_restart_mid_upload_is_typed_and_the_same_confirm_succeeds_after(
    world: World, login_as: Login, runtime: Runtime, outage_store: PrivateS3
) -> None:
    # given a draft, an upload slot and the bytes PUT while the store is up
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    data = png()
    ticket = await up.request(app["id"], "ID_CARD", data)
    assert ticket["errors"] == [], ticket
    await put_slot(ticket["upload"], data)

    # when the store goes down and the registrant confirms
    outage_store.stop()
    refused = await confirm_slot(zhang, ticket["upload"], None)

    # then the answer is a typed, retryable error and nothing was lost or refused
    assert [e["code"] for e in refused["errors"]] == ["STORAGE_UNAVAILABLE"], refused
    assert "存储" in refused["errors"][0]["message"]
    assert refused["target"] is None
    assert (await _slot(runtime, ticket["upload"]["id"])).status == SlotStatus.PENDING.value

    # and asking for another slot meanwhile still works: presigning is local once the
    # store's region is known (the PUT itself waits for the store)
    second = await zhang.post(
        """mutation($app: ID!) { documentUploadRequest(applicationId: $app,
        kind: DIPLOMA, filename: "d.png", size: 100, contentType: "image/png") {
        upload { id } errors { field code message } } }""",
        {"app": app["id"]},
    )
    payload = second.json()["data"]["documentUploadRequest"]
    assert payload["errors"] == [] and payload["upload"]["id"], second.text

    # when the store is back, the same confirm succeeds with the bytes that were PUT
    outage_store.start()
    confirmed = await _confirm_once_back(zhang, ticket["upload"])
    assert confirmed["errors"] == [], confirmed
    assert confirmed["upload"]["status"] == "CONFIRMED"
    assert confirmed["target"]["__typename"] == "ApplicationDocument"
    assert confirmed["target"]["ocrStatus"] == "PENDING"
    doc_gid = confirmed["target"]["id"]

    # and while the store is down again, the document and its (locally signed) download
    # link are still shown
    outage_store.stop()
    resp = await zhang.post(DOWNLOAD, {"id": doc_gid})
    node = resp.json()["data"]["node"]
    assert node["status"] == "CONFIRMED" and node["downloadUrl"].startswith("http"), resp.text

    # and the OCR job meets the outage as the typed error its retry strategy waits out,
    # leaving the document PENDING
    pk = int(from_base64(doc_gid)[1])
    assert runtime.store is not None
    async with runtime.db.session() as s:
        with pytest.raises(StorageUnavailable):
            await documents.run_ocr(
                s,
                runtime.store,
                document_id=pk,
                engine=registration_tasks.ocr_engine(runtime.settings),
                cipher=runtime.cipher,
                now=utcnow(),
                final_attempt=False,
            )
    async with runtime.db.session() as s:
        doc = (await s.exec(select(Document).where(col(Document.id) == pk))).one()
        assert doc.ocr_status == OcrStatus.PENDING.value
    outage_store.start()


def test_the_ocr_job_retries_an_outage_on_its_own_long_schedule() -> None:
    # given the OCR task's retry strategy
    strategy = registration_tasks.ocr_document.retry_strategy
    assert strategy is not None

    class Job:
        attempts = 5  # past the ordinary OCR retries

    # then a store outage is retried (for hours), an ordinary failure after 2 is not
    decision = strategy.get_retry_decision(exception=StorageUnavailable("down"), job=Job())  # type: ignore[arg-type]
    assert decision is not None
    assert strategy.get_retry_decision(exception=ValueError("bad"), job=Job()) is None  # type: ignore[arg-type]
    Job.attempts = STORAGE_OUTAGE.max_attempts or 0
    assert strategy.get_retry_decision(exception=StorageUnavailable("down"), job=Job()) is None  # type: ignore[arg-type]
