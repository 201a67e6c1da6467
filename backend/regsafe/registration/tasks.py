"""Background jobs of the registration domain: OCR of uploaded documents, identity and
degree verification after submission, expiry of unconfirmed uploads and renewals deemed
approved at expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

import psycopg
from procrastinate import Blueprint, JobContext, RetryStrategy

from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import Runtime, runtime
from regsafe.core.settings import Settings
from regsafe.core.storage import StorageUnavailable
from regsafe.identity import service as identity_service
from regsafe.identity.models import Person
from regsafe.jobs.retry import STORAGE_OUTAGE, RetryOutages
from regsafe.ocr.engines import OcrEngine, engine_from_name
from regsafe.registration import documents, service
from regsafe.registration.models import Application, Document, OcrStatus
from regsafe.registration.verification import DegreeClaim, IdentityClaim, verifiers_from_settings

blueprint = Blueprint()
OCR_ATTEMPTS = 3

# Registration must not import the certificates domain (it comes later in DESIGN.md's
# order); the job assembly (jobs/app.py) plugs in the issuer it hands to the service.
IssuerFactory = Callable[[Runtime], service.CertificateIssuer]
_issuer_factory: IssuerFactory | None = None


def use_certificate_issuer(factory: IssuerFactory) -> None:
    global _issuer_factory
    _issuer_factory = factory


def certificate_issuer(rt: Runtime) -> service.CertificateIssuer:
    if _issuer_factory is None:
        raise RuntimeError("no certificate issuer configured (jobs/app.py sets it)")
    return _issuer_factory(rt)


@lru_cache(maxsize=2)
def _engine(name: str, model_dir: str | None) -> OcrEngine:
    # Loading the ONNX models takes about a second: once per worker process.
    options: dict[str, Any] = {"model_dir": model_dir} if name == "easyocr" and model_dir else {}
    return engine_from_name(name, **options)


def ocr_engine(settings: Settings) -> OcrEngine:
    model_dir = str(settings.easyocr_model_dir) if settings.easyocr_model_dir else None
    return _engine(settings.ocr_engine, model_dir)


@blueprint.task(
    name="registration.ocr_document",
    queue="ocr",
    # An object-store outage is waited out on its own schedule (the document stays
    # PENDING); other failures retry twice, and the last attempt records FAILED.
    retry=RetryOutages(RetryStrategy(max_attempts=OCR_ATTEMPTS - 1, exponential_wait=2)),
    pass_context=True,
)
async def ocr_document(context: JobContext, document_id: int) -> str | None:
    rt = runtime()
    assert rt.store is not None, "the object store is not configured"
    attempts = context.job.attempts if context.job else 0
    try:
        engine: OcrEngine | None = ocr_engine(rt.settings)
    except Exception as exc:  # e.g. easyocr selected without its weights
        engine, problem = None, exc
    async with rt.db.session() as session:
        if engine is None:
            await _fail(session, document_id, f"识别引擎不可用：{problem}")
            return OcrStatus.FAILED.value
        try:
            status = await documents.run_ocr(
                session,
                rt.store,
                document_id=document_id,
                engine=engine,
                cipher=rt.cipher,
                now=utcnow(),
                final_attempt=attempts + 1 >= OCR_ATTEMPTS,
                time_limit=rt.settings.ocr_time_limit_seconds,
            )
        except StorageUnavailable:
            # Retried (RetryOutages) while the store is down; only after hours of outage
            # is the document given up, so that it does not stay PENDING for ever.
            if STORAGE_OUTAGE.max_attempts and attempts + 1 >= STORAGE_OUTAGE.max_attempts:
                await session.rollback()
                await _fail(session, document_id, "文件存储长时间不可用，未能识别，请人工核对")
                return OcrStatus.FAILED.value
            raise
    return status.value if status else None


async def _fail(session: Any, document_id: int, reason: str) -> None:
    from sqlalchemy import update
    from sqlmodel import col

    await session.exec(
        update(Document)
        .where(col(Document.id) == document_id, col(Document.ocr_status) == "PENDING")
        .values(ocr_status=OcrStatus.FAILED.value, ocr_reason=reason[:500], ocr_at=utcnow())
    )
    await session.commit()


async def defer_ocr(connection: psycopg.AsyncConnection[Any], document_id: int) -> int:
    """Enqueue on the caller's transaction: the job exists if and only if the
    confirmation commits."""
    job_id: int = await ocr_document.configure(connection=connection).defer_async(
        document_id=document_id
    )
    return job_id


@blueprint.task(
    name="registration.verify_application",
    queue="registration",
    retry=RetryStrategy(max_attempts=3, exponential_wait=5),
)
async def verify_application(application_id: int) -> int:
    """Identity and degree checks after submission; results are shown to reviewers.
    A verifier that fails or times out reports UNVERIFIED, never VERIFIED."""
    rt = runtime()
    identity, degree = verifiers_from_settings(rt.settings)
    async with rt.db.session() as session:
        app = await session.get(Application, application_id)
        if app is None:
            return 0
        person = await session.get(Person, app.person_id)
        assert person is not None
        id_number = identity_service.decrypt_id_number(rt.cipher, person)
        form = app.form
        person_name, birth, gender = person.name, person.birth_date, person.gender
        await session.rollback()
    results = [
        await identity.verify(
            IdentityClaim(name=person_name, id_number=id_number, birth_date=birth, gender=gender)
        ),
        await degree.verify(
            DegreeClaim(
                name=person_name,
                id_number=id_number,
                certificate_number=form.get("diploma_number"),
                school=form.get("school"),
                education=form.get("education"),
            )
        ),
    ]
    async with rt.db.session() as session:
        app = await session.get(Application, application_id, with_for_update=True)
        if app is None:
            return 0
        app.verifications = [r.to_json() for r in results]
        session.add(app)
        await session.commit()
    return len(results)


async def defer_verify(connection: psycopg.AsyncConnection[Any], application_id: int) -> int:
    job_id: int = await verify_application.configure(connection=connection).defer_async(
        application_id=application_id
    )
    return job_id


@blueprint.periodic(cron="*/10 * * * *")
@blueprint.task(name="registration.expire_uploads", queue="registration", queueing_lock="expire")
async def expire_uploads(timestamp: int) -> int:
    """Every 10 minutes: uploads never confirmed leave the bucket."""
    rt = runtime()
    assert rt.store is not None
    async with rt.db.session() as session:
        return await documents.expire_uploads(
            session,
            rt.store,
            now=utcnow(),
            policy_ttl=timedelta(seconds=rt.settings.upload_expiry_seconds),
        )


@blueprint.periodic(cron="45 3 * * *")
@blueprint.task(name="registration.seal_legacy_fields", queue="registration", queueing_lock="seal")
async def seal_legacy_fields(timestamp: int) -> int:
    """Nightly: ID numbers and addresses OCR read before they were encrypted at rest."""
    rt = runtime()
    done = 0
    async with rt.db.session() as session:
        while n := await documents.seal_legacy_fields(session, rt.cipher):
            done += n
    return done


@blueprint.periodic(cron="15 0 * * *")
@blueprint.task(name="registration.deem_renewals", queue="registration", queueing_lock="deem")
async def deem_renewals(timestamp: int) -> int:
    """Daily after midnight (Asia/Shanghai dates): renewals undecided at expiry."""
    rt = runtime()
    async with rt.db.session() as session:
        done = await service.deem_overdue_renewals(
            session,
            today=today_shanghai(),
            now=utcnow(),
            policy=service.Policy.from_settings(rt.settings),
            certificates=certificate_issuer(rt),
        )
        await session.commit()
    return len(done)
