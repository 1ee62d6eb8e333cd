"""The workbench and the room's new forms, in-process, as a browser would post them."""
from __future__ import annotations

import re

from html_checks import assert_harmless
from starlette.testclient import TestClient
from web_helpers import HTMX, csrf_token, join, room_id

CODE = "K7MPQ2"


def organiser(client) -> TestClient:
    org = TestClient(client.app)
    token = csrf_token(org, "/organiser/login")
    org.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                       "password": "brussels-demo-2024"})
    return org


def post(client, path, data):
    return client.post(path, data=data, headers={**HTMX, "X-CSRF-Token": csrf_token(client)})


def setup_room(client):
    """Ana joins; Rita joins and is made rapporteur by the organiser."""
    rid = room_id(join(client, CODE, name="Ana"))
    rita = TestClient(client.app)
    join(rita, CODE, name="Rita", sector="law_enforcement")
    org = organiser(client)
    members = org.get(f"/rooms/{rid}/workbench").text
    rita_id = re.search(r'Rita.*?name="participant_id" value="(\d+)"', members, re.S).group(1)
    assert post(org, f"/rooms/{rid}/rapporteurs", {"participant_id": rita_id}).status_code == 200
    return rid, rita, org


def first_base_paragraph(client, rid) -> int:
    return int(re.search(r'id="af-(\d+)"', client.get(f"/rooms/{rid}").text).group(1))


def test_participants_cannot_open_the_workbench_or_steer(client):
    rid, rita, _ = setup_room(client)
    assert client.get(f"/rooms/{rid}/workbench").status_code == 403
    assert post(client, f"/rooms/{rid}/phase", {"phase": "voting"}).status_code == 403
    assert rita.get(f"/rooms/{rid}/workbench").status_code == 200
    assert "Rapporteur's workbench" in rita.get(f"/rooms/{rid}").text
    assert "Rapporteur's workbench" not in client.get(f"/rooms/{rid}").text


def test_propose_vote_accept_through_the_pages(client):
    rid, rita, _ = setup_room(client)
    pid = first_base_paragraph(client, rid)
    proposed = post(client, f"/rooms/{rid}/amendments", {
        "paragraph_id": pid, "kind": "replace", "text": "A new definition.", "rationale": "Clearer.",
        "attribution": "sector", "idempotency_key": "html-amend-1"})
    assert proposed.status_code == 200 and "data-posted" in proposed.text and "<ins>" in proposed.text
    amendment_id = int(re.search(r'id="a-(\d+)"', proposed.text).group(1))
    assert post(client, f"/amendments/{amendment_id}/vote", {"choice": "agree"}).status_code == 409
    assert post(rita, f"/rooms/{rid}/phase", {"phase": "voting"}).headers.get("hx-refresh") == "true"
    voted = post(client, f"/amendments/{amendment_id}/vote", {"choice": "agree"})
    assert 'value="agree" aria-pressed="true"' in voted.text
    assert post(client, f"/amendments/{amendment_id}/decision", {"decision": "accept"}).status_code == 403
    decided = post(rita, f"/amendments/{amendment_id}/decision", {"decision": "accept"})
    assert decided.status_code == 200 and "Accepted by Rita" in decided.text
    page = client.get(f"/rooms/{rid}").text
    assert "A new definition." in page and "Changed by the room" in page


def test_a_refused_amendment_keeps_what_was_typed(client):
    rid, _, _ = setup_room(client)
    pid = first_base_paragraph(client, rid)
    refused = post(client, f"/rooms/{rid}/amendments", {
        "paragraph_id": pid, "kind": "replace", "text": "Kept text", "rationale": "",
        "idempotency_key": "html-amend-2"})
    assert refused.status_code == 422 and "Kept text" in refused.text and "Say why" in refused.text


def test_a_stale_save_shows_both_versions_and_saves_nothing(client):
    rid, rita, org = setup_room(client)
    pid = f"p{first_base_paragraph(client, rid)}"
    first = post(rita, f"/rooms/{rid}/draft", {"paragraph": pid, "text": "Rita's version.", "base_version": "0"})
    assert first.status_code == 200 and 'name="base_version" value="1"' in first.text
    stale = post(org, f"/rooms/{rid}/draft", {"paragraph": pid, "text": "Organiser's version.", "base_version": "0"})
    assert stale.status_code == 409
    assert "Rita&#39;s version." in stale.text and "Organiser&#39;s version." in stale.text
    history = client.get(f"/rooms/{rid}/draft/history").text
    assert "Version 1" in history and "Version 2" not in history


def test_hostile_conclusions_are_harmless_on_the_page(client):
    rid, rita, _ = setup_room(client)
    posted = post(client, f"/rooms/{rid}/comments", {"text": "A comment to cite.", "idempotency_key": "cite-me-0001"})
    cid = re.search(r'id="c-(\d+)"', posted.text).group(1)
    hostile = f'<script>alert(1)</script> [x](javascript:alert(1)) <a hx-get="/x">y</a> see #c{cid}'
    assert post(rita, f"/rooms/{rid}/draft", {"conclusions": hostile, "base_version": "0"}).status_code == 200
    page = client.get(f"/rooms/{rid}").text
    section = page[page.index('id="conclusions"'):]
    wrapper = '<div lang="en">'  # ours: the conclusions marked with their language
    section = section[section.index(wrapper) + len(wrapper):section.index("</div>")]
    assert_harmless(section)
    assert f'<a href="#c-{cid}"' in section and "&lt;script&gt;" in section


def test_citations_in_conclusions_read_in_the_conclusions_language_whoever_reads_them(client):
    """English conclusions citing #cN read "comment N" for a French reader too, marked as English,
    on the room page (whose macro the live push renders too) and in the workbench's preview; the
    workbench's own list of what they draw on is interface text, in French."""
    rid, rita, _ = setup_room(client)
    posted = post(client, f"/rooms/{rid}/comments", {"text": "A comment to cite.", "idempotency_key": "cite-me-0002"})
    cid = re.search(r'id="c-(\d+)"', posted.text).group(1)
    fr = {"Accept-Language": "fr"}
    saved = rita.post(f"/rooms/{rid}/draft", headers={**HTMX, **fr, "X-CSRF-Token": csrf_token(rita)},
                      data={"conclusions": f"Street work matters (see #c{cid}).", "base_version": "0"})
    assert saved.status_code == 200
    page = client.get(f"/rooms/{rid}", headers=fr).text
    section = page[page.index('id="conclusions"'):]
    assert f'<div lang="en"><p>Street work matters (see <a href="#c-{cid}"' in section
    assert f">comment {cid}</a>" in section and "commentaire" not in section[:section.index("</div>")]
    bench = rita.get(f"/rooms/{rid}/workbench", headers=fr).text
    preview = bench[bench.index('id="conclusions-preview"'):]
    assert f">comment {cid}</a>)" in preview and f"S'appuie sur <a href=\"#wb-c-{cid}\">commentaire {cid}</a>" in preview.replace("&#39;", "'")


def test_a_refused_poll_comes_back_on_the_workbench_with_what_was_typed_and_each_problem_by_its_field(client):
    """Not the generic error page: the workbench, 422, the poll's form as it was sent, its message
    above it, each problem next to its field, in the reader's language; nothing asked."""
    rid, rita, _ = setup_room(client)

    def ask(headers=None, **data):
        return rita.post(f"/rooms/{rid}/polls", headers=headers, follow_redirects=False,
                         data={"csrf_token": csrf_token(rita), **data})

    def form_of(html):
        part = html[html.index('<form id="ask-poll"'):]
        return part[:part.index("</form>")]

    empty = ask()
    assert empty.status_code == 422 and "That did not work" not in empty.text
    form = form_of(empty.text)
    assert '<p class="error" role="alert">The poll was not opened.</p>' in form
    assert '<p class="error" id="poll-q-error">Ask a question of 1 to 300 characters.</p>' in form
    assert 'aria-describedby="poll-q-error" autofocus' in form
    assert '<p class="error" id="poll-options-error">Give 2 to 8 options.</p>' in form

    one = ask(question="Which <b>first</b>?", option=["Only one", "", ""], multiple="1")
    form = form_of(one.text)
    assert one.status_code == 422 and 'value="Which &lt;b&gt;first&lt;/b&gt;?"' in form
    assert 'id="poll-o0" name="option" maxlength="120" placeholder="Option 1" value="Only one"' in form
    assert 'name="multiple" value="1" checked' in form and 'name="results_live" value="1">' in form
    assert 'id="poll-q-error"' not in form and 'aria-invalid="true" aria-describedby="poll-options-error"' in form

    same = ask(question="Q?", option=["A", "A"], headers={"Accept-Language": "fr"})
    assert same.status_code == 422
    form = form_of(same.text).replace("&#39;", "'")
    assert "Le sondage n'a pas été ouvert." in form
    assert "Les options doivent être différentes et compter au plus 120 caractères chacune." in form

    huge = ask(question="é" * 1000, option=["x" * 5000, "y"])  # (a body past 256 KiB is 413 before any form)
    assert huge.status_code == 422 and "Ask a question of 1 to 300 characters." in form_of(huge.text)
    assert "Options must differ and be at most 120 characters each." in form_of(huge.text)
    from consult.engagement.models import Poll
    assert client.app.state.core.db.read(lambda s: s.query(Poll).filter_by(room_id=rid).count()) == 0

    asked = ask(question="First?", option=["A", "B"])
    assert asked.status_code == 303 and asked.headers["location"].endswith("/workbench#wb_polls")


def test_a_poll_asked_in_a_closed_room_comes_back_on_the_workbench_with_the_reason(client):
    """The room's phase refuses it (409): the workbench again, the question as typed, the reason
    above the form, not the generic error page; nothing asked."""
    rid, rita, _ = setup_room(client)
    assert post(rita, f"/rooms/{rid}/phase", {"phase": "closed"}).status_code < 400
    refused = rita.post(f"/rooms/{rid}/polls", follow_redirects=False, data={
        "csrf_token": csrf_token(rita), "question": "Too late?", "option": ["Yes", "No"]})
    assert refused.status_code == 409 and "That did not work" not in refused.text
    form = refused.text[refused.text.index('<form id="ask-poll"'):]
    form = form[:form.index("</form>")]
    assert '<p class="error" role="alert">This room is closed: you cannot ask a poll now.</p>' in form
    assert 'value="Too late?"' in form and 'value="Yes"' in form
    from consult.engagement.models import Poll
    assert client.app.state.core.db.read(lambda s: s.query(Poll).filter_by(room_id=rid).count()) == 0


def test_reactions_dots_and_polls_through_the_pages(client):
    rid, rita, _ = setup_room(client)
    pid = first_base_paragraph(client, rid)
    reacted = post(client, f"/rooms/{rid}/reactions", {"paragraph_id": pid, "stance": "disagree"})
    assert 'class="stance-disagree"' in reacted.text and reacted.text.count('aria-pressed="true"') == 1
    asked = rita.post(f"/rooms/{rid}/polls", data={"csrf_token": csrf_token(rita), "question": "First?",
                                                   "option": ["A", "B", ""]}, follow_redirects=False)
    assert asked.status_code == 303
    poll_id = int(re.search(r'id="poll-(\d+)"', client.get(f"/rooms/{rid}").text).group(1))
    # Until Ben answers, neither his page nor his fetch of the results holds the numbers.
    ben = TestClient(client.app)
    join(ben, CODE, name="Ben")
    answered = post(client, f"/polls/{poll_id}/answer", {"option": "1"})
    assert "1 (100%)" in answered.text and 'data-refresh-url="/polls/' in answered.text
    for html in (ben.get(f"/rooms/{rid}").text, ben.get(f"/polls/{poll_id}/results").text):
        assert "(100%)" not in html and "(0%)" not in html and "The results appear once you have answered" in html
    assert "1 (100%)" in client.get(f"/polls/{poll_id}/results").text
    assert "1 (100%)" in rita.get(f"/rooms/{rid}").text
    assert TestClient(client.app).get(f"/polls/{poll_id}/results", follow_redirects=False).status_code in (303, 403)
    assert post(client, f"/polls/{poll_id}/answer", {"option": "7"}).status_code == 422
    proposed = post(client, f"/rooms/{rid}/amendments", {
        "paragraph_id": pid, "kind": "delete", "rationale": "Redundant.", "idempotency_key": "html-amend-dots"})
    amendment_id = re.search(r'id="a-(\d+)"', proposed.text).group(1)
    post(rita, f"/rooms/{rid}/phase", {"phase": "voting"})
    dotted = post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": amendment_id, "dots": "2"})
    assert "Your priority dots: <strong>2</strong>" in dotted.text and "You have 3 dots left." in dotted.text
    too_many = post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": amendment_id, "dots": "6"})
    assert too_many.status_code == 422 and "You have 3 dots left." in too_many.text
    assert 'data-left="0"' in post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": amendment_id,
                                                                  "dots": "5"}).text
    full = post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": amendment_id, "dots": "6"})
    assert "You have placed all 5 of your dots. Take a dot from something else first." in full.text
    assert post(client, f"/rooms/{rid}/dots", {"target_type": "comment", "target_id": "999", "dots": "1"}).status_code == 404
    assert f"Amendment {amendment_id}</a> · <strong>5 dots" in client.get(f"/rooms/{rid}").text


def test_a_poll_asked_before_the_room_opens_shows_its_choices_disabled_with_the_reason(client):
    rid, rita, _ = setup_room(client)
    post(rita, f"/rooms/{rid}/phase", {"phase": "setup"})
    rita.post(f"/rooms/{rid}/polls", data={"csrf_token": csrf_token(rita), "question": "Ready?",
                                           "option": ["Yes", "No"]}, follow_redirects=False)
    page = client.get(f"/rooms/{rid}").text
    form = page[page.index('class="poll-form"'):]
    form = form[:form.index("</form>")]
    assert re.search(r'<fieldset disabled aria-describedby="poll-why-\d+"', form)
    assert "This room has not started yet: you cannot answer polls now." in form and 'type="submit"' not in form
    post(rita, f"/rooms/{rid}/phase", {"phase": "open"})
    page = client.get(f"/rooms/{rid}").text
    assert ">Answer</button>" in page and "fieldset disabled" not in page


def test_an_accepted_amendment_offers_no_more_dots_only_taking_yours_back(client):
    rid, rita, _ = setup_room(client)
    pid = first_base_paragraph(client, rid)
    ids = [re.search(r'id="a-(\d+)"', post(client, f"/rooms/{rid}/amendments", {
        "paragraph_id": pid, "kind": "replace", "text": f"Wording {n}.", "rationale": "Clearer.",
        "attribution": "sector", "idempotency_key": f"html-amend-decided-{n}"}).text).group(1) for n in (1, 2)]
    post(rita, f"/rooms/{rid}/phase", {"phase": "voting"})
    post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": ids[0], "dots": "1"})
    assert post(rita, f"/amendments/{ids[0]}/decision", {"decision": "accept"}).status_code == 200
    assert post(rita, f"/amendments/{ids[1]}/decision", {"decision": "reject", "reason": "Too vague."}).status_code == 200
    page = client.get(f"/rooms/{rid}").text
    kept = re.search(rf'<form id="dots-amendment-{ids[0]}".*?</form>', page, re.S).group(0)
    assert re.search(r'aria-label="Add a dot" data-add-dot\s+disabled', kept) and 'value="0"' in kept
    assert f'id="dots-amendment-{ids[1]}"' not in page
    refused = post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": ids[1], "dots": "1"})
    assert refused.status_code == 422 and "This amendment is decided" in refused.text
    back = post(client, f"/rooms/{rid}/dots", {"target_type": "amendment", "target_id": ids[0], "dots": "0"})
    assert "Your priority dots: <strong>0</strong>" in back.text and "You have 5 dots left." in back.text


def panel(html: str, section_id: str) -> str:
    part = html[html.index(f'<section id="{section_id}"'):]
    return part[:part.index("</section>")]


def test_the_conclusions_are_headed_once_and_previewed_only_when_written(client):
    rid, rita, _ = setup_room(client)
    text = panel(rita.get(f"/rooms/{rid}/workbench").text, "wb_text")
    # The heading names the field for everyone; its label says it again only to screen readers.
    assert '<h3 id="wb-conclusions-heading">Key conclusions</h3>' in text
    assert '<label for="conclusions-text" class="visually-hidden">Key conclusions</label>' in text
    assert 'aria-describedby="conclusions-hint"' in text and "Markdown; cite sources as #c12" in text
    assert "Preview" not in text
    for empty in ("", "  \n "):
        assert "Preview" not in post(rita, f"/rooms/{rid}/conclusions/preview", {"conclusions": empty}).text
    assert "<h4>Preview</h4>" in post(rita, f"/rooms/{rid}/conclusions/preview", {"conclusions": "We **agree**."}).text
    version = re.search(r'id="edit-conclusions".*?name="base_version" value="(\d+)"', text, re.S).group(1)
    assert post(rita, f"/rooms/{rid}/draft", {"base_version": version, "conclusions": "We **agree**."}).status_code == 200
    text = panel(rita.get(f"/rooms/{rid}/workbench").text, "wb_text")
    assert "<h4>Preview</h4>" in text and "<strong>agree</strong>" in text


def test_reactions_show_only_where_someone_reacted(client):
    rid, rita, _ = setup_room(client)
    assert "No reactions yet." in panel(rita.get(f"/rooms/{rid}/workbench").text, "wb_reactions")
    pid = first_base_paragraph(client, rid)
    post(client, f"/rooms/{rid}/reactions", {"paragraph_id": pid, "stance": "agree"})
    reactions = panel(rita.get(f"/rooms/{rid}/workbench").text, "wb_reactions")
    assert "No reactions yet." not in reactions and "0 agree" not in reactions
    assert reactions.count("<h3>") == 1 and "1 agree" in reactions and f'id="spread-{pid}-wb"' in reactions
    # The room's page keeps an empty placeholder for the live count, with no line of noughts.
    page = client.get(f"/rooms/{rid}").text
    assert "0 agree" not in page and f'<div id="spread-{pid}" class="spread" aria-label=' in page
    assert len(re.findall(r'<div id="spread-\d+" class="spread" hidden></div>', page)) == page.count('class="paragraph"') - 1
    post(client, f"/rooms/{rid}/reactions", {"paragraph_id": pid, "discuss": "1"})
    assert "1 wants discussion" in client.get(f"/rooms/{rid}").text
    assert "1 souhaite en discuter" in client.get(f"/rooms/{rid}", headers={"Accept-Language": "fr"}).text


def test_an_oversized_paragraph_is_refused_by_its_number_in_the_readers_language(client):
    """Not 'P1: Keep a paragraph under 5000 characters.' in English whatever the language."""
    rid, rita, _ = setup_room(client)
    text = panel(rita.get(f"/rooms/{rid}/workbench").text, "wb_text")
    key, number = re.search(r'name="paragraph" value="(p\d+)">\s*<label for="edit-p\d+-text">Text of ([\d.]+)</label>',
                            text).groups()
    version = re.search(r'name="base_version" value="(\d+)"', text).group(1)
    for language, said, label in (("en", f"Keep paragraph {number} under 5000 characters (this has 5001).", "Paragraph"),
                                  ("fr", f"Gardez le paragraphe {number} sous 5000 caractères (ce texte en compte 5001).",
                                   "Paragraphe")):
        refused = rita.post(f"/rooms/{rid}/draft", data={"base_version": version, "paragraph": key, "text": "z" * 5001},
                            headers={**HTMX, "X-CSRF-Token": csrf_token(rita), "Accept-Language": language})
        assert refused.status_code == 422 and said in refused.text, refused.text[-600:]
        assert f"<strong>{label}</strong>" in refused.text and "P1" not in refused.text
    long = post(rita, f"/rooms/{rid}/draft", {"base_version": version, "conclusions": "c" * 20001})
    assert long.status_code == 422 and "Keep the conclusions under 20000 characters (this has 20001)." in long.text
    one = post(rita, f"/rooms/{rid}/draft", {"base_version": version, "conclusions": "See #c999."})
    assert "#c999 cites nothing in this room: check the number, or remove the citation." in one.text


def test_a_citation_saving_would_refuse_is_previewed_as_not_found_and_not_linked(demo_client):
    """#c999 and #a999 name nothing in the room: the preview says so in the reader's language and
    links them nowhere, in its list or in the text, by the rule that refuses them on saving."""
    rid, rita, _ = setup_room(demo_client)
    posted = post(demo_client, f"/rooms/{rid}/comments", {"text": "A comment to cite.", "idempotency_key": "cite-me-0003"})
    cid = re.search(r'id="c-(\d+)"', posted.text).group(1)
    source = f"See #c{cid}, #c999 and #a999."
    previewed = rita.post(f"/rooms/{rid}/conclusions/preview", data={"conclusions": source},
                          headers={**HTMX, "X-CSRF-Token": csrf_token(rita), "Accept-Language": "fr"}).text
    assert "commentaire 999 (introuvable)" in previewed and "amendement 999 (introuvable)" in previewed
    assert f'<a href="#wb-c-{cid}">commentaire {cid}</a>' in previewed and f'<a href="#c-{cid}"' in previewed
    assert "-999" not in previewed and f">comment {cid}</a>, comment 999 and amendment 999.</p>" in previewed
    english = post(rita, f"/rooms/{rid}/conclusions/preview", {"conclusions": source}).text
    assert "comment 999 (not found)" in english and "amendment 999 (not found)" in english
    refused = post(rita, f"/rooms/{rid}/draft", {"base_version": "0", "conclusions": source})
    assert refused.status_code == 422 and "#c999, #a999 cite nothing in this room" in refused.text


def test_a_single_vote_or_reaction_is_counted_in_the_singular_in_every_language(demo_client):
    """One abstention is '1 abstention' in French and '1 Enthaltung' in German, not '1 abstentions'
    or '1 Enthaltungen': each count of a tally takes its own plural form, on the room's bar, in
    what a screen reader hears of it, and under a paragraph with one request for discussion."""
    rid, rita, _ = setup_room(demo_client)
    pid = first_base_paragraph(demo_client, rid)
    proposed = post(demo_client, f"/rooms/{rid}/amendments", {
        "paragraph_id": pid, "kind": "replace", "text": "A new definition.", "rationale": "Clearer.",
        "attribution": "sector", "idempotency_key": "plural-amend-1"})
    amendment_id = int(re.search(r'id="a-(\d+)"', proposed.text).group(1))
    post(demo_client, f"/rooms/{rid}/reactions", {"paragraph_id": pid, "discuss": "1"})
    post(rita, f"/rooms/{rid}/phase", {"phase": "voting"})
    assert post(demo_client, f"/amendments/{amendment_id}/vote", {"choice": "abstain"}).status_code == 200
    for language, said, heard, discuss in (
            ("fr", "<span>1 abstention</span>", "Votes : 0 d&#39;accord, 0 pas d&#39;accord, 1 abstention",
             "1 souhaite en discuter"),
            ("de", "<span>1 Enthaltung</span>", "Stimmen: 0 dafür, 0 dagegen, 1 Enthaltung", "1 möchte darüber sprechen"),
            ("en", "<span>1 abstain</span>", "Votes: 0 agree, 0 disagree, 1 abstain", "1 wants discussion")):
        page = demo_client.get(f"/rooms/{rid}", headers={"Accept-Language": language}).text
        tally = page[page.index(f'id="tally-{amendment_id}"'):]
        tally = tally[:tally.index("</p>")]
        assert said in tally and f'aria-label="{heard}"' in tally, tally
        spread = page[page.index(f'id="spread-{pid}"'):]
        assert f'<strong class="discuss">{discuss}</strong>' in spread and f"{discuss}\"" in spread
