"""The process-wide parts every entry point (API, worker, CLI) builds once from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from regsafe.core.crypto import FieldCipher
from regsafe.core.db import Database
from regsafe.core.messaging import LoggingSender, MessageSender
from regsafe.core.settings import Settings
from regsafe.core.storage import ObjectStore


@dataclass
class Runtime:
    settings: Settings
    db: Database
    cipher: FieldCipher
    store: ObjectStore | None
    # 验证码 delivery (SMS / e-mail): LoggingSender until a provider adapter is configured.
    sender: MessageSender = field(default_factory=LoggingSender)

    @classmethod
    def from_settings(cls, settings: Settings, *, db: Database | None = None) -> Runtime:
        assert settings.database_url, "database_url must be resolved first"
        return cls(
            settings=settings,
            db=db
            or Database.from_url(
                settings.database_url,
                pool_size=settings.db_pool_size,
                max_overflow=settings.db_max_overflow,
            ),
            cipher=FieldCipher.from_settings(settings),
            store=ObjectStore.from_settings(settings) if settings.s3_endpoint else None,
        )

    @property
    def access_ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.access_token_seconds)


_current: Runtime | None = None


def set_runtime(rt: Runtime | None) -> None:
    global _current
    _current = rt


def runtime() -> Runtime:
    if _current is None:
        raise RuntimeError("runtime not initialised (API, worker or CLI start-up sets it)")
    return _current
