"""The HTML side in-process: pages, forms, CSRF, and what bad input gets."""
from __future__ import annotations

import re

from starlette.testclient import TestClient
from web_helpers import HTMX, csrf_token, first_paragraph, join, room_id

CODE_A, CODE_B = "K7MPQ2", "R4XTN8"


def test_home_lists_sessions_and_rooms_but_never_their_codes(client):
    page = client.get("/")
    assert page.status_code == 200 and "European conference on drug-related violence" in page.text
    assert "Room A" in page.text and "Room H" in page.text
    assert CODE_A not in page.text


def test_joining_shows_the_privacy_notice_and_defaults_to_not_named(client):
    form = client.get(f"/join?code={CODE_A.lower()}")
    assert form.status_code == 200 and "What we keep" not in form.text and "Privacy." in form.text
    assert re.search(r'<input type="checkbox" id="f-named" name="named_in_results" value="1" >', form.text)


def test_join_then_the_room_page_shows_its_sections(client):
    response = join(client, CODE_A)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "1.1" in page.text and 'hx-ws:connect="/rooms/' in page.text


def test_join_with_bad_details_keeps_what_was_typed(client):
    response = join(client, CODE_A, name="Ana <script>", sector="", country="ZZ")
    assert response.status_code == 422
    assert 'value="Ana &lt;script&gt;"' in response.text
    assert response.text.count('aria-invalid="true"') == 2
    assert "Choose your sector" in response.text


def test_unknown_code_says_so(client):
    assert client.get("/join?code=ZZZZZZ").status_code == 404
    response = join(client, "ZZZZZZ")
    assert response.status_code == 404 and "No room has this code" in response.text


def test_a_mistyped_code_comes_back_in_the_box_to_correct_and_no_code_goes_to_the_box(client):
    """A slip of one letter is corrected where it was typed, not typed again from the home page."""
    page = client.get("/join?code=+k7mpq3+").text
    assert re.search(r'<input id="code" name="code" value="k7mpq3"[^>]*aria-invalid="true" aria-describedby="code-error"'
                     r'[^>]*autofocus>', page)
    assert '<p id="code-error" class="error">No room has this code.' in page
    empty = client.get("/join?code=", follow_redirects=False)
    assert empty.status_code == 303 and empty.headers["location"] == "/"


def test_forms_without_the_csrf_token_or_from_another_site_are_refused(client):
    response = client.post("/join", data={"code": CODE_A, "name": "Ana", "sector": "health", "country": "BE"})
    assert response.status_code == 403
    token = csrf_token(client)
    forged = client.post("/join", data={"csrf_token": "x" * 43, "code": CODE_A})
    assert forged.status_code == 403
    foreign = client.post("/join", data={"csrf_token": token, "code": CODE_A},
                          headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403


def test_a_room_is_closed_to_those_who_have_not_joined(client):
    response = join(client, CODE_A)
    rid = room_id(response)
    stranger = TestClient(client.app)
    # Not yours: one answer everywhere, a 403 that says why (never a silent redirect).
    refused = stranger.get(f"/rooms/{rid}", follow_redirects=False)
    assert refused.status_code == 403 and "Join this room with its code" in refused.text
    assert stranger.get(f"/rooms/{rid}/qr.svg").status_code == 403


def _post(client, rid, text, paragraph_id=None, key="form-key-0001", **extra):
    data = {"text": text, "attribution": "sector", "idempotency_key": key, **extra}
    if paragraph_id:
        data["paragraph_id"] = paragraph_id
    return client.post(f"/rooms/{rid}/comments", data=data,
                       headers={**HTMX, "X-CSRF-Token": csrf_token(client)})


def test_posting_answers_with_a_fresh_form_and_the_comment_escaped(client):
    rid = room_id(join(client, CODE_A))
    page = client.get(f"/rooms/{rid}").text
    response = _post(client, rid, '<img src=x onerror=alert(1)> <b hx-get="/x">b</b>', first_paragraph(page))
    assert response.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert "<img src=x" not in response.text and '<b hx-get' not in response.text
    assert "data-posted" in response.text and "form-key-0001" not in response.text  # a new key for the next one
    again = _post(client, rid, "retry of the same form", first_paragraph(page))
    assert again.status_code == 200
    assert client.get(f"/rooms/{rid}").text.count('class="comment"') == 1


def test_a_refused_comment_comes_back_with_the_text_and_the_same_key(client):
    rid = room_id(join(client, CODE_A))
    response = _post(client, rid, "x" * 2001, key="keep-this-key")
    assert response.status_code == 422
    assert "Keep it under 2000 characters" in response.text
    assert "keep-this-key" in response.text and "x" * 2001 in response.text
    assert 'aria-invalid="true"' in response.text


def test_comments_in_another_room_or_on_foreign_paragraphs_are_refused(client):
    rid_a = room_id(join(client, CODE_A))
    other = TestClient(client.app)
    rid_b = room_id(join(other, CODE_B, name="Ben"))
    assert _post(client, rid_b, "not my room").status_code == 403
    assert _post(client, rid_a, "nope", paragraph_id=999999).status_code == 404
    assert _post(client, rid_a, "nope", paragraph_id="abc").status_code == 422


def test_support_toggles_and_answers_with_the_pressed_button(client):
    author = TestClient(client.app)
    rid = room_id(join(author, CODE_A, name="Author"))
    _post(author, rid, "support me")
    comment_id = int(re.search(r'id="c-(\d+)"', author.get(f"/rooms/{rid}").text).group(1))
    own = author.post(f"/comments/{comment_id}/support", data={"on": "1"},
                      headers={**HTMX, "X-CSRF-Token": csrf_token(author)})
    assert own.status_code == 403 and "your own comment" in own.text
    assert "Your comment" in author.get(f"/rooms/{rid}").text  # no support button on one's own
    join(client, CODE_A)
    headers = {**HTMX, "X-CSRF-Token": csrf_token(client)}
    on = client.post(f"/comments/{comment_id}/support", data={"on": "1"}, headers=headers)
    assert on.status_code == 200 and 'aria-pressed="true"' in on.text and 'data-support="1"' in on.text
    twice = client.post(f"/comments/{comment_id}/support", data={"on": "1"}, headers=headers)
    assert 'data-support="1"' in twice.text
    off = client.post(f"/comments/{comment_id}/support", data={"on": "0"}, headers=headers)
    assert 'aria-pressed="false"' in off.text and 'data-support="0"' in off.text


def test_posting_too_fast_is_slowed_down_with_a_clear_message(client):
    rid = room_id(join(client, CODE_A))
    statuses = [_post(client, rid, f"flood {i}", key=f"flood-key-{i:04d}").status_code for i in range(25)]
    assert statuses[:20] == [200] * 20 and 429 in statuses[20:]
    assert "Too many posts" in _post(client, rid, "one more", key="flood-key-9999").text


def test_the_personal_link_brings_the_same_participant_back_on_another_device(client):
    rid = room_id(join(client, CODE_A, name="Ana Lopes"))
    me = client.get("/me").text
    link = re.search(r'href="(http://testserver/p/[^"]+)"', me).group(1)
    assert "<svg" in me  # the QR code of the link
    phone = TestClient(client.app)
    landed = phone.get(link.replace("http://testserver", ""), follow_redirects=False)
    assert landed.status_code == 303 and landed.headers["location"] == f"/rooms/{rid}"
    assert phone.get("/me").text.count("Ana Lopes") >= 1
    assert TestClient(client.app).get("/p/not-a-real-token").status_code == 404


def test_organiser_sign_in_shows_codes_and_wrong_passwords_slow_down(client):
    token = csrf_token(client, "/organiser/login")
    wrong = client.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                                  "password": "nope nope nope"})
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
    ok = client.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                               "password": "brussels-demo-2024"}, follow_redirects=False)
    assert ok.status_code == 303
    assert CODE_A in client.get("/organiser").text
    statuses = [client.post("/organiser/login", data={"csrf_token": token, "email": "x@example.org",
                                                      "password": "wrong password"}).status_code for _ in range(7)]
    assert statuses[-1] == 429


def test_unknown_pages_get_a_page_not_a_stack_trace(client):
    response = client.get("/rooms/999999")
    assert response.status_code in (302, 404)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Traceback" not in missing.text


def test_a_retry_of_an_acknowledged_comment_gets_it_back_once_the_budget_is_spent(client):
    rid = room_id(join(client, CODE_A))
    first = _post(client, rid, "the first", key="budget-key-0000")
    for i in range(1, 25):
        _post(client, rid, f"flood {i}", key=f"budget-key-{i:04d}")
    assert _post(client, rid, "a new one", key="budget-key-9999").status_code == 429
    again = _post(client, rid, "the first", key="budget-key-0000")
    assert again.status_code == 200 and "Too many posts" not in again.text
    assert re.search(r'id="c-(\d+)"', again.text).group(1) == re.search(r'id="c-(\d+)"', first.text).group(1)


def test_reactions_spend_the_same_budget_as_posts(client):
    rid = room_id(join(client, CODE_A))
    paragraph = first_paragraph(client.get(f"/rooms/{rid}").text)
    headers = {**HTMX, "X-CSRF-Token": csrf_token(client)}
    statuses = [client.post(f"/rooms/{rid}/reactions", headers=headers,
                            data={"paragraph_id": paragraph, "stance": ("agree", "disagree")[i % 2]}).status_code
                for i in range(25)]
    assert statuses[:20] == [200] * 20 and 429 in statuses[20:]
