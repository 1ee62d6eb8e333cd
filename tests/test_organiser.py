"""The organiser's console, moderation and the projector, through the pages in-process."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient
from web_helpers import HTMX, csrf_token, join, room_id

CODE_A, CODE_B = "K7MPQ2", "R4XTN8"
ORGANISER_PAGES = ["/organiser", "/organiser/setup", "/organiser/moderation", "/organiser/audit",
                   "/e/drug-violence-2024/export.xlsx"]


def sign_in(client) -> TestClient:
    token = csrf_token(client, "/organiser/login")
    response = client.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                                     "password": "brussels-demo-2024"}, follow_redirects=False)
    assert response.status_code == 303
    return client


def post(client, path, data=None):
    return client.post(path, data=data or {}, headers={**HTMX, "X-CSRF-Token": csrf_token(client)},
                       follow_redirects=False)


def rapporteur_of(client, code, org):
    """A participant made rapporteur of the room with the code, through the organiser's page."""
    rita = TestClient(client.app)
    rid = room_id(join(rita, code, name="Rita"))
    page = org.get(f"/rooms/{rid}/workbench").text
    pid = re.search(r'Rita.*?name="participant_id" value="(\d+)"', page, re.S).group(1)
    post(org, f"/rooms/{rid}/rapporteurs", {"participant_id": pid})
    return rita, rid


def running_now(org, slot_id: int = 1):
    """The demo's session (in 2024, long ended) moved to run from an hour ago to an hour from
    now, in the event's time zone, through the set-up form."""
    from zoneinfo import ZoneInfo
    local = dt.datetime.now(ZoneInfo("Europe/Brussels")).replace(tzinfo=None, second=0, microsecond=0)
    answer = post(org, "/organiser/sessions", {"session_id": str(slot_id), "title": "Session 1 - Now",
                                               "starts_at": (local - dt.timedelta(hours=1)).isoformat(timespec="minutes"),
                                               "ends_at": (local + dt.timedelta(hours=1)).isoformat(timespec="minutes")})
    assert answer.status_code in (200, 303)


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_participants_and_rapporteurs_get_403_on_organiser_pages(client, path):
    org = sign_in(TestClient(client.app))
    rita, rid = rapporteur_of(client, CODE_A, org)
    join(client, CODE_A)
    for who in (client, rita):
        assert who.get(path, follow_redirects=False).status_code == 403, path


@pytest.mark.parametrize("path, data", [
    ("/organiser/phase", {"rooms": "1", "phase": "voting"}), ("/organiser/rooms/1/code", {}),
    ("/organiser/rooms/1/invite", {}), ("/moderation/comment/1/hide", {"reason": "x"}),
    ("/organiser/event", {"title": "x"}), ("/rooms/1/members/1/remove", {}),
    ("/documents/1/consolidations", {}), ("/documents/1/consolidated/1/publish", {}),
    ("/documents/2/consolidations", {"confirm": "yes"}), ("/organiser/demo-activity", {}),
    ("/organiser/logout-everywhere", {}),
])
def test_participants_get_403_on_organiser_actions(client, path, data):
    join(client, CODE_A)
    assert post(client, path, data).status_code == 403


def test_the_dashboard_shows_every_room_and_flags_a_missing_sector(client):
    org = sign_in(TestClient(client.app))
    running_now(org)
    for i in range(4):
        join(TestClient(client.app), CODE_A, name=f"Officer {i}", sector="law_enforcement")
    page = org.get("/organiser").text
    assert page.count('<article id="dash-room-') == 8
    row = page[page.index('id="dash-room-1"'):]
    row = row[:row.index("</article>")]
    assert "Law enforcement 4" in row and "Missing: Health services" in row and "Dominant: Law enforcement" in row


def phases(org) -> dict[int, str]:
    return {r["id"]: r["phase"] for r in org.get("/api/v1/events/drug-violence-2024/rooms").json()["rooms"]}


def test_bulk_phase_change_moves_every_chosen_room_after_confirmation_and_is_audited(client):
    org = sign_in(TestClient(client.app))
    form = {"csrf_token": csrf_token(org), "rooms": ["1", "2", "3"], "phase": "voting"}
    asked = org.post("/organiser/phase", data=form, follow_redirects=False)
    assert asked.status_code == 200 and "Move 3 rooms to Voting?" in asked.text and "Nothing has changed yet" in asked.text
    assert "participants can no longer comment" in asked.text and 'name="confirm" value="yes"' in asked.text
    assert set(phases(org).values()) == {"open"}      # asked, not done
    response = org.post("/organiser/phase", data={**form, "confirm": "yes"}, follow_redirects=False)
    assert response.status_code == 303
    assert "3 rooms moved to Voting." in org.get(response.headers["location"]).text
    rooms = {r["id"]: r["phase"] for r in org.get("/api/v1/events/drug-violence-2024/rooms").json()["rooms"]}
    assert [rooms[i] for i in (1, 2, 3, 4)] == ["voting", "voting", "voting", "open"]
    audit = org.get("/organiser/audit").text
    assert audit.count("room.phase") == 3


def test_hiding_a_comment_removes_it_for_participants_and_marks_it_in_the_export(client):
    org = sign_in(TestClient(client.app))
    rid = room_id(join(client, CODE_A))
    post(client, f"/rooms/{rid}/comments", {"text": "Offensive remark", "attribution": "sector",
                                            "idempotency_key": "mod-key-0001"})
    comment_id = int(re.search(r'id="c-(\d+)"', client.get(f"/rooms/{rid}").text).group(1))
    reporter = TestClient(client.app)
    join(reporter, CODE_A, name="Bo")
    assert post(reporter, "/flags", {"target_type": "comment", "target_id": comment_id,
                                     "reason": "Insulting"}).status_code == 200
    queue = org.get("/organiser/moderation").text
    assert "Offensive remark" in queue and "Insulting" in queue
    assert post(org, f"/moderation/comment/{comment_id}/hide", {"reason": "Breaks the room's rules"}).status_code == 303
    page = client.get(f"/rooms/{rid}").text
    assert "Offensive remark" not in page and "Removed by a moderator: Breaks the room" in page
    api = client.get(f"/api/v1/rooms/{rid}/comments", headers={}).status_code  # no bearer: 401
    assert api == 401
    def comments_sheet(url):
        ws = load_workbook(io.BytesIO(org.get(url).content))["Comments"]
        return [dict(zip([c.value for c in ws[1]], [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
    assert not [r for r in comments_sheet("/e/drug-violence-2024/export.xlsx") if r["Text"] == "Offensive remark"]
    marked = [r for r in comments_sheet("/e/drug-violence-2024/export.xlsx?hidden=1") if r["Text"] == "Offensive remark"]
    assert marked and marked[0]["Moderation"].startswith("HIDDEN by a moderator")
    assert post(org, f"/moderation/comment/{comment_id}/restore").status_code == 303
    assert "Offensive remark" in client.get(f"/rooms/{rid}").text


def test_premoderated_rooms_show_contributions_after_approval(client):
    org = sign_in(TestClient(client.app))
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1", "2"], "dots": "5",
                                       "premoderation": "1"})
    rid = room_id(join(client, CODE_A))
    other = TestClient(client.app)
    join(other, CODE_A, name="Ben")
    sent = post(client, f"/rooms/{rid}/comments", {"text": "Wait for me", "attribution": "sector",
                                                   "idempotency_key": "premod-key-1"})
    assert "appears once a moderator approves it" in sent.text
    assert "Wait for me" not in other.get(f"/rooms/{rid}").text
    assert "Wait for me" in client.get(f"/rooms/{rid}").text  # the author sees their own, marked
    comment_id = int(re.search(r'id="c-(\d+)"', sent.text).group(1))
    post(org, f"/moderation/comment/{comment_id}/restore")
    assert "Wait for me" in other.get(f"/rooms/{rid}").text


def test_anonymous_rooms_sign_everything_by_sector(client):
    org = sign_in(TestClient(client.app))
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1"], "dots": "5", "anonymous": "1"})
    rid = room_id(join(client, CODE_A, name="Visible Name"))
    page = client.get(f"/rooms/{rid}").text
    assert 'value="name"' not in page and "This room is anonymous" in page
    post(client, f"/rooms/{rid}/comments", {"text": "Signed?", "attribution": "name", "idempotency_key": "anon-key-1"})
    assert "Visible Name" not in client.get(f"/rooms/{rid}").text.split("Signed?")[0].split('class="comment"')[-1]



def test_a_form_sent_back_reads_as_on_the_room_page(client):
    """Refused or sent, a comment or amendment form comes back for its paragraph by number, a
    replace from the current text, and, in an anonymous room, without "sign with my name"."""
    org = sign_in(TestClient(client.app))
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1"], "dots": "5", "anonymous": "1"})
    rid = room_id(join(client, CODE_A, name="Form Back"))
    page = client.get(f"/rooms/{rid}").text
    pid = int(re.search(r'id="af-(\d+)"', page).group(1))
    number = re.search(rf'<label for="cf-p{pid}-text">Your comment on ([\d.]+)</label>', page).group(1)
    current = re.search(rf'id="af-{pid}-text"[^>]*data-current="([^"]*)"', page).group(1)

    def comment(text, key, **where):
        return post(client, f"/rooms/{rid}/comments", {"text": text, "attribution": "sector", "idempotency_key": key, **where})

    for sent in (comment("x" * 6000, "form-back-c1-key", paragraph_id=pid), comment("Fine.", "form-back-c2-key", paragraph_id=pid)):
        assert f'<label for="cf-p{pid}-text">Your comment on {number}</label>' in sent.text
        assert "This room is anonymous" in sent.text and 'value="name"' not in sent.text
    assert comment("x" * 6000, "form-back-c1-key", paragraph_id=pid).status_code == 422
    general = comment("", "form-back-c3-key")
    assert general.status_code == 422 and ">Your general comment</label>" in general.text

    def amend(rationale, key):
        return post(client, f"/rooms/{rid}/amendments", {"paragraph_id": pid, "kind": "replace", "text": "New words.",
                                                         "rationale": rationale, "attribution": "sector", "idempotency_key": key})
    refused, proposed = amend("", "form-back-a1-key"), amend("Clearer.", "form-back-a2-key")
    assert refused.status_code == 422 and proposed.status_code == 200, re.findall(r"class=\"error\"[^>]*>([^<]*)", proposed.text)
    for sent in (refused, proposed):
        assert f"<legend>Propose to {number}</legend>" in sent.text and f'data-current="{current}"' in sent.text
        assert "This room is anonymous" in sent.text and 'value="name"' not in sent.text


def test_the_new_join_code_question_is_asked_in_the_organisers_language(client):
    join(TestClient(client.app), CODE_A, name="Already In")
    org = sign_in(TestClient(client.app))
    asked = org.post("/organiser/rooms/1/code", data={"csrf_token": csrf_token(org)}, headers={"Accept-Language": "fr"})
    assert asked.status_code == 200
    text = asked.text.replace("&#39;", "'")
    assert "Donner un nouveau code d'accès à Room A" in text and f"désactiver le code {CODE_A}" in text
    assert "1 personne déjà dans la salle (Ouverte aux commentaires) garde sa place." in text
    assert "Créer un nouveau code" in text and "Make a new code" not in text
    # So is removing someone from a room.
    rid = 1
    page = org.get(f"/rooms/{rid}/workbench").text
    pid = re.search(r'Already In.*?/members/(\d+)/remove', page, re.S).group(1)
    asked = org.post(f"/rooms/{rid}/members/{pid}/remove", data={"csrf_token": csrf_token(org)},
                     headers={"Accept-Language": "fr"}).text.replace("&#39;", "'")
    assert "Retirer Already In de Room A" in asked and "Motif, montré à la personne retirée" in asked
    assert "Remove" not in asked.split("<main")[-1].split("</main>")[0]


def test_capacity_invitations_and_removal(client):
    org = sign_in(TestClient(client.app))
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1"], "dots": "5", "capacity": "1"})
    first = TestClient(client.app)
    rid = room_id(join(first, CODE_A, name="First"))
    full = join(TestClient(client.app), CODE_A, name="Second")
    assert full.status_code == 409 and "This room is full" in full.text
    invite = org.get(post(org, f"/organiser/rooms/{rid}/invite").headers["location"]).text
    link = re.search(r'href="http://testserver(/join\?code=[^"]+)"', invite).group(1).replace("&amp;", "&")
    rapporteur = TestClient(client.app)
    form = rapporteur.get(link).text
    token = re.search(r'name="invite" value="([^"]+)"', form).group(1)
    joined = join(rapporteur, CODE_A, name="Invited Rapporteur", invite=token)
    assert joined.status_code == 303
    assert rapporteur.get(f"/rooms/{rid}/workbench").status_code == 200
    reused = join(TestClient(client.app), CODE_A, name="Third", invite=token)
    assert reused.status_code == 409 and "already used" in reused.text
    page = org.get(f"/rooms/{rid}/workbench").text
    pid = re.search(r'First.*?/members/(\d+)/remove', page, re.S).group(1)
    assert "Remove First from" in post(org, f"/rooms/{rid}/members/{pid}/remove").text
    assert post(org, f"/rooms/{rid}/members/{pid}/remove", {"confirm": "yes"}).status_code == 422   # no reason
    assert first.get(f"/rooms/{rid}").status_code == 200
    assert post(org, f"/rooms/{rid}/members/{pid}/remove", {"confirm": "yes", "reason": "Harassed a speaker"}
                ).status_code == 303
    removed = first.get(f"/rooms/{rid}", follow_redirects=False)
    assert removed.status_code == 403 and "You were removed from" in removed.text
    assert "Harassed a speaker" in removed.text and "An organiser removed you" in removed.text
    again = join(first, CODE_A)
    assert again.status_code == 403 and "removed you" in again.text


def test_new_join_code_and_setup_validation(client):
    org = sign_in(TestClient(client.app))
    asked = post(org, "/organiser/rooms/1/code")
    assert asked.status_code == 200 and f"stop the code {CODE_A} from working" in asked.text
    assert join(TestClient(client.app), CODE_A).status_code == 303    # not without confirmation
    made = post(org, "/organiser/rooms/1/code", {"confirm": "yes"})
    assert made.status_code == 303 and "has a new join code" in org.get(made.headers["location"]).text
    assert join(TestClient(client.app), CODE_A).status_code == 404   # the old code no longer works
    new_code = re.search(r'id="room-1".*?<code>(\w+)</code>', org.get("/organiser/setup").text, re.S).group(1)
    assert new_code != CODE_A and join(TestClient(client.app), new_code).status_code == 303
    bad = org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "session_id": "1", "name": "",
                                             "sections": [], "dots": "50"})
    assert bad.status_code == 422 and "Choose at least one section" in bad.text



def form_in(html: str, form_id: str) -> str:
    part = html[html.index(f'<form id="{form_id}"'):]
    return part[:part.index("</form>")]


def test_a_refused_set_up_form_comes_back_on_the_page_with_each_problem_next_to_its_field(client):
    """Not a page of its own with a Back button: the set-up page, 422, the form as it was sent
    (its fold open), the form's message above it and each problem next to its field, the first
    one focused; nothing saved."""
    org = sign_in(TestClient(client.app))

    def send(path, **data):
        return org.post(path, data={"csrf_token": csrf_token(org), **data})

    bad = send("/organiser/rooms", session_id="1", name="", topic="Kept topic", sections=[], dots="50", capacity="abc")
    assert bad.status_code == 422
    form = form_in(bad.text, "room-form-new-1")
    assert '<p class="error" id="rm-cap-new-1-error">Not a number.</p>' in form and 'value="abc"' in form
    bad = send("/organiser/rooms", session_id="1", name="", topic="Kept topic", sections=[], dots="50")
    form = form_in(bad.text, "room-form-new-1")
    assert '<p class="error wide" role="alert">The room was not saved.</p>' in form
    assert '<p class="error" id="rm-name-new-1-error">A name of 1 to 120 characters.</p>' in form
    assert 'aria-describedby="rm-name-new-1-error" autofocus' in form
    assert '<p class="error" id="rm-dots-new-1-error">Between 1 and 20 dots.</p>' in form and 'value="50"' in form
    assert 'id="rm-sections-new-1-error">Choose at least one section' in form and 'value="Kept topic"' in form
    assert '<details open><summary>Add a room to this session</summary>' in bad.text
    assert "That did not work" not in bad.text

    backwards = send("/organiser/sessions", title="Late", starts_at="2024-11-27T16:00", ends_at="2024-11-27T10:00")
    assert backwards.status_code == 422
    form = form_in(backwards.text, "session-form-new")
    assert '<p class="error" id="ns-end-error">The end must come after the start.</p>' in form
    assert 'value="Late"' in form and 'value="2024-11-27T16:00"' in form

    event = send("/organiser/event", title="T" * 500, starts_on="2024-11-27", ends_on="2024-11-01",
                 languages_listed="1", default_language="en")
    form = form_in(event.text, "event-form")
    assert event.status_code == 422 and 'id="ev-title-error">A title of 1 to 200 characters.' in form
    assert 'id="ev-end-error">The end cannot come before the start.' in form
    assert 'id="ev-languages-error">Offer at least one of the listed languages.' in form
    assert "Late" not in org.get("/organiser/setup").text and "T" * 500 not in org.get("/organiser/setup").text

    # A form the page does not hold (another session's, say): said at the top instead of lost.
    lost = send("/organiser/rooms", session_id="999", name="Nowhere", sections=["1"], dots="5")
    assert lost.status_code in (404, 422)
    if lost.status_code == 422:
        assert '<div class="error" role="alert">' in lost.text

def test_the_projector_shows_the_code_and_the_room_now(client):
    org = sign_in(TestClient(client.app))
    rita, rid = rapporteur_of(client, CODE_A, org)
    join(client, CODE_A)
    assert client.get(f"/rooms/{rid}/projector").status_code == 403
    screen = rita.get(f"/rooms/{rid}/projector").text
    assert CODE_A in screen and "<svg" in screen and "Latest comments" in screen
    post(rita, f"/rooms/{rid}/countdown", {"minutes": "5"})
    assert 'data-ends-at="20' in rita.get(f"/rooms/{rid}/projector").text
    assert "room.countdown" in org.get("/organiser/audit").text
    # An amendment on the screen is named by its paragraph's number in the document, as in the room.
    room_page = client.get(f"/rooms/{rid}").text
    pid = re.search(r'name="paragraph_id" value="(\d+)">\s*<input type="hidden" name="idempotency_key"[^>]*>\s*'
                    r'<fieldset class="kind">\s*<legend>Propose to 1\.2</legend>', room_page).group(1)
    proposed = post(client, f"/rooms/{rid}/amendments", {"paragraph_id": pid, "kind": "delete", "text": "",
                                                         "rationale": "Covered by 1.1", "attribution": "sector",
                                                         "idempotency_key": "projector-1"})
    assert proposed.status_code == 200, proposed.text
    screen = rita.get(f"/rooms/{rid}/projector").text
    assert re.search(r"<strong>Amendment \d+</strong> · paragraph 1\.2</p>", screen)
    assert "<h2>Amendments</h2>" in screen and "being voted" not in screen


def test_exports_are_audited(client):
    org = sign_in(TestClient(client.app))
    assert org.get("/e/drug-violence-2024/export/rooms.csv").status_code == 200
    entries = org.get("/organiser/audit").text
    assert "export" in entries and "-rooms.csv" in entries


def test_moving_rooms_back_says_what_participants_regain_and_a_phase_must_be_chosen(client):
    org = sign_in(TestClient(client.app))
    post(org, "/organiser/phase", {"rooms": ["1"], "phase": "closed", "confirm": "yes"})
    back = post(org, "/organiser/phase", {"rooms": ["1", "2"], "phase": "open"})
    assert "Move 1 room to Open for comments?" in back.text
    assert "participants can comment, support, propose an amendment, react and answer polls again" in back.text
    assert "goes back to an earlier phase" in back.text and "already Open for comments" in back.text
    no_phase = post(org, "/organiser/phase", {"rooms": ["1"], "confirm": "yes"})
    assert no_phase.status_code == 422 and phases(org)[1] == "closed"
    assert post(org, "/organiser/phase", {"phase": "voting", "confirm": "yes"}).status_code == 422


@pytest.mark.parametrize("path, data", [
    ("/organiser/phase", {"rooms": "1", "phase": "voting", "confirm": "yes"}),
    ("/organiser/rooms/1/code", {"confirm": "yes"}),
    ("/rooms/1/members/1/remove", {"confirm": "yes", "reason": "x"}),
    ("/documents/1/consolidations", {"confirm": "yes"}), ("/organiser/demo-activity", {}),
    ("/moderation/comment/1/dismiss", {"reason": "x"}),
])
def test_rapporteurs_of_another_room_cannot_confirm_bulk_actions(client, path, data):
    org = sign_in(TestClient(client.app))
    rita, _ = rapporteur_of(client, CODE_B, org)
    assert post(rita, path, data).status_code == 403
    assert phases(org)[1] == "open"
