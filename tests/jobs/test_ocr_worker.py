"""The real worker runs `registration.ocr_document`: the job deferred with the upload's
confirmation reads the object, and the document ends DONE with its fields, or FAILED
after one attempt when OCR runs over its time limit."""

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
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
from regsafe.registration import sealed_fields, service
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from regsafe.registration.rules import ApplicationKind
from regsafe.registration.tasks import defer_ocr
from tests.plugins.identity import SYSTEM, make_credit_code, make_id_number


@pytest.fixture(scope="module")
async def committed(committed_runtime: Callable[..., Awaitable[Runtime]]) -> Runtime:
    return await committed_runtime("ocr_worker", admin=False)


async def _pending_document(rt: Runtime, data: bytes, key: str, seq: int) -> tuple[int, int]:
    """(document id, job id): a confirmed ID card of a new person, its OCR job deferred."""
    assert rt.store is not None
    await rt.store.ensure_bucket()
    await rt.store.put_bytes(key, data, "image/jpeg")
    async with rt.db.session() as s:
        employer = await identity.create_employer(
            s,
            data=EmployerInput(
                name=f"佛山市安澜化工有限公司{seq}",
                credit_code=make_credit_code("440600", f"WK{seq:02d}"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        person = await identity.create_person(
            s,
            data=PersonInput(
                name="周敏",
                id_number=make_id_number("440604", date(1990, 5, 5), seq),
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
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            declared_content_type="image/jpeg",
            object_key=key,
            status=UploadStatus.CONFIRMED.value,
            ocr_status=OcrStatus.PENDING.value,
        )
        s.add(doc)
        await s.flush()
        assert doc.id is not None
        job_id = await defer_ocr(await raw_connection(s), doc.id)
        await s.commit()
        return doc.id, job_id


async def _run_worker(rt: Runtime) -> None:
    assert rt.settings.database_url
    set_runtime(rt)
    try:
        jobs = configured_app(rt.settings.database_url)
        async with jobs.open_async():
            await jobs.run_worker_async(queues=["ocr"], wait=False, install_signal_handlers=False)
    finally:
        set_runtime(None)


def _job(rt: Runtime, job_id: int) -> tuple[str, int]:
    assert rt.settings.database_url
    with psycopg.connect(rt.settings.database_url) as conn:
        row = conn.execute(
            "SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", (job_id,)
        ).fetchone()
    assert row is not None
    return row[0], row[1]


async def test_worker_reads_a_confirmed_document(committed: Runtime) -> None:
    rt = committed
    sample = synthetic.generate(OcrKind.ID_CARD, 21)
    data = synthetic.encode(sample.image, "JPEG", 85)
    doc_id, job_id = await _pending_document(rt, data, "documents/worker/id-card", 88)

    await _run_worker(rt)

    assert _job(rt, job_id)[0] == "succeeded"
    async with rt.db.session() as s:
        done = await s.get(Document, doc_id)
    assert done is not None and done.ocr_status == OcrStatus.DONE
    assert done.ocr_fields is not None
    read = sealed_fields.ocr_values(rt.cipher, done.ocr_fields)
    assert read["id_number"] == sample.expected["id_number"]
    assert sample.expected["id_number"] not in str(done.ocr_fields)  # sealed at rest
    assert done.ocr_engine == "rapidocr" and (done.ocr_ms or 0) > 0


async def test_ocr_over_the_time_limit_ends_failed_without_retry(committed: Runtime) -> None:
    # given a worker whose OCR time limit is far below what reading a card takes
    rt = replace(
        committed,
        settings=committed.settings.model_copy(update={"ocr_time_limit_seconds": 0.05}),
    )
    data = synthetic.encode(synthetic.generate(OcrKind.ID_CARD, 22).image, "JPEG", 85)
    doc_id, job_id = await _pending_document(rt, data, "documents/worker/slow-card", 89)
    # when the worker runs its job
    await _run_worker(rt)
    # then the job ends after one attempt and the document is FAILED with the reason
    assert _job(rt, job_id) == ("succeeded", 1)
    async with rt.db.session() as s:
        failed = await s.get(Document, doc_id)
    assert failed is not None and failed.ocr_status == OcrStatus.FAILED
    assert failed.ocr_reason is not None and "识别超时" in failed.ocr_reason
    assert failed.ocr_fields is None
