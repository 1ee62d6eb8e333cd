"""Moderating anything: hide, restore, dismiss reports, from the queue or a contribution's own
page; who may do it; what the queue shows; what the audit log says."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import create_engine, text as sql
from starlette.testclient import TestClient
from test_organiser import CODE_A, CODE_B, post, rapporteur_of, sign_in
from web_helpers import csrf_token, first_paragraph, join, room_id


def comment(client, rid, text, **extra):
    sent = post(client, f"/rooms/{rid}/comments", {"text": text, "attribution": "sector",
                                                   "idempotency_key": f"k-{abs(hash(text))}", **extra})
    return int(re.search(r'id="c-(\d+)"', sent.text).group(1))


def reported(client, code, text) -> tuple[int, int]:
    """Ana comments in the room with this code and Bo, another member, reports it: (room id, comment id)."""
    rid = room_id(join(client, code, name="Ana"))
    cid = comment(client, rid, text)
    reporter = TestClient(client.app)
    join(reporter, code, name="Bo")
    post(reporter, "/flags", {"target_type": "comment", "target_id": cid, "reason": "Rude"})
    return rid, cid


def amendment(client, rid, paragraph_id, text):
    sent = post(client, f"/rooms/{rid}/amendments", {"paragraph_id": paragraph_id, "kind": "replace", "text": text,
                                                     "rationale": "Clearer", "idempotency_key": f"a-{abs(hash(text))}"})
    return int(re.search(r'id="a-(\d+)"', sent.text).group(1))


def test_an_organiser_hides_and_restores_an_unreported_comment_reply_and_amendment(client):
    org = sign_in(TestClient(client.app))
    rid = room_id(join(client, CODE_A, name="Ana", sector="social_services", country="PT"))
    page = client.get(f"/rooms/{rid}").text
    pid = first_paragraph(page)
    parent = comment(client, rid, "A comment nobody reported", paragraph_id=pid)
    reply = comment(client, rid, "A reply nobody reported", parent_id=parent)
    am = amendment(client, rid, pid, "A rewording nobody reported")
    everything = org.get(f"/organiser/moderation?state=all&room={rid}").text
    for needle in ("A comment nobody reported", "A reply nobody reported", "A rewording nobody reported",
                   "Social services", "Portugal", "Paragraph 1.1:", f"Reply {reply}"):
        assert needle in everything, needle
    for kind, target, text in (("comment", parent, "A comment nobody"), ("comment", reply, "A reply nobody"),
                               ("amendment", am, "A rewording nobody")):
        hidden = post(org, f"/moderation/{kind}/{target}/hide", {"reason": "Personal data", "next": f"/rooms/{rid}"})
        assert hidden.status_code == 303 and hidden.headers["location"] == f"/rooms/{rid}"
        assert f"{kind.capitalize()} {target} hidden." in org.get(hidden.headers["location"]).text
    room_page = client.get(f"/rooms/{rid}").text
    assert "A comment nobody reported" not in room_page and "A reply nobody reported" not in room_page
    assert "Removed by a moderator: Personal data" in room_page
    assert post(org, f"/moderation/comment/{reply}/restore", {"reason": "Checked with the author"}).status_code == 303
    assert "A reply nobody reported" in client.get(f"/rooms/{rid}").text
    audit = org.get("/organiser/audit?kind=moderation").text
    assert "Hid reply" in audit and "paragraph 1.1" in audit and "Restored reply" in audit
    assert "Checked with the author" in audit


def test_hiding_without_a_reason_is_refused_next_to_the_field_and_changes_nothing(client):
    org = sign_in(TestClient(client.app))
    rid = room_id(join(client, CODE_A))
    cid = comment(client, rid, "Keep me")
    refused = post(org, f"/moderation/comment/{cid}/hide", {"reason": "  "})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text and "Give a reason" in refused.text
    assert "Keep me" in client.get(f"/rooms/{rid}").text


def test_dismissing_reports_keeps_the_comment_and_empties_the_queue(client):
    org = sign_in(TestClient(client.app))
    rid = room_id(join(client, CODE_A))
    cid = comment(client, rid, "Robust but fair")
    other = TestClient(client.app)
    join(other, CODE_A, name="Bo")
    post(other, "/flags", {"target_type": "comment", "target_id": cid, "reason": "I disagree"})
    queue = org.get("/organiser/moderation").text
    assert "Robust but fair" in queue and "I disagree" in queue and "Dismiss the reports" in queue
    assert post(org, f"/moderation/comment/{cid}/dismiss", {}).status_code == 422
    assert "Robust but fair" in org.get("/organiser/moderation").text
    assert post(org, f"/moderation/comment/{cid}/dismiss", {"reason": "Disagreement is not abuse"}).status_code == 303
    assert "Robust but fair" not in org.get("/organiser/moderation").text
    assert "Robust but fair" in client.get(f"/rooms/{rid}").text
    audit = org.get("/organiser/audit").text
    assert "Dismissed 1 report" in audit and "Disagreement is not abuse" in audit
    assert post(org, f"/moderation/comment/{cid}/dismiss", {"reason": "again"}).status_code == 422


def test_nobody_reports_their_own_comment_or_amendment_nor_is_offered_to(demo_client):
    """Ana's own comment has no report button for her (Bo's page has one); sending the report
    anyway is refused with 403 and the reason in her language, and reaches no moderator."""
    from consult.moderation.models import Flag
    from sqlalchemy import func, select

    rid = room_id(join(demo_client, CODE_A, name="Ana"))
    cid = comment(demo_client, rid, "My own point")
    aid = amendment(demo_client, rid, first_paragraph(demo_client.get(f"/rooms/{rid}").text), "My own wording")
    other = TestClient(demo_client.app)
    join(other, CODE_A, name="Bo")
    reports = f'name="target_type" value="comment"><input type="hidden" name="target_id" value="{cid}">'
    assert reports not in demo_client.get(f"/rooms/{rid}").text and reports in other.get(f"/rooms/{rid}").text
    for target_type, target_id, said in (
            ("comment", cid, "C'est votre propre commentaire : les signalements sont réservés aux contributions des autres."),
            ("amendment", aid, "C'est votre propre amendement : les signalements sont réservés aux contributions des autres.")):
        refused = demo_client.post("/flags", data={"target_type": target_type, "target_id": target_id, "reason": "x"},
                                   headers={"X-CSRF-Token": csrf_token(demo_client), "Accept-Language": "fr"})
        assert refused.status_code == 403 and said in refused.text.replace("&#39;", "'")
    assert demo_client.app.state.core.db.read(lambda s: s.scalar(select(func.count()).select_from(Flag))) == 0
    assert post(other, "/flags", {"target_type": "comment", "target_id": cid, "reason": "x"}).status_code == 200


def test_the_queue_filters_by_room_and_state(client):
    org = sign_in(TestClient(client.app))
    a = room_id(join(client, CODE_A))
    other = TestClient(client.app)
    b = room_id(join(other, CODE_B, name="Bo"))
    in_a, in_b = comment(client, a, "Said in room A"), comment(other, b, "Said in room B")
    post(org, f"/moderation/comment/{in_b}/hide", {"reason": "Off topic"})
    only_a = org.get(f"/organiser/moderation?state=all&room={a}").text
    assert "Said in room A" in only_a and "Said in room B" not in only_a
    hidden = org.get("/organiser/moderation?state=hidden").text
    assert "Said in room B" in hidden and "Said in room A" not in hidden and "Hidden: Off topic" in hidden
    assert org.get("/organiser/moderation?state=nonsense").status_code == 422
    assert org.get("/organiser/moderation?room=abc").status_code == 422
    item = org.get(f"/organiser/moderation/comment/{in_a}", headers={"referer": f"http://testserver/rooms/{a}"})
    assert item.status_code == 200 and f'name="next" value="/rooms/{a}"' in item.text
    assert org.get("/organiser/moderation/comment/999999").status_code == 404
    assert org.get(f"/organiser/moderation/vote/{in_a}").status_code == 404


def test_the_room_page_carries_a_moderate_link_that_only_organisers_are_shown(client):
    org = sign_in(TestClient(client.app))
    rid = room_id(join(client, CODE_A))
    cid = comment(client, rid, "Linked")
    assert f'href="/organiser/moderation/comment/{cid}"' in org.get(f"/rooms/{rid}").text
    assert "data-moderator" in org.get(f"/rooms/{rid}").text.split("<body", 1)[1].split(">", 1)[0]
    assert "data-moderator" not in client.get(f"/rooms/{rid}").text.split("<body", 1)[1].split(">", 1)[0]
    assert f'href="/organiser/moderation/comment/{cid}"' in org.get(f"/rooms/{rid}/workbench").text


@pytest.mark.parametrize("action", ["hide", "restore", "dismiss"])
def test_participants_and_rapporteurs_cannot_moderate(client, action):
    org = sign_in(TestClient(client.app))
    rita, rid_a = rapporteur_of(client, CODE_A, org)   # rapporteur of room A
    other = TestClient(client.app)
    rid_b = room_id(join(other, CODE_B, name="Bo"))
    cid = comment(other, rid_b, "In room B")
    post(other, "/flags", {"target_type": "comment", "target_id": cid, "reason": "x"})
    join(client, CODE_B, name="Cy")
    for who in (client, rita, other):
        assert post(who, f"/moderation/comment/{cid}/{action}", {"reason": "no"}).status_code == 403
        assert who.get(f"/organiser/moderation/comment/{cid}", follow_redirects=False).status_code == 403
    assert "In room B" in client.get(f"/rooms/{rid_b}").text
    assert "flag.dismiss" not in org.get("/organiser/audit").text


def test_the_queue_refreshes_as_a_fragment_for_organisers_only_and_dismissals_reach_the_live_queue(client, settings):
    org = sign_in(TestClient(client.app))
    rid, cid = reported(client, CODE_A, "Reported for the live queue")
    fragment = org.get("/organiser/moderation?state=attention&panel=queue", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="queue"') and "Reported for the live queue" in fragment.text
    # The actions on it come back to the queue as filtered, not to the fragment.
    assert 'name="next" value="/organiser/moderation?state=attention"' in fragment.text
    for who in (client, rapporteur_of(client, CODE_B, org)[0]):
        refused = who.get("/organiser/moderation?panel=queue", headers={"HX-Request": "true"})
        assert refused.status_code == 403 and "Reported for the live queue" not in refused.text
    post(org, f"/moderation/comment/{cid}/dismiss", {"reason": "Robust, not rude"})
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        last = conn.execute(sql("SELECT type, payload FROM room_events WHERE room_id = :r ORDER BY seq DESC"),
                            {"r": rid}).first()
    engine.dispose()
    assert last[0] == "flags_dismissed" and json.loads(last[1])["restricted"] == {"target_type": "comment", "id": cid}
    assert "Reported for the live queue" not in org.get("/organiser/moderation?panel=queue",
                                                        headers={"HX-Request": "true"}).text
