"""Amendments, votes, decisions, the versioned draft, phases, reactions, dots and polls."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from builders import build_event, build_member
from consult.access import in_room
from consult.amendments import service as amendments
from consult.contributions import service as contributions
from consult.drafting import service as drafting
from consult.markdown import render
from consult.engagement import service as engagement
from consult.errors import Conflict, Forbidden, Invalid, NotFound
from consult.people.actor import Actor
from consult.steering import drafts, service as steering
from html_checks import assert_harmless

ORGANISER = Actor(organiser_id=1)


@pytest.fixture
def room(db):
    world, _ = db.write(build_event)
    anna, _ = db.write(build_member, world["codes"][0], "Anna", "health")
    rita, _ = db.write(build_member, world["codes"][0], "Rita", "law_enforcement")
    db.write(_organiser)
    db.write(steering.make_rapporteur, ORGANISER, world["rooms"][0], participant_id=rita.participant_id)
    return dict(world, id=world["rooms"][0], anna=anna, rita=rita, p1=world["paragraphs"][0], p2=world["paragraphs"][1])


def _organiser(session):
    from consult.accounts.organisers import create_organiser
    create_organiser(session, "org@example.org", "long enough password")


def phase(db, room, value):
    db.write(steering.set_phase, ORGANISER, room["id"], phase=value)


def propose(db, room, kind="replace", text="New wording.", key="amend-key-1", actor=None, paragraph=None):
    return db.write(amendments.propose, actor or room["anna"], room["id"], paragraph_id=paragraph or room["p1"],
                    kind=kind, text=text,
                    rationale="Because it is clearer.", attribution="sector", idempotency_key=key)[0][0]


def test_an_amendment_keeps_the_text_it_amends_and_is_idempotent(db, room):
    a = propose(db, room)
    assert a["original"] == "Paragraph 1.1 text." and a["status"] == "pending" and a["tally"]["agree"] == 0
    again = propose(db, room)
    assert again["id"] == a["id"]


@pytest.mark.parametrize("kind, text, field", [
    ("replace", "", "text"), ("move", "x", "kind"), ("replace", "Paragraph 1.1 text.", "text"),
])
def test_bad_amendments_are_refused(db, room, kind, text, field):
    with pytest.raises(Invalid) as error:
        propose(db, room, kind, text)
    assert field in error.value.fields


def test_amendments_need_a_rationale_and_a_paragraph_of_the_room(db, room):
    with pytest.raises(Invalid):
        db.write(amendments.propose, room["anna"], room["id"], paragraph_id=room["p1"], kind="replace", text="x",
                 rationale=" ", attribution="sector", idempotency_key="k-0000001")
    with pytest.raises(NotFound):
        propose(db, room, paragraph=room["other_paragraphs"][0])


def test_votes_only_while_voting_one_per_person_changeable(db, room):
    a = propose(db, room)
    with pytest.raises(Conflict):
        db.write(amendments.vote, room["anna"], a["id"], choice="agree")
    phase(db, room, "voting")
    db.write(amendments.vote, room["anna"], a["id"], choice="agree")
    result, events = db.write(amendments.vote, room["anna"], a["id"], choice="disagree")
    assert result["tally"] == {"agree": 0, "disagree": 1, "abstain": 0}
    assert events[0].payload["restricted"]["by_sector"] == {"health": {"agree": 0, "disagree": 1, "abstain": 0}}
    _, none = db.write(amendments.vote, room["anna"], a["id"], choice="disagree")
    assert none == []
    with pytest.raises(Invalid):
        db.write(amendments.vote, room["anna"], a["id"], choice="maybe")


def test_no_votes_from_another_room(db, room):
    a = propose(db, room)
    phase(db, room, "voting")
    stranger, _ = db.write(build_member, room["codes"][1], "Stan")
    with pytest.raises(Forbidden):
        db.write(amendments.vote, stranger, a["id"], choice="agree")


def test_thirty_concurrent_votes_are_counted_exactly(db, room):
    a = propose(db, room)
    phase(db, room, "voting")
    voters = [db.write(build_member, room["codes"][0], f"V{i}", "research")[0] for i in range(30)]
    choices = ["agree", "disagree", "abstain"]
    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(lambda iv: db.write(amendments.vote, iv[1], a["id"], choice=choices[iv[0] % 3]),
                      enumerate(voters)))
    listed = db.read(in_room, room["rita"], room["id"], amendments.list_amendments)[0]
    assert listed["tally"] == {"agree": 10, "disagree": 10, "abstain": 10}
    assert listed["by_sector"]["research"] == {"agree": 10, "disagree": 10, "abstain": 10}


def test_only_rapporteurs_and_organisers_see_the_tally_by_sector(db, room):
    propose(db, room)
    assert "by_sector" not in db.read(in_room, room["anna"], room["id"], amendments.list_amendments)[0]
    assert "by_sector" in db.read(in_room, room["rita"], room["id"], amendments.list_amendments)[0]
    assert "by_sector" in db.read(in_room, ORGANISER, room["id"], amendments.list_amendments)[0]


def test_a_participant_cannot_decide(db, room):
    a = propose(db, room)
    with pytest.raises(Forbidden):
        db.write(amendments.decide, room["anna"], a["id"], decision="accept")


def test_accepting_changes_the_working_text_as_a_new_version(db, room):
    a = propose(db, room)
    decided, events = db.write(amendments.decide, room["rita"], a["id"], decision="accept")
    assert decided["status"] == "accepted" and decided["decided_by"] == "Rita" and decided["draft_version"] == 1
    assert [e.type for e in events] == ["draft_changed", "amendment_decided"]
    draft = db.read(in_room, room["anna"], room["id"], drafting.view)
    assert draft["version"] == 1
    assert draft["sections"][0]["paragraphs"][0] == {
        "id": f"p{room['p1']}", "base_paragraph_id": room["p1"], "after": None, "number": "1.1",
        "text": "New wording.", "deleted": False, "amendment_id": a["id"]}


def test_edit_and_accept_insert_and_delete(db, room):
    ins = propose(db, room, "insert_after", "An inserted paragraph.", key="amend-ins-1")
    ins2 = propose(db, room, "insert_after", "A second insert.", key="amend-ins-2")
    dele = propose(db, room, "delete", "", key="amend-del-1", paragraph=room["p2"])
    db.write(amendments.decide, room["rita"], ins["id"], decision="accept", reason=None,
             text="An edited inserted paragraph.")
    db.write(amendments.decide, room["rita"], ins2["id"], decision="accept")
    db.write(amendments.decide, room["rita"], dele["id"], decision="accept")
    paragraphs = db.read(in_room, room["anna"], room["id"], drafting.view)["sections"][0]["paragraphs"]
    assert [(p["id"], p["text"], p["deleted"]) for p in paragraphs] == [
        (f"p{room['p1']}", "Paragraph 1.1 text.", False),
        (f"i{ins['id']}", "An edited inserted paragraph.", False),
        (f"i{ins2['id']}", "A second insert.", False),
        (f"p{room['p2']}", "Paragraph 1.2 text.", True),
    ]
    assert paragraphs[1]["after"] == room["p1"]
    listed = {a["id"]: a for a in db.read(in_room, room["anna"], room["id"], amendments.list_amendments)}
    assert listed[ins["id"]]["accepted_text"] == "An edited inserted paragraph."


def test_rejecting_needs_a_reason_and_leaves_the_text(db, room):
    a = propose(db, room)
    with pytest.raises(Invalid):
        db.write(amendments.decide, room["rita"], a["id"], decision="reject")
    decided, _ = db.write(amendments.decide, room["rita"], a["id"], decision="reject", reason="Out of scope.")
    assert decided["status"] == "rejected" and decided["decision_reason"] == "Out of scope."
    assert db.read(in_room, room["anna"], room["id"], drafting.view)["version"] == 0


def test_two_rapporteurs_deciding_at_once_one_wins_and_the_text_changes_once(db, room):
    a = propose(db, room)
    barrier = threading.Barrier(2)

    def decide(actor):
        barrier.wait()
        try:
            return db.write(amendments.decide, actor, a["id"], decision="accept")[0]["status"]
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(decide, [room["rita"], ORGANISER]))
    assert results == ["accepted", "conflict"]
    assert [v["version"] for v in db.read(in_room, room["anna"], room["id"], drafting.history)] == [1]


def test_a_stale_draft_save_is_refused_with_the_current_version(db, room):
    pid = f"p{room['p1']}"
    saved, _ = db.write(drafts.save, room["rita"], room["id"], base_version=0,
                        paragraphs=[{"id": pid, "text": "First edit."}])
    assert saved["version"] == 1
    with pytest.raises(drafts.StaleDraft) as stale:
        db.write(drafts.save, ORGANISER, room["id"], base_version=0, paragraphs=[{"id": pid, "text": "Second edit."}])
    assert stale.value.version == 1 and stale.value.content["paragraphs"][0]["text"] == "First edit."
    assert db.read(in_room, room["anna"], room["id"], drafting.view)["sections"][0]["paragraphs"][0]["text"] == "First edit."


def test_two_rapporteurs_editing_different_paragraphs_both_save(db, room):
    db.write(steering.make_rapporteur, ORGANISER, room["id"], participant_id=room["anna"].participant_id)
    p1, p2 = f"p{room['p1']}", f"p{room['p2']}"
    barrier = threading.Barrier(2)

    def edit(who_pid_text):
        who, pid, text = who_pid_text
        barrier.wait()
        return db.write(drafts.save, who, room["id"], base_version=0,
                        paragraphs=[{"id": pid, "text": text}])[0]["version"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        versions = sorted(pool.map(edit, [(room["rita"], p1, "Rita's 1.1."), (room["anna"], p2, "Anna's 1.2.")]))
    assert versions == [1, 2]
    texts = [p["text"] for p in db.read(in_room, room["anna"], room["id"], drafting.view)["sections"][0]["paragraphs"][:2]]
    assert texts == ["Rita's 1.1.", "Anna's 1.2."]
    # Still from version 0: the conclusions and 1.1's neighbours are untouched, 1.1 itself is not.
    assert db.write(drafts.save, room["rita"], room["id"], base_version=0, paragraphs=None,
                    conclusions="Agreed.")[0]["version"] == 3
    with pytest.raises(drafts.StaleDraft):
        db.write(drafts.save, room["anna"], room["id"], base_version=0,
                 paragraphs=[{"id": p1, "text": "Anna's 1.1."}])
    with pytest.raises(drafts.StaleDraft):
        db.write(drafts.save, room["anna"], room["id"], base_version=2, paragraphs=None,
                 conclusions="Other conclusions.")
    with pytest.raises(drafts.StaleDraft):
        db.write(drafts.save, room["anna"], room["id"], base_version=9,
                 paragraphs=[{"id": p2, "text": "From the future."}])


def test_conclusions_citing_what_does_not_exist_in_the_room_are_not_saved(db, room):
    a = propose(db, room)
    with pytest.raises(Invalid) as refused:
        db.write(drafts.save, room["rita"], room["id"], base_version=0, paragraphs=None,
                 conclusions=f"We took #a{a['id']} and #c999 and #a{2**70}.")
    assert refused.value.fields["conclusions"].startswith(f"#c999, #a{2**70} cite nothing in this room")
    assert db.read(in_room, room["anna"], room["id"], drafting.view)["version"] == 0
    saved, _ = db.write(drafts.save, room["rita"], room["id"], base_version=0, paragraphs=None,
                        conclusions=f"## Agreed\n\nWe took #a{a['id']}.")
    assert saved["version"] == 1
    assert "<h4>Agreed</h4>" in str(render(saved["content"]["conclusions"]))


def test_draft_history_and_diffs_between_versions(db, room):
    pid = f"p{room['p1']}"
    db.write(drafts.save, room["rita"], room["id"], base_version=0,
             paragraphs=[{"id": pid, "text": "Paragraph 1.1 revised text."}])
    db.write(drafts.save, room["rita"], room["id"], base_version=1, paragraphs=None, conclusions="We agree.")
    history = db.read(in_room, room["anna"], room["id"], drafting.history)
    assert [(h["version"], h["author"]) for h in history] == [(2, "Rita"), (1, "Rita")]
    rows = {r["id"]: r for r in db.read(in_room, room["anna"], room["id"], drafting.compare, 0, 2)}
    assert str(rows[pid]["diff"]) == "Paragraph 1.1 <ins>revised </ins>text."
    assert rows["conclusions"]["changed"]


def test_participants_cannot_edit_the_draft_and_nothing_changes_in_a_closed_room(db, room):
    with pytest.raises(Forbidden):
        db.write(drafts.save, room["anna"], room["id"], base_version=0, paragraphs=None, conclusions="My conclusions")
    a = propose(db, room)
    phase(db, room, "closed")
    for attempt in (
        lambda: db.write(drafts.save, room["rita"], room["id"], base_version=0, paragraphs=None, conclusions="x"),
        lambda: db.write(amendments.decide, room["rita"], a["id"], decision="accept"),
        lambda: propose(db, room, key="amend-key-closed"),
        lambda: db.write(engagement.react, room["anna"], room["id"], paragraph_id=room["p1"], stance="agree"),
        lambda: db.write(contributions.post_comment, room["anna"], room["id"], text="x",
                         idempotency_key="closed-key-1"),
    ):
        with pytest.raises(Conflict):
            attempt()


def test_phases_are_moved_by_rapporteurs_and_organisers_only(db, room):
    with pytest.raises(Forbidden):
        db.write(steering.set_phase, room["anna"], room["id"], phase="voting")
    result, events = db.write(steering.set_phase, room["rita"], room["id"], phase="voting")
    assert result["phase"] == "voting" and events[0].payload["phase"] == "voting"
    with pytest.raises(Invalid):
        db.write(steering.set_phase, room["rita"], room["id"], phase="finished")


def test_reactions_spread_with_sectors_for_the_rapporteur(db, room):
    db.write(engagement.react, room["anna"], room["id"], paragraph_id=room["p1"], stance="agree")
    result, events = db.write(engagement.react, room["rita"], room["id"], paragraph_id=room["p1"],
                              stance="disagree", needs_discussion=True)
    assert result["spread"] == {"agree": 1, "disagree": 1, "pass": 0, "discuss": 1}
    assert events[0].payload["restricted"]["by_sector"]["law_enforcement"]["disagree"] == 1
    changed, _ = db.write(engagement.react, room["anna"], room["id"], paragraph_id=room["p1"], stance="")
    assert changed["spread"]["agree"] == 0


def test_dots_are_limited_to_the_room_setting_and_rank_items(db, room):
    a = propose(db, room)
    (comment, _), _ = db.write(contributions.post_comment, room["anna"], room["id"], text="c",
                               idempotency_key="dots-key-1")
    with pytest.raises(Conflict):
        db.write(engagement.set_dots, room["anna"], room["id"], target_type="amendment", target_id=a["id"], dots=1)
    phase(db, room, "voting")
    db.write(engagement.set_dots, room["anna"], room["id"], target_type="amendment", target_id=a["id"], dots=3)
    result, events = db.write(engagement.set_dots, room["anna"], room["id"], target_type="comment",
                              target_id=comment["id"], dots=2)
    assert result["left"] == 0
    with pytest.raises(Invalid):
        db.write(engagement.set_dots, room["anna"], room["id"], target_type="comment", target_id=comment["id"], dots=3)
    db.write(engagement.set_dots, room["rita"], room["id"], target_type="comment", target_id=comment["id"], dots=2)
    ranking = db.read(engagement.ranking, room["id"])
    assert [(r["type"], r["dots"]) for r in ranking] == [("comment", 4), ("amendment", 3)]


def test_a_long_ranked_item_is_cut_after_a_whole_word_with_an_ellipsis(db, room):
    phase(db, room, "open")
    text = "Monitoring should cover the recruitment of minors through social media " * 4
    (comment, _), _ = db.write(contributions.post_comment, room["anna"], room["id"], text=text,
                               idempotency_key="dots-long-1")
    phase(db, room, "voting")
    db.write(engagement.set_dots, room["anna"], room["id"], target_type="comment", target_id=comment["id"], dots=1)
    summary = db.read(engagement.ranking, room["id"])[0]["summary"]
    assert summary.endswith(" …") and len(summary) <= 122
    assert text.startswith(summary[:-2]) and text[len(summary) - 2] == " ", summary


def test_a_decided_amendment_takes_no_more_dots_but_gives_them_back(db, room):
    a = propose(db, room)
    phase(db, room, "voting")
    db.write(engagement.set_dots, room["anna"], room["id"], target_type="amendment", target_id=a["id"], dots=2)
    db.write(amendments.decide, room["rita"], a["id"], decision="accept")
    with pytest.raises(Invalid, match="decided"):
        db.write(engagement.set_dots, room["anna"], room["id"], target_type="amendment", target_id=a["id"], dots=3)
    back, _ = db.write(engagement.set_dots, room["anna"], room["id"], target_type="amendment", target_id=a["id"], dots=0)
    assert back["open"] is False and back["left"] == back["total"]


def test_polls_single_and_multiple_choice(db, room):
    with pytest.raises(Forbidden):
        db.write(engagement.ask, room["anna"], room["id"], question="Q?", options=["a", "b"], multiple=False)
    with pytest.raises(Invalid):
        db.write(engagement.ask, room["rita"], room["id"], question="Q?", options=["only one"], multiple=False)
    poll, _ = db.write(engagement.ask, room["rita"], room["id"], question="Which indicator first?",
                       options=["Homicides", "Shootings", "Debt violence"], multiple=False)
    with pytest.raises(Invalid):
        db.write(engagement.answer, room["anna"], poll["id"], chosen=[0, 1])
    db.write(engagement.answer, room["anna"], poll["id"], chosen=[0])
    result, _ = db.write(engagement.answer, room["anna"], poll["id"], chosen=[2])
    assert [o["votes"] for o in result["options"]] == [0, 0, 1] and result["voters"] == 1
    multi, _ = db.write(engagement.ask, room["rita"], room["id"], question="Which sources?",
                        options=["Police", "Hospitals"], multiple=True)
    both, _ = db.write(engagement.answer, room["anna"], multi["id"], chosen=[0, 1])
    assert [o["percent"] for o in both["options"]] == [50, 50]
    db.write(engagement.close_poll, room["rita"], poll["id"])
    with pytest.raises(Conflict):
        db.write(engagement.answer, room["anna"], poll["id"], chosen=[1])


def _sent_to(events, role):
    """What the room's sockets send a viewer of that role for each event (HTML and API JSON)."""
    from consult.live import fragments
    from consult.live.hub import Message
    return [(fragments.html(Message(e), role), fragments.api_json(Message(e), role)) for e in events]


def _counts_one_vote(api_json: str) -> bool:
    """Some option of the pushed poll has one vote (however the JSON is spaced)."""
    return re.search(r'"votes":\s*1\b', api_json) is not None


def test_poll_numbers_reach_a_participant_only_after_answering_or_closing(db, room):
    """Results hidden before answering are not sent at all: not in the viewer's poll list,
    nor in what the socket pushes to participants; rapporteurs get them all along."""
    poll, opened = db.write(engagement.ask, room["rita"], room["id"], question="Which first?",
                            options=["Homicides", "Shootings"], multiple=False)
    carl, _ = db.write(build_member, room["codes"][0], "Carl", "health")
    _, answered = db.write(engagement.answer, room["anna"], poll["id"], chosen=[1])
    for html, api in _sent_to(opened + answered, "participant"):
        assert "(100%)" not in html and '"votes"' not in api and '"percent"' not in api
    rapporteur_html, rapporteur_api = _sent_to(answered, "rapporteur")[0]
    assert "1 (100%)" in rapporteur_html and _counts_one_vote(rapporteur_api)

    unseen = db.read(in_room, carl, room["id"], engagement.polls)[0]
    assert not unseen["shown"] and all("votes" not in o for o in unseen["options"]) and unseen["voters"] == 1
    mine = db.read(in_room, room["anna"], room["id"], engagement.polls)[0]
    assert mine["shown"] and mine["refresh"] and [o["votes"] for o in mine["options"]] == [0, 1]
    assert db.read(engagement.poll_for, room["rita"], poll["id"])["shown"]

    _, closed = db.write(engagement.close_poll, room["rita"], poll["id"])
    html, api = _sent_to(closed, "participant")[0]
    assert "1 (100%)" in html and _counts_one_vote(api)
    after = db.read(engagement.poll_for, carl, poll["id"])
    assert after["shown"] and not after["refresh"] and [o["votes"] for o in after["options"]] == [0, 1]


def test_a_poll_shown_live_sends_its_numbers_to_everyone(db, room):
    poll, _ = db.write(engagement.ask, room["rita"], room["id"], question="Live?", options=["Yes", "No"],
                       multiple=False, results_live=True)
    _, answered = db.write(engagement.answer, room["anna"], poll["id"], chosen=[0])
    html, api = _sent_to(answered, "participant")[0]
    assert "1 (100%)" in html and _counts_one_vote(api)
    carl, _ = db.write(build_member, room["codes"][0], "Carl", "health")
    seen = db.read(engagement.poll_for, carl, poll["id"])
    assert seen["shown"] and not seen["refresh"]


def test_a_poll_cannot_be_answered_before_the_room_opens_and_says_why(db, room):
    phase(db, room, "setup")
    poll, _ = db.write(engagement.ask, room["rita"], room["id"], question="Early?", options=["Yes", "No"],
                       multiple=False)
    view = db.read(engagement.poll_for, room["anna"], poll["id"])
    assert not view["answerable"] and view["phase"] == "setup"
    with pytest.raises(Conflict, match="has not started yet"):
        db.write(engagement.answer, room["anna"], poll["id"], chosen=[0])
    phase(db, room, "open")
    assert db.read(engagement.poll_for, room["anna"], poll["id"])["answerable"]


def test_marking_comments_taken_into_account(db, room):
    (comment, _), _ = db.write(contributions.post_comment, room["anna"], room["id"], text="c",
                               idempotency_key="mark-key-1")
    with pytest.raises(Forbidden):
        db.write(contributions.mark_taken, room["anna"], comment["id"], taken=True)
    db.write(contributions.mark_taken, room["rita"], comment["id"], taken=True)
    assert db.read(in_room, room["anna"], room["id"], contributions.list_comments)[0]["taken_into_account"] is True


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", '<a href="/x" hx-get="/evil">x</a>',
    '<img src=x onerror="alert(1)">', "[x](  JaVaScRiPt:alert(1))", '<div hx-post="/x" hx-trigger="load">',
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_hostile_markdown_is_rendered_harmless(source):
    assert_harmless(str(render(source)))


def test_conclusions_cite_comments_and_amendments_with_links(db, room):
    a = propose(db, room)
    (c, _), _ = db.write(contributions.post_comment, room["anna"], room["id"], text="A view.",
                         idempotency_key="cite-key-01")
    db.write(drafts.save, room["rita"], room["id"], base_version=0, paragraphs=None,
             conclusions=f"Agreed (#c{c['id']}, #a{a['id']}); not #x9.")
    draft = db.read(in_room, room["anna"], room["id"], drafting.view)
    assert draft["cites"] == {"comments": [c["id"]], "amendments": [a["id"]]}
    assert f'<a href="#c-{c["id"]}"' in draft["conclusions_html"] and f'<a href="#a-{a["id"]}"' in draft["conclusions_html"]
