"""One settings class for the whole platform (env prefix ``REGSAFE_``).

Secrets have no built-in values: in ``dev`` and ``test`` they are generated once and kept
in ``<data_dir>/secrets.json`` so a second ``make dev`` reads the data it wrote before;
in ``prod`` a missing secret stops the process at start.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


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

    # PostgreSQL; when unset, an embedded cluster under <data_dir>/pg is started.
    database_url: str | None = None
    db_pool_size: int = 10
    db_max_overflow: int = 10

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
    # Transcripts and certificates embed this CJK font (Debian: fonts-noto-cjk).
    cjk_font_path: Path = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    # Where the public verification page lives, printed on transcripts and certificates.
    public_url: str = "http://127.0.0.1:8000"

    # Secrets (base64). data_keys: "kid:base64key,kid2:base64key"; the active one encrypts.
    secret_key: str | None = None
    data_keys: str | None = None
    data_key_id: str | None = None
    blind_index_key: str | None = None

    access_token_seconds: int = 15 * 60
    refresh_token_seconds: int = 14 * 24 * 3600
    login_max_failures: int = 5
    login_window_seconds: int = 15 * 60
    login_lockout_seconds: int = 15 * 60

    # GraphQL validation limits
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_query_cost: int = 5000
    max_page_size: int = 100

    # Policy (DOMAIN.md): the age limit for registered engineers.
    max_age: int = 70
    min_age: int = 18

    # Government verification services (registration); local checks when unset.
    identity_verifier_url: str | None = None
    degree_verifier_url: str | None = None
    verifier_token: str | None = None
    verifier_timeout_seconds: float = 5.0

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
        return self.model_copy(update={name: stored[name] for name in missing})


def _random_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@lru_cache
def get_settings() -> Settings:
    return Settings().with_dev_secrets()
