"""Time: aware UTC in storage, Asia/Shanghai for display and deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


def zh_date(day: date) -> str:
    """2026年3月1日 (no leading zeros), as dates are written on Chinese documents."""
    return f"{day.year}年{day.month}月{day.day}日"
