"""Without the CJK font the certificate PDF job fails once, saying which font is missing,
instead of retrying: no retry brings a font back (real worker, committed database)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import psycopg
import pytest

from regsafe.certificates import tasks as certificate_tasks
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.identity import service as identity
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.jobs.app import configured_app
from tests.certificates.helpers import register
from tests.plugins.identity import SYSTEM, World, make_credit_code, make_id_number


async def _one_engineer(rt: Runtime) -> World:
    async with rt.db.session() as s:
        employer = await identity.create_employer(
            s,
            data=EmployerInput(
                name="东莞市无字化工有限公司",
                credit_code=make_credit_code("441900", "PDFX"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        person = await identity.create_person(
            s,
            data=PersonInput(
                name="林晓",
                id_number=make_id_number("441900", date(1986, 3, 4), 321),
                region_code="441900",
                specialty=Specialty.CHEMICAL,
            ),
            viewer=SYSTEM,
            cipher=rt.cipher,
            today=date(2026, 11, 28),
            ages=AgePolicy(),
        )
        assert person.id is not None and employer.id is not None
        await identity.start_employment(
            s, person_id=person.id, employer_id=employer.id, start_date=date(2020, 1, 1),
            social_insurance=True, viewer=SYSTEM, today=date(2026, 11, 28),
        )  # fmt: skip
        await s.commit()
    return World(runtime=rt, people={"lin": person}, employers={"chem": employer}, users={})


async def test_pdf_job_without_the_font_fails_once_without_retry(
    committed_runtime: Callable[..., Awaitable[Runtime]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a certificate issued with its PDF job queued, and a worker whose font is gone
    rt = await committed_runtime("pdf_no_font", admin=False)
    assert rt.store is not None and rt.settings.database_url
    await rt.store.ensure_bucket()
    world = await _one_engineer(rt)
    cert = await register(rt, world, key="lin", issuer=certificate_tasks.issuer(rt))
    assert cert is not None and cert.pdf_object_key is None
    missing = tmp_path / "no-such-font.ttc"
    worker_rt = Runtime.from_settings(rt.settings.model_copy(update={"cjk_font_path": missing}))

    # when the worker runs the queue (until it is empty)
    set_runtime(worker_rt)
    try:
        jobs = configured_app(rt.settings.database_url)
        with caplog.at_level(logging.ERROR, logger="procrastinate"):
            async with jobs.open_async():
                await jobs.run_worker_async(
                    queues=["certificates"], wait=False, install_signal_handlers=False
                )
    finally:
        set_runtime(None)
        await worker_rt.db.dispose()

    # then the job has failed for good after one attempt, and the log says why
    with psycopg.connect(rt.settings.database_url) as conn:
        row = conn.execute(
            "SELECT status, attempts FROM procrastinate_jobs"
            " WHERE task_name = 'certificates.render_pdf'"
        ).fetchone()
    assert row == ("failed", 1)
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_info[1] if r.exc_info else ''}" for r in caplog.records
    )
    assert "FontMissing" in logged or "CJK font not found" in logged, logged
    assert str(missing) in logged and "fonts-noto-cjk" in logged
