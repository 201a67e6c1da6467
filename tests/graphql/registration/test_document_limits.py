"""Work per application is bounded (issue 11, defect 12): documents per kind and per
application, and files too costly to read, are refused as typed payload errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from sqlmodel import col, select
from strawberry.relay import from_base64

from regsafe.core.runtime import Runtime
from regsafe.core.storage import ObjectNotFound
from regsafe.ocr.synthetic import blank_pdf
from regsafe.registration.models import Document
from tests.graphql.identity.helpers import Login
from tests.plugins.identity import World

from .conftest import Uploader, new_draft, png

pytestmark = pytest.mark.usefixtures("bucket", "qualified")


def errors(payload: dict[str, Any]) -> list[dict[str, str]]:
    return [{"field": e["field"], "code": e["code"]} for e in payload["errors"]]


async def _key(runtime: Runtime, doc_gid: str) -> str:
    async with runtime.db.session() as s:
        pk = int(from_base64(doc_gid)[1])
        return (await s.exec(select(Document).where(col(Document.id) == pk))).one().object_key


async def test_sixth_document_of_a_kind_is_refused(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given a draft and six upload slots for labour contracts, all opened before any
    # is confirmed (each request sees nothing confirmed yet)
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    tickets = []
    for n in range(6):
        data = png(40 + n, 30)
        ticket = await up.request(app["id"], "LABOUR_CONTRACT", data)
        assert ticket["errors"] == []
        await up.put(ticket["upload"], data)
        tickets.append(ticket)
    # when they are confirmed: five are accepted, the sixth is refused and its bytes go
    for ticket in tickets[:5]:
        assert (await up.confirm(ticket["upload"]))["errors"] == []
    sixth = await up.confirm(tickets[5]["upload"])
    assert errors(sixth) == [{"field": "id", "code": "TOO_MANY_FILES"}]
    assert sixth["upload"]["status"] == "REFUSED"
    assert runtime.store is not None
    with pytest.raises(ObjectNotFound):
        await runtime.store.stat(await _key(runtime, tickets[5]["document"]["id"]))
    # and a further request for that kind is refused at once, while another kind is not
    again = await up.request(app["id"], "LABOUR_CONTRACT", png())
    assert errors(again) == [{"field": "kind", "code": "TOO_MANY_DOCUMENTS"}]
    assert (await up.request(app["id"], "APPLICATION_FORM", png()))["errors"] == []


async def test_twenty_first_document_of_an_application_is_refused(
    world: World, login_as: Login
) -> None:
    # given an application holding 20 documents, five of each of four kinds
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    kinds = ("LABOUR_CONTRACT", "APPLICATION_FORM", "PREVIOUS_REGISTRATION", "LOSS_STATEMENT")
    for kind in kinds:
        for n in range(5):
            await up.upload(app["id"], kind, png(40 + n, 30))
    # when a document of a fifth kind is requested, then it is refused
    more = await up.request(app["id"], "PERFORMANCE_CERTIFICATE", png())
    assert errors(more) == [{"field": "kind", "code": "TOO_MANY_DOCUMENTS"}]


async def test_files_too_costly_to_read_are_refused_at_confirmation(
    world: World, login_as: Login
) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    # a 6000×6000 PNG of a few KB (36 MP, the probe's file) and a 14400 pt PDF page
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000), 1).save(buffer, "PNG", optimize=True)
    cases = [
        (buffer.getvalue(), "big.png", "image/png"),
        (blank_pdf(14400, 14400), "poster.pdf", "application/pdf"),
    ]
    for data, name, ctype in cases:
        ticket = await up.request(app["id"], "ID_CARD", data, name, ctype)
        assert ticket["errors"] == []
        await up.put(ticket["upload"], data, ctype)
        refused = await up.confirm(ticket["upload"])
        assert errors(refused) == [{"field": "id", "code": "DOCUMENT_TOO_LARGE"}], name
