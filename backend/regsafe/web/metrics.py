"""Prometheus metrics: GraphQL operations by name (known names only) and type, HTTP
requests, DB pool, requests per API worker process.

With several API worker processes (`regsafe serve --workers N`) prometheus-client runs
in multiprocess mode: PROMETHEUS_MULTIPROC_DIR is set before any worker starts, each
process writes its values to files there, and /metrics, answered by whichever worker
the request reaches, sums them (counters, histograms, the pool gauge) or shows them per
process (``regsafe_worker_http_requests{pid}``)."""

from __future__ import annotations

import os
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from regsafe.web.operation_names import FRONTEND

# Decided once, at import, like prometheus-client decides it (values.ValueClass).
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REGISTRY = CollectorRegistry(auto_describe=True)

OPERATIONS = Counter(
    "regsafe_graphql_operations_total",
    "GraphQL operations executed",
    ["operation", "type", "outcome"],
    registry=REGISTRY,
)
OPERATION_SECONDS = Histogram(
    "regsafe_graphql_operation_seconds",
    "GraphQL operation latency",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "regsafe_http_requests_total", "HTTP requests", ["route", "status"], registry=REGISTRY
)
DB_POOL = Gauge(
    "regsafe_db_pool_connections",
    "DB pool connections by state (summed over the live API worker processes)",
    ["state"],
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
# Which worker answered: one series per live process (the pid label is added by the
# multiprocess collector; a single process has one unlabelled series).
WORKER_REQUESTS = Gauge(
    "regsafe_worker_http_requests",
    "HTTP requests answered by each live API worker process since it started",
    registry=REGISTRY,
    multiprocess_mode="liveall",
)

# Operation names come from clients, who may send any: only names of operations we know
# get a label of their own (each costs a counter and a histogram of series), the rest
# share "other".
OTHER = "other"
_known: set[str] = {*FRONTEND, "anonymous"}  # "anonymous": operations without a name


def register_operations(*names: str) -> None:
    """Give operations sent by other clients of ours (scripts, probes) their own label."""
    _known.update(names)


def operation_label(name: str) -> str:
    return name if name in _known else OTHER


def observe_operation(name: str, kind: str, seconds: float, failed: bool) -> None:
    label = operation_label(name)
    OPERATIONS.labels(label, kind, "error" if failed else "ok").inc()
    OPERATION_SECONDS.labels(label, kind).observe(seconds)


POOL_STATES = ("size", "checked_out", "overflow", "checked_in")


def watch_pool(stats: Callable[[], dict[str, int]]) -> Callable[[], None]:
    """Export the pool's state. One process: read at each scrape. Multiprocess mode:
    the other workers' values come from their files, so each process writes its own
    with the returned ``refresh`` (the app calls it every second and before a scrape)."""

    def refresh() -> None:
        current = stats()
        for state in POOL_STATES:
            DB_POOL.labels(state).set(float(current.get(state, 0)))

    if MULTIPROCESS:
        refresh()
        return refresh

    def reader(state: str) -> Callable[[], float]:
        return lambda: float(stats().get(state, 0))

    for state in POOL_STATES:
        DB_POOL.labels(state).set_function(reader(state))
    return lambda: None


def render() -> bytes:
    """The exposition text: this process's registry, or in multiprocess mode the values
    of every worker process (a fresh registry per scrape, as prometheus-client requires)."""
    if not MULTIPROCESS:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)
