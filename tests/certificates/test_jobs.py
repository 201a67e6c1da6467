"""The certificate jobs are registered with the worker, the registration job gets its
certificate issuer from the job assembly, and the tree head job signs only when due."""

from __future__ import annotations

from regsafe.certificates import service, tasks
from regsafe.certificates.models import LogTreeHead
from regsafe.core.runtime import Runtime
from regsafe.jobs import app as jobs
from regsafe.registration import tasks as registration_tasks
from tests.certificates.helpers import register
from tests.plugins.identity import World


def test_jobs_are_registered_and_registration_gets_the_issuer(runtime: Runtime) -> None:
    assert {"certificates.sign_tree_head", "certificates.render_pdf"} <= set(jobs.app.tasks)
    assert isinstance(registration_tasks.certificate_issuer(runtime), service.Issuer)


async def test_tree_head_job_signs_when_there_are_new_leaves(
    world: World, runtime: Runtime
) -> None:
    assert await tasks.sign_tree_head.func(timestamp=0) is None  # nothing logged yet
    await register(runtime, world)
    size = await tasks.sign_tree_head.func(timestamp=0)
    assert size is not None and size >= 1
    assert await tasks.sign_tree_head.func(timestamp=0) is None  # nothing new, and too soon
    async with runtime.db.session() as s:
        heads = (await s.exec(LogTreeHead.__table__.select())).all()  # type: ignore[call-overload,attr-defined]
    assert len(heads) == 1
