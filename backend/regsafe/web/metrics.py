"""Prometheus metrics: GraphQL operations by name (known names only) and type, HTTP
requests, DB pool."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from regsafe.web.operation_names import FRONTEND

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
    "regsafe_db_pool_connections", "DB pool connections by state", ["state"], registry=REGISTRY
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


def watch_pool(stats: Callable[[], dict[str, int]]) -> None:
    def reader(state: str) -> Callable[[], float]:
        return lambda: float(stats().get(state, 0))

    for state in ("size", "checked_out", "overflow", "checked_in"):
        DB_POOL.labels(state).set_function(reader(state))
