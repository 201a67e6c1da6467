"""Time: aware UTC in storage, Asia/Shanghai for display and deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_shanghai() -> date:
    return datetime.now(SHANGHAI).date()
