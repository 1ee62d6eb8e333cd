"""Time series for the dashboard's small charts (pure): activity counted in clock-aligned
buckets, how many people were in a room at given instants, and the chart geometry.

Buckets are aligned to the clock (10:30, 10:35, ...) so that a bucket reads as a time of day
and every room's chart in a session lines up with the others."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

BUCKET = dt.timedelta(minutes=5)
_EPOCH = dt.datetime(2000, 1, 1)


@dataclass(frozen=True)
class Bucket:
    start: dt.datetime
    count: int


def floor_to(moment: dt.datetime, width: dt.timedelta = BUCKET) -> dt.datetime:
    return moment - (moment - _EPOCH) % width


def buckets(times: Iterable[dt.datetime], *, start: dt.datetime, end: dt.datetime,
            width: dt.timedelta = BUCKET) -> list[Bucket]:
    """Counts per bucket, the first holding `start` and the last holding `end`, none missing in
    between (empty buckets count 0). Times outside [start, end] are left out."""
    if end < start:
        raise ValueError("the window ends before it starts")
    first = floor_to(start, width)
    counts = [0] * ((end - first) // width + 1)
    for moment in times:
        if start <= moment <= end:
            counts[(moment - first) // width] += 1
    return [Bucket(first + i * width, n) for i, n in enumerate(counts)]


def levels(spans: Iterable[tuple[dt.datetime, dt.datetime | None]], instants: Sequence[dt.datetime]) -> list[int]:
    """How many spans (joined, left-or-None) are under way at each instant: present from the
    moment they start, gone from the moment they end."""
    spans = list(spans)
    starts = sorted(s for s, _ in spans)
    ends = sorted(e for _, e in spans if e is not None)
    return [bisect_right(starts, t) - bisect_right(ends, t) for t in instants]


@dataclass(frozen=True)
class Chart:
    """A small chart's geometry in a `width` x `height` box (y grows downwards, as in SVG)."""
    width: int
    height: int
    bars: list[tuple[float, float, float, float]]   # x, y, w, h of each bar
    line: str                                       # polyline points, "x,y x,y ..."
    peak: int


def bar_chart(values: Sequence[int], *, width: int = 240, height: int = 48) -> Chart:
    peak = max(values, default=0)
    step = width / max(len(values), 1)
    bars = []
    for i, v in enumerate(values):
        h = 0.0 if peak == 0 else max(1.5, height * v / peak) if v else 0.0
        bars.append((round(i * step + step * 0.1, 2), round(height - h, 2), round(step * 0.8, 2), round(h, 2)))
    return Chart(width, height, bars, "", peak)


def step_line(values: Sequence[int], *, width: int = 240, height: int = 48) -> Chart:
    """A step line (a level holds until it changes), with a floor of 1 so that one person shows."""
    peak = max(values, default=0)
    scale = height / max(peak, 1)
    step = width / max(len(values), 1)
    points = []
    for i, v in enumerate(values):
        y = round(height - v * scale, 2)
        points += [f"{round(i * step, 2)},{y}", f"{round((i + 1) * step, 2)},{y}"]
    return Chart(width, height, [], " ".join(points), peak)
