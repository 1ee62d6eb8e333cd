"""An export started from a page: at once if it is written within two seconds, else a progress
bar that moves as the worker thread writes, then the file, for the person who started it only."""
from __future__ import annotations

import datetime as dt
import re
import time

from starlette.testclient import TestClient
from test_organiser import post, rapporteur_of, sign_in

from consult import clock
from consult.export import jobs, service

SLUG = "drug-violence-2024"


def slow_sheets(monkeypatch, seconds: float) -> None:
    """Each sheet takes `seconds` longer to write, as a large consultation's would."""
    write = service.write_xlsx

    def slowly(tables, path, progress=None):
        def told(sheet, sheets, name, rows):
            progress(sheet, sheets, name, rows)
            time.sleep(seconds)
        return write(tables, path, told)
    monkeypatch.setattr(service, "write_xlsx", slowly)


def bar(html: str) -> tuple[int, int] | None:
    found = re.search(r'<progress[^>]*max="(\d+)" value="(\d+)"', html)
    return (int(found.group(2)), int(found.group(1))) if found else None


def test_a_long_export_shows_a_progress_bar_that_moves_until_the_file_downloads(demo_client, monkeypatch):
    org = sign_in(demo_client)
    slow_sheets(monkeypatch, 0.4)
    started = time.monotonic()
    first = post(org, f"/e/{SLUG}/exports")
    assert first.status_code == 200 and 1.9 < time.monotonic() - started < 4
    assert "data-download" not in first.text and 'hx-trigger="every 500ms"' in first.text
    job = re.search(r'hx-get="/exports/([0-9a-f]+)"', first.text).group(1)
    seen, response = [bar(first.text)], first
    while "data-download" not in response.text:
        assert time.monotonic() - started < 30, seen
        time.sleep(0.5)
        response = org.get(f"/exports/{job}", headers={"HX-Request": "true"})
        assert response.status_code == 200
        seen.append(bar(response.text))
    steps = [s for s in seen if s]
    assert len({value for value, _ in steps}) >= 3 and steps == sorted(steps), seen
    assert steps[-1][0] < steps[-1][1] and re.search(r"Sheet \d+ of \d+", first.text)
    # The fragment that ends the polling names the file for the page's script to fetch.
    assert f'data-download="/exports/{job}/file"' in response.text and "hx-trigger" not in response.text
    workbook = org.get(f"/exports/{job}/file")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert f"consultation-{SLUG}" in workbook.headers["content-disposition"]


def test_a_quick_export_downloads_at_once(client):
    org = sign_in(client)
    response = post(org, f"/e/{SLUG}/exports")
    file = re.search(r'data-download="([^"]+)"', response.text).group(1)
    assert response.status_code == 200 and "hx-trigger" not in response.text
    assert org.get(file).content[:2] == b"PK"


def test_an_export_is_seen_and_fetched_by_the_one_who_started_it_alone(client, monkeypatch):
    org = sign_in(client)
    rita, rid = rapporteur_of(client, "K7MPQ2", org)
    response = post(rita, f"/rooms/{rid}/exports")
    assert response.status_code == 200
    job = re.search(r"/exports/([0-9a-f]+)", response.text).group(1)
    other = TestClient(client.app)
    for path in (f"/exports/{job}", f"/exports/{job}/file"):
        assert org.get(path).status_code == 404 and other.get(path).status_code == 404
    assert rita.get(f"/exports/{job}/file").status_code == 200
    # A rapporteur may not start the whole consultation's export.
    assert post(rita, f"/e/{SLUG}/exports").status_code == 403


def test_an_export_whose_process_died_stops_being_waited_for(client, monkeypatch):
    org = sign_in(client)
    # A job row whose writer never reports back (its process was killed mid-export).
    monkeypatch.setattr(service, "write_xlsx", lambda tables, path, progress=None: time.sleep(3))
    job = re.search(r'hx-get="/exports/([0-9a-f]+)"', post(org, f"/e/{SLUG}/exports").text).group(1)
    assert 'hx-trigger="every 500ms"' in org.get(f"/exports/{job}").text
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + jobs.GIVEN_UP + dt.timedelta(seconds=1))
    shown = org.get(f"/exports/{job}").text
    assert "The export failed" in shown and "hx-trigger" not in shown
