"""The consolidated document through the API, checked against the rooms' own data: what each
paragraph adopts and overrules, the organisers' edits, rooms left out, no empty versions,
numbering on publication and the event's time zone. On SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

SLUG = "drug-violence-2024"


@pytest.fixture(scope="module")
def api(filled_demo_app):
    """The app on the demo after its sample work, with an organiser's bearer token."""
    client = filled_demo_app
    token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                     "password": "brussels-demo-2024"}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def documents(api):
    return {d["kind"]: d for d in api.get(f"/api/v1/events/{SLUG}/documents").json()["documents"]}


def rooms(api):
    return {r["name"].split(" - ")[0]: r for r in api.get(f"/api/v1/events/{SLUG}/rooms").json()["rooms"]}


def amendments_of(api, room):
    return api.get(f"/api/v1/rooms/{room['id']}/amendments").json()["amendments"]


def consolidate(api, doc_id):
    response = api.post(f"/api/v1/documents/{doc_id}/consolidations")
    assert response.status_code in (200, 201), response.text
    return response.json()


def paragraph(version, base_number):
    return next(p for p in version["paragraphs"] if p["base_number"] == base_number)


def test_a_resolution_credits_only_the_room_and_votes_behind_the_text_taken(api):
    doc = documents(api)["monitoring_plan"]["id"]
    made = consolidate(api, doc)
    room_a, room_b = rooms(api)["Room A"], rooms(api)["Room B"]
    conflict = paragraph(made, "1.1")
    assert conflict["status"] == "conflict"
    assert {r["adopted"] for r in conflict["provenance"]["rooms"]} == {"pending"}
    assert conflict["provenance"]["support"]["agree"] == 0
    resolved = api.post(f"/api/v1/documents/{doc}/consolidations/{made['version']}/resolutions",
                        json={"key": conflict["key"], "choice": f"room:{room_a['id']}", "note": "Closer to law."})
    assert resolved.status_code == 201, resolved.text
    after = paragraph(resolved.json(), "1.1")
    base_id = conflict["base_paragraph_id"]
    a_amendment = next(a for a in amendments_of(api, room_a) if a["paragraph_id"] == base_id)
    b_amendment = next(a for a in amendments_of(api, room_b) if a["paragraph_id"] == base_id)
    prov = after["provenance"]
    assert prov["adopted_rooms"] == [room_a["name"]]
    assert [a["id"] for a in prov["amendments"]] == [a_amendment["id"]]
    overruled = {a["id"]: a for a in prov["not_adopted"]}
    assert overruled[b_amendment["id"]]["reason"] == f"lost a conflict to {room_a['name']}"
    assert prov["support"] == dict(a_amendment["tally"], amendments=1)    # A's votes only, never A's plus B's
    assert prov["organisers"] is None


def test_a_word_merge_adopts_both_rooms_and_counts_both_rooms_votes(api):
    doc = documents(api)["monitoring_plan"]["id"]
    merged = paragraph(consolidate(api, doc), "1.2")
    assert merged["status"] == "changed"
    room_a, room_b = rooms(api)["Room A"], rooms(api)["Room B"]
    behind = [a for r in (room_a, room_b) for a in amendments_of(api, r)
              if a["paragraph_id"] == merged["base_paragraph_id"] and a["status"] == "accepted"]
    prov = merged["provenance"]
    assert sorted(prov["adopted_rooms"]) == sorted([room_a["name"], room_b["name"]])
    assert {r["adopted"] for r in prov["rooms"]} == {"yes"}
    assert prov["support"]["agree"] == sum(a["tally"]["agree"] for a in behind) and prov["not_adopted"] == []


def test_an_amendment_rejected_in_its_room_is_listed_as_not_adopted_with_the_reason(api):
    doc = documents(api)["monitoring_plan"]["id"]
    version = consolidate(api, doc)
    rejected = next(a for a in amendments_of(api, rooms(api)["Room B"]) if a["status"] == "rejected")
    p = next(p for p in version["paragraphs"] if p["base_paragraph_id"] == rejected["paragraph_id"])
    listed = next(a for a in p["provenance"]["not_adopted"] if a["id"] == rejected["id"])
    # The rapporteur's reason, without its full stop: every reader of it ends the sentence itself.
    assert rejected["decision_reason"].endswith(".")
    assert listed["reason"] == f"rejected in the room: {rejected['decision_reason'][:-1]}"
    assert rejected["id"] not in [a["id"] for a in p["provenance"]["amendments"]]


def test_the_organisers_own_wording_is_theirs_and_carries_no_rooms_votes(api):
    doc = documents(api)["call_for_policies"]["id"]
    made = consolidate(api, doc)
    conflict = next(p for p in made["paragraphs"] if p["status"] == "conflict")
    resolved = api.post(f"/api/v1/documents/{doc}/consolidations/{made['version']}/resolutions",
                        json={"key": conflict["key"], "choice": "custom", "text": "A compromise of our own.",
                              "note": "Neither room's wording."}).json()
    prov = paragraph(resolved, conflict["base_number"])["provenance"]
    assert prov["organisers"] == "the organisers' own wording"
    assert prov["amendments"] == [] and prov["support"]["agree"] == 0 and prov["adopted_rooms"] == []
    assert {a["reason"] for a in prov["not_adopted"]} == {"replaced by the organisers' wording"}


def test_an_editorial_change_is_a_new_audited_version_marked_as_the_organisers(api):
    doc = documents(api)["monitoring_plan"]["id"]
    latest = consolidate(api, doc)
    target = paragraph(latest, "2.1")
    text = target["text"].replace("every year", "every calendar year")
    response = api.put(f"/api/v1/documents/{doc}/consolidations/{latest['version']}/paragraphs/{target['key']}",
                       json={"text": text, "note": "Calendar year, as in the regulation."})
    assert response.status_code == 201, response.text
    edited = response.json()
    assert edited["version"] == latest["version"] + 1
    after = paragraph(edited, "2.1")
    assert after["text"] == text and after["provenance"]["organisers"] == "edited by the organisers"
    assert after["provenance"]["edits"][0]["note"] == "Calendar year, as in the regulation."
    # The rooms' shared change is still in the text, so both rooms stay credited.
    assert len(after["provenance"]["adopted_rooms"]) == 2
    old = api.get(f"/api/v1/documents/{doc}/consolidations/{latest['version']}").json()
    assert paragraph(old, "2.1")["text"] == target["text"]                      # the old version stays
    again = consolidate(api, doc)                                              # nothing changed in the rooms
    assert again["unchanged"] is True and again["version"] == edited["version"]
    assert paragraph(again, "2.1")["text"] == text


def test_bad_editorial_changes_are_refused_with_the_field_and_nothing_is_written(api):
    doc = documents(api)["monitoring_plan"]["id"]
    latest = consolidate(api, doc)
    key = paragraph(latest, "1.2")["key"]
    path = f"/api/v1/documents/{doc}/consolidations/{latest['version']}/paragraphs"
    cases = [({"text": "New words.", "note": ""}, "note"), ({"text": "", "note": "why"}, "text"),
             ({"text": "x" * 5001, "note": "why"}, "text"), ({"text": 5, "note": "why"}, "text")]
    for body, field in cases:
        response = api.put(f"{path}/{key}", json=body)
        assert response.status_code == 422 and field in response.json()["fields"], (body, response.text)
    assert api.put(f"{path}/p999999", json={"text": "t", "note": "n"}).status_code == 422
    conflict = next((p for p in latest["paragraphs"] if p["status"] == "conflict"), None)
    if conflict:
        assert api.put(f"{path}/{conflict['key']}", json={"text": "t", "note": "n"}).json()["fields"] == {
            "key": "In conflict."}
    assert TestClient(api.app).put(f"{path}/{key}", json={"text": "t", "note": "n"}).status_code == 401
    assert consolidate(api, doc)["version"] == latest["version"]


def test_consolidating_with_nothing_changed_makes_no_version_and_says_so(api):
    doc = documents(api)["call_for_policies"]["id"]
    first = consolidate(api, doc)
    response = api.post(f"/api/v1/documents/{doc}/consolidations")
    assert response.status_code == 200 and response.json()["unchanged"] is True
    assert response.json()["version"] == first["version"]


def test_a_room_left_out_is_remembered_and_its_text_and_votes_leave_the_document(api):
    doc = documents(api)["monitoring_plan"]["id"]
    room_b = rooms(api)["Room B"]
    response = api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": [room_b["id"]]})
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["rooms"] if r["excluded"]] == [room_b["name"]]
    try:
        made = api.post(f"/api/v1/documents/{doc}/consolidations")
        assert made.status_code == 201
        version = made.json()
        assert version["excluded_rooms"] == [{"id": room_b["id"], "name": room_b["name"]}]
        assert room_b["id"] not in [r["id"] for r in version["rooms"]]
        assert all(room_b["id"] not in p["rooms"] and room_b["name"] not in str(p["provenance"])
                   for p in version["paragraphs"])
        assert paragraph(version, "1.1")["status"] == "changed"        # no conflict without room B
        assert consolidate(api, doc)["unchanged"] is True              # remembered for the next one
        bad = api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": [999999]})
        assert bad.status_code == 422 and "room_ids" in bad.json()["fields"]
        assert api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": "all"}).status_code == 422
    finally:
        api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": []})
    assert room_b["id"] in [r["id"] for r in consolidate(api, doc)["rooms"]]


def test_publication_renumbers_inserted_paragraphs_and_keeps_the_base_numbers(api):
    doc = documents(api)["monitoring_plan"]["id"]
    latest = consolidate(api, doc)
    for p in latest["paragraphs"]:
        if p["status"] == "conflict":
            latest = api.post(f"/api/v1/documents/{doc}/consolidations/{latest['version']}/resolutions",
                              json={"key": p["key"], "choice": f"room:{p['candidates'][0]['room_id']}",
                                    "note": ""}).json()
    assert "2.2a" in [p["number"] for p in latest["paragraphs"]]
    published = api.post(f"/api/v1/documents/{doc}/consolidations/{latest['version']}/publish").json()
    kept = [p for p in published["paragraphs"] if p["status"] != "deleted"]
    by_section: dict = {}
    for p in kept:
        by_section.setdefault(p["section_id"], []).append(p["number"])
    for numbers in by_section.values():
        section = numbers[0].split(".")[0]
        assert numbers == [f"{section}.{i}" for i in range(1, len(numbers) + 1)]
    inserted = next(p for p in kept if p["base_number"] == "2.2a")
    assert inserted["number"] == "2.3" and inserted["provenance"]["base_number"] == "2.2a"
    assert all(p["number"] == "" for p in published["paragraphs"] if p["status"] == "deleted")


def test_times_are_given_in_the_events_time_zone_with_its_abbreviation(api):
    doc = documents(api)["monitoring_plan"]["id"]
    version = consolidate(api, doc)
    assert version["timezone"] == "Europe/Brussels"
    assert version["created_at_local"].endswith((" CET", " CEST"))
    import datetime as dt
    from zoneinfo import ZoneInfo
    utc = dt.datetime.fromisoformat(version["created_at"].rstrip("Z")).replace(tzinfo=dt.timezone.utc)
    assert f"{utc.astimezone(ZoneInfo('Europe/Brussels')):%H:%M}" in version["created_at_local"]


def test_the_organisers_pages_edit_leave_out_and_say_when_nothing_changed(api):
    from test_organiser import sign_in
    from web_helpers import csrf_token
    org = sign_in(TestClient(api.app))
    doc = documents(api)["call_for_policies"]["id"]
    latest = consolidate(api, doc)
    answer = org.post(f"/documents/{doc}/consolidations", data={"csrf_token": csrf_token(org), "confirm": "yes"})
    assert "no new version was made" in answer.text and f"/consolidated/{latest['version']}?" in str(answer.url)
    target = next(p for p in latest["paragraphs"] if p["status"] == "unchanged")
    page = org.get(f"/documents/{doc}/consolidated/{latest['version']}").text
    assert f'action="/documents/{doc}/consolidated/{latest["version"]}/paragraphs/{target["key"]}"' in page
    refused = org.post(f"/documents/{doc}/consolidated/{latest['version']}/paragraphs/{target['key']}",
                       data={"csrf_token": csrf_token(org), "text": "Reworded.", "note": ""})
    assert refused.status_code == 422 and "Say why" in refused.text
    edited = org.post(f"/documents/{doc}/consolidated/{latest['version']}/paragraphs/{target['key']}",
                      data={"csrf_token": csrf_token(org), "text": "Reworded by the secretariat.",
                            "note": "Shorter."})
    assert f"/consolidated/{latest['version'] + 1}" in str(edited.url)
    assert "Edited by the organisers" in edited.text and "Shorter." in edited.text
    audit = org.get("/organiser/audit").text
    assert "document.edit" in audit and "Shorter." in audit
    room_e = rooms(api)["Room E"]
    saved = org.post(f"/documents/{doc}/excluded-rooms",
                     data={"csrf_token": csrf_token(org), "excluded": str(room_e["id"])})
    assert "1 room is left out of the next consolidations: Room E - " in saved.text   # what saving did
    index = org.get(f"/documents/{doc}/consolidated").text
    assert f'value="{room_e["id"]}" checked' in index and "left out of the next" not in index
    assert f"<h1>{latest['document_title']}</h1>" in index                 # which document's versions
    # Each box sits beside its room's name (rooms E to H work on the call).
    assert index.count('<label class="check"><input type="checkbox" name="excluded"') == 4
    kept = org.post(f"/documents/{doc}/consolidations", data={"csrf_token": csrf_token(org), "confirm": "yes"})
    import html
    assert "1 organisers' edit kept" in html.unescape(kept.text) and "edit(s)" not in kept.text
    saved = org.post(f"/documents/{doc}/excluded-rooms", data={"csrf_token": csrf_token(org)})
    assert "Every room is in the next consolidations." in saved.text
    assert f'value="{room_e["id"]}" checked' not in org.get(f"/documents/{doc}/consolidated").text


def sheet(wb, name):
    values = list(wb[name].iter_rows(values_only=True))
    return [dict(zip(values[0], v)) for v in values[1:]]


def overview_block(wb, title):
    """The rows of one block of the Overview ("Per room", "Per sector"), the total row apart."""
    values = list(wb["Overview"].iter_rows(values_only=True))
    start = next(i for i, v in enumerate(values) if v[0] == title) + 1
    block = []
    for v in values[start:]:
        if v[0] is None and v[1] is None:
            break
        block.append(v)
    return block[:-1], block[-1]


def test_the_workbook_holds_the_published_version_and_the_latest_draft_and_its_counts_reconcile(api):
    import io

    from openpyxl import load_workbook
    from test_organiser import sign_in
    from web_helpers import HTMX, csrf_token
    doc = documents(api)["call_for_policies"]["id"]
    latest = consolidate(api, doc)
    for p in latest["paragraphs"]:
        if p["status"] == "conflict":
            latest = api.post(f"/api/v1/documents/{doc}/consolidations/{latest['version']}/resolutions",
                              json={"key": p["key"], "choice": f"room:{p['candidates'][0]['room_id']}"}).json()
    published = api.post(f"/api/v1/documents/{doc}/consolidations/{latest['version']}/publish").json()
    target = next(p for p in published["paragraphs"] if p["status"] == "unchanged")
    draft = api.put(f"/api/v1/documents/{doc}/consolidations/{published['version']}/paragraphs/{target['key']}",
                    json={"text": "A later wording.", "note": "After the plenary."})
    assert draft.status_code == 422                                     # a published version stays as it was
    org = sign_in(TestClient(api.app))
    room_e = rooms(api)["Room E"]
    org.post(f"/documents/{doc}/excluded-rooms", data={"csrf_token": csrf_token(org), "excluded": str(room_e["id"])})
    try:
        newer = consolidate(api, doc)
    finally:
        org.post(f"/documents/{doc}/excluded-rooms", data={"csrf_token": csrf_token(org)})
    assert newer["version"] > published["version"] and not newer["published"]
    # Something hidden by a moderator, so that the two downloads differ.
    comment = next(c for c in api.get(f"/api/v1/rooms/{room_e['id']}/comments").json()["comments"])
    hidden = org.post(f"/moderation/comment/{comment['id']}/hide", data={"reason": "Test"},
                      headers={**HTMX, "X-CSRF-Token": csrf_token(org)})
    assert hidden.status_code == 200
    normal = api.get(f"/api/v1/events/{SLUG}/export.xlsx")
    with_hidden = org.get(f"/e/{SLUG}/export.xlsx?hidden=1")
    names = [r.headers["content-disposition"] for r in (normal, with_hidden)]
    assert "-with-hidden-" not in names[0] and "-with-hidden-" in names[1]
    for response in (normal, with_hidden):
        wb = load_workbook(io.BytesIO(response.content))
        kept = [r for r in sheet(wb, "Consolidated") if r["Document"] == published["document_title"]]
        assert {r["Version"] for r in kept} == {published["version"]}
        assert {r["State"] for r in kept} == {f"published {published['published_at_local']}"}
        assert [r["Paragraph"] for r in kept] == [p["number"] for p in published["paragraphs"]]
        by_number = {p["number"]: p for p in published["paragraphs"]}
        for r in kept:
            p = by_number[r["Paragraph"]]
            assert r["Agree votes behind the adopted text"] == p["provenance"]["support"]["agree"]
            assert r["Text"] == (p["text"] if p["text"] is not None else "(deleted)")
            if p.get("resolution"):              # resolved with no note: what was taken, in words
                assert r["Notes of the organisers"].startswith("Whole paragraph: took the text of Room ")
        drafted = [r for r in sheet(wb, "Consolidated draft") if r["Document"] == newer["document_title"]]
        assert {r["Version"] for r in drafted} == {newer["version"]}
        assert all(r["Text"] for r in drafted)                            # conflicts too have their text
        # Every count of the Overview is the rows of the sheet it names.
        per_room, room_total = overview_block(wb, "Per room")
        per_sector, sector_total = overview_block(wb, "Per sector")
        people, comments, amendments = sheet(wb, "Participants"), sheet(wb, "Comments"), sheet(wb, "Amendments")
        votes = [r for r in sheet(wb, "Votes") if r["Item"] == "Amendment vote"]
        memberships = sum(len(r["Rooms"].split("; ")) for r in people)
        vote_total = sum(r["Agree"] + r["Disagree"] + r["Abstain"] for r in votes)
        assert room_total[2:] == (memberships, len(comments), len(amendments), vote_total)
        assert tuple(sum(r[i] for r in per_room) for i in range(2, 6)) == room_total[2:]
        assert sector_total[2:] == (len(people), len(comments), len(amendments), vote_total)
        assert tuple(sum(r[i] for r in per_sector) for i in range(2, 6)) == sector_total[2:]
        for row in per_room:
            assert row[3] == sum(1 for c in comments if c["Room"] == row[1])
        moderated = [c for c in comments if c["Moderation"]]
        assert (moderated != []) == (response is with_hidden)


def test_compare_shows_conflicts_as_alternatives_and_resolutions_as_what_they_took(api):
    from test_organiser import sign_in
    org = sign_in(TestClient(api.app))
    doc = documents(api)["monitoring_plan"]["id"]
    room_b = rooms(api)["Room B"]
    api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": []})
    made = consolidate(api, doc)
    if not any(p["status"] == "conflict" for p in made["paragraphs"]):      # earlier tests resolved them
        api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": [room_b["id"]]})
        consolidate(api, doc)
        api.put(f"/api/v1/documents/{doc}/excluded-rooms", json={"room_ids": []})
        made = consolidate(api, doc)
    conflict = next(p for p in made["paragraphs"] if p["status"] == "conflict" and not p["candidates"][0]["deleted"])
    against_base = org.get(f"/documents/{doc}/consolidated/{made['version']}/compare?with=0").text
    card = against_base[against_base.index(f">{conflict['number']} <"):]
    card = card[:card.index("</section>")]
    assert "In conflict between rooms, not yet resolved" in card
    assert '<span class="status-tag">in conflict</span>' in card and "(was base text)" in card
    assert all(c["room_name"] in card for c in conflict["candidates"])
    assert f"<del>{conflict['base_text']}</del>" not in card                  # not shown as a deletion
    resolved = api.post(f"/api/v1/documents/{doc}/consolidations/{made['version']}/resolutions",
                        json={"key": conflict["key"], "choice": f"room:{room_b['id']}", "note": ""}).json()
    page = org.get(f"/documents/{doc}/consolidated/{resolved['version']}/compare?with={made['version']}").text
    card = page[page.index(f">{conflict['number']} <"):]
    card = card[:card.index("</section>")]
    assert f"Conflict resolved: took {room_b['name']}&#39;s text" in card and "(was in conflict)" in card
    assert "<ins>" in card

