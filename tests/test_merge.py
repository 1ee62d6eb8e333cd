"""The three-way merge of rooms' texts (pure functions): the realistic cases one by one, then
its properties under hypothesis: texts made of unique words, edited by rooms that share some
changes, so an oracle knows which words a correct merge must hold; git merge-file as a second
opinion for two rooms; arbitrary Unicode."""
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

from consult.consolidation.merge import (
    Hunk,
    RoomText,
    merge,
    merge_document,
    merge_paragraph,
    merge_texts,
    text_of,
)
from consult.textdiff import tokens

BASE = "Member States should collect data on homicides annually."


def test_untouched_paragraphs_stay_as_they_are():
    merged = merge_paragraph(1, BASE, [RoomText(10, BASE), RoomText(11, BASE)])
    assert (merged.status, merged.text, merged.rooms) == ("unchanged", BASE, [])


def test_a_change_by_one_room_is_taken():
    merged = merge_paragraph(1, BASE, [RoomText(10, BASE), RoomText(11, "Member States must collect data.")])
    assert (merged.status, merged.text, merged.rooms) == ("changed", "Member States must collect data.", [11])


def test_identical_changes_are_taken_once_with_both_rooms():
    new = "Member States must collect data on homicides annually."
    merged = merge_paragraph(1, BASE, [RoomText(10, new), RoomText(11, new)])
    assert (merged.status, merged.text, merged.rooms) == ("changed", new, [10, 11])


def test_changes_to_different_words_merge_word_by_word():
    merged = merge_paragraph(1, BASE, [
        RoomText(10, "Member States must collect data on homicides annually."),
        RoomText(11, "Member States should collect data on homicides and shootings every six months."),
    ])
    assert merged.status == "changed"
    assert merged.text == "Member States must collect data on homicides and shootings every six months."


def test_changes_to_the_same_words_are_a_conflict_with_every_text():
    merged = merge_paragraph(1, BASE, [
        RoomText(10, "Member States must collect data on homicides annually."),
        RoomText(11, "Member States shall collect data on homicides annually."),
    ])
    assert merged.status == "conflict" and merged.text is None
    assert [c["text"] for c in merged.candidates] == [
        "Member States must collect data on homicides annually.",
        "Member States shall collect data on homicides annually."]


def test_two_insertions_at_the_same_point_conflict():
    assert merge_texts("a b c", ["a x b c", "a y b c"]) is None
    assert merge_texts("a b c", ["x a b c", "a b c y"]) == "x a b c y"


def test_a_deletion_is_shown_as_such():
    merged = merge_paragraph(1, BASE, [RoomText(10, BASE, deleted=True), RoomText(11, BASE)])
    assert (merged.status, merged.text, merged.rooms) == ("deleted", None, [10])


def test_a_deletion_against_another_rooms_change_is_a_conflict():
    merged = merge_paragraph(1, BASE, [RoomText(10, BASE, deleted=True), RoomText(11, "Changed text.")])
    assert merged.status == "conflict"
    assert merged.candidates == [{"room_id": 10, "text": None, "deleted": True},
                                 {"room_id": 11, "text": "Changed text.", "deleted": False}]


def test_inserted_paragraphs_follow_their_anchor_in_a_stable_order():
    base = [(1, "First."), (2, "Second.")]
    rooms = {
        11: [{"id": "p1", "base_paragraph_id": 1, "text": "First.", "deleted": False},
             {"id": "i7", "base_paragraph_id": None, "after": 1, "text": "From room 11.", "deleted": False},
             {"id": "p2", "base_paragraph_id": 2, "text": "Second.", "deleted": False}],
        10: [{"id": "p1", "base_paragraph_id": 1, "text": "First.", "deleted": False},
             {"id": "i3", "base_paragraph_id": None, "after": 1, "text": "From room 10.", "deleted": False},
             {"id": "i4", "base_paragraph_id": None, "after": 1, "text": "Also from room 10.", "deleted": False},
             {"id": "p2", "base_paragraph_id": 2, "text": "Second.", "deleted": False}],
    }
    merged = merge_document(base, rooms)
    assert [(m.status, m.text, m.rooms) for m in merged] == [
        ("unchanged", "First.", []),
        ("inserted", "From room 10.", [10]),
        ("inserted", "Also from room 10.", [10]),
        ("inserted", "From room 11.", [11]),
        ("unchanged", "Second.", []),
    ]
    assert merge_document(base, dict(reversed(list(rooms.items())))) == merged


def test_identical_insertions_are_taken_once():
    base = [(1, "First.")]
    insert = {"id": "i1", "base_paragraph_id": None, "after": 1, "text": "Same.", "deleted": False}
    merged = merge_document(base, {10: [insert], 11: [dict(insert, id="i9")]})
    assert [(m.status, m.rooms) for m in merged] == [("unchanged", []), ("inserted", [10, 11])]


# The cases that used to garble the text, from the issue that rewrote the merge.

def test_a_shared_insertion_beside_another_change_is_taken_once():
    assert merge_texts("Member States shall collect data.", [
        "Member States shall, where possible, collect data.",
        "Member States shall, where possible, collect anonymised data.",
    ]) == "Member States shall, where possible, collect anonymised data."
    assert merge_texts("The Commission should report.", [
        "The European Commission and Parliament should report.",
        "The European Commission should report.",
    ]) == "The European Commission and Parliament should report."


def test_an_insertion_touching_another_rooms_replaced_word_is_a_hunk_with_both_intents():
    base = "Member States should collect data on homicides annually."
    merged = merge(base, [(1, "Member States should collect data on femicides annually."),
                          (2, "Member States should collect data on femicides and homicides annually.")])
    assert merged[0] == "Member States should collect data on " and merged[-1] == "annually."
    hunk = merged[1]
    assert isinstance(hunk, Hunk) and hunk.base == "homicides "
    assert [(a.text, a.rooms) for a in hunk.alternatives] == [("femicides ", [1]), ("femicides and homicides ", [2])]


def test_independent_changes_of_six_rooms_merge_and_only_the_clash_is_a_hunk():
    base = ("Member States should collect comparable data on drug-related homicides, attacks and "
            "intimidation every year. The data should be shared with the Agency.")
    rooms = [
        (1, base.replace("comparable data", "comparable, focused data")),
        (2, base.replace("homicides,", "homicides and their families,")),
        (3, base.replace(" The data should be shared with the Agency.", "")),
        (4, base.replace("every year", "every six months")),
        (5, base.replace("every year", "each quarter")),
        (6, base.replace("comparable data", "comparable, focused data").replace("Agency", "EU Drugs Agency")),
    ]
    merged = merge(base, rooms)
    hunks = [s for s in merged if isinstance(s, Hunk)]
    # Two clashes: rooms 4 and 5 both rewrote "every year"; room 3 deleted the sentence that
    # room 6 changed. Everything else is merged, each change once.
    assert [h.base for h in hunks] == ["every year", ". The data should be shared with the Agency"]
    assert {(a.text, tuple(a.rooms)) for a in hunks[0].alternatives} == {("every six months", (4,)),
                                                                          ("each quarter", (5,))}
    assert {(a.text, tuple(a.rooms)) for a in hunks[1].alternatives} == {
        (". The data should be shared with the EU Drugs Agency", (6,)), ("", (3,))}
    plain = "".join(s for s in merged if isinstance(s, str))
    assert plain.startswith("Member States should collect comparable, focused data on drug-related homicides "
                            "and their families, attacks and intimidation ")
    assert plain.count("focused") == 1


def test_near_identical_alternatives_are_one_option_with_their_variants():
    base = "Reports are published annually."
    merged = merge(base, [(1, "Reports are published every year."), (2, "Reports are published Every year."),
                          (3, "Reports are published quarterly.")])
    hunk = next(s for s in merged if isinstance(s, Hunk))
    grouped = next(a for a in hunk.alternatives if len(a.rooms) == 2)
    assert grouped.rooms == [1, 2] and {v["text"] for v in grouped.variants} == {"every year", "Every year"}


def test_near_identical_insertions_are_one_paragraph_listing_every_room_once():
    base = [(1, "First.")]
    rooms = {
        10: [{"id": "i1", "base_paragraph_id": None, "after": 1, "text": "Add a registry.", "deleted": False},
             {"id": "i2", "base_paragraph_id": None, "after": 1, "text": "Add a registry.", "deleted": False}],
        11: [{"id": "i5", "base_paragraph_id": None, "after": 1, "text": "Add a registry", "deleted": False}],
    }
    merged = merge_document(base, rooms, order=[11, 10])
    inserted = [m for m in merged if m.status == "inserted"]
    assert len(inserted) == 1 and inserted[0].rooms == [11, 10]
    assert inserted[0].key == "i11-i5" and {v["text"] for v in inserted[0].variants} == {"Add a registry.",
                                                                                          "Add a registry"}


def test_devanagari_and_emoji_stay_whole_and_japanese_edits_in_one_sentence_merge():
    assert tokens("हिन्दी भाषा 👍🏽 ok") == ["हिन्दी ", "भाषा ", "👍🏽 ", "ok"]
    base = "警察は毎年データを集める。"
    assert merge_texts(base, ["警察は毎月データを集める。", "警察は毎年データを必ず集める。"]) == "警察は毎月データを必ず集める。"


# --- properties ----------------------------------------------------------------------------

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
