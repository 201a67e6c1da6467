"""Password hashing with Argon2id (argon2-cffi defaults: RFC 9106 low-memory profile).

Argon2 is slow on purpose (~0.1–0.5 s of CPU and 64 MiB per call), so it never runs on
the event loop: :class:`PasswordPool` runs it in a small thread pool (argon2-cffi releases
the GIL) behind a bounded queue. At most ``workers`` hashes run and at most ``queue`` wait;
beyond that :class:`PasswordBusy` is raised at once, before any hash work."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a miss costs the same time as a hit.
_DUMMY_HASH = _hasher.hash("regsafe-timing-equaliser")

DEFAULT_WORKERS = 2
DEFAULT_QUEUE = 16


class PasswordBusy(Exception):
    """Too many password checks are running or waiting; try again shortly."""


def _hash_now(password: str) -> str:
    return _hasher.hash(password)


def _verify_now(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class PasswordPool:
    """Hash and verify off the event loop: ``workers`` threads, ``queue`` waiting slots."""

    def __init__(self, workers: int = DEFAULT_WORKERS, queue: int = DEFAULT_QUEUE) -> None:
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="argon2")
        self._admitted = 0
        self._lock = threading.Lock()  # event loops of several threads may share the pool

    @property
    def admitted(self) -> int:
        return self._admitted

    def _admit(self) -> None:
        with self._lock:
            if self._admitted >= self.capacity:
                raise PasswordBusy
            self._admitted += 1

    def _release(self) -> None:
        with self._lock:
            self._admitted -= 1

    async def _run(self, fn: object, *args: object) -> object:
        self._admit()
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, fn, *args)  # type: ignore[arg-type]
        finally:
            self._release()

    async def hash(self, password: str) -> str:
        result = await self._run(_hash_now, password)
        assert isinstance(result, str)
        return result

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; a missing hash costs a dummy check and is False."""
        return bool(await self._run(_verify_now, password_hash, password))


@lru_cache(maxsize=4)
def password_pool(workers: int = DEFAULT_WORKERS, queue: int = DEFAULT_QUEUE) -> PasswordPool:
    """The process's pool for these limits (one per setting pair, created on first use)."""
    return PasswordPool(workers, queue)


async def hash_password(password: str, pool: PasswordPool | None = None) -> str:
    """The one way to hash a password (user creation, seed, future password changes)."""
    return await (pool or password_pool()).hash(password)


async def verify_password(
    password_hash: str | None, password: str, pool: PasswordPool | None = None
) -> bool:
    return await (pool or password_pool()).verify(password_hash, password)


def password_problems(password: str) -> str | None:
    if len(password) < 10:
        return "密码至少10个字符"
    if len(password) > 128:
        return "密码最多128个字符"
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if kinds < 3:
        return "密码需包含大写字母、小写字母、数字、符号中的至少三类"
    return None
