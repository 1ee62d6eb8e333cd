"""The dashboard's series (organiser/series.py) and sector balance: activity bucketed by five minutes keeps every
event of the window exactly once in contiguous, clock-aligned buckets; the level of members at
an instant is the number of people who had joined and not yet left."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.organiser import series
from consult.organiser.dashboard import CORE_SECTORS, DOMINANT_SHARE, MIN_MEMBERS_TO_JUDGE, balance
from consult.people.models import SECTORS

BASE = dt.datetime(2026, 12, 2, 9, 0)
moments = st.integers(min_value=0, max_value=6 * 3600).map(lambda s: BASE + dt.timedelta(seconds=s))
widths = st.sampled_from([dt.timedelta(minutes=1), series.BUCKET, dt.timedelta(minutes=7)])


# No deadline: the brute-force check is slow on a shared machine, not the code under test.
@settings(deadline=None)
@given(times=st.lists(moments, max_size=200), a=moments, b=moments, width=widths)
def test_buckets_keep_every_event_of_the_window_once_in_contiguous_buckets(times, a, b, width):
    start, end = min(a, b), max(a, b)
    counted = series.buckets(times, start=start, end=end, width=width)
    assert sum(x.count for x in counted) == sum(1 for t in times if start <= t <= end)
    assert all(later.start - earlier.start == width for earlier, later in zip(counted, counted[1:]))
    assert counted[0].start <= start < counted[0].start + width
    assert counted[-1].start <= end < counted[-1].start + width
    for bucket in counted:
        assert bucket.count == sum(1 for t in times if start <= t <= end and bucket.start <= t < bucket.start + width)


@given(moment=moments, width=widths)
def test_buckets_are_aligned_to_the_clock(moment, width):
    first = series.buckets([], start=moment, end=moment, width=width)[0].start
    assert (first - dt.datetime(2000, 1, 1)) % width == dt.timedelta(0) and first.second == 0


def test_a_window_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        series.buckets([], start=BASE, end=BASE - dt.timedelta(seconds=1))


spans = st.lists(st.tuples(moments, st.one_of(st.none(), st.integers(0, 3 * 3600))).map(
    lambda s: (s[0], None if s[1] is None else s[0] + dt.timedelta(seconds=s[1]))), max_size=60)


@given(spans=spans, instants=st.lists(moments, min_size=1, max_size=30))
def test_levels_count_who_had_joined_and_not_yet_left(spans, instants):
    expected = [sum(1 for joined, left in spans if joined <= t and (left is None or t < left)) for t in instants]
    assert series.levels(spans, instants) == expected


@given(values=st.lists(st.integers(0, 500), min_size=1, max_size=60))
def test_charts_stay_inside_their_box_and_the_tallest_bar_is_the_busiest_bucket(values):
    bars = series.bar_chart(values, width=240, height=48)
    assert len(bars.bars) == len(values)
    for (x, y, w, h), v in zip(bars.bars, values):
        assert 0 <= x and x + w <= 240.01 and 0 <= y and y + h <= 48.01
        assert (h > 0) == (v > 0)
    if max(values):
        assert max(h for *_, h in bars.bars) == 48
    line = series.step_line(values, width=240, height=48)
    points = [tuple(map(float, p.split(","))) for p in line.line.split()]
    assert len(points) == 2 * len(values) and all(0 <= y <= 48 and 0 <= x <= 240.01 for x, y in points)


mixes = st.dictionaries(st.sampled_from(list(SECTORS)), st.integers(1, 40), max_size=len(SECTORS))


@given(mix=mixes)
def test_the_balance_bar_fills_its_width_once_and_marks_only_a_real_majority(mix):
    bar = balance(mix)
    segments = bar["segments"]
    assert [s["n"] for s in segments] == [mix[k] for k in SECTORS if k in mix]          # every sector, in order
    if segments:
        assert abs(sum(s["w"] for s in segments) - 100) < 0.1
        assert all(abs(a["x"] + a["w"] - b["x"]) < 0.05 for a, b in zip(segments, segments[1:]))   # no gap, no overlap
    total = sum(mix.values())
    dominant = [s["key"] for s in segments if s["dominant"]]
    assert dominant == [k for k, n in mix.items() if total >= MIN_MEMBERS_TO_JUDGE and n / total > DOMINANT_SHARE]
    assert bar["missing"] == ([SECTORS[k] for k in CORE_SECTORS if k not in mix] if total >= MIN_MEMBERS_TO_JUDGE
                              else [])
