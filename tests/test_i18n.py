"""The interface in four languages: the catalogue is complete, pages are read in the language
the browser asks for or the person chose, and that choice is remembered."""
from __future__ import annotations

import re

import pytest

from consult import catalogue, i18n
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


def test_dates_and_numbers_are_written_the_readers_way_in_the_events_zone():
    with i18n.speaking("fr"):
        assert i18n.date_time("2026-12-02T09:40:00Z", "Europe/Brussels") == "2 déc. 2026, 10:40 CET"
        assert i18n.short_time("2026-12-02T09:40:00", "Europe/Brussels") == "2 déc. 10:40"
        assert i18n.format_number(12345) == "12\u202f345"
    with i18n.speaking("de"):
        assert i18n.short_time("2026-07-02T09:40:00", "Europe/Brussels") == "2. Juli 11:40"
        assert i18n.format_number(12345.5) == "12.345,5"
    with i18n.speaking("en"):
        assert i18n.time_of_day("2026-12-02T23:40:00", "Europe/Brussels") == "00:40"


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
