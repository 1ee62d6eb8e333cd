"""The interface in four languages: the catalogue is complete, pages are read in the language
the browser asks for or the person chose, and that choice is remembered."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from consult import catalogue, clock, i18n
from web_helpers import csrf_token, first_paragraph, join, room_id

TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def sources():
    return catalogue.extract()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_string_is_translated(sources, language):
    """Extracted afresh from the sources: a string someone marks tomorrow and forgets to
    translate fails here, as does a fuzzy guess or a translation that drops a placeholder."""
    po = catalogue.read(language)
    missing, fuzzy, broken = [], [], []
    for message in sources:
        if not message.id:
            continue
        found = po.get(message.id, context=message.context)
        strings = () if found is None else found.string if isinstance(found.string, tuple) else (found.string,)
        if found is None or not all(strings):
            missing.append(message.id)
        elif found.fuzzy:
            fuzzy.append(message.id)
        else:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = set(PLACEHOLDER.findall(ids[-1])) - {"num"}
            if any(set(PLACEHOLDER.findall(s)) - {"num"} != wanted for s in strings):
                broken.append(message.id)
    assert not missing, f"{len(missing)} untranslated in {language} (run `make messages`, then translate): {missing[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"
    assert not broken, f"placeholders differ in {language}: {broken[:10]}"


def test_plurals_follow_each_language():
    """French counts zero as singular, German and Dutch do not."""
    assert [i18n.translations("fr").plural(n) for n in (0, 1, 2)] == [0, 0, 1]
    assert [i18n.translations("de").plural(n) for n in (0, 1, 2)] == [1, 0, 1]
    assert [i18n.translations("nl").plural(n) for n in (0, 1, 2)] == [1, 0, 1]


def test_accept_language_picks_the_best_offered_language():
    assert i18n.negotiate("fr-BE,fr;q=0.9,en;q=0.8") == "fr"
    assert i18n.negotiate("pt-PT,de;q=0.5,nl;q=0.7") == "nl"
    assert i18n.negotiate("pt, es;q=0.9") is None
    assert i18n.negotiate("de;q=0, nl") == "nl"
    assert i18n.negotiate("fr", offered=["en", "nl"]) is None


def test_dates_and_numbers_are_written_the_readers_way_in_the_events_zone(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 2, 12, 0))
    with i18n.speaking("fr"):
        assert i18n.date_time("2026-12-02T09:40:00Z", "Europe/Brussels") == "2 déc. 2026, 10:40 CET"
        assert i18n.short_time("2026-12-02T09:40:00", "Europe/Brussels") == "2 déc. 10:40"
        assert i18n.format_number(12345) == "12\u202f345"
    with i18n.speaking("de"):
        assert i18n.short_time("2026-07-02T09:40:00", "Europe/Brussels") == "2. Juli 11:40"
        assert i18n.format_number(12345.5) == "12.345,5"
    with i18n.speaking("en"):
        assert i18n.time_of_day("2026-12-02T23:40:00", "Europe/Brussels") == "00:40"
        # A day of another year says which; the year is the event zone's (23:40 UTC is 2027 there).
        assert i18n.short_time("2024-11-26T11:30:00", "Europe/Brussels") == "26 Nov 2024, 12:30"
        assert i18n.short_time("2026-12-31T23:40:00", "Europe/Brussels") == "1 Jan 2027, 00:40"
        assert i18n.short_time("2026-12-31T22:40:00", "Europe/Brussels") == "31 Dec 23:40"
    with i18n.speaking("de"):
        assert i18n.short_time("2024-11-26T11:30:00", "Europe/Brussels") == "26. Nov. 2024, 12:30"


def test_no_function_hides_gettext_behind_a_throwaway_variable():
    """`_version, content = ...` is fine; `_, content = ...` in a function that also calls
    `_()` makes `_` local to it, and every message before that line raises instead."""
    import ast
    from pathlib import Path

    own_scope = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                 ast.GeneratorExp)

    def in_scope(node):
        """The nodes of a function's own scope (comprehensions and nested functions have theirs)."""
        for child in ast.iter_child_nodes(node):
            yield child
            if not isinstance(child, own_scope):
                yield from in_scope(child)

    offenders = []
    for path in (Path(i18n.__file__).parent).rglob("*.py"):
        for fn in ast.walk(ast.parse(path.read_text())):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nodes = list(in_scope(fn))
                stores = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes)
                calls = any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "_"
                            for n in nodes for c in ast.walk(n))
                if stores and calls:
                    offenders.append(f"{path.name}:{fn.name}")
    assert not offenders


def _demo_code(client) -> str:
    from consult.rooms.models import Room
    from sqlalchemy import select
    db = client.app.state.core.db
    return db.read(lambda s: s.scalar(select(Room.code).order_by(Room.id).limit(1)))


def test_the_browser_language_is_followed_until_the_person_chooses(client):
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "pt-BR"}).text
    token = csrf_token(client)
    answer = client.post("/language", data={"csrf_token": token, "language": "nl", "next": "/privacy"},
                         headers={"Accept-Language": "fr"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/privacy"
    page = client.get("/privacy", headers={"Accept-Language": "fr"}).text
    assert '<html lang="nl">' in page and "Naar de inhoud" in page


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client):
    token = csrf_token(client)
    answer = client.post("/language", data={"csrf_token": token, "language": "xx", "next": "//evil.example/"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert '<html lang="en">' in client.get("/").text


def test_a_participants_choice_follows_them_to_another_device(client, settings):
    from consult.app import create_app
    from starlette.testclient import TestClient

    fr = {"Accept-Language": "fr"}
    joined = join(client, _demo_code(client), headers=fr)
    room = room_id(joined)
    client.post("/language", data={"csrf_token": csrf_token(client), "language": "de", "next": f"/rooms/{room}"})
    link = re.search(r'href="(http://testserver/p/[^"]+)"', client.get("/me").text).group(1)
    with TestClient(create_app(settings), base_url="http://testserver") as phone:
        page = phone.get(link.removeprefix("http://testserver"), headers=fr).text
        assert '<html lang="de">' in page


def test_a_french_participant_joins_and_reads_the_room_in_french(client):
    fr = {"Accept-Language": "fr-FR,fr;q=0.9"}
    form = client.get(f"/join?code={_demo_code(client)}", headers=fr).text
    assert '<html lang="fr">' in form
    joined = join(client, _demo_code(client), headers=fr)
    page = client.get(f"/rooms/{room_id(joined)}", headers=fr).text
    assert '<html lang="fr">' in page
    assert first_paragraph(page)


def test_a_french_participant_comments_proposes_and_votes_in_french(client, settings):
    """The issue's case: a browser asking for French gets the room, the refusals (raised inside
    the database thread) and the answers to each post in French; contributions record it."""
    from consult.amendments.models import Amendment
    from consult.contributions.models import Comment
    from starlette.testclient import TestClient
    from web_helpers import HTMX
    from consult.app import create_app

    fr = {"Accept-Language": "fr-FR,fr;q=0.9", **HTMX}
    room = room_id(join(client, _demo_code(client), headers={"Accept-Language": "fr"}))
    page = client.get(f"/rooms/{room}", headers={"Accept-Language": "fr"}).text
    assert "Ouverte aux commentaires" in page and "Commentez, réagissez et proposez des amendements." in page
    paragraph = first_paragraph(page)
    token = csrf_token(client, f"/rooms/{room}")

    empty = client.post(f"/rooms/{room}/comments", headers=fr, data={
        "csrf_token": token, "paragraph_id": paragraph, "text": " ", "idempotency_key": "k" * 16})
    assert empty.status_code == 422 and "Écrivez quelque chose avant de publier." in empty.text

    posted = client.post(f"/rooms/{room}/comments", headers=fr, data={
        "csrf_token": token, "paragraph_id": paragraph, "text": "Il faut associer les travailleurs de rue.",
        "attribution": "sector", "idempotency_key": "c" * 16})
    assert posted.status_code == 200 and "Publié." in posted.text and "Services de santé, BE" in posted.text
    assert '<span class="lang-tag"' in posted.text and ">FR</span>" in posted.text

    proposed = client.post(f"/rooms/{room}/amendments", headers=fr, data={
        "csrf_token": token, "paragraph_id": paragraph, "kind": "insert_after", "language": "de",
        "text": "Straßensozialarbeit wird einbezogen.", "rationale": "Weil sie die Szene kennt.",
        "attribution": "sector", "idempotency_key": "a" * 16})
    assert proposed.status_code == 200 and "Proposé." in proposed.text
    db = client.app.state.core.db
    assert db.read(lambda s: [c.language for c in s.query(Comment).filter_by(room_id=room)]) == ["fr"]
    amendment_id, written_in = db.read(lambda s: [(a.id, a.language) for a in s.query(Amendment).filter_by(room_id=room)])[0]
    assert written_in == "de"

    with TestClient(create_app(settings), base_url="http://testserver") as org:
        login = csrf_token(org, "/organiser/login")
        org.post("/organiser/login", data={"csrf_token": login, "email": "organiser@example.org",
                                           "password": "brussels-demo-2024"})
        moved = org.post("/organiser/phase", data={"csrf_token": csrf_token(org, "/organiser"), "rooms": [str(room)],
                                                   "phase": "voting", "confirm": "yes"}, follow_redirects=False)
        assert moved.status_code == 303
    page = client.get(f"/rooms/{room}", headers={"Accept-Language": "fr"}).text
    assert "Vote en cours" in page and "Votre vote" in page
    voted = client.post(f"/amendments/{amendment_id}/vote", headers=fr, data={"csrf_token": token, "choice": "agree"})
    assert voted.status_code == 200 and 'aria-pressed="true">D\'accord</button>' in voted.text
    late = client.post(f"/rooms/{room}/comments", headers=fr, data={
        "csrf_token": token, "paragraph_id": paragraph, "text": "Trop tard ?", "idempotency_key": "d" * 16})
    assert late.status_code == 409 and "vous ne pouvez pas commenter pour l&#39;instant" in late.text


def test_the_workbook_speaks_the_organisers_language_and_keeps_each_contributions(demo):
    """Sheet names, headers and labels in French for a French organiser; the language each
    comment and amendment was written in is a column of its own."""
    from consult.export import service
    from consult.people.actor import Actor
    from openpyxl import load_workbook

    with i18n.speaking("fr"):
        path, _name = demo.snapshot(service.xlsx, Actor(organiser_id=1), "drug-violence-2024")
    wb = load_workbook(path)
    assert wb.sheetnames[:6] == ["Aperçu", "Salles", "Participants", "Commentaires", "Amendements", "Votes"]
    comments = wb["Commentaires"]
    header = [cell.value for cell in comments[1]]
    assert "Langue" in header and "Texte" in header and "Secteur de l'auteur" in header
    languages = {row[header.index("Langue")] for row in comments.iter_rows(min_row=2, values_only=True)}
    assert languages and languages <= set(i18n.LANGUAGES)
    amendments = wb["Amendements"]
    header = [cell.value for cell in amendments[1]]
    statuses = {row[header.index("Statut")] for row in amendments.iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"en attente", "accepté", "rejeté"} and statuses
    sectors = {row[header.index("Secteur de l'auteur")] for row in amendments.iter_rows(min_row=2, values_only=True)}
    assert sectors and sectors <= {"Forces de l'ordre", "Services de santé", "Services sociaux", "Pouvoir local",
                                   "Décideur politique", "Recherche", "Société civile", "Autre"}


def test_the_organiser_chooses_the_events_languages_and_its_default(client, settings):
    from consult.app import create_app
    from starlette.testclient import TestClient

    with TestClient(create_app(settings), base_url="http://testserver") as org:
        org.post("/organiser/login", data={"csrf_token": csrf_token(org, "/organiser/login"),
                                           "email": "organiser@example.org", "password": "brussels-demo-2024"})
        setup = org.get("/organiser/setup").text
        form = {"csrf_token": csrf_token(org, "/organiser/setup"), "title": "European conference on drug-related violence",
                "starts_on": "2024-11-26", "ends_on": "2024-11-27", "languages": ["fr", "nl"],
                "languages_listed": "1"}
        assert 'name="languages" value="de" checked' in setup
        refused = org.post("/organiser/event", data={**form, "default_language": "de"}, follow_redirects=False)
        assert refused.status_code == 422 and "The default must be one of the languages offered." in refused.text
        saved = org.post("/organiser/event", data={**form, "default_language": "nl"}, follow_redirects=False)
        assert saved.status_code == 303
    client.app.state.offered_languages.forget()
    assert '<html lang="nl">' in client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "de, fr;q=0.5"}).text
    switch = client.get("/", headers={"Accept-Language": "nl"}).text
    assert 'value="nl" lang="nl"' in switch and 'value="de" lang="de"' not in switch


PAGES = ["/", "/privacy", "/me", "/rooms/1", "/rooms/1/workbench", "/rooms/1/projector", "/rooms/1/draft/history",
         "/organiser", "/organiser/setup", "/organiser/moderation", "/organiser/audit", "/organiser/synthesis",
         "/organiser/synthesis/projector", "/organiser/import/participants", "/organiser/import/document",
         "/documents/1/consolidated"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_renders_in_every_language_without_a_missing_message(client, monkeypatch, language):
    """The pages of every role on the demo after its sample work, each in `language`: every
    message looked up while rendering (labels translated from variables included) is in the
    catalogue, and the page says which language it is in."""
    import gettext as stdlib_gettext

    missing = set()
    known = {m.id if not isinstance(m.id, tuple) else m.id[0] for m in catalogue.read(language) if m.id}
    real = i18n.translations

    class Checking(stdlib_gettext.NullTranslations):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def ugettext(self, message):
            if message not in known:
                missing.add(message)
            return self.inner.ugettext(message)

        def ungettext(self, singular, plural, n):
            if singular not in known:
                missing.add(singular)
            return self.inner.ungettext(singular, plural, n)

        def upgettext(self, context, message):
            return self.inner.upgettext(context, message)

    monkeypatch.setattr(i18n, "translations", lambda code: Checking(real(code)) if code == language else real(code))
    client.post("/organiser/login", data={"csrf_token": csrf_token(client, "/organiser/login"),
                                          "email": "organiser@example.org", "password": "brussels-demo-2024"})
    client.post("/organiser/demo-activity", data={"csrf_token": csrf_token(client, "/organiser")})
    join(client, _demo_code(client))
    for path in PAGES:
        page = client.get(path, headers={"Accept-Language": language})
        assert page.status_code == 200 and f'<html lang="{language}">' in page.text, path
    assert not missing, f"looked up but not in the {language} catalogue: {sorted(missing)[:10]}"


# Words a template may write as they are: the product's name and file formats.
AS_IS = {"Consult", "PDF", "Word", "OpenDocument", "Word (.docx)", "OpenDocument (.odt)"}


def _template_words(source: str) -> list[str]:
    """The words a template writes itself, outside {% trans %}, {{ }} and {% %}: text between
    tags and the attributes people read (title, aria-label, placeholder, alt). <code> is left
    out: it names columns and syntax that files must use as they are."""
    from consult.web.templating import env

    parts, in_trans, after_begin = [], False, False
    for _line, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "block_begin":     # {% if %} may sit inside a tag: the tag stays whole
            after_begin = True
            continue
        if kind == "name" and after_begin:
            in_trans = True if value == "trans" else False if value == "endtrans" else in_trans
        after_begin = False
        if kind == "data" and not in_trans:
            parts.append(value)
        elif kind == "variable_begin":
            parts.append("\x01")
    markup = re.sub(r"<(script|style|code)\b.*?</\1>", "\x01", "".join(parts), flags=re.S)
    found = [w for attr in re.findall(r'\b(?:title|aria-label|aria-roledescription|placeholder|alt)="([^"]*)"', markup)
             for w in attr.split("\x01")]
    found += re.sub(r"&[#\w]+;", " ", re.sub(r"<[^>]*>", "\x01", markup)).split("\x01")
    words = (" ".join(w.split()).strip(" ·,.:;") for w in found)
    # A macro that writes attributes (aria-invalid="true") is markup, not words.
    return [w for w in words if re.search(r"[A-Za-z]{2}", w) and w not in AS_IS and not re.search(r'="|"$', w)]


def test_no_template_writes_words_outside_the_catalogue():
    """A word typed straight into a template's markup is English on every page; the catalogue
    test cannot see it, because nothing marks it. Branches no demo page reaches are read too."""
    from consult.settings import ROOT

    found = {f"{path.relative_to(ROOT)}: {word!r}" for path in (ROOT / "templates").rglob("*.html")
             for word in _template_words(path.read_text())}
    assert not found, sorted(found)


def test_the_check_of_templates_sees_a_word_typed_in_markup():
    assert _template_words('<p title="Close">{{ _("Hi") }} <b>Only</b> {% trans %}Ok{% endtrans %}</p>') == [
        "Close", "Only"]


OPEN, CLOSE = "\u27e6", "\u27e7"


class _Marked:
    """A catalogue whose every message comes back between markers: what a page shows outside
    them was never looked up."""

    def __init__(self, inner):
        self.inner = inner

    def ugettext(self, message):
        return OPEN + self.inner.ugettext(message) + CLOSE

    def ungettext(self, singular, plural, n):
        return OPEN + self.inner.ungettext(singular, plural, n) + CLOSE

    def upgettext(self, context, message):
        return OPEN + self.inner.upgettext(context, message) + CLOSE


def _stored_text(session) -> str:
    """Every text the database holds that people wrote (names, titles, documents, comments),
    without the codes (phases, statuses, roles), which the interface must put into words."""
    from sqlalchemy import inspect, text

    out = []
    inspector = inspect(session.bind)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if any(k in str(column["type"]).upper() for k in ("CHAR", "TEXT", "JSON", "STRING")):
                for (value,) in session.execute(text(f'select "{column["name"]}" from "{table}"')):
                    for piece in re.findall(r'"((?:[^"\\]|\\.)*)"', value) if str(value).startswith(("{", "[")) else [value]:
                        if piece and not re.fullmatch(r"[a-z0-9_.:/-]+", str(piece)):
                            out.append(" ".join(str(piece).split()))
    return "\n".join(out)


def _pieces(text: str) -> list[str]:
    return re.split(r"\s*(?:·|,|;|:|\(|\)|…|\[|\]|\||\.\s|—|–)\s*", " ".join(text.split()))


def _not_looked_up(page: str, stored: str, allowed: set[str], language: str) -> list[str]:
    from lxml import html as lxml_html

    while True:     # innermost first: a message can hold another (a label inside a sentence)
        unmarked = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", "\x02", page)
        if unmarked == page:
            break
        page = unmarked
    tree = lxml_html.fromstring(page.encode())
    # <code>: the audit's action names and the columns files must have, as they are.
    for element in tree.xpath(f"//script|//style|//code|//*[@lang and @lang!='{language}']"):
        element.getparent().remove(element)
    fragments = [f for t in tree.xpath("//text()") for f in t.split("\x02")]
    fragments += [f for e in tree.iter() if isinstance(e.tag, str) for name, value in e.attrib.items()
                  if name in ("title", "aria-label", "placeholder", "alt") for f in value.split("\x02")]
    folded = stored.casefold()
    left = []
    for fragment in fragments:
        for piece in _pieces(fragment):
            piece = piece.strip(" .#§*-'\"“”«»„‘’!?")
            if not re.search(r"[A-Za-z]{3}", piece) or piece in allowed or piece.startswith(("http", "//")):
                continue
            if all(word in allowed for word in re.findall(r"[^\W\d_]+", piece)):     # "26 nov", "mar 26 nov"
                continue
            if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", stored):
                continue
            if piece == piece.lower() and piece.casefold() in folded:    # a theme's words, lower-cased
                continue
            left.append(piece)
    return left


def test_every_page_shows_no_text_that_was_not_looked_up_in_the_catalogue(client, monkeypatch):
    """Pseudo-localised pages: each message comes back marked, and what is left on the page,
    once the people's own texts (the document, which carries lang="en", names, comments) are
    taken out, is text built in English without the catalogue: an f-string in a service, a
    status code shown as it is stored, a word typed in a template."""
    from babel import Locale
    from consult.rooms.models import Room
    from sqlalchemy import select

    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda code: _Marked(real(code)) if code == "fr" else real(code))
    fr = {"Accept-Language": "fr"}
    client.post("/organiser/login", data={"csrf_token": csrf_token(client, "/organiser/login"),
                                          "email": "organiser@example.org", "password": "brussels-demo-2024"})
    client.post("/organiser/demo-activity", data={"csrf_token": csrf_token(client, "/organiser")})
    for document in (1, 2):
        client.post(f"/documents/{document}/consolidations", data={"csrf_token": csrf_token(client, "/organiser"),
                                                                  "confirm": "yes"})
    db = client.app.state.core.db
    code = db.read(lambda s: s.scalar(select(Room.code).order_by(Room.id).limit(1)))
    pages = [*PAGES, *(f"/rooms/{n}" for n in range(2, 9)), *(f"/rooms/{n}/workbench" for n in range(2, 9)),
             *(f"/documents/{d}/consolidated/1{part}" for d in (1, 2)
               for part in ("", "/print", "/plenary", "/compare?with=0")),
             "/organiser/moderation/comment/1", "/no/such/page", f"/join?code={code}"]
    answers = {path: client.get(path, headers=fr) for path in pages}
    stored = db.read(_stored_text)
    locale = Locale("fr")
    with i18n.speaking("fr"):
        allowed = {*i18n.LANGUAGES.values(), *AS_IS, "docx", "odt", "CET", "CEST",
                   *(piece.strip(".") for name in i18n.country_names().values() for piece in _pieces(name)),
                   *(w.strip(".") for table in (locale.months, locale.days) for ctx in table.values()
                     for width in ctx.values() for w in width.values())}
    left = {path: found for path, answer in answers.items()
            if (found := _not_looked_up(answer.text, stored, allowed, "fr"))}
    assert all(a.status_code in (200, 404) for a in answers.values())
    assert not left, "\n".join(f"{path}: {found}" for path, found in left.items())


def test_version_notes_stored_in_english_are_read_in_the_readers_language():
    from consult import version_notes

    with i18n.speaking("de"):
        assert version_notes.in_words("Consolidated from 4 rooms: 2 conflicts in 2 paragraphs, 1 resolved as before"
                                      "; left out: Room E") == (
            "Aus 4 Räumen konsolidiert: 2 Konflikte in 2 Absätzen, 1 wie zuvor gelöst; ausgenommen: Room E")
        assert version_notes.in_words("Resolved 1.2: conflict 1 of 2, took the wording of Room A, Room B") == (
            "1.2 gelöst: Konflikt 1 von 2, hat den Wortlaut von Room A, Room B übernommen")
        assert version_notes.in_words("Amendment 9 accepted") == "Änderungsantrag 9 angenommen"
        assert version_notes.in_words("Edited 2.1 by the organisers: a typo") == (
            "2.1 von den Veranstaltern bearbeitet: a typo")
        assert version_notes.in_words("a note in no known form") == "a note in no known form"
    with i18n.speaking("en"):
        note = "Consolidated from 3 rooms: no conflicts, 1 organisers' edit kept"
        assert version_notes.in_words(note) == note


def test_the_workbooks_words_are_the_readers_also_in_its_cells(demo):
    """Not only sheet names and headers: per-sector columns, paragraph states, the audit's roles
    and the synthesis' item kinds are written in German for a German organiser."""
    from consult.export import service
    from consult.people.actor import Actor
    from openpyxl import load_workbook

    with i18n.speaking("de"):
        path, _name = demo.snapshot(service.xlsx, Actor(organiser_id=1), "drug-violence-2024")
    wb = load_workbook(path, read_only=True)

    def column(sheet, title):
        rows = list(wb[sheet].iter_rows(values_only=True))
        return {r[rows[0].index(title)] for r in rows[1:]} - {None, ""}

    synthesis = next(wb["Synthese"].iter_rows(max_row=1, values_only=True))
    assert "Polizei und Strafverfolgung: Anteil Zustimmung" in synthesis and not any(
        "agree share" in str(c) for c in synthesis)
    assert column("Synthese", "Element") <= {"Absatz", "Änderungsantrag"}
    assert {"unverändert", "geändert"} <= column("Entwürfe", "Status") <= {"unverändert", "geändert", "eingefügt",
                                                                          "gestrichen"}
    assert column("Prüfprotokoll", "Rolle") and column("Prüfprotokoll", "Rolle") <= {
        "Veranstalter", "Berichterstattung", "System", "unbekannt"}


def test_no_message_hides_inside_an_f_string_where_extraction_cannot_see_it(sources):
    """Python 3.11 reads an f-string as one token, so `f"{_('Saved')}."` is never extracted and
    shows in English in every language; such a message must also be written somewhere the
    extractor sees it (or moved out of the f-string)."""
    import ast
    from pathlib import Path

    known = {m.id if not isinstance(m.id, tuple) else m.id[0] for m in sources if m.id}
    hidden = []
    for path in Path(i18n.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                            and call.func.id in ("_", "gettext", "ngettext", "pgettext") and call.args):
                        message = call.args[-1 if call.func.id == "pgettext" else 0]
                        if isinstance(message, ast.Constant) and message.value not in known:
                            hidden.append(f"{path.name}: {message.value!r}")
    assert not hidden, hidden


@pytest.mark.parametrize("language, said", [("fr", "« Capacité » doit être un nombre entier."),
                                             ("de", "„Kapazität“ muss eine ganze Zahl sein."),
                                             ("en", "“Capacity” must be a whole number.")])
def test_a_number_field_refused_is_named_in_words_in_the_readers_language(client, language, said):
    """A form-level message about a number names the field as its label does, never its raw name."""
    from test_organiser import sign_in
    org = sign_in(client)
    refused = client.post("/organiser/rooms", headers={"Accept-Language": language}, data={
        "csrf_token": csrf_token(org), "session_id": "1", "name": "Room", "sections": ["1"], "capacity": "abc"})
    assert refused.status_code == 422 and said in refused.text
    assert "capacity must" not in refused.text.lower() and "capacity" not in re.sub(r'name="capacity"|rm-cap', "", refused.text)
    big = client.post("/rooms/1/comments", headers={"Accept-Language": language}, data={
        "csrf_token": csrf_token(org), "paragraph_id": "9" * 30, "text": "x"})
    assert big.status_code == 422 and "paragraph_id" not in big.text
