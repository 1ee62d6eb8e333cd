"""The three-way merge of rooms' texts, case by case (pure functions)."""
from __future__ import annotations

from consult.consolidation.merge import (
    Hunk,
    RoomText,
    merge,
    merge_document,
    merge_paragraph,
    merge_texts,
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
