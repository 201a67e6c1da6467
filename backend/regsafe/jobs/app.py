"""The procrastinate app: one queue table in the platform's PostgreSQL. Tasks live in
their domains as blueprints; this module only assembles them."""

from __future__ import annotations

import procrastinate

from regsafe.certificates import tasks as certificate_tasks
from regsafe.core.db import to_libpq_url
from regsafe.core.settings import JOB_QUEUE_POOL_SIZE
from regsafe.education.tasks import blueprint as education_tasks
from regsafe.identity.tasks import blueprint as identity_tasks
from regsafe.practice.tasks import blueprint as practice_tasks
from regsafe.registration import tasks as registration_tasks

app = procrastinate.App(connector=procrastinate.PsycopgConnector())
app.add_tasks_from(identity_tasks, namespace="")
app.add_tasks_from(registration_tasks.blueprint, namespace="")
app.add_tasks_from(education_tasks, namespace="")
app.add_tasks_from(certificate_tasks.blueprint, namespace="")
app.add_tasks_from(practice_tasks, namespace="")
# Renewals deemed approved by the worker get their certificates like approvals do.
registration_tasks.use_certificate_issuer(certificate_tasks.issuer)


def configured_app(database_url: str) -> procrastinate.App:
    """The app bound to a real connection pool (for the worker). The connector is swapped
    on the one app object rather than copied (``with_connector``): tasks, and the periodic
    deferrer through them, keep a link to the app they were registered on."""
    # A fixed pool (psycopg_pool's default size, stated so the connection budget in
    # core.settings.connection_plan counts what really opens).
    connector = procrastinate.PsycopgConnector(
        conninfo=to_libpq_url(database_url),
        min_size=JOB_QUEUE_POOL_SIZE,
        max_size=JOB_QUEUE_POOL_SIZE,
    )
    app.connector = connector
    app.job_manager.connector = connector
    return app
