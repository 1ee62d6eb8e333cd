"""One place for 'now', stored as naive UTC (SQLite keeps no time zones)."""
import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
