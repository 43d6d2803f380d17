"""Times as analysts read them: stored times are ISO UTC, shown and exported in Swedish local time."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional
from zoneinfo import ZoneInfo

__all__ = ["STOCKHOLM", "local_time"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_time(value: Optional[str]) -> str:
    """An ISO time (UTC or with offset) as Swedish local time "2024-03-05 14:07"; "" when empty."""
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
