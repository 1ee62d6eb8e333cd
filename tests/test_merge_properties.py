"""Properties of the merge under hypothesis: texts made of unique words, edited by rooms that
share some changes, so an oracle knows which words a correct merge must hold; git merge-file
as a second opinion for two rooms; arbitrary Unicode."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.consolidation.merge import Hunk, RoomText, merge, merge_paragraph, merge_texts, text_of
from consult.textdiff import tokens

MANY = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORD = re.compile(r"[bn]\d+(?:_\d+)?")


@st.composite
def edit_pool(draw, max_ops=8):
    """A base text of unique words and a pool of changes to it, each adding words of its own."""
    size = draw(st.integers(1, 24))
    punctuation = draw(st.lists(st.sampled_from(["", "", "", ",", ".", ";"]), min_size=size, max_size=size))
    base = [f"b{i}{punctuation[i]}" for i in range(size)]
    ops = []
    for k in range(draw(st.integers(1, max_ops))):
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        start = draw(st.integers(0, size if kind == "insert" else size - 1))
        end = start if kind == "insert" else draw(st.integers(start + 1, min(size, start + 3)))
        words = [] if kind == "delete" else [f"n{k}_{j}" for j in range(draw(st.integers(1, 3)))]
        ops.append((start, end, words))
    return base, ops


def _compatible(chosen, op) -> bool:
    s, e, _ = op
    for cs, ce, _ in chosen:
        if s == e or cs == ce:
            point, (rs, re_) = (s, (cs, ce)) if s == e else (cs, (s, e))
            if rs < point < re_:
                return False
        elif s < ce and cs < e:
            return False
    return True


def apply_ops(base, ops) -> str:
    """A room's text: the compatible ops of its choice applied to the base."""
    chosen = []
    for op in ops:
        if _compatible(chosen, op):
            chosen.append(op)
    out, position = [], 0
    for s, e, words in sorted(chosen, key=lambda o: (o[0], o[1] != o[0])):
        out.extend(base[position:s])
        out.extend(words)
        position = max(position, e)
    out.extend(base[position:])
    return " ".join(out)


@st.composite
def rooms_of(draw, min_rooms=2, max_rooms=20):
    base, ops = draw(edit_pool())
    count = draw(st.integers(min_rooms, max_rooms))
    texts = [apply_ops(base, [op for op in ops if draw(st.booleans())]) for _ in range(count)]
    return " ".join(base), texts


def words(text: str) -> list[str]:
    return WORD.findall(text)


def expected_words(base: str, texts: list[str]) -> Counter:
    """Base words no room removed, and every word any room added, each once."""
    base_words = set(words(base))
    removed = {w for t in texts for w in base_words - set(words(t))}
    added = {w for t in texts for w in words(t) if w not in base_words}
    return Counter((base_words - removed) | added)


@MANY
@given(rooms_of())
def test_a_clean_merge_never_doubles_or_loses_a_word_any_room_added_or_removed(case):
    base, texts = case
    merged = merge_texts(base, texts)
    if merged is not None:
        assert Counter(words(merged)) == expected_words(base, texts)
        kept = [w for w in words(merged) if w in set(words(base))]
        assert kept == [w for w in words(base) if w in kept]   # base order kept


@MANY
@given(rooms_of(), st.randoms(use_true_random=False))
def test_hunks_hold_every_word_once_whichever_alternative_is_taken(case, rnd):
    base, texts = case
    segments = merge(base, list(enumerate(texts)))
    plain = "".join(s for s in segments if isinstance(s, str))
    hunks = [s for s in segments if isinstance(s, Hunk)]
    everything = plain + " ".join(a.text or "" for h in hunks for a in h.alternatives) + " ".join(h.base for h in hunks)
    base_words = set(words(base))
    for t in texts:                      # nothing added is lost: it is merged or offered
        assert set(words(t)) - base_words <= set(words(everything))
    removed = {w for t in texts for w in base_words - set(words(t))}
    assert not removed & set(words(plain))  # nothing removed comes back outside a hunk
    for h in hunks:
        assert len(h.alternatives) >= 2
        assert len({a.text for a in h.alternatives}) == len(h.alternatives)
        for a in h.alternatives:             # a room backs an option once (and several only when
            assert len(a.rooms) == len(set(a.rooms))  # its change is contained in each of them)
    chosen = "".join(s if isinstance(s, str) else rnd.choice([*(a.text or "" for a in s.alternatives), s.base])
                     for s in segments)
    assert max(Counter(words(chosen)).values(), default=1) == 1


@MANY
@given(edit_pool(), st.data())
def test_rooms_contained_in_another_give_the_other_s_text(pool, data):
    base_words, ops = pool
    large_ops = [op for op in ops if data.draw(st.booleans())]
    chosen = []
    for op in large_ops:
        if _compatible(chosen, op):
            chosen.append(op)
    large = apply_ops(base_words, chosen)
    smaller = [apply_ops(base_words, [op for op in chosen if data.draw(st.booleans())])
               for _ in range(data.draw(st.integers(1, 6)))]
    texts = data.draw(st.permutations([large, *smaller]))
    assert merge_texts(" ".join(base_words), texts) == large


@MANY
@given(rooms_of(max_rooms=8), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_rooms_are_passed_in(case, rnd):
    base, texts = case
    versions = [RoomText(10 + i, t) for i, t in enumerate(texts)]
    shuffled = versions[:]
    rnd.shuffle(shuffled)
    assert merge_paragraph(1, base, shuffled) == merge_paragraph(1, base, versions)


def _git_merge(base: list[str], ours: list[str], theirs: list[str]) -> str | None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, toks in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_text("".join(t.strip() + "\n" for t in toks))
            paths.append(str(path))
        done = subprocess.run(["git", "merge-file", "-p", *paths], capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@MANY
@given(rooms_of(min_rooms=2, max_rooms=2))
def test_two_rooms_agree_with_git_merge_file_wherever_both_merge_cleanly(case):
    base, (a, b) = case
    ours = merge_texts(base, [a, b])
    theirs = _git_merge(tokens(base), tokens(a), tokens(b))
    if ours is not None and theirs is not None:
        assert " ".join(t.strip() for t in tokens(ours)) == " ".join(theirs.split())


GRAPHEME_EDGE = regex.compile(r"\X")


def _boundaries(text: str) -> set[int]:
    return {m.start() for m in GRAPHEME_EDGE.finditer(text)} | {len(text)}


@MANY
@given(st.text(max_size=60), st.text(max_size=20), st.text(max_size=20), st.integers(0, 60), st.integers(0, 60))
def test_arbitrary_unicode_survives_and_no_grapheme_is_split(base, one, two, at_one, at_two):
    assert "".join(tokens(base)) == base
    edges, position = _boundaries(base), 0
    for token in tokens(base):
        assert position in edges
        position += len(token)
    a = base[:at_one] + one + base[at_one:]
    b = base[:at_two] + two + base[at_two:]
    assert merge_texts(base, [a]) == a
    assert merge_texts(base, [a, a, base]) == a
    merged = text_of(merge(base, [(1, a), (2, b)]))
    if merged is not None:
        # Two insertions that merged lose nothing of either room's text and add nothing
        # beyond what the rooms wrote (white space aside: a change of white space alone is no
        # change of words, and gives way to the other room's text).
        def chars(text):
            return Counter("".join(text.split()))
        assert chars(a) | chars(b) <= chars(merged) <= chars(base) + chars(one) + chars(two)


@MANY
@given(st.lists(st.sampled_from(["数据", "收集", "每年", "暴力", "事件", "警察", "卫生", "地方", "。", "，"]),
                min_size=4, max_size=14), st.data())
def test_two_edits_in_one_unspaced_sentence_merge(chars, data):
    base = "".join(chars)
    i = data.draw(st.integers(0, len(chars) - 3))
    j = data.draw(st.integers(i + 2, len(chars)))
    a = "".join([*chars[:i], "新", *chars[i:]])
    b = "".join([*chars[:j], "旧", *chars[j:]])
    assert merge_texts(base, [a, b]) == "".join([*chars[:i], "新", *chars[i:j], "旧", *chars[j:]])


def test_random_seeds_are_reproducible():
    """The merge is deterministic: the same input twice gives the same hunks (no time limit)."""
    rnd = random.Random(7)
    base = " ".join(f"b{i}" for i in range(400))
    texts = [" ".join(w if rnd.random() > 0.1 else f"x{r}_{k}" for k, w in enumerate(base.split())) for r in range(5)]
    assert merge(base, list(enumerate(texts))) == merge(base, list(enumerate(texts)))
