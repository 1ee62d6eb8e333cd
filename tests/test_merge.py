"""The three-way merge of rooms' texts, case by case (pure functions)."""
from __future__ import annotations

from consult.consolidation.merge import (
    RoomText,
    merge_document,
    merge_paragraph,
    merge_texts,
)

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
