"""One settings class for the whole platform (env prefix ``REGSAFE_``).

Secrets have no built-in values: in ``dev`` and ``test`` they are generated once and kept
in ``<data_dir>/secrets.json`` so a second ``make dev`` reads the data it wrote before;
in ``prod`` a missing secret stops the process at start.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


CertificateAlgorithm = Literal["ED25519", "SM2"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGSAFE_", extra="ignore")

    env: Environment = Environment.DEV
    data_dir: Path = Field(
        default=Path(".regsafe"), description="embedded services and dev secrets"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    spa_dir: Path = Path("frontend/web/dist")

    # HTTP worker processes of `regsafe serve` (--workers overrides): 1 in development;
    # in production one per CPU core ("auto" counts the cores this process may use).
    workers: int | Literal["auto"] = 1

    # PostgreSQL; when unset, an embedded cluster under <data_dir>/pg is started.
    database_url: str | None = None
    # SQLAlchemy pool of each process (API worker, job worker): at most size + overflow
    # connections per process.
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # The most PostgreSQL connections one `regsafe serve` (all its processes) or one
    # `regsafe worker` may hold; a start whose pools could exceed it is refused
    # (core.settings.connection_plan). 90 = PostgreSQL's default max_connections (100)
    # less its 3 superuser slots and a few for migrations, psql and monitoring. With
    # several such commands on one server, give each its share.
    db_connection_budget: int = 90
    # The job worker (in `serve --with-worker`/`dev`, and `regsafe worker`) is started
    # again when it stops, e.g. after a PostgreSQL restart: first after the min wait,
    # doubling per failure up to the max. /readyz answers 503 once the in-process worker
    # has been down (starting or restarting) longer than the grace.
    worker_restart_min_seconds: float = 1.0
    worker_restart_max_seconds: float = 60.0
    worker_ready_grace_seconds: float = 30.0

    # S3-compatible object store; when unset, SeaweedFS (`weed mini`) under <data_dir>/s3.
    s3_endpoint: str | None = None  # host:port
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_bucket: str = "regsafe"
    s3_presign_seconds: int = 300

    # Registration documents: size limit, how long an unconfirmed upload may stay, and
    # the OCR engine ("rapidocr", or "easyocr" with REGSAFE_EASYOCR_MODEL_DIR).
    document_max_bytes: int = 10 * 1024 * 1024
    upload_expiry_seconds: int = 3600
    ocr_engine: str = "rapidocr"
    easyocr_model_dir: Path | None = None
    # Work bounds (pixel and page-size limits are in ocr/documents.py): one document's OCR
    # ends FAILED after this long; an application holds at most this many confirmed
    # documents of one kind and in all (and at most the latter unconfirmed uploads open).
    ocr_time_limit_seconds: float = 90
    document_max_per_kind: int = 5
    document_max_per_application: int = 20

    # Registration policy (DOMAIN.md, 11号令): statutory clocks in days and the routing
    # of preliminary review ("SPECIALTY:SCOPE,…"; unlisted specialties go to PROVINCE).
    clock_completeness_days: int = 5
    clock_preliminary_days: int = 20
    clock_final_days: int = 20
    clock_issue_days: int = 10
    review_routing: str = "CONSTRUCTION:MOHURD,ROAD_TRANSPORT:MOT"
    renewal_opens_months: int = 12
    initial_within_years: int = 5
    registration_validity_years: int = 5

    # Continuing education (DOMAIN.md): the requirement per registration cycle (hours,
    # professional share, and JSON overrides per province and cycle start year such as
    # {"44": {"hours": 60}, "31:2026": {"hours": 48, "share": "3/4"}}), heartbeat bounds
    # of verified progress, and the course material size limit.
    education_required_hours: float = 48
    education_professional_share: str = "2/3"
    education_requirement_overrides: str = "{}"
    heartbeat_min_interval_seconds: float = 10
    heartbeat_max_gap_seconds: float = 60
    course_material_max_bytes: int = 500 * 1024 * 1024
    # Practice records and credit (docs/practice.md): evidence size limit, the
    # serious-dishonesty list periods (应急管理部令第11号: listed 3 years, removal may be
    # requested after 12 months), grade floors ("A:800,B:650,C:450") and provincial colours
    # ("A:蓝,B:黄,C:橙,D:红"), and the page size of the full credit recompute.
    practice_evidence_max_bytes: int = 10 * 1024 * 1024
    # 项目负责人: False = a user of the record's employer only; True = also of the client unit.
    practice_project_lead_from_client: bool = False
    blacklist_years: int = 3
    blacklist_removal_after_months: int = 12
    credit_grade_floors: str = "A:800,B:650,C:450"
    credit_provincial_colours: str = "A:蓝,B:黄,C:橙,D:红"
    credit_recompute_page_size: int = 5000
    # Transcripts and certificates embed this CJK font (Debian: fonts-noto-cjk).
    cjk_font_path: Path = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    # Where the public verification page lives, printed on transcripts and certificates.
    public_url: str = "http://127.0.0.1:8000"

    # Secrets (base64). data_keys: "kid:base64key,kid2:base64key"; the active one encrypts.
    secret_key: str | None = None
    data_keys: str | None = None
    data_key_id: str | None = None
    blind_index_key: str | None = None

    # Certificates (docs/certificates.md). The issuing key: Ed25519 PKCS#8 PEM (a one-line
    # PEM with literal \n is accepted) or, for SM2, the private scalar as 64 hex digits;
    # from the environment or a file, never the database. Retired public keys stay
    # published for verification as a JSON key set ({"keys": [...]}) so rotation keeps
    # old certificates verifiable.
    certificate_signing_key: str | None = None
    certificate_signing_key_file: Path | None = None
    certificate_algorithm: CertificateAlgorithm = Field(
        default="ED25519", description="ED25519 (default) or SM2 (国密)"
    )
    certificate_verify_keys: str = ""
    certificate_log_origin: str = "regsafe.certificates/v1"
    # Policy: a signed tree head at most this often (the job runs every minute).
    tree_head_interval_seconds: int = 60
    # The published status list is signed on demand and valid (cacheable) this long.
    status_list_ttl_seconds: int = 300
    # A file-based witness (tests, single-site deployments): cosigns each tree head.
    certificate_witness_dir: Path | None = None
    # Public verification (certificates, transcripts, /verify): requests per minute per
    # client address, one budget shared by every API process (counted in PostgreSQL).
    verify_rate_per_minute: int = 60
    # Proxies whose forwarded header names the client (IPs or CIDRs, comma-separated or
    # a JSON list); from any other peer the header is ignored. The header they maintain:
    # "x-forwarded-for" or "forwarded" (RFC 7239); the other one is never read.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    forwarded_header: Literal["x-forwarded-for", "forwarded"] = "x-forwarded-for"

    access_token_seconds: int = 15 * 60
    refresh_token_seconds: int = 14 * 24 * 3600
    # Login throttling (docs/auth.md): failures counted in a window, then a lockout, per
    # account from one address (also per known device), per account from anywhere (a
    # known device gets past this one) and per client address whatever the username.
    login_max_failures: int = 5
    login_account_max_failures: int = 20
    login_address_max_failures: int = 20
    login_window_seconds: int = 15 * 60
    login_lockout_seconds: int = 15 * 60
    # A known-device token not used for this long is forgotten.
    login_device_days: int = 180
    # Argon2 runs in a thread pool: at most this many hashes at once, this many waiting
    # (beyond that a login answers BUSY at once), docs/auth.md.
    password_hash_workers: int = 2
    password_hash_queue: int = 16

    # GraphQL validation limits
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_query_cost: int = 5000
    max_page_size: int = 100
    # ids in one nodes(ids:) (TOO_MANY_IDS beyond); the cost rule counts them like a
    # page, so the same default as max_page_size.
    max_node_ids: int = 100
    # Compiled reads (graphql/core/compiled.py): hot root fields shaped from one
    # statement's rows; off only to compare with the resolvers (tests, benchmarks).
    compiled_reads: bool = True

    # Policy (DOMAIN.md): the age limit for registered engineers.
    max_age: int = 70
    min_age: int = 18
    # 聘用邀请 (docs/identity.md): an employer's invitation waits this many days for the
    # person's (or a reviewer's) confirmation; an employer sends at most this many a day
    # (Asia/Shanghai), which also bounds probing ID numbers one invitation at a time.
    employment_invitation_days: int = 14
    employment_invitations_per_day: int = 50

    # Government verification services (registration); local checks when unset.
    identity_verifier_url: str | None = None
    degree_verifier_url: str | None = None
    verifier_token: str | None = None
    verifier_timeout_seconds: float = 5.0

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else text.split(",")
        if isinstance(value, list):
            value = [str(v).strip() for v in value if str(v).strip()]
            for entry in value:
                ipaddress.ip_network(entry, strict=False)  # a typo stops the start-up
        return value

    @property
    def graphiql(self) -> bool:
        return self.env == Environment.DEV

    def with_dev_secrets(self) -> Settings:
        """Fill missing secrets from <data_dir>/secrets.json (creating it) outside prod."""
        missing = [
            name
            for name in ("secret_key", "data_keys", "data_key_id", "blind_index_key")
            if getattr(self, name) is None
        ]
        signing = _signing_key_name(self.certificate_algorithm)
        if self.certificate_signing_key is None and self.certificate_signing_key_file is None:
            missing.append("certificate_signing_key")
        if not missing:
            return self
        if self.env == Environment.PROD:
            raise RuntimeError(f"missing secrets in production: {', '.join(missing)}")
        path = self.data_dir / "secrets.json"
        if path.exists():
            stored = json.loads(path.read_text())
        else:
            stored = {
                "secret_key": _random_key(),
                "data_keys": f"k1:{_random_key()}",
                "data_key_id": "k1",
                "blind_index_key": _random_key(),
            }
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(stored, fh)
        if signing not in stored:  # a data dir from before certificates: add the key
            stored[signing] = _signing_key(self.certificate_algorithm)
            path.write_text(json.dumps(stored))
        update = {name: stored[name] for name in missing if name != "certificate_signing_key"}
        if "certificate_signing_key" in missing:
            update["certificate_signing_key"] = stored[signing]
        return self.model_copy(update=update)


def _random_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _signing_key_name(algorithm: str) -> str:
    return "certificate_signing_key" if algorithm == "ED25519" else "certificate_sm2_key"


def _signing_key(algorithm: str) -> str:
    """A dev issuing key: Ed25519 PKCS#8 PEM, or an SM2 scalar below 2^255 (< n − 2)."""
    if algorithm == "SM2":
        return f"{secrets.randbits(255) | 1:064x}"
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def resolve_workers(value: int | str) -> int:
    """The number of HTTP worker processes: a positive count, or "auto" = the CPU cores
    this process may run on (its affinity mask, which a container's cpuset limits)."""
    if value == "auto":
        return max(1, len(os.sched_getaffinity(0)))
    count = int(value)
    if count < 1:
        raise ValueError(f"workers must be at least 1 or auto, not {value!r}")
    return count


# The job worker's procrastinate pool (fetching and finishing jobs, heartbeats, the
# periodic deferrer; jobs/app.py sizes it) and the one LISTEN connection it opens
# outside the pool.
JOB_QUEUE_POOL_SIZE = 4
JOB_LISTEN_CONNECTIONS = 1


@dataclass(frozen=True)
class ConnectionPlan:
    """The most PostgreSQL connections one command's processes may hold at once."""

    api_processes: int
    per_process: int  # one SQLAlchemy pool: db_pool_size + db_max_overflow
    job_worker: int  # the job worker's connections beyond the API pools (0: none)
    job_worker_own_process: bool
    budget: int
    pool_size: int
    max_overflow: int

    @property
    def total(self) -> int:
        return self.api_processes * self.per_process + self.job_worker

    def explain(self) -> str:
        pool = (
            f"{self.per_process} (REGSAFE_DB_POOL_SIZE {self.pool_size} + "
            f"REGSAFE_DB_MAX_OVERFLOW {self.max_overflow})"
        )
        parts = [f"{self.api_processes} 个 API 进程 × {pool}"] if self.api_processes else []
        if self.job_worker:
            where = "作业进程 job worker" if self.job_worker_own_process else "进程内作业队列"
            parts.append(f"{where} {self.job_worker}")
        return " + ".join(parts) + f" = {self.total}"

    def problem(self) -> str | None:
        """Why this start must be refused, or None when the pools fit the budget."""
        if self.total <= self.budget:
            return None
        return (
            f"PostgreSQL 连接数可能超出预算 (connection budget exceeded): {self.explain()} "
            f"> REGSAFE_DB_CONNECTION_BUDGET {self.budget}。请减少 --workers 或 "
            "REGSAFE_DB_POOL_SIZE / REGSAFE_DB_MAX_OVERFLOW；PostgreSQL 的 max_connections "
            "（减去其他客户端）允许时，也可提高 REGSAFE_DB_CONNECTION_BUDGET。"
        )


def connection_plan(settings: Settings, *, api_processes: int, job_worker: bool) -> ConnectionPlan:
    """``api_processes`` HTTP processes (0 for `regsafe worker`) and maybe a job worker.
    One API process runs the job worker in-process, sharing its engine; otherwise the
    job worker is a process with an engine (pool) of its own."""
    per = settings.db_pool_size + settings.db_max_overflow
    own = api_processes != 1
    queue = JOB_QUEUE_POOL_SIZE + JOB_LISTEN_CONNECTIONS
    return ConnectionPlan(
        api_processes=api_processes,
        per_process=per,
        job_worker=(queue + (per if own else 0)) if job_worker else 0,
        job_worker_own_process=own,
        budget=settings.db_connection_budget,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )


@lru_cache
def get_settings() -> Settings:
    return Settings().with_dev_secrets()
