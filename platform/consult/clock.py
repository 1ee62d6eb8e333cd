"""One place for 'now', stored as naive UTC (SQLite keeps no time zones)."""
import datetime as dt
from zoneinfo import ZoneInfo


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def local(value: dt.datetime | str, zone: str) -> dt.datetime:
    """A stored UTC time (naive, or ISO with a trailing Z) in the event's time zone."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.rstrip("Z"))
    return value.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(zone))


def from_local(value: dt.datetime, zone: str) -> dt.datetime:
    """A wall-clock time as the organisers entered it (the agenda's, in the event's zone) as stored
    UTC, so that it compares with now()."""
    return value.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.timezone.utc).replace(tzinfo=None)

