"""Every form of the app, as found on its pages, sent empty, wrong and oversized, plain and
through htmx, by each kind of person: no answer is ever a 5xx, and no form is left untried."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from starlette.routing import Route
from starlette.testclient import TestClient
from web_helpers import HTMX, csrf_token, join, room_id

CODE_A, CODE_E = "K7MPQ2", "P5CQJ7"
WRONG = ["not a number <script>alert(1)</script> {{7*7}} hx-get=/x", "-99999999999999999999999", "0"]
OVERSIZED = "é" * 120_000


class Forms(HTMLParser):
    """The post forms of a page: action and field names (buttons' names with their values)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method", "").lower() == "post" or a.get("hx-post")):
            self.current = {"action": a.get("hx-post") or a.get("action"), "fields": {}, "files": set()}
            self.forms.append(self.current)
        elif a.get("hx-post"):  # a field that posts itself (the conclusions' live preview)
            self.forms.append({"action": a["hx-post"], "fields": {a.get("name") or "value": ""}, "files": set()})
        elif self.current is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            if a.get("type") == "file":
                self.current["files"].add(a["name"])
            else:
                self.current["fields"].setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_on(client, path: str) -> list[dict]:
    parser = Forms()
    parser.feed(client.get(path).text)
    return [f for f in parser.forms if f["action"]]


def variants(form: dict):
    names = [n for n in form["fields"] if n != "csrf_token"]
    yield "empty", {}, {}
    for value in WRONG:
        yield f"wrong {value[:12]!r}", {n: value for n in names}, {n: ("x.xlsx", b"PK\x03\x04 not a zip") for n in form["files"]}
    yield "oversized", {n: OVERSIZED for n in names}, {n: ("big.csv", b"a," * 3_000_000) for n in form["files"]}
    yield "as the page filled it", dict(form["fields"]), {}


def walk(client, pages: list[str], tried: set[str], last: str = "/organiser/logout") -> list[str]:
    """Each kind of form once per person; those that sign out (here or everywhere) go last."""
    failures, seen = [], set()
    for i, path in enumerate(pages):
        found = forms_on(client, path)
        for form in sorted(found, key=lambda f: f["action"].startswith(last)):
            kind = (re.sub(r"\d+", "N", form["action"].split("?")[0]), tuple(sorted(form["fields"])))
            if kind in seen or (form["action"].startswith(last) and i != len(pages) - 1):
                continue
            seen.add(kind)
            tried.add(form["action"].split("?")[0])
            failures += send(client, path, form)
    return failures


def send(client, path: str, form: dict) -> list[str]:
    failures = []
    for label, data, files in variants(form):
        for headers in ({}, HTMX):
            data = {k: v for k, v in data.items() if k != "csrf_token"}
            response = client.post(form["action"], data={**data, "csrf_token": csrf_token(client)},
                                   files=files or None, headers=headers, follow_redirects=False)
            if response.status_code >= 500 or "Traceback" in response.text:
                failures.append(f"{path} -> {form['action']} {label} {'htmx' if headers else 'plain'}: "
                                f"{response.status_code}")
    return failures


def test_every_form_answers_empty_wrong_and_oversized_input_without_a_5xx(client):
    app = client.app
    org = TestClient(app, raise_server_exceptions=False)
    token = csrf_token(org, "/organiser/login")
    org.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                       "password": "brussels-demo-2024"})
    # Sample work everywhere, and a consolidated version, so that every kind of form is on a page.
    org.post("/organiser/demo-activity", data={"csrf_token": csrf_token(org)})
    for document in (1, 2):
        org.post(f"/documents/{document}/consolidations", data={"csrf_token": csrf_token(org), "confirm": "yes"})
    rapporteur = TestClient(app, raise_server_exceptions=False)
    rid = room_id(join(rapporteur, CODE_A, name="Rita"))
    pid = re.search(r'Rita.*?name="participant_id" value="(\d+)"', org.get(f"/rooms/{rid}/workbench").text, re.S).group(1)
    org.post(f"/rooms/{rid}/rapporteurs", data={"csrf_token": csrf_token(org), "participant_id": pid})
    participant = TestClient(app, raise_server_exceptions=False)
    join(participant, CODE_A, name="Pat")
    voter = TestClient(app, raise_server_exceptions=False)
    vid = room_id(join(voter, CODE_E, name="Vera"))   # left in the voting phase by the sample work
    # Room A open again, with a pending amendment, a poll and a flagged comment of its own.
    for who, room, phase in ((participant, rid, "open"), (voter, vid, "voting")):
        org.post(f"/rooms/{room}/phase", data={"csrf_token": csrf_token(org), "phase": "open"})
        pid = re.search(r'name="paragraph_id" value="(\d+)"', who.get(f"/rooms/{room}").text).group(1)
        who.post(f"/rooms/{room}/amendments", data={
            "csrf_token": csrf_token(who), "paragraph_id": pid, "kind": "replace", "text": "New text.",
            "rationale": "Clearer.", "idempotency_key": f"setup-{room}-amendment"})
        org.post(f"/rooms/{room}/phase", data={"csrf_token": csrf_token(org), "phase": phase})
    participant.post(f"/rooms/{rid}/comments", data={"csrf_token": csrf_token(participant), "paragraph_id": pid,
                                                     "text": "A comment to flag.",
                                                     "idempotency_key": "setup-comment"})
    cid = re.findall(r'id="c-(\d+)"', participant.get(f"/rooms/{rid}").text)[-1]
    rapporteur.post("/flags", data={"csrf_token": csrf_token(rapporteur), "target_type": "comment",
                                     "target_id": cid, "reason": "Off topic"})
    for room in (rid, vid):
        org.post(f"/rooms/{room}/polls", data={"csrf_token": csrf_token(org), "question": "Which first?",
                                               "option": ["Data", "Policy"]})

    tried: set[str] = set()
    anonymous = TestClient(app, raise_server_exceptions=False)
    failures = walk(anonymous, ["/", f"/join?code={CODE_A}", "/organiser/login"], tried)
    failures += walk(participant, [f"/rooms/{rid}", "/me"], tried)
    failures += walk(voter, [f"/rooms/{vid}"], tried)
    failures += walk(rapporteur, [f"/rooms/{rid}/workbench", f"/rooms/{rid}"], tried)
    failures += walk(org, ["/organiser", "/organiser/setup", "/organiser/moderation", "/organiser/import/participants",
                           "/organiser/import/document", f"/rooms/{vid}/workbench", "/documents/1/consolidated",
                           "/documents/1/consolidated/1", "/documents/2/consolidated/1",
                           "/organiser"], tried)   # back to the console, where both sign-outs are
    # A route whose form no page showed this time (a publish button while conflicts remain) is
    # still sent the same inputs, as the organiser, with the first ids; the test names them.
    unseen = [r for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())
              and not r.path.startswith("/api/") and not any(r.path_regex.match(a) for a in tried)]
    for route in unseen:
        action = re.sub(r"\{(\w+)[^}]*\}", lambda m: {"target_type": "comment", "action": "hide"}.get(m.group(1), "1"),
                        route.path)
        failures += send(org, "(no page)", {"action": action, "fields": {"text": "", "reason": ""}, "files": set()})
    assert not failures, "\n".join(failures)
    assert len(unseen) <= 1, f"forms never found on a page: {[r.path for r in unseen]}"


def test_a_full_room_and_a_reused_invitation_answer_the_join_form_in_place(client):
    org = TestClient(client.app)
    org.post("/organiser/login", data={"csrf_token": csrf_token(org, "/organiser/login"),
                                       "email": "organiser@example.org", "password": "brussels-demo-2024"})
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1"], "dots": "5", "capacity": "2"})
    invite = org.post("/organiser/rooms/1/invite", data={"csrf_token": csrf_token(org)}).text
    token = re.search(r'invite=([\w-]+)', invite).group(1)
    assert join(TestClient(client.app), CODE_A, name="Invited", invite=token).status_code == 303
    reused = join(TestClient(client.app), CODE_A, name="Third", invite=token, headers=HTMX)
    assert reused.status_code == 409 and "already used" in reused.text
    assert reused.text.lstrip().startswith('<form id="join-form"') and 'value="Third"' in reused.text
    assert join(TestClient(client.app), CODE_A, name="Second").status_code == 303
    full = join(TestClient(client.app), CODE_A, name="Fourth", headers=HTMX)
    assert full.status_code == 409 and "This room is full" in full.text
    assert full.text.lstrip().startswith('<form id="join-form"') and 'value="Fourth"' in full.text
