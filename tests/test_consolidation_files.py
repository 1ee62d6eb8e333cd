"""The consolidated document as files: .docx and .odt whose changes against the base are
tracked changes under the rooms' names, as LibreOffice itself reads them back, and the PDF of
the print view, with page numbers, running header and annex."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from conftest_server import IN_CI
from starlette.testclient import TestClient

pytestmark = pytest.mark.parametrize("filled_demo_app", ["sqlite"], indirect=True)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def soffice():
    found = shutil.which("soffice")
    if found is None:
        if IN_CI:
            pytest.fail("CI=true but soffice (LibreOffice) is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.fixture(scope="module")
def resolved(filled_demo_app):
    """The monitoring plan consolidated, every conflict resolved by taking the first room's text."""
    api = filled_demo_app
    token = api.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                 "password": "brussels-demo-2024"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    doc = 1
    version = api.post(f"/api/v1/documents/{doc}/consolidations", headers=headers).json()
    for p in version["paragraphs"]:
        if p["status"] == "conflict":
            version = api.post(f"/api/v1/documents/{doc}/consolidations/{version['version']}/resolutions",
                               json={"key": p["key"], "choice": f"room:{p['candidates'][0]['room_id']}"},
                               headers=headers).json()
    return api, headers, version


def convert(soffice, tmp_path, data: bytes, source: str, target: str) -> bytes:
    (tmp_path / f"in.{source}").write_bytes(data)
    # A profile of its own, so that other LibreOffice processes on the machine do not block this one.
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    target, "--outdir", str(tmp_path / "out"), str(tmp_path / f"in.{source}")],
                   check=True, capture_output=True, timeout=180)
    return (tmp_path / "out" / f"in.{target.split(':')[0]}").read_bytes()


def docx_changes(data: bytes) -> list[tuple[str, str, str]]:
    from lxml import etree
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    out = []
    for change in root.iter(f"{W}ins", f"{W}del"):
        text = "".join(t.text or "" for t in change.iter(f"{W}t", f"{W}delText"))
        if text:                                  # paragraph marks carry no text
            out.append((change.tag[len(W):], change.get(f"{W}author"), text))
    return out


def odt_changes(data: bytes) -> list[tuple[str, str]]:
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    tracked = re.search(r"<text:tracked-changes[^>]*>(.*?)</text:tracked-changes>", content, re.S)
    assert tracked, "no text:tracked-changes"
    return re.findall(r"<text:(insertion|deletion)>.*?<dc:creator>(.*?)</dc:creator>", tracked.group(1), re.S)


def expected_authors(version) -> set[str]:
    names = {q["room_name"] for p in version["paragraphs"] for q in p["proposals"]
             if p["status"] != "unchanged" and p["provenance"]["adopted_rooms"]}
    return names


def test_the_docx_tracks_each_change_under_the_room_that_made_it_and_libreoffice_reads_them(resolved, soffice,
                                                                                          tmp_path):
    api, headers, version = resolved
    response = api.get(f"/api/v1/documents/1/consolidations/{version['version']}/export.docx", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocess")
    assert f"-v{version['version']}-draft.docx" in response.headers["content-disposition"]
    changes = docx_changes(response.content)
    authors = {who for _, who, _ in changes}
    assert authors and {n for a in authors for n in a.split("; ")} <= expected_authors(version)
    deliberate = next(p for p in version["paragraphs"] if p["base_number"] == "1.1")
    winner = deliberate["provenance"]["adopted_rooms"][0]
    inserted = [t for kind, who, t in changes if kind == "ins" and who == winner]
    new_words = set(deliberate["text"].split()) - set(deliberate["base_text"].split())
    assert new_words and all(w in "".join(inserted) for w in new_words)
    # LibreOffice opens the file and keeps every change, with its author, as ODF tracked changes.
    seen = odt_changes(convert(soffice, tmp_path, response.content, "docx", "odt"))
    assert len(seen) >= len(changes) // 2 and {who for _, who in seen} == authors


def test_the_odt_has_tracked_changes_that_libreoffice_reads_and_keeps(resolved, soffice, tmp_path):
    api, headers, version = resolved
    response = api.get(f"/api/v1/documents/1/consolidations/{version['version']}/export.odt", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/vnd.oasis.opendocument.text"
    ours = odt_changes(response.content)
    assert ours and {kind for kind, _ in ours} == {"insertion", "deletion"}
    back = docx_changes(convert(soffice, tmp_path, response.content, "odt", "docx"))
    assert {who for _, who, _ in back} == {who for _, who in ours}
    assert {"ins", "del"} == {kind for kind, _, _ in back}


def test_the_odt_annex_and_conclusions_are_bulleted_lists_as_in_the_print_view(resolved, soffice, tmp_path):
    api, headers, version = resolved
    odt = api.get(f"/api/v1/documents/1/consolidations/{version['version']}/export.odt", headers=headers).content
    (tmp_path / "v.pdf").write_bytes(convert(soffice, tmp_path, odt, "odt", "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "v.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    annex = text[text.index("Annex: provenance of each paragraph"):]
    lines = [line.strip() for line in annex.splitlines() if "lost a conflict to" in line]
    assert lines and all(line.startswith("•") for line in lines), lines
    conclusions = text[text.index("Conclusions of the rooms"):text.index("Annex: provenance")]
    assert "•" in conclusions and "• •" not in conclusions


def test_the_provenance_summary_gives_support_only_where_amendments_were_adopted(resolved):
    api, _, version = resolved
    from test_organiser import sign_in
    page = sign_in(TestClient(api.app)).get(f"/documents/1/consolidated/{version['version']}").text
    summaries = [s.strip() for s in re.findall(r"<summary>Provenance: (.*?)</summary>", page, re.S)]
    base = [s for s in summaries if s.startswith("Base text")]
    adopted = [s for s in summaries if "adopted" in s and not s.startswith("Base text") and "0 amendments" not in s]
    assert base and all("support" not in s for s in base), base
    assert adopted and all(re.search(r"support \d+ agree, \d+ disagree", s) for s in adopted), adopted


def test_the_pdf_is_the_print_view_with_page_numbers_header_and_annex(resolved, tmp_path):
    api, headers, version = resolved
    response = api.get(f"/api/v1/documents/1/consolidations/{version['version']}/export.pdf", headers=headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (tmp_path / "v.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "v.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 2
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert f"{version['document_title']} · version {version['version']}" in page   # the running header
    assert "Annex: provenance of each paragraph" in text and "lost a conflict to" in text

    from test_organiser import sign_in
    org = sign_in(TestClient(api.app))
    marked = org.get(f"/documents/1/consolidated/{version['version']}/print").text
    plain = org.get(f"/documents/1/consolidated/{version['version']}/print?marks=off").text
    assert "<ins>" in marked and "<del>" in marked and '<span class="ln"' in marked
    assert "<ins>" not in plain and "<del>" not in plain and "Annex: provenance of each paragraph" in plain


def test_files_of_an_unpublished_version_are_for_organisers_and_of_a_published_one_for_everyone(resolved):
    api, headers, version = resolved
    path = f"/api/v1/documents/1/consolidations/{version['version']}/export"
    anonymous = TestClient(api.app)
    for kind in ("pdf", "docx", "odt"):
        assert anonymous.get(f"{path}.{kind}").status_code == 404
    assert api.get("/api/v1/documents/1/consolidations/999/export.docx", headers=headers).status_code == 404
    assert api.post(f"/api/v1/documents/1/consolidations/{version['version']}/publish",
                    headers=headers).status_code == 200
    published = anonymous.get(f"{path}.docx")
    assert published.status_code == 200 and "-published.docx" in published.headers["content-disposition"]
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {f"/api/v1/documents/{{document_id}}/consolidations/{{version}}/export.{k}"
            for k in ("pdf", "docx", "odt")} <= set(paths)


def test_the_docx_and_odt_name_each_rooms_rapporteur_under_its_conclusions_as_print_does(resolved):
    api, headers, version = resolved
    rooms = [r for s in version["conclusions"] for r in s["rooms"]]
    assert rooms and all(r["rapporteurs"] for r in rooms)
    url = f"/api/v1/documents/1/consolidations/{version['version']}/export"
    docx = zipfile.ZipFile(io.BytesIO(api.get(f"{url}.docx", headers=headers).content)).read("word/document.xml")
    odt = zipfile.ZipFile(io.BytesIO(api.get(f"{url}.odt", headers=headers).content)).read("content.xml")
    for text in (docx.decode(), odt.decode()):
        conclusions = text[text.index("Conclusions of the rooms"):text.index("Annex: provenance")]
        for r in rooms:
            assert f"Rapporteur: {', '.join(r['rapporteurs'])}" in conclusions


def test_the_docx_and_odt_are_written_in_the_readers_language(resolved):
    """A French organiser's files: headings, the footer, the provenance annex and the note on
    tracked changes in French (the file is built off the event loop, in the request's language);
    the document's own text stays as the rooms wrote it."""
    api, headers, version = resolved
    fr = {**headers, "Accept-Language": "fr"}
    url = f"/api/v1/documents/1/consolidations/{version['version']}/export"
    docx = zipfile.ZipFile(io.BytesIO(api.get(f"{url}.docx", headers=fr).content))
    odt = zipfile.ZipFile(io.BytesIO(api.get(f"{url}.odt", headers=fr).content))
    body = docx.read("word/document.xml").decode() + odt.read("content.xml").decode()
    footers = "".join(docx.read(n).decode() for n in docx.namelist() if "footer" in n) + odt.read("styles.xml").decode()
    assert body.count("Annexe : provenance de chaque paragraphe") == 2 and "Conclusions des salles" in body
    assert "a proposé un nouveau texte" in body and "Version consolidée" in body
    assert "Page " in footers and " sur " in footers and " of " not in footers
    for english in ("Annex: provenance", "proposed a new text", "Consolidated version", "Conclusions of the rooms",
                    "Rapporteur: ", "Changes against the base text"):
        assert english not in body, english
    paragraph = next(p for p in version["paragraphs"] if p["status"] == "unchanged")
    assert paragraph["text"][:40] in body


ENGLISH_SECTORS = ("Law enforcement", "Health services", "Social services", "Local authority", "Policymaker",
                   "Civil society")


def test_the_authors_in_the_provenance_are_in_the_readers_language(resolved):
    """A version keeps who wrote each amendment and comment behind a paragraph as parts (name,
    sector, country), so that a French reader's page, print view and files say « Services de
    santé, PT », not the label in the language the version was built in ("Health services, PT")."""
    from web_helpers import csrf_token
    api, headers, version = resolved
    fr = {**headers, "Accept-Language": "fr"}
    url = f"/api/v1/documents/1/consolidations/{version['version']}/export"
    docx = zipfile.ZipFile(io.BytesIO(api.get(f"{url}.docx", headers=fr).content)).read("word/document.xml").decode()
    odt = zipfile.ZipFile(io.BytesIO(api.get(f"{url}.odt", headers=fr).content)).read("content.xml").decode()
    browser = TestClient(api.app, headers={"Accept-Language": "fr"})
    browser.post("/organiser/login", data={"csrf_token": csrf_token(browser, "/organiser/login"),
                                           "email": "organiser@example.org", "password": "brussels-demo-2024"})
    page = browser.get(f"/documents/1/consolidated/{version['version']}").text
    annex = browser.get(f"/documents/1/consolidated/{version['version']}/print").text
    for name, text in (("docx", docx), ("odt", odt), ("page", page), ("print", annex)):
        assert "Services de santé" in text, name
        assert [s for s in ENGLISH_SECTORS if f"{s}, " in text] == [], name


def test_the_audit_log_says_which_text_a_resolution_took(resolved):
    from web_helpers import csrf_token
    api, headers, version = resolved
    browser = TestClient(api.app)
    browser.post("/organiser/login", data={"csrf_token": csrf_token(browser, "/organiser/login"),
                                           "email": "organiser@example.org", "password": "brussels-demo-2024"})
    log = browser.get("/organiser/audit").text
    assert re.search(r"Resolved a conflict in Monitoring plan [^<]*: Resolved \d\.\d: took the text of Room [A-H]", log)
    assert "choice: room:" not in log
