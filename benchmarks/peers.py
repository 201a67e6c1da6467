"""Benchmark: RegSafe's read path against PostGraphile 5 and raw SQL, on one PostgreSQL.

    .venv/bin/python benchmarks/peers.py --people 100000
    .venv/bin/python benchmarks/peers.py --people 2000 --rounds 30 --slice 1 --slices 2  # smoke

Builds a scratch database with the project's seeders (persons, employers, employments,
registrations, certificates, hour records, practice records, credit scores, applications),
then runs four HTTP servers on it, each a real subprocess:

- ``regsafe``: ``regsafe serve``, one uvicorn worker, a provincial reviewer's token;
- ``postgraphile``: PostGraphile 5 (amber preset, benchmarks/peers/), as the table owner;
- ``postgraphile_rls``: the same, every request as a role under row-level-security
  policies equal to the reviewer's province scope (``app.province`` set by pgSettings and
  read once per statement); the peer the goal counts;
- ``sql``: one hand-written SQL statement per workload building the answer JSON with
  json_build_object/json_agg, behind starlette + uvicorn (the floor).

Every workload's answers are checked equal across the four (after normalising node ids
and the shapes of the two schemas) before anything is timed. Requests of the four systems
are interleaved: at concurrency 1 round-robin one request each (p50/p95), at concurrency 8
in alternating time slices (throughput), reading the CPU time of each server process and
of its PostgreSQL backends (by application_name) from /proc. Results:
benchmarks/results/peers.json with a top-level ``ratios`` object; docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from harness import on_scratch_database, random_key, write_result

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS_DIR = HERE / "peers"
NODE = PEERS_DIR / "node_modules" / "node" / "bin" / "node"
POSTGRAPHILE = PEERS_DIR / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
PROVINCE = "440000"
SCOPE = PROVINCE[:2] + "%"  # the reviewer's region reach, as RegionReach.sql writes it
SYSTEMS = ("regsafe", "postgraphile", "postgraphile_rls", "sql")
CLK_TCK = os.sysconf("SC_CLK_TCK")
POOL = 10  # connections per server (RegSafe's db_pool_size default, node-postgres' max)


# --- dataset ----------------------------------------------------------------------------

# A certificate per active registration, written set-based: real numbers' layout (AQ +
# year + province + specialty + sequence + check), the masked holder fields as issuance
# stores them, placeholder payload and signature (this benchmark only reads).
CERTIFICATES = """
INSERT INTO certificate (number, registration_id, person_id, employer_id, kind, status,
    holder_name_masked, id_number_masked, holder_blind_index, specialty, employer_name,
    employer_credit_code, valid_from, valid_until, issued_at, payload, signature, key_id,
    status_list_index, leaf_index)
SELECT 'AQ' || extract(year FROM r.valid_from)::int || '44'
         || (CASE r.specialty WHEN 'COAL_MINE' THEN 'MK' WHEN 'METAL_NONMETAL_MINE' THEN 'JK'
             WHEN 'CHEMICAL' THEN 'HG' WHEN 'METAL_SMELTING' THEN 'YJ'
             WHEN 'CONSTRUCTION' THEN 'JZ' WHEN 'ROAD_TRANSPORT' THEN 'DL' ELSE 'QT' END)
         || lpad(r.id::text, 6, '0') || '0',
       r.id, r.person_id, r.employer_id, 'ISSUED', 'ACTIVE',
       left(p.name, 1) || repeat('*', greatest(length(p.name) - 1, 0)),
       left(p.region_code, 6) || '********000X', p.id_number_index, r.specialty,
       em.name, em.credit_code, r.valid_from, r.valid_until,
       r.valid_from::timestamptz, '\\x7b7d'::bytea, '\\x00'::bytea, 'bench', r.id, r.id
FROM registration r JOIN person p ON p.id = r.person_id JOIN employer em ON em.id = r.employer_id
WHERE r.status = 'ACTIVE'
"""


def build_dataset(url: str, settings: Any, people: int) -> dict[str, Any]:
    """The benchmarks' own seeders: `regsafe seed` (persons, employers, employments, demo
    users), credit.py's fill (registrations, practice records and evaluations, hour
    records, credit events and disputes), review_queue.py's applications, certificates,
    then the full credit recompute (credit scores)."""
    import credit as credit_bench
    import review_queue as queue_bench

    from regsafe.core.clock import today_shanghai
    from regsafe.core.db import to_libpq_url
    from regsafe.core.runtime import Runtime
    from regsafe.practice import credit
    from regsafe.seed import seed

    today = today_shanghai()
    now = datetime.now(UTC)
    seconds: dict[str, float] = {}

    async def seed_and_score(step: str) -> None:
        rt = Runtime.from_settings(settings)
        try:
            t = time.perf_counter()
            if step == "seed":
                await seed(rt.db, rt.cipher, people=people, province=PROVINCE, today=today)
            else:
                async with rt.db.session() as s:
                    await credit.recompute_all(s, settings=settings, now=now, commit_each_page=True)
                    await s.commit()
            seconds[step] = round(time.perf_counter() - t, 1)
        finally:
            await rt.db.dispose()

    asyncio.run(seed_and_score("seed"))
    with psycopg.connect(to_libpq_url(url)) as conn:
        users = conn.execute("SELECT min(id), max(id) FROM app_user").fetchone()
        assert users is not None
        params = {"today": today, "now": now, "engineers": people, "per": 2}
        params |= {"user": users[0], "other": users[1]}
        for name, statement in (
            ("registrations", credit_bench.REGISTER),
            ("practice_records", credit_bench.RECORDS),
            ("evaluations", credit_bench.EVALUATIONS),
            ("corrections", credit_bench.CORRECTIONS),
            ("hour_records", credit_bench.HOURS),
            ("credit_events", credit_bench.EVENTS),
            ("disputes", credit_bench.DISPUTES),
            ("certificates", CERTIFICATES),
        ):
            t = time.perf_counter()
            conn.execute(statement, params)  # type: ignore[arg-type]
            seconds[name] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        conn.execute(queue_bench.FILL)  # type: ignore[arg-type]  # no parameters: % literal
        seconds["applications"] = round(time.perf_counter() - t, 1)
        conn.commit()
    asyncio.run(seed_and_score("credit_scores"))
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM employer),"
            " (SELECT count(*) FROM registration), (SELECT count(*) FROM certificate),"
            " (SELECT count(*) FROM hour_record), (SELECT count(*) FROM practice_record),"
            " (SELECT count(*) FROM credit_score), (SELECT count(*) FROM application),"
            " (SELECT count(*) FROM person WHERE region_code LIKE %s)",
            (SCOPE,),
        ).fetchone()
    assert counts is not None
    names = ("persons", "employers", "registrations", "certificates", "hour_records")
    names += ("practice_records", "credit_scores", "applications", "persons_in_scope")
    return {"counts": dict(zip(names, counts, strict=True)), "seconds": seconds}


# --- PostGraphile's side of the database -------------------------------------------------

# Computed columns PostGraphile exposes on Person (`<table>_<name>(row)` → field `name`)
# and the queue counts as a query field: what RegSafe's resolvers compute, as SQL.
PEER_FUNCTIONS = """
CREATE FUNCTION person_current_employment(p person) RETURNS employment
LANGUAGE sql STABLE AS $$
  SELECT e.* FROM employment e WHERE e.person_id = p.id AND e.end_date IS NULL
$$;
CREATE FUNCTION person_active_registration(p person) RETURNS registration
LANGUAGE sql STABLE AS $$
  SELECT r.* FROM registration r WHERE r.person_id = p.id AND r.status = 'ACTIVE'
$$;
CREATE FUNCTION person_current_certificate(p person) RETURNS certificate
LANGUAGE sql STABLE AS $$
  SELECT c.* FROM certificate c
  WHERE c.person_id = p.id AND c.status = 'ACTIVE'
    AND (now() AT TIME ZONE 'Asia/Shanghai')::date BETWEEN c.valid_from AND c.valid_until
$$;
CREATE TYPE review_queue_counts_t AS
  (total int, breached int, due_soon int, on_time int, unclaimed int);
CREATE FUNCTION review_queue_counts(stage text, province text) RETURNS review_queue_counts_t
LANGUAGE sql STABLE AS $$
  SELECT count(*)::int,
         count(*) FILTER (WHERE due_at < now())::int,
         count(*) FILTER (WHERE due_at >= now() AND due_at <= now() + interval '3 days')::int,
         count(*) FILTER (WHERE due_at > now() + interval '3 days')::int,
         count(*) FILTER (WHERE preliminary_reviewer_id IS NULL)::int
  FROM application
  WHERE stage = 'PRELIMINARY' AND status IN ('SUBMITTED', 'PRELIMINARY_REVIEW')
    AND review_scope = 'PROVINCE' AND province_code = province
$$;
"""
# The provincial reviewer's scope as policies (identity/scopes.person_scope: region prefix;
# registration/scopes.application_scope: no drafts, the province's PROVINCE queue). The
# setting is read in a sub-select, so once per statement (an InitPlan), not per row.
# Employers, employments and the person's registration, certificate, hours and score are
# reached only through a visible person in these workloads, as in RegSafe's resolvers,
# so they carry no policy of their own (fewer policies can only make the peer faster).
RLS = """
CREATE ROLE {role} NOLOGIN;
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
CREATE POLICY reviewer_province ON person FOR SELECT TO {role}
  USING (region_code LIKE (SELECT left(current_setting('app.province'), 2) || '%'));
ALTER TABLE application ENABLE ROW LEVEL SECURITY;
CREATE POLICY reviewer_queue ON application FOR SELECT TO {role}
  USING (status <> 'DRAFT' AND review_scope = 'PROVINCE'
         AND province_code = (SELECT current_setting('app.province')));
"""


def prepare_peers(url: str, role: str) -> dict[str, Any]:
    """Functions and policies for PostGraphile; proves the policies filter (another
    province sees no person) and do not bind the table owner."""
    from regsafe.core.db import to_libpq_url

    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute(PEER_FUNCTIONS)  # type: ignore[arg-type]
        conn.execute(RLS.format(role=role))  # type: ignore[arg-type]
        with conn.transaction():
            conn.execute(f"SET LOCAL ROLE {role}")  # type: ignore[arg-type]
            conn.execute("SELECT set_config('app.province', '450000', true)")
            other = conn.execute("SELECT count(*) FROM person").fetchone()
            conn.execute("SELECT set_config('app.province', %s, true)", (PROVINCE,))
            own = conn.execute("SELECT count(*) FROM person").fetchone()
        assert other is not None and own is not None
        assert other[0] == 0, "the RLS policy lets another province see persons"
    return {"persons_seen_by_other_province": other[0], "persons_seen_by_reviewer": own[0]}


# --- the raw-SQL endpoint ------------------------------------------------------------------

_PERSON_JSON = """json_build_object(
  'id', encode(convert_to('Person:' || p.id, 'UTF8'), 'base64'),
  'name', p.name, 'gender', p.gender, 'regionCode', p.region_code, 'specialty', p.specialty,
  'currentEmployment', (
    SELECT json_build_object('employer',
             json_build_object('name', em.name, 'creditCode', em.credit_code))
    FROM employment e JOIN employer em ON em.id = e.employer_id
    WHERE e.person_id = p.id AND e.end_date IS NULL){extra})"""
_PAGE_SQL = """SELECT json_build_object('data', json_build_object('persons', json_build_object(
  'totalCount', (SELECT count(*) FROM person WHERE region_code LIKE %(scope)s),
  'edges', coalesce((
    SELECT json_agg(json_build_object('node', {person}) ORDER BY p.id)
    FROM (SELECT * FROM person WHERE region_code LIKE %(scope)s ORDER BY id LIMIT %(n)s) p),
    '[]'::json))))::text"""
# The engineer's status at a glance (the reviewer's list): registration, certificate,
# credit score, each null when absent, as RegSafe's Person fields answer.
_STATUS_JSON = """,
  'registration', (SELECT json_build_object('status', r.status, 'validUntil', r.valid_until)
    FROM registration r WHERE r.person_id = p.id AND r.status = 'ACTIVE'),
  'currentCertificate', (SELECT json_build_object('number', c.number, 'validUntil', c.valid_until)
    FROM certificate c WHERE c.person_id = p.id AND c.status = 'ACTIVE'
      AND (now() AT TIME ZONE 'Asia/Shanghai')::date BETWEEN c.valid_from AND c.valid_until),
  'creditScore', (SELECT json_build_object('value', s.value, 'grade', s.grade)
    FROM credit_score s WHERE s.person_id = p.id)"""
SQL: dict[str, str] = {
    "persons": _PAGE_SQL.format(person=_PERSON_JSON.format(extra="")),
    "persons_status": _PAGE_SQL.format(person=_PERSON_JSON.format(extra=_STATUS_JSON)),
    "node": """SELECT json_build_object('data', json_build_object('node', (
  SELECT {person} FROM person p
  WHERE p.id = split_part(convert_from(decode(%(id)s, 'base64'), 'UTF8'), ':', 2)::bigint
    AND p.region_code LIKE %(scope)s)))::text""".format(person=_PERSON_JSON.format(extra="")),
    "counts": """SELECT json_build_object('data', json_build_object('reviewQueueCounts',
  json_build_object(
    'total', count(*),
    'breached', count(*) FILTER (WHERE due_at < now()),
    'dueSoon', count(*) FILTER (WHERE due_at >= now() AND due_at <= now() + interval '3 days'),
    'onTime', count(*) FILTER (WHERE due_at > now() + interval '3 days'),
    'unclaimed', count(*) FILTER (WHERE preliminary_reviewer_id IS NULL))))::text
FROM application
WHERE status IN ('SUBMITTED', 'PRELIMINARY_REVIEW') AND review_scope = 'PROVINCE'
  AND province_code = %(province)s""",
}


def serve_sql(dsn: str, port: int) -> None:
    """The raw-SQL peer: POST /w/<workload> with the parameters as JSON; one statement,
    its JSON text returned as is. Same HTTP stack as RegSafe (starlette + uvicorn)."""
    import uvicorn
    from psycopg_pool import AsyncConnectionPool
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    pool = AsyncConnectionPool(dsn, min_size=POOL, max_size=POOL, open=False)

    async def answer(request: Request) -> Response:
        statement = SQL.get(request.path_params["name"])
        if statement is None:
            return Response(b'{"errors":[{"message":"no such workload"}]}', status_code=404)
        args = {"scope": SCOPE, "province": PROVINCE, **(await request.json())}
        async with pool.connection() as conn:
            row = await (await conn.execute(statement, args)).fetchone()  # type: ignore[arg-type]
        assert row is not None
        return Response(row[0].encode(), media_type="application/json")

    async def lifespan(_: Starlette) -> Any:
        await pool.open()
        yield
        await pool.close()

    app = Starlette(routes=[Route("/w/{name}", answer, methods=["POST"])], lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- workloads -----------------------------------------------------------------------------

_EMPLOYMENT = "currentEmployment { employer { name creditCode } }"
_RS_PERSON = "id name gender regionCode specialty " + _EMPLOYMENT
_PG_PERSON = "id name gender regionCode specialty " + _EMPLOYMENT.replace(
    "employer ", "employerByEmployerId "
)
_RS_STATUS = (
    " registration { status validUntil } currentCertificate { number validUntil }"
    " creditScore { value grade }"
)
_PG_STATUS = (
    " activeRegistration { status validUntil } currentCertificate { number validUntil }"
    " creditScoreByPersonId { value grade }"
)
RS_QUERIES = {
    "persons": "query PersonsPage($n: Int!) { persons(first: $n) { totalCount edges { node { "
    + _RS_PERSON
    + " } } } }",
    "persons_status": "query PersonsStatus($n: Int!) { persons(first: $n) { totalCount edges { "
    "node { " + _RS_PERSON + _RS_STATUS + " } } } }",
    "node": "query PersonNode($id: ID!) { node(id: $id) { ... on Person { " + _RS_PERSON + " } } }",
    "counts": "query QueueCounts { reviewQueueCounts(stage: PRELIMINARY) "
    "{ total breached dueSoon onTime unclaimed } }",
}
PG_QUERIES = {
    "persons": "query PersonsPage($n: Int!) { allPeople(first: $n, orderBy: PRIMARY_KEY_ASC) "
    "{ totalCount nodes { " + _PG_PERSON + " } } }",
    "persons_status": "query PersonsStatus($n: Int!) { allPeople(first: $n, "
    "orderBy: PRIMARY_KEY_ASC) { totalCount nodes { " + _PG_PERSON + _PG_STATUS + " } } }",
    "node": "query PersonNode($id: ID!) { node(id: $id) { ... on Person { " + _PG_PERSON + " } } }",
    "counts": 'query QueueCounts { reviewQueueCounts(stage: "PRELIMINARY", province: "'
    + PROVINCE
    + '") { total breached dueSoon onTime unclaimed } }',
}
WORKLOADS: dict[str, str] = {
    "persons": "persons(first: 50) with current employment → employer, totalCount",
    "persons_status": "the same page with registration, current certificate, credit score",
    "node": "node(id:) of a person, with current employment → employer",
    "counts": "reviewQueueCounts(stage: PRELIMINARY)",
}
PAGE = 50


def pk_of(node_id: str) -> int:
    """RegSafe's relay id (base64 "Person:7") or PostGraphile's (base64 '["Person","7"]')."""
    text = base64.b64decode(node_id).decode()
    if text.startswith("["):
        return int(json.loads(text)[-1])
    return int(text.rsplit(":", 1)[1])


def _person(node: dict[str, Any] | None, pg: bool) -> dict[str, Any] | None:
    if node is None:
        return None
    job = node.get("currentEmployment")
    employer = (job or {}).get("employerByEmployerId" if pg else "employer")
    return {
        "id": pk_of(node["id"]),
        "name": node["name"],
        "gender": node["gender"],
        "regionCode": node["regionCode"],
        "specialty": node["specialty"],
        "employer": employer,
    } | _status(node, pg)


def _status(node: dict[str, Any], pg: bool) -> dict[str, Any]:
    """The status fields, when the workload asks for them, under RegSafe's names."""
    names = {
        "registration": "activeRegistration" if pg else "registration",
        "currentCertificate": "currentCertificate",
        "creditScore": "creditScoreByPersonId" if pg else "creditScore",
    }
    return {ours: node[theirs] for ours, theirs in names.items() if theirs in node}


def normalise(workload: str, system: str, body: bytes) -> Any:
    """One canonical form per workload, whatever the schema's shape; raises on errors."""
    doc = json.loads(body)
    if doc.get("errors"):
        raise AssertionError(f"{system} {workload}: {doc['errors']}")
    data = doc["data"]
    pg = system.startswith("postgraphile")
    if workload.startswith("persons"):
        page = data["allPeople"] if pg else data["persons"]
        nodes = page["nodes"] if pg else [e["node"] for e in page["edges"]]
        return {"totalCount": int(page["totalCount"]), "persons": [_person(n, pg) for n in nodes]}
    if workload == "node":
        return _person(data["node"], pg)
    return {k: int(v) for k, v in data["reviewQueueCounts"].items()}


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log: Path
    cwd: Path = ROOT
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        out = self.log.open("ab")
        # its own session: stopped by its own process group id, nothing else
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}:\n{tail(self.log)}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=2
                ):
                    return
            except urllib.error.HTTPError:
                return  # it answers HTTP (a 4xx to a bare GET is an answer)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start in {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def with_app_name(url: str, name: str) -> str:
    return url + ("&" if "?" in url else "?") + f"application_name={name}"


def ed25519_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def make_servers(url: str, secrets_env: dict[str, str], role: str, logs: Path) -> list[Server]:
    regsafe = str(Path(sys.executable).parent / "regsafe")
    help_text = subprocess.run(
        [regsafe, "serve", "--help"], capture_output=True, text=True, check=True
    ).stdout
    serve = [regsafe, "serve"] + (["--workers", "1"] if "--workers" in help_text else [])
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("REGSAFE_", "PEERS_"))}
    ports = {s: free_port() for s in SYSTEMS}
    rs_env = (
        base_env
        | secrets_env
        | {
            "REGSAFE_ENV": "prod",
            "REGSAFE_DATABASE_URL": with_app_name(url, "peers_regsafe"),
            "REGSAFE_HOST": "127.0.0.1",
            "REGSAFE_PORT": str(ports["regsafe"]),
            "REGSAFE_DATA_DIR": str(logs / "regsafe-data"),
            "REGSAFE_SPA_DIR": str(logs / "no-spa"),
            # No object store is needed to read: a closed port (start-up logs a warning).
            "REGSAFE_S3_ENDPOINT": f"127.0.0.1:{free_port()}",
            "REGSAFE_S3_ACCESS_KEY": "unused",
            "REGSAFE_S3_SECRET_KEY": "unused-unused",
            "REGSAFE_ACCESS_TOKEN_SECONDS": "14400",
        }
    )
    servers = [Server("regsafe", serve, rs_env, ports["regsafe"], "/healthz", logs / "regsafe.log")]
    for name, mode in (("postgraphile", "plain"), ("postgraphile_rls", "rls")):
        env = base_env | {
            "NODE_ENV": "production",
            "PEERS_MODE": mode,
            "PEERS_ROLE": role,
            "PEERS_PROVINCE": PROVINCE,
            "PEERS_POOL": str(POOL),
            "PEERS_PORT": str(ports[name]),
            "PEERS_DATABASE_URL": with_app_name(url, f"peers_{name}"),
        }
        argv = [str(NODE), str(POSTGRAPHILE), "-C", "graphile.config.mjs"]
        servers.append(
            Server(name, argv, env, ports[name], "/graphql", logs / f"{name}.log", cwd=PEERS_DIR)
        )
    sql_argv = [sys.executable, str(Path(__file__).resolve()), "--serve-sql", str(ports["sql"])]
    sql_env = base_env | {"PEERS_DATABASE_URL": with_app_name(url, "peers_sql")}
    servers.append(Server("sql", sql_argv, sql_env, ports["sql"], "/w/none", logs / "sql.log"))
    return servers


def ensure_postgraphile() -> None:
    if NODE.exists() and POSTGRAPHILE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: needed once to install benchmarks/peers (npm ci)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PEERS_DIR, check=True
    )


# --- /proc -----------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from "state" on (comm may hold spaces)


def tree(pid: int) -> list[int]:
    """The process and its descendants (a server that forks workers is measured whole)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        fields = _stat(pid)
        if fields:  # utime, stime are fields 14 and 15 (1-based) of /proc/<pid>/stat
            out[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


class CpuMeter:
    """CPU seconds of each system's server process tree and of its PostgreSQL backends
    (found by application_name in pg_stat_activity on a monitoring connection)."""

    def __init__(self, dsn: str, servers: dict[str, Server]) -> None:
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.servers = servers

    def backends(self, system: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (f"peers_{system}",)
        ).fetchall()
        return [int(r[0]) for r in rows]

    def snapshot(self, system: str) -> tuple[dict[int, float], dict[int, float]]:
        proc = self.servers[system].proc
        assert proc is not None
        return cpu_seconds(tree(proc.pid)), cpu_seconds(self.backends(system))

    @staticmethod
    def delta(before: dict[int, float], after: dict[int, float]) -> float:
        # processes that appeared meanwhile count from zero; ones that ended are lost
        return sum(v - before.get(pid, 0.0) for pid, v in after.items())


# --- a lean HTTP/1.1 keep-alive client ------------------------------------------------------


class Http:
    """One keep-alive connection; requests are pre-encoded bytes, so the client's own CPU
    per request stays small next to the servers' (it is measured and reported too)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def open(self) -> None:
        await self.close()
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.used = time.monotonic()

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def fresh(self) -> None:
        """Reconnect before a timed request if the server may have dropped us (idle)."""
        if self.writer is None or time.monotonic() - self.used > 2.0:
            await self.open()

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                await self.open()
            assert self.reader is not None and self.writer is not None
            try:
                self.writer.write(raw)
                head = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (asyncio.IncompleteReadError, ConnectionError):
                await self.close()
                if attempt == 2:
                    raise
        status = int(head[9:12])
        length, chunked, close = None, False, False
        for line in head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            key = key.strip().lower()
            if key == b"content-length":
                length = int(value)
            elif key == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif key == b"connection":
                close = b"close" in value.lower()
        if length is not None:
            body = await self.reader.readexactly(length)
        elif chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            close = True
        if close:
            await self.close()
        self.used = time.monotonic()
        return status, body


def post(port: int, path: str, payload: Any, headers: dict[str, str] | None = None) -> bytes:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


# --- measurement -------------------------------------------------------------------------------


@dataclass
class Target:
    """One system's requests for one workload: ``bodies[i % len]`` is request i."""

    system: str
    port: int
    bodies: list[bytes]


@dataclass
class Measured:
    latencies_ms: list[float] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    db_cpu: float = 0.0
    client_cpu: float = 0.0
    rss_mb: float = 0.0
    bad: int = 0


def ok(status: int, body: bytes) -> bool:
    return status == 200 and b'"errors"' not in body[:64] and b'"errors":' not in body[-400:]


async def latency_round(targets: list[Target], i: int, out: dict[str, Measured] | None) -> None:
    order = targets[i % len(targets) :] + targets[: i % len(targets)]  # rotate who goes first
    for t in order:
        conn = CONNS[t.system]
        await conn.fresh()
        raw = t.bodies[i % len(t.bodies)]
        started = time.perf_counter()
        status, body = await conn.send(raw)
        elapsed = (time.perf_counter() - started) * 1000
        if out is not None:
            m = out[t.system]
            m.latencies_ms.append(elapsed)
            m.bad += not ok(status, body)


CONNS: dict[str, Http] = {}


async def burst(t: Target, seconds: float, concurrency: int, meter: CpuMeter, m: Measured) -> None:
    conns = [Http(t.port) for _ in range(concurrency)]
    await asyncio.gather(*(c.open() for c in conns))
    server0, db0 = meter.snapshot(t.system)
    client0 = time.process_time()
    started = time.perf_counter()
    stop = started + seconds
    done = 0
    bad = 0

    async def worker(c: Http, k: int) -> None:
        nonlocal done, bad
        i = k
        while time.perf_counter() < stop:
            status, body = await c.send(t.bodies[i % len(t.bodies)])
            done += 1
            bad += not ok(status, body)
            i += concurrency

    await asyncio.gather(*(worker(c, k) for k, c in enumerate(conns)))
    elapsed = time.perf_counter() - started
    client1 = time.process_time()
    server1, db1 = meter.snapshot(t.system)
    proc = meter.servers[t.system].proc
    assert proc is not None
    m.rss_mb = max(m.rss_mb, rss_mb(tree(proc.pid)))
    for c in conns:
        await c.close()
    m.requests += done
    m.bad += bad
    m.seconds += elapsed
    m.server_cpu += CpuMeter.delta(server0, server1)
    m.db_cpu += CpuMeter.delta(db0, db1)
    m.client_cpu += client1 - client0


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


def summarise(m: Measured) -> dict[str, Any]:
    n = max(m.requests, 1)
    return {
        "p50_ms": round(statistics.median(m.latencies_ms), 2),
        "p95_ms": round(pct(m.latencies_ms, 0.95), 2),
        "latency_samples": len(m.latencies_ms),
        "throughput_rps": round(m.requests / m.seconds, 1) if m.seconds else None,
        "throughput_requests": m.requests,
        "server_cpu_ms_per_request": round(m.server_cpu * 1000 / n, 3),
        "db_cpu_ms_per_request": round(m.db_cpu * 1000 / n, 3),
        "client_cpu_ms_per_request": round(m.client_cpu * 1000 / n, 3),
        "rss_mb": m.rss_mb,
        "errors": m.bad,
    }


# --- the run ---------------------------------------------------------------------------------


def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    from regsafe.core.db import to_libpq_url
    from regsafe.core.settings import Settings

    keys = {
        "REGSAFE_SECRET_KEY": random_key(),
        "REGSAFE_DATA_KEYS": f"b1:{random_key()}",
        "REGSAFE_DATA_KEY_ID": "b1",
        "REGSAFE_BLIND_INDEX_KEY": random_key(),
        "REGSAFE_CERTIFICATE_SIGNING_KEY": ed25519_pem(),
    }
    settings = Settings(
        database_url=url,
        env="test",
        secret_key=keys["REGSAFE_SECRET_KEY"],
        data_keys=keys["REGSAFE_DATA_KEYS"],
        data_key_id="b1",
        blind_index_key=keys["REGSAFE_BLIND_INDEX_KEY"],
    )
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    dataset = build_dataset(url, settings, args.people)
    dataset["build_seconds"] = round(time.perf_counter() - t0, 1)
    print(f"dataset: {dataset['counts']} in {dataset['build_seconds']} s", flush=True)
    role = f"peers_reviewer_{secrets.token_hex(3)}"
    ROLES.append(role)
    rls_check = prepare_peers(url, role)
    libpq = to_libpq_url(url)
    logs = Path(tempfile.mkdtemp(prefix="regsafe-peers-"))
    servers = make_servers(libpq, keys, role, logs)
    by_name = {s.name: s for s in servers}
    try:
        for s in servers:
            s.start()
        for s in servers:
            s.wait_ready()
        print(f"servers up (logs in {logs})", flush=True)
        result = uvloop_run(measure(libpq, by_name, args))
    finally:
        for s in servers:
            s.stop()
    load_after = os.getloadavg()
    result["dataset"] = dataset
    result["rls_check"] = rls_check
    result["machine"] = machine(libpq, load_before, load_after)
    result["people"] = args.people
    result["logs"] = str(logs)
    return result


ROLES: list[str] = []


def uvloop_run(coro: Any) -> Any:
    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


async def login(port: int) -> str:
    from regsafe.seed import DEMO_PASSWORD

    c = Http(port)
    status, body = await c.send(
        post(
            port,
            "/graphql",
            {
                "query": "mutation($u: String!, $p: String!) { tokenCreate(username: $u, "
                "password: $p) { token { accessToken } errors { code message } } }",
                "variables": {"u": "reviewer", "p": DEMO_PASSWORD},
            },
        )
    )
    await c.close()
    doc = json.loads(body)
    token = ((doc.get("data") or {}).get("tokenCreate") or {}).get("token")
    if status != 200 or not token:
        raise RuntimeError(f"tokenCreate failed: {status} {body[:300]!r}")
    return str(token["accessToken"])


def targets_for(
    workload: str, ports: dict[str, int], token: str, node_ids: list[int]
) -> list[Target]:
    auth = {"Authorization": f"Bearer {token}"}

    def rs_id(pk: int) -> str:
        return base64.b64encode(f"Person:{pk}".encode()).decode()

    def pg_id(pk: int) -> str:
        return base64.b64encode(
            json.dumps(["Person", str(pk)], separators=(",", ":")).encode()
        ).decode()

    if workload == "node":
        rs = [{"query": RS_QUERIES["node"], "variables": {"id": rs_id(pk)}} for pk in node_ids]
        pg = [{"query": PG_QUERIES["node"], "variables": {"id": pg_id(pk)}} for pk in node_ids]
        sq: list[dict[str, Any]] = [{"id": rs_id(pk)} for pk in node_ids]
    else:
        variables = {"n": PAGE} if workload.startswith("persons") else {}
        rs = [{"query": RS_QUERIES[workload], "variables": variables}]
        pg = [{"query": PG_QUERIES[workload], "variables": variables}]
        sq = [variables]
    return [
        Target(
            "regsafe", ports["regsafe"], [post(ports["regsafe"], "/graphql", b, auth) for b in rs]
        ),
        *(
            Target(name, ports[name], [post(ports[name], "/graphql", b) for b in pg])
            for name in ("postgraphile", "postgraphile_rls")
        ),
        Target("sql", ports["sql"], [post(ports["sql"], f"/w/{workload}", b) for b in sq]),
    ]


async def check_equal(workload: str, targets: list[Target], samples: int) -> dict[str, Any]:
    """The same answer from every system (canonical form), for ``samples`` request bodies."""
    compared = 0
    for i in range(min(samples, len(targets[0].bodies))):
        answers = {}
        for t in targets:
            conn = CONNS[t.system]
            await conn.fresh()
            status, body = await conn.send(t.bodies[i])
            if status != 200:
                raise AssertionError(f"{t.system} {workload}: HTTP {status}: {body[:300]!r}")
            answers[t.system] = normalise(workload, t.system, body)
        reference = answers["regsafe"]
        if reference is None or reference == {} or reference == {"totalCount": 0, "persons": []}:
            raise AssertionError(f"{workload}: RegSafe's answer is empty: {reference}")
        for system, answer in answers.items():
            if answer != reference:
                raise AssertionError(
                    f"{workload}: {system} differs from regsafe\n"
                    f"  regsafe: {json.dumps(reference, ensure_ascii=False)[:800]}\n"
                    f"  {system}: {json.dumps(answer, ensure_ascii=False)[:800]}"
                )
        compared += 1
    return {"equal": True, "answers_compared": compared, "systems": list(answers)}


async def measure(dsn: str, servers: dict[str, Server], args: argparse.Namespace) -> dict[str, Any]:
    ports = {name: s.port for name, s in servers.items()}
    token = await login(ports["regsafe"])
    with psycopg.connect(dsn) as conn:
        ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM person WHERE region_code LIKE %s ORDER BY id", (SCOPE,)
            )
        ]
    node_ids = random.Random(7).sample(ids, min(args.node_ids, len(ids)))
    for name, port in ports.items():
        CONNS[name] = Http(port)
    meter = CpuMeter(dsn, servers)
    workloads: dict[str, Any] = {}
    try:
        for workload, description in WORKLOADS.items():
            targets = targets_for(workload, ports, token, node_ids)
            checks = await check_equal(workload, targets, args.check_samples)
            print(f"[{workload}] answers equal across {len(targets)} systems", flush=True)
            for i in range(args.warmup):
                await latency_round(targets, i, None)
            measured = {t.system: Measured() for t in targets}
            for i in range(args.rounds):
                await latency_round(targets, i, measured)
            for rep in range(args.slices):
                order = targets[rep % len(targets) :] + targets[: rep % len(targets)]
                for t in order:
                    await burst(t, args.slice, args.concurrency, meter, measured[t.system])
            workloads[workload] = {
                "description": description,
                "equality": checks,
                "systems": {name: summarise(m) for name, m in measured.items()},
            }
            print_workload(workload, workloads[workload], flush=True)
    finally:
        for c in CONNS.values():
            await c.close()
        meter.conn.close()
    server_rss = {name: rss_mb(tree(s.proc.pid)) for name, s in servers.items() if s.proc}
    return {
        "benchmark": "peers",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "page": PAGE,
            "node_ids": len(node_ids),
            "warmup_rounds": args.warmup,
            "latency_rounds": args.rounds,
            "concurrency": args.concurrency,
            "slice_seconds": args.slice,
            "slices_per_system": args.slices,
            "server_pool": POOL,
            "regsafe": "regsafe serve, one uvicorn worker, REGSAFE_ENV=prod, INFO logs to a file",
        },
        "workloads": workloads,
        "ratios": ratios(workloads),
        "rss_mb_at_end": server_rss,
    }


def ratios(workloads: dict[str, Any]) -> dict[str, Any]:
    return {name: ratio_row(w["systems"]) for name, w in workloads.items()}


def ratio_row(s: dict[str, Any]) -> dict[str, Any]:
    rs, plain, rls, sql = (s[k] for k in SYSTEMS)

    def div(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a and b else None

    row = {
        "throughput_vs_postgraphile": div(rs["throughput_rps"], rls["throughput_rps"]),
        "p50_vs_sql": div(rs["p50_ms"], sql["p50_ms"]),
        "throughput_vs_postgraphile_plain": div(rs["throughput_rps"], plain["throughput_rps"]),
        "p50_vs_postgraphile": div(rs["p50_ms"], rls["p50_ms"]),
        "server_cpu_vs_postgraphile": div(
            rs["server_cpu_ms_per_request"], rls["server_cpu_ms_per_request"]
        ),
    }
    t, p = row["throughput_vs_postgraphile"], row["p50_vs_sql"]
    row["meets_goal"] = bool(t is not None and t >= 1.0 and p is not None and p <= 1.5)
    return row


def machine(dsn: str, before: tuple[float, ...], after: tuple[float, ...]) -> dict[str, Any]:
    with psycopg.connect(dsn) as conn:
        version = conn.execute("SHOW server_version").fetchone()
    node = subprocess.run([str(NODE), "--version"], capture_output=True, text=True).stdout.strip()
    pg_pkg = json.loads((PEERS_DIR / "node_modules" / "postgraphile" / "package.json").read_text())
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "node": node,
        "postgraphile": pg_pkg["version"],
        "postgresql": version[0] if version else "?",
        "loadavg_before": [round(x, 2) for x in before],
        "loadavg_after": [round(x, 2) for x in after],
        "note": "shared machine: other processes ran meanwhile; the systems are interleaved "
        "so each saw the same load; PostgreSQL backends' CPU is per system (application_name)",
    }


# --- output ------------------------------------------------------------------------------


def print_workload(name: str, w: dict[str, Any], flush: bool = False) -> None:
    print(f"\n{name}: {w['description']}")
    print(
        f"  {'system':<18}{'p50 ms':>9}{'p95 ms':>9}{'req/s @8':>10}"
        f"{'srv CPU ms':>12}{'DB CPU ms':>11}{'RSS MB':>8}{'errors':>8}"
    )
    for system, r in w["systems"].items():
        print(
            f"  {system:<18}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['throughput_rps'] or '-':>10}"
            f"{r['server_cpu_ms_per_request']:>12}{r['db_cpu_ms_per_request']:>11}"
            f"{r['rss_mb']:>8}{r['errors']:>8}",
            flush=flush,
        )


def print_summary(result: dict[str, Any]) -> None:
    c = result["dataset"]["counts"]
    m = result["machine"]
    print(
        f"\n{c['persons']:,} persons ({c['persons_in_scope']:,} in the reviewer's province), "
        f"{c['registrations']:,} registrations, {c['certificates']:,} certificates, "
        f"{c['hour_records']:,} hour records, {c['practice_records']:,} practice records, "
        f"{c['credit_scores']:,} credit scores, {c['applications']:,} applications"
    )
    print(
        f"machine: {m['cpus']} CPUs, load {m['loadavg_before']} → {m['loadavg_after']}; "
        f"PostgreSQL {m['postgresql']}, node {m['node']}, PostGraphile {m['postgraphile']}"
    )
    for name, w in result["workloads"].items():
        print_workload(name, w)
    print(f"\n  {'ratios (RegSafe vs)':<22}{'thru/PG-RLS':>12}{'p50/SQL':>9}{'thru/PG':>9}"
          f"{'CPU/PG-RLS':>12}{'goal':>6}")  # fmt: skip
    for name, r in result["ratios"].items():
        print(
            f"  {name:<22}{r['throughput_vs_postgraphile'] or '-':>12}{r['p50_vs_sql'] or '-':>9}"
            f"{r['throughput_vs_postgraphile_plain'] or '-':>9}"
            f"{r['server_cpu_vs_postgraphile'] or '-':>12}{'yes' if r['meets_goal'] else 'no':>6}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds at concurrency 1")
    parser.add_argument("--warmup", type=int, default=30, help="untimed rounds first")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--slice", type=float, default=3.0, help="seconds per throughput slice")
    parser.add_argument("--slices", type=int, default=5, help="throughput slices per system")
    parser.add_argument("--node-ids", type=int, default=64, help="persons node(id:) rotates over")
    parser.add_argument("--check-samples", type=int, default=8, help="node ids compared")
    parser.add_argument("--serve-sql", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sql:
        serve_sql(os.environ["PEERS_DATABASE_URL"], args.serve_sql)
        return 0
    ensure_postgraphile()
    started = time.perf_counter()
    try:
        result = on_scratch_database(lambda url: run(url, args))
    finally:
        drop_roles()
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    write_result("peers", result)
    print_summary(result)
    print(f"\nwritten to benchmarks/results/peers.json ({result['total_seconds']} s in all)")
    return 0


def drop_roles() -> None:
    """The RLS role is cluster-wide; its grants went with the scratch database."""
    server = os.environ.get("REGSAFE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    from regsafe.core.db import to_libpq_url

    with psycopg.connect(to_libpq_url(server), autocommit=True) as conn:
        for role in ROLES:
            conn.execute(f"DROP ROLE IF EXISTS {role}")  # type: ignore[arg-type]


if __name__ == "__main__":
    raise SystemExit(main())
