"""The synthesis on a real database (SQLite and PostgreSQL): hand-checked counts across rooms,
who may see what, pseudonymisation, and the cache that lasts until the next change."""
from __future__ import annotations

import json

import pytest
from builders import build_event, build_member

from consult.contributions import service as contributions
from consult.engagement import service as engagement
from consult.errors import Forbidden, NotFound
from consult.people.actor import Actor
from consult.steering import service as steering
from consult.synthesis import service

ORGANISER = Actor(organiser_id=1)


@pytest.fixture
def event(db):
    def build(session):
        ev = build_event(session, rooms=2)
        first, second = ev["codes"]
        people = {
            "h1": build_member(session, first, "Hanna Secretname", "health"),
            "h2": build_member(session, first, "Hugo Hidden", "health"),
            "p1": build_member(session, first, "Paul Private", "law_enforcement"),
            "p2": build_member(session, first, "Pia Unnamed", "law_enforcement"),
            "h3": build_member(session, second, "Hedda Quiet", "health"),
            "r1": build_member(session, second, "Rita Reserved", "research"),
        }
        p0 = ev["paragraphs"][0]
        room1, room2 = ev["rooms"]
        for who in ("h1", "h2"):
            engagement.react(session, people[who], room1, paragraph_id=p0, stance="agree")
        for who in ("p1", "p2"):
            engagement.react(session, people[who], room1, paragraph_id=p0, stance="disagree")
        engagement.react(session, people["h3"], room2, paragraph_id=p0, stance="agree")
        engagement.react(session, people["r1"], room2, paragraph_id=p0, stance="pass", needs_discussion=True)
        keys = iter(f"key-{n:04d}" for n in range(100))
        for who, room, text in [("h1", room1, "Police data needs a clear legal basis before sharing."),
                                ("p1", room1, "Police data sharing needs a clear legal basis first."),
                                ("h3", room2, "Police data needs a legal basis before any sharing.")]:
            contributions.post_comment(session, people[who], room, text=text, paragraph_id=p0, parent_id=None,
                                       attribution="name", idempotency_key=next(keys))
        steering.make_rapporteur(session, ORGANISER, room1, participant_id=people["h1"].participant_id)
        return ev, people
    return db.write(build)[0]


def test_agreement_by_sector_adds_up_across_rooms_with_the_hand_computed_consensus(db, event):
    ev, _ = event
    s = db.read(service.synthesis, ORGANISER, ev["slug"])
    assert s["sectors"] == ["law_enforcement", "health", "research"]
    item = next(i for i in s["items"] if i["key"] == f"p{ev['paragraphs'][0]}")
    assert item["rooms"] == ["Room 1", "Room 2"]
    assert item["by_sector"]["health"] == {"agree": 3, "disagree": 0, "neutral": 0, "discuss": 0, "seen": 3,
                                           "agree_share": 1.0}
    assert item["by_sector"]["law_enforcement"]["disagree"] == 2
    assert item["by_sector"]["research"] == {"agree": 0, "disagree": 0, "neutral": 1, "discuss": 1, "seen": 1,
                                             "agree_share": 0.0}
    # (3+1)/(3+2) * (0+1)/(2+2) * (0+1)/(1+2) = 4/5 * 1/4 * 1/3
    assert item["consensus"] == pytest.approx(1 / 15, abs=1e-6)
    # 3 agree in health against 2 disagree in police: chi-square 5, p = 0.025, a split.
    assert item["divisiveness"]["chi2"] == pytest.approx(5.0, abs=1e-3)
    assert item["divisiveness"]["significant"] is True
    assert item["divisiveness"]["agreeing"] == ["health"] and item["divisiveness"]["disagreeing"] == ["law_enforcement"]
    assert s["most_divisive"] == [item["key"]]
    unseen = next(i for i in s["items"] if i["key"] == f"p{ev['paragraphs'][1]}")
    assert unseen["consensus"] is None and unseen["total"]["seen"] == 0


def test_themes_group_the_rooms_comments_and_never_name_anyone(db, event):
    ev, people = event
    s = db.read(service.synthesis, ORGANISER, ev["slug"])
    assert len(s["themes"]) == 1
    theme = s["themes"][0]
    assert theme["size"] == 3 and theme["rooms"] == ["Room 1", "Room 2"]
    assert theme["sectors"] == {"law_enforcement": 1, "health": 2}
    assert "police" in theme["label"] and theme["paragraph_ids"] == [ev["paragraphs"][0]]
    dumped = json.dumps(s)
    for name in ("Hanna", "Hugo", "Paul", "Pia", "Hedda", "Rita", "Secretname", "Org"):
        assert name not in dumped


def test_only_organisers_see_the_synthesis(db, event):
    ev, people = event
    with pytest.raises(Forbidden):
        db.read(service.synthesis, people["p1"], ev["slug"])
    with pytest.raises(Forbidden):
        db.read(service.synthesis, Actor(), ev["slug"])
    with pytest.raises(NotFound):
        db.read(service.synthesis, ORGANISER, "no-such-event")


def test_a_rapporteur_sees_the_themes_of_their_own_room_only(db, event):
    ev, people = event
    room1, room2 = ev["rooms"]
    mine = db.read(service.room_themes, people["h1"], room1)
    keys = {k for themes in mine.values() for t in themes for k in t["members"]}
    assert len(keys) == 2 and all(q["room"] == "Room 1" for ts in mine.values() for t in ts for q in t["representative"])
    with pytest.raises(Forbidden):
        db.read(service.room_themes, people["h1"], room2)
    with pytest.raises(Forbidden):
        db.read(service.room_themes, people["p1"], room1)  # a member, not the rapporteur


def test_the_synthesis_is_kept_until_something_changes(db, event):
    ev, people = event
    first = db.read(service.synthesis, ORGANISER, ev["slug"])
    assert db.read(service.synthesis, ORGANISER, ev["slug"]) is first
    db.write(engagement.react, people["p1"], ev["rooms"][0], paragraph_id=ev["paragraphs"][1], stance="agree")
    second = db.read(service.synthesis, ORGANISER, ev["slug"])
    assert second is not first
    item = next(i for i in second["items"] if i["key"] == f"p{ev['paragraphs'][1]}")
    assert item["total"]["agree"] == 1


def test_hidden_comments_are_left_out(db, event):
    from consult.moderation import service as moderation
    ev, _ = event
    s = db.read(service.synthesis, ORGANISER, ev["slug"])
    first = int(s["themes"][0]["members"][0][1:])
    db.write(moderation.hide, ORGANISER, target_type="comment", target_id=first, reason="Off topic")
    after = db.read(service.synthesis, ORGANISER, ev["slug"])
    assert f"c{first}" not in {k for t in after["themes"] for k in t["members"]} | set(after["not_grouped"])


def test_the_workbook_carries_the_synthesis_and_themes_sheets_pseudonymised(db, event, tmp_path):
    from consult.export import service as export
    from openpyxl import load_workbook
    ev, _ = event
    path, _ = db.snapshot(export.xlsx, ORGANISER, ev["slug"])
    wb = load_workbook(path)
    sheet = wb["Synthesis"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[3] == ev["paragraphs"][0])
    values = dict(zip(header, row))
    assert values["Health services: agree share"] == 1.0 and values["Law enforcement: agree share"] == 0.0
    assert values["Research: seen"] == 1 and values["Consensus (sectors)"] == pytest.approx(1 / 15, abs=1e-6)
    assert values["Significant split"] == "yes" and values["Sectors disagreeing"] == "Law enforcement"
    assert [r.rules[0].type for r in sheet.conditional_formatting] == ["colorScale"]
    themes = list(wb["Themes"].iter_rows(min_row=2, values_only=True))
    assert themes[0][2] == 3 and len(themes[0][7].split()) == 3
    text = " ".join(str(v) for ws in (sheet, wb["Themes"]) for r in ws.iter_rows(values_only=True) for v in r if v)
    assert "Hanna" not in text and "Paul" not in text
