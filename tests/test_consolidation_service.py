"""Consolidating the demo after its rooms have worked: provenance, versions, rights."""
from __future__ import annotations

import pytest
from consult.consolidation import service
from consult.consolidation.models import ConsolidatedVersion
from consult.documents.models import Document
from consult.errors import Forbidden, Invalid, NotFound
from consult.people.actor import Actor
from sqlalchemy import select

ORGANISER = Actor(organiser_id=1)


def document_id(db, kind):
    return db.read(lambda s: s.scalar(select(Document.id).where(Document.kind == kind)))


def test_the_demo_consolidates_with_changes_merges_inserts_and_conflicts(demo):
    made, _ = demo.write(service.consolidate, ORGANISER, document_id(demo, "monitoring_plan"))
    by_number = {p["number"]: p for p in made["paragraphs"]}
    assert by_number["1.1"]["status"] == "conflict"                 # both rooms replaced "intentional"
    assert [c["text"][:40] for c in by_number["1.1"]["candidates"]] == [
        "For the purposes of this plan, drug-rela"] * 2
    assert by_number["1.2"]["status"] == "changed"                  # different words: merged
    assert "three distinct categories" in by_number["1.2"]["text"] and "as a first priority" in by_number["1.2"]["text"]
    assert by_number["1.3"]["status"] == "conflict"                 # deletion against a change
    assert any(c["deleted"] for c in by_number["1.3"]["candidates"])
    assert by_number["2.1"]["status"] == "changed" and len(by_number["2.1"]["rooms"]) == 2   # identical, once
    assert by_number["2.2a"]["status"] == "inserted"
    assert [p["number"] for p in made["paragraphs"]].index("2.2a") == [p["number"] for p in made["paragraphs"]].index("2.2") + 1
    assert made["conclusions"][0]["rooms"][0]["conclusions"].startswith("**Room A**")


def test_provenance_matches_the_amendments_and_votes_behind_each_paragraph(demo):
    from consult.amendments.models import Amendment
    made, _ = demo.write(service.consolidate, ORGANISER, document_id(demo, "monitoring_plan"))
    paragraph = next(p for p in made["paragraphs"] if p["number"] == "2.1")
    amendments = demo.read(lambda s: {a.id: a for a in s.scalars(select(Amendment).where(
        Amendment.paragraph_id == paragraph["base_paragraph_id"], Amendment.status == "accepted"))})
    shown = paragraph["provenance"]["amendments"]
    assert {a["id"] for a in shown} == set(amendments) and len(shown) == 2
    for a in shown:
        row = amendments[a["id"]]
        assert a["tally"] == {"agree": row.agree, "disagree": row.disagree, "abstain": row.abstain}
        assert sum(sum(v.values()) for v in a["by_sector"].values()) == row.agree + row.disagree + row.abstain
    first = next(p for p in made["paragraphs"] if p["number"] == "1.1")
    assert len(first["provenance"]["comments"]) == 2   # each room marked its first comment taken into account
    inserted = next(p for p in made["paragraphs"] if p["status"] == "inserted")
    assert [a["kind"] for a in inserted["provenance"]["amendments"]] == ["insert_after"]


def test_resolving_makes_a_new_version_and_the_old_one_stays_as_it_was(demo):
    doc = document_id(demo, "monitoring_plan")
    made, _ = demo.write(service.consolidate, ORGANISER, doc)
    conflict = next(p for p in made["paragraphs"] if p["status"] == "conflict")
    room = conflict["candidates"][1]
    resolved, _ = demo.write(service.resolve, ORGANISER, doc, version=made["version"], key=conflict["key"],
                             choice=f"room:{room['room_id']}", text=None,
                             note="The second room's wording is closer to law.")
    assert resolved["version"] == made["version"] + 1
    after = next(p for p in resolved["paragraphs"] if p["key"] == conflict["key"])
    assert after["resolution"]["note"] == "The second room's wording is closer to law."
    assert (after["status"], after["text"]) == ("deleted", None) if room["deleted"] else ("changed", room["text"])
    before = demo.read(service.get_version, ORGANISER, doc, made["version"])
    assert next(p for p in before["paragraphs"] if p["key"] == conflict["key"])["status"] == "conflict"
    again, _ = demo.write(service.consolidate, ORGANISER, doc)       # same conflict, same texts: stays resolved
    assert next(p for p in again["paragraphs"] if p["key"] == conflict["key"])["resolution"] is not None
    with pytest.raises(Invalid):
        demo.write(service.resolve, ORGANISER, doc, version=made["version"], key=conflict["key"], choice="custom",
                   text="x", note="")


def test_versions_are_immutable_rows(demo):
    doc = document_id(demo, "call_for_policies")
    made, _ = demo.write(service.consolidate, ORGANISER, doc)
    stored = demo.read(lambda s: s.scalar(select(ConsolidatedVersion.content).where(
        ConsolidatedVersion.document_id == doc, ConsolidatedVersion.version == made["version"])))
    conflict = next(p for p in made["paragraphs"] if p["status"] == "conflict")
    demo.write(service.resolve, ORGANISER, doc, version=made["version"], key=conflict["key"], choice="custom",
               text="A new text.", note="")
    unchanged = demo.read(lambda s: s.scalar(select(ConsolidatedVersion.content).where(
        ConsolidatedVersion.document_id == doc, ConsolidatedVersion.version == made["version"])))
    assert unchanged == stored


def test_only_organisers_consolidate_resolve_and_publish_and_others_read_only_published(demo):
    doc = document_id(demo, "call_for_policies")
    participant = Actor(participant_id=1)
    with pytest.raises(Forbidden):
        demo.write(service.consolidate, participant, doc)
    made, _ = demo.write(service.consolidate, ORGANISER, doc)
    with pytest.raises(Forbidden):
        demo.write(service.resolve, participant, doc, version=made["version"], key="p1", choice="delete")
    with pytest.raises(NotFound):
        demo.read(service.get_version, participant, doc, made["version"])
    first = demo.read(service.get_version, ORGANISER, doc, 1)
    assert any(p["status"] == "conflict" for p in first["paragraphs"])
    with pytest.raises(Invalid):
        demo.write(service.publish, ORGANISER, doc, version=1)  # conflicts remain
    latest = made
    for p in made["paragraphs"]:
        if p["status"] == "conflict":
            latest, _ = demo.write(service.resolve, ORGANISER, doc, version=latest["version"], key=p["key"],
                                   choice="delete", text=None, note="")
    with pytest.raises(Forbidden):
        demo.write(service.publish, participant, doc, version=latest["version"])
    demo.write(service.publish, ORGANISER, doc, version=latest["version"])
    assert demo.read(service.get_version, participant, doc, latest["version"])["published"] is True
    assert demo.read(service.get_version, Actor(), doc, None)["version"] == latest["version"]
