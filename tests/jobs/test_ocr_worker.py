"""The real worker runs `registration.ocr_document`: the job deferred with the upload's
confirmation reads the object, and the document ends DONE with its fields."""

from collections.abc import Awaitable, Callable
from datetime import date

import psycopg
import pytest

from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import utcnow
from regsafe.core.db import raw_connection
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.identity import service as identity
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.jobs.app import configured_app
from regsafe.ocr import synthetic
from regsafe.ocr.fields import DocumentKind as OcrKind
from regsafe.registration import service
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from regsafe.registration.rules import ApplicationKind
from regsafe.registration.tasks import defer_ocr
from tests.plugins.identity import SYSTEM, make_credit_code, make_id_number


@pytest.fixture(scope="module")
async def committed(committed_runtime: Callable[..., Awaitable[Runtime]]) -> Runtime:
    return await committed_runtime("ocr_worker", admin=False)


async def test_worker_reads_a_confirmed_document(committed: Runtime) -> None:
    rt = committed
    assert rt.store is not None and rt.settings.database_url
    await rt.store.ensure_bucket()
    sample = synthetic.generate(OcrKind.ID_CARD, 21)
    data = synthetic.encode(sample.image, "JPEG", 85)
    key = "documents/worker/id-card"
    await rt.store.put_bytes(key, data, "image/jpeg")
    async with rt.db.session() as s:
        employer = await identity.create_employer(
            s,
            data=EmployerInput(
                name="佛山市安澜化工有限公司",
                credit_code=make_credit_code("440600", "WKWK"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        person = await identity.create_person(
            s,
            data=PersonInput(
                name="周敏",
                id_number=make_id_number("440604", date(1990, 5, 5), 88),
                region_code="440604",
            ),
            viewer=SYSTEM,
            cipher=rt.cipher,
            today=date(2026, 11, 29),
            ages=AgePolicy(),
        )
        assert person.id is not None and employer.id is not None
        app = await service.create_application(
            s,
            viewer=Viewer(roles=frozenset({Role.REGISTRANT}), person_id=person.id),
            data=service.NewApplication(ApplicationKind.INITIAL, Specialty.CHEMICAL, employer.id),
            policy=service.Policy(),
            now=utcnow(),
        )
        assert app.id is not None
        doc = Document(
            person_id=person.id,
            application_id=app.id,
            kind="ID_CARD",
            filename="card.jpg",
            declared_size=len(data),
            declared_content_type="image/jpeg",
            object_key=key,
            status=UploadStatus.CONFIRMED.value,
            ocr_status=OcrStatus.PENDING.value,
        )
        s.add(doc)
        await s.flush()
        assert doc.id is not None
        doc_id = doc.id
        await defer_ocr(await raw_connection(s), doc_id)
        await s.commit()

    set_runtime(rt)
    try:
        jobs = configured_app(rt.settings.database_url)
        async with jobs.open_async():
            await jobs.run_worker_async(queues=["ocr"], wait=False, install_signal_handlers=False)
    finally:
        set_runtime(None)

    with psycopg.connect(rt.settings.database_url) as conn:
        status = conn.execute(
            "SELECT status FROM procrastinate_jobs WHERE task_name = 'registration.ocr_document'"
        ).fetchone()
    assert status == ("succeeded",)
    async with rt.db.session() as s:
        done = await s.get(Document, doc_id)
    assert done is not None and done.ocr_status == OcrStatus.DONE
    assert done.ocr_fields is not None
    assert done.ocr_fields["fields"]["id_number"]["value"] == sample.expected["id_number"]
    assert done.ocr_engine == "rapidocr" and (done.ocr_ms or 0) > 0
