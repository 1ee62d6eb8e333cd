"""Conflict hunks through the API, from two rooms' drafts to a published version: only the
clashing words are in dispute, everything else merged; each hunk resolved on its own; the
resolution comes back with the same hunk; publishing waits for the last one."""
from __future__ import annotations

import re

import pytest

from test_api import CODE_A, CODE_B, SLUG, join

ORGANISER = {"email": "organiser@example.org", "password": "brussels-demo-2024"}


@pytest.fixture
def staff(client):
    token = client.post("/api/v1/auth/login", json=ORGANISER).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def rapporteur_of(client, staff, code, name):
    member, headers = join(client, code, name)
    made = client.post(f"/api/v1/rooms/{member['room_id']}/rapporteurs", json={"participant_id": member["participant_id"]},
                       headers=staff)
    assert made.status_code == 201, made.text
    return member["room_id"], headers


def save(client, headers, room_id, edits: dict[str, str]):
    draft = client.get(f"/api/v1/rooms/{room_id}/draft", headers=headers).json()
    paragraphs = {p["id"]: p for s in draft["sections"] for p in s["paragraphs"]}
    body = {"base_version": draft["version"],
            "paragraphs": [{"id": pid, "text": change(paragraphs[pid]["text"])} for pid, change in edits.items()]}
    saved = client.put(f"/api/v1/rooms/{room_id}/draft", json=body, headers=headers)
    assert saved.status_code == 200, saved.text


@pytest.fixture
def disputed(client, staff):
    return dispute(client, staff)


def dispute(client, staff):
    """Rooms A and B edit the same paragraph: both replace its first word differently (a
    clash), and each adds words of its own elsewhere in it (no clash)."""
    document = client.get(f"/api/v1/events/{SLUG}/documents").json()["documents"][0]
    base = document["sections"][0]["paragraphs"][1]
    words = base["text"].split(" ")
    room_a, headers_a = rapporteur_of(client, staff, CODE_A, "Ana")
    room_b, headers_b = rapporteur_of(client, staff, CODE_B, "Ben")
    key, other = f"p{base['id']}", f"p{document['sections'][0]['paragraphs'][0]['id']}"
    save(client, headers_a, room_a, {key: lambda t: " ".join(["Firstly,", *words[1:4], "carefully", *words[4:]])})
    save(client, headers_b, room_b, {key: lambda t: " ".join(["Above all,", *words[1:-1], "promptly", words[-1]])})
    made = client.post(f"/api/v1/documents/{document['id']}/consolidations", headers=staff)
    assert made.status_code == 201, made.text
    return {"document": document["id"], "version": made.json(), "key": key, "words": words,
            "room_a": (room_a, headers_a), "other": other}


def paragraph(version, key):
    return next(p for p in version["paragraphs"] if p["key"] == key)


def test_only_the_clashing_words_are_in_dispute_and_the_rest_is_merged(disputed):
    p = paragraph(disputed["version"], disputed["key"])
    assert p["status"] == "conflict" and p["text"] is None
    assert len(p["hunks"]) == 1
    hunk = p["hunks"][0]
    assert hunk["base"].strip() == disputed["words"][0]
    assert sorted(a["text"].strip() for a in hunk["alternatives"]) == ["Above all,", "Firstly,"]
    assert {tuple(a["room_names"]) for a in hunk["alternatives"]} == {
        ("Room A - Definitions, indicators and reporting",), ("Room B - Definitions, indicators and reporting",)}
    merged = "".join(s.get("text", "") for s in p["segments"])
    assert "carefully" in merged and "promptly" in merged   # both rooms' other changes are in
    assert [s for s in p["segments"] if "hunk" in s] == [{"hunk": "h1"}]
    assert "1 conflict in 1 paragraph" in disputed["version"]["note"]


def test_a_hunk_is_resolved_on_its_own_then_the_version_can_be_published(client, staff, disputed):
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    url = f"/api/v1/documents/{doc}/consolidations/{version}"
    refused = client.post(f"{url}/publish", headers=staff)
    assert refused.status_code == 422
    hunk = paragraph(disputed["version"], key)["hunks"][0]
    take = next(a for a in hunk["alternatives"] if a["text"].startswith("Above"))
    done = client.put(f"{url}/conflicts/{key}/h1", json={"choice": take["id"], "note": "Plainer."}, headers=staff)
    assert done.status_code == 201, done.text
    resolved = done.json()
    assert resolved["version"] == version + 1
    p = paragraph(resolved, key)
    words = disputed["words"]
    assert p["status"] == "changed"
    assert p["text"] == " ".join(["Above all,", *words[1:4], "carefully", *words[4:-1], "promptly", words[-1]])
    assert p["hunks"][0]["resolution"]["note"] == "Plainer."
    assert "Room B" in resolved["note"] and "room:" not in resolved["note"]
    published = client.post(f"/api/v1/documents/{doc}/consolidations/{resolved['version']}/publish", headers=staff)
    assert published.status_code == 200 and published.json()["published"] is True


def test_writing_new_words_for_a_hunk_keeps_the_sentence_spaced(client, staff, disputed):
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    done = client.put(f"/api/v1/documents/{doc}/consolidations/{version}/conflicts/{key}/h1",
                      json={"choice": "custom", "text": "  First of all,  "}, headers=staff)
    assert done.status_code == 201, done.text
    assert paragraph(done.json(), key)["text"].startswith(f"First of all, {disputed['words'][1]} ")
    # No note given: the workbook's notes say what was done, never the stored code "custom".
    from consult.consolidation.hunks import resolution_notes
    assert resolution_notes(paragraph(done.json(), key)) == "Conflict 1: wrote new words"


def test_a_hunk_taken_without_a_note_is_noted_with_the_room_it_came_from(client, staff, disputed):
    from consult.consolidation.hunks import resolution_notes
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    hunk = paragraph(disputed["version"], key)["hunks"][0]
    take = next(a for a in hunk["alternatives"] if a["text"].startswith("Firstly"))
    done = client.put(f"/api/v1/documents/{doc}/consolidations/{version}/conflicts/{key}/h1",
                      json={"choice": take["id"]}, headers=staff)
    assert done.status_code == 201, done.text
    assert resolution_notes(paragraph(done.json(), key)) == (
        "Conflict 1: took the wording of Room A - Definitions, indicators and reporting")


def test_the_same_hunk_coming_back_stays_resolved(client, staff, disputed):
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    client.put(f"/api/v1/documents/{doc}/consolidations/{version}/conflicts/{key}/h1",
               json={"choice": "base"}, headers=staff)
    room_a, headers_a = disputed["room_a"]           # the rooms work on: a new version is due
    save(client, headers_a, room_a, {disputed["other"]: lambda t: t.replace("drug-related", "drug market")})
    again = client.post(f"/api/v1/documents/{doc}/consolidations", headers=staff).json()
    assert again["version"] == version + 2
    p = paragraph(again, key)
    assert p["status"] == "changed" and p["text"].startswith(disputed["words"][0] + " ")
    assert p["hunks"][0]["resolution"]["choice"] == "base"
    assert "1 resolved as before" in again["note"]


def test_bad_resolutions_are_refused_with_the_field_at_fault(client, staff, disputed):
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    url = f"/api/v1/documents/{doc}/consolidations/{version}/conflicts"
    wrong_choice = client.put(f"{url}/{key}/h1", json={"choice": "a9"}, headers=staff)
    assert wrong_choice.status_code == 422 and "choice" in wrong_choice.json()["fields"]
    empty_custom = client.put(f"{url}/{key}/h1", json={"choice": "custom", "text": "  "}, headers=staff)
    assert empty_custom.status_code == 422 and "text" in empty_custom.json()["fields"]
    too_long = client.put(f"{url}/{key}/h1", json={"choice": "custom", "text": "x" * 6000}, headers=staff)
    assert too_long.status_code == 422
    assert client.put(f"{url}/{key}/h7", json={"choice": "a1"}, headers=staff).status_code == 422
    assert client.put(f"{url}/p999999/h1", json={"choice": "a1"}, headers=staff).status_code == 404
    _, participant = join(client, CODE_A, "Cem")
    assert client.put(f"{url}/{key}/h1", json={"choice": "a1"}, headers=participant).status_code == 403
    assert client.put(f"{url}/{key}/h1", json={"choice": "a1"}).status_code == 401
    # Nothing half-written: the version is still the latest and still in conflict.
    latest = client.get(f"/api/v1/documents/{doc}/consolidations/{version}", headers=staff).json()
    assert paragraph(latest, key)["status"] == "conflict"
    assert client.put(f"{url}/{key}/h1", json={"choice": "a1"}, headers=staff).status_code == 201
    stale = client.put(f"{url}/{key}/h1", json={"choice": "a1"}, headers=staff)
    assert stale.status_code == 422 and "version" in stale.json()["fields"]


def test_the_page_shows_each_hunk_in_place_with_a_form_of_its_own(client, staff, disputed):
    from web_helpers import csrf_token
    client.post("/organiser/login", data={"csrf_token": csrf_token(client, "/organiser/login"), **ORGANISER})
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    page = client.get(f"/documents/{doc}/consolidated/{version}")
    assert page.status_code == 200
    html = page.text
    assert f'id="{key}-h1"' in html and f"/consolidated/{version}/conflicts/{key}/h1" in html
    assert "1 conflict in 1 paragraph to resolve before publishing" in html


def test_a_refused_resolution_on_the_page_says_why_next_to_the_field_and_keeps_what_was_typed(client, staff, disputed):
    """The page's own forms (not the API): empty or oversized words, an oversized note, an
    unknown choice come back as the version's page with the message next to the field, 422,
    the choice and the words as sent, nothing resolved; a stale version says so at the top."""
    from web_helpers import csrf_token
    client.post("/organiser/login", data={"csrf_token": csrf_token(client, "/organiser/login"), **ORGANISER})
    doc, version, key = disputed["document"], disputed["version"]["version"], disputed["key"]
    hunk_url = f"/documents/{doc}/consolidated/{version}/conflicts/{key}/h1"

    def send(url, **data):
        return client.post(url, data={"csrf_token": csrf_token(client), **data}, follow_redirects=False)

    def form_of(html, form_id):
        part = html[html.index(f'<form id="{form_id}"'):]
        return part[:part.index("</form>")]

    cases = [({"choice": "custom", "text": "  "}, "custom", "Write the words that replace this conflict."),
             ({"choice": "custom", "text": "y" * 6000}, "custom", "Keep it under 5000 characters (this has 6000)."),
             ({"choice": "base", "note": "n" * 2500}, "note", "Keep it under 2000 characters (this has 2500)."),
             ({"choice": "a9"}, "choice", "Choose one of the alternatives, keep the original or write new words.")]
    for data, field, message in cases:
        sent = send(hunk_url, **data)
        assert sent.status_code == 422, sent.text[:300]
        form = form_of(sent.text, f"resolve-form-{key}-h1")
        at = f"{field}-{key}-h1"
        assert f'<p class="error" id="{at}-error">{message}</p>' in form
        assert f'aria-describedby="{at}-error"' in form and "That did not work" not in sent.text
        if data["choice"] in ("custom", "base"):
            assert re.search(rf'value="{data["choice"]}" checked', form)
        if "text" in data:
            assert f">{data['text']}</textarea>" in form
        if "note" in data:
            assert f'value="{data["note"]}"' in form

    whole = send(f"/documents/{doc}/consolidated/{version}/resolve", key=key, choice="custom", text="", note="Why.")
    assert whole.status_code == 422
    form = form_of(whole.text, f"resolve-form-{key}")
    assert f'<p class="error" id="custom-{key}-error">Write the paragraph\'s text.</p>' in form.replace("&#39;", "'")
    assert 'value="Why."' in form and '<details class="no-print" open>' in whole.text
    latest = client.get(f"/api/v1/documents/{doc}/consolidations/{version}", headers=staff).json()
    assert paragraph(latest, key)["status"] == "conflict" and latest["version"] == version

    resolved = send(hunk_url, choice="a1", note="Plainer.")
    assert resolved.status_code == 303
    page = client.get(resolved.headers["location"]).text
    assert "Conflict 1 resolved: Plainer.</p>" in page  # the note's own full stop, not two
    stale = send(hunk_url, choice="a1")
    assert stale.status_code == 422
    assert re.search(rf'<p class="error" role="alert">Version {version} is not the latest', stale.text)


def test_a_refused_editorial_change_on_the_page_says_why_next_to_the_field(client, staff, disputed):
    from web_helpers import csrf_token
    client.post("/organiser/login", data={"csrf_token": csrf_token(client, "/organiser/login"), **ORGANISER})
    doc, version, other = disputed["document"], disputed["version"]["version"], disputed["other"]
    url = f"/documents/{doc}/consolidated/{version}/paragraphs/{other}"
    sent = client.post(url, data={"csrf_token": csrf_token(client), "text": "New words.", "note": ""})
    assert sent.status_code == 422
    part = sent.text[sent.text.index(f'<form id="edit-form-{other}"'):]
    form = part[:part.index("</form>")]
    assert f'<p class="error" id="edit-note-{other}-error">Say why the text is changed' in form
    assert ">New words.</textarea>" in form and f'aria-describedby="edit-note-{other}-error" autofocus' in form
    said = client.post(url, data={"csrf_token": csrf_token(client), "text": "x" * 5001, "note": "n"},
                       headers={"Accept-Language": "fr"})
    assert said.status_code == 422 and "Restez sous 5000 caractères (ce texte en compte 5001)." in said.text
