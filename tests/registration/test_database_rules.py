"""The registration rules the database itself enforces, and the OCR job's idempotency."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy.exc import IntegrityError

from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.identity.models import Specialty
from regsafe.ocr import synthetic
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.fields import DocumentKind as OcrKind
from regsafe.registration import documents, service
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from regsafe.registration.rules import ApplicationKind
from tests.plugins.identity import World


def registrant(world: World, key: str) -> Viewer:
    return Viewer(user_id=None, roles=frozenset({Role.REGISTRANT}), person_id=world.pid(key))


async def _draft(rt: Runtime, world: World) -> int:
    async with rt.db.session() as s:
        app = await service.create_application(
            s,
            viewer=registrant(world, "zhang"),
            data=service.NewApplication(
                ApplicationKind.INITIAL, Specialty.CHEMICAL, world.employers["chem"].id or 0
            ),
            policy=service.Policy(),
            now=utcnow(),
        )
        await s.commit()
        assert app.id is not None
        return app.id


async def test_two_in_flight_applications_of_one_person_cannot_both_be_stored(
    world: World, runtime: Runtime
) -> None:
    """Even a writer that skips every service check meets the partial unique index."""
    first, second = await _draft(runtime, world), await _draft(runtime, world)
    async with runtime.db.session() as s:
        from regsafe.registration.models import Application

        a = await s.get(Application, first)
        assert a is not None
        a.status = "SUBMITTED"
        s.add(a)
        await s.flush()
        b = await s.get(Application, second)
        assert b is not None
        b.status = "FINAL_REVIEW"
        s.add(b)
        with pytest.raises(IntegrityError, match="uq_application_in_flight_person"):
            await s.flush()


async def test_ocr_job_records_once_even_when_run_again(world: World, runtime: Runtime) -> None:
    """A job retried after a crash (or delivered twice) finds the document DONE and
    writes nothing."""
    store = runtime.store
    assert store is not None
    await store.ensure_bucket()
    app_id = await _draft(runtime, world)
    sample = synthetic.generate(OcrKind.QUALIFICATION_CERTIFICATE, 11)
    data = synthetic.encode(sample.image)
    async with runtime.db.session() as s:
        doc = Document(
            person_id=world.pid("zhang"),
            application_id=app_id,
            kind="QUALIFICATION_CERTIFICATE",
            filename="cert.png",
            declared_size=len(data),
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            declared_content_type="image/png",
            object_key=f"documents/test/{app_id}-cert",
            status=UploadStatus.CONFIRMED.value,
            ocr_status=OcrStatus.PENDING.value,
        )
        s.add(doc)
        await s.commit()
        assert doc.id is not None
        doc_id = doc.id
    await store.put_bytes(f"documents/test/{app_id}-cert", data, "image/png")
    engine = RapidOcrEngine()

    async def run() -> OcrStatus | None:
        async with runtime.db.session() as s:
            return await documents.run_ocr(
                s,
                store,
                document_id=doc_id,
                engine=engine,
                cipher=runtime.cipher,
                now=utcnow(),
                final_attempt=False,
            )

    assert await run() == OcrStatus.DONE
    async with runtime.db.session() as s:
        stored = await s.get(Document, doc_id)
        assert stored is not None
        first = (stored.ocr_at, stored.ocr_fields)
    assert first[1] is not None
    assert (
        first[1]["fields"]["certificate_number"]["value"] == sample.expected["certificate_number"]
    )
    assert await run() is None  # nothing written the second time
    async with runtime.db.session() as s:
        again = await s.get(Document, doc_id)
        assert again is not None
        await s.refresh(again)
        assert (again.ocr_at, again.ocr_fields) == first


async def test_ocr_of_corrupt_bytes_fails_with_a_reason(world: World, runtime: Runtime) -> None:
    store = runtime.store
    assert store is not None
    await store.ensure_bucket()
    app_id = await _draft(runtime, world)
    junk = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    key = f"documents/test/{app_id}-junk"
    await store.put_bytes(key, junk, "image/png")
    async with runtime.db.session() as s:
        doc = Document(
            person_id=world.pid("zhang"),
            application_id=app_id,
            kind="ID_CARD",
            filename="junk.png",
            declared_size=len(junk),
            size=len(junk),
            sha256=hashlib.sha256(junk).hexdigest(),
            declared_content_type="image/png",
            object_key=key,
            status=UploadStatus.CONFIRMED.value,
            ocr_status=OcrStatus.PENDING.value,
        )
        s.add(doc)
        await s.commit()
        doc_id = doc.id
    assert doc_id is not None
    async with runtime.db.session() as s:
        status = await documents.run_ocr(
            s,
            store,
            document_id=doc_id,
            engine=RapidOcrEngine(),
            cipher=runtime.cipher,
            now=utcnow(),
            final_attempt=False,
        )
    assert status == OcrStatus.FAILED
    async with runtime.db.session() as s:
        failed = await s.get(Document, doc_id)
        assert failed is not None
        await s.refresh(failed)
        assert failed.ocr_reason and "损坏" in failed.ocr_reason


async def test_application_history_is_append_only(world: World, runtime: Runtime) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    await _draft(runtime, world)
    async with runtime.db.session() as s:
        with pytest.raises(DBAPIError, match="append-only"):
            await s.exec(text("UPDATE application_event SET reason = 'rewritten'"))  # type: ignore[call-overload]


async def test_values_read_before_sealing_are_sealed_by_the_nightly_job(
    world: World, runtime: Runtime
) -> None:
    """Documents OCR'd before defect 4's fix hold clear values; the job seals them once
    and the readers give the same values before and after."""
    from regsafe.registration import sealed_fields

    app_id = await _draft(runtime, world)
    number = "110101199003074514"
    legacy_ocr = {
        "fields": {
            "id_number": {"value": number, "raw": number, "confidence": 0.99},
            "address": {"value": "北京市东城区东华门街道1号", "confidence": 0.9},
            "name": {"value": "张伟", "confidence": 0.99},
        },
        "pages": 1,
    }
    async with runtime.db.session() as s:
        doc = Document(
            person_id=world.pid("zhang"),
            application_id=app_id,
            kind="ID_CARD",
            filename="id.png",
            declared_size=1,
            declared_content_type="image/png",
            object_key=f"documents/test/{app_id}-legacy",
            status=UploadStatus.CONFIRMED.value,
            ocr_status=OcrStatus.DONE.value,
            ocr_fields=legacy_ocr,
            confirmed_fields={"id_number": number, "name": "张伟"},
        )
        s.add(doc)
        await s.commit()
        doc_id = doc.id
    before = sealed_fields.ocr_values(runtime.cipher, legacy_ocr)
    async with runtime.db.session() as s:
        assert await documents.seal_legacy_fields(s, runtime.cipher) >= 1
    async with runtime.db.session() as s:
        assert await documents.seal_legacy_fields(s, runtime.cipher) == 0  # nothing left
        stored = await s.get(Document, doc_id)
        assert stored is not None
        raw = str(stored.ocr_fields) + str(stored.confirmed_fields)
        assert number not in raw and "东华门" not in raw
        assert sealed_fields.ocr_values(runtime.cipher, stored.ocr_fields) == before
        confirmed = sealed_fields.confirmed_values(runtime.cipher, stored.confirmed_fields)
        assert confirmed == {"id_number": number, "name": "张伟"}
