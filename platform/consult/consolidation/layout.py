"""A consolidated version laid out as a document to hand over: pure, no I/O.

The print view, the PDF, the .docx and the .odt are all written from this one layout, so they
show the same numbers, the same changes (each attributed to the rooms that made them, or to the
organisers) and the same provenance annex as the page and the API."""
from __future__ import annotations

from dataclasses import dataclass, field

from consult import tallies
from consult.access import byline
from consult.amendments.models import KIND_WORDS
from consult.consolidation.provenance import ORGANISERS, change_authors
from consult.markdown import CITATION, cited
from consult.i18n import N_, _, ngettext
from consult.textdiff import DELETE, EQUAL, INSERT, tokens

LINE_CHARS = 96          # characters per numbered line in print: fills A4 at 10.5 pt without wrapping
CONFLICT = 2             # a run that is an open conflict hunk: its alternatives, not yet a text


@dataclass(frozen=True)
class Run:
    op: int              # textdiff EQUAL, DELETE or INSERT, or CONFLICT
    text: str
    author: str = ""
    options: tuple[tuple[str, str], ...] = ()   # CONFLICT: (rooms, their words) for each alternative

    @property
    def shown(self) -> str:
        """The run as one reads it: an open conflict as its alternatives in brackets."""
        if self.op != CONFLICT or not self.options:
            return self.text
        return "[" + " | ".join(f"{rooms}: {words}" for rooms, words in self.options) + "]" + _tail(self.text)


def _tail(text: str) -> str:
    return text[len(text.rstrip()):]


@dataclass
class Paragraph:
    key: str
    number: str
    status: str
    runs: list[Run]                           # the text against the base, changes attributed
    alternatives: list[tuple[str, str]] = field(default_factory=list)   # an open conflict: (rooms, text)
    annex: list[str] = field(default_factory=list)

    @property
    def changed_by(self) -> list[str]:
        """Everyone a change in this paragraph is attributed to, each once."""
        names = [n for r in self.runs if r.op in (DELETE, INSERT) for n in r.author.split("; ")]
        return list(dict.fromkeys(names))

    @property
    def final(self) -> list[Run]:
        """The text as it now reads, without change marks."""
        return [r if r.op == CONFLICT else Run(EQUAL, r.text) for r in self.runs if r.op != DELETE]


@dataclass
class Section:
    number: str
    title: str
    paragraphs: list[Paragraph]


@dataclass
class Layout:
    event: str
    title: str
    version: int
    status: str                               # "Published 2 Dec 2026, 09:10 CET" or "Draft …"
    header: str                               # the running header
    sections: list[Section]
    conclusions: list[dict]
    authors: list[str]                        # everyone a change is attributed to


def _hunk_runs(p: dict) -> list[Run]:
    """A paragraph in conflict as its merged text: resolved hunks as changes by whoever's words
    were chosen, open ones as their alternatives."""
    by_id = {h["id"]: h for h in p["hunks"]}
    out = []
    for segment in p["segments"]:
        if "text" in segment:
            out.append(Run(EQUAL, segment["text"]))
            continue
        h = by_id[segment["hunk"]]
        if h["resolution"] is None:
            options = tuple((", ".join(a["room_names"]), _("delete the paragraph") if a["text"] is None
                             else a["text"].strip() or _("remove these words")) for a in h["alternatives"])
            out.append(Run(CONFLICT, h["base"], "", options))
            continue
        words = h["resolution"]["text"] or ""
        if words == h["base"]:
            out.append(Run(EQUAL, words))
            continue
        who = next((", ".join(a["room_names"]) for a in h["alternatives"] if a["text"] == words), _(ORGANISERS))
        out += [Run(op, text, who.replace(", ", "; ")) for op, text in ((DELETE, h["base"]), (INSERT, words)) if text]
    return out


def runs_of(p: dict) -> list[Run]:
    """The paragraph against the base, as attributed runs."""
    if p["status"] == "conflict":
        return _hunk_runs(p) if p.get("segments") else [Run(EQUAL, p.get("base_text") or "")]
    if p["status"] == "unchanged":
        return [Run(EQUAL, p["text"])]
    return [Run(op, text, who) for op, text, who in
            change_authors(p.get("base_text"), p.get("text"), p.get("proposals") or [])]


def _alternatives(p: dict) -> list[tuple[str, str]]:
    """A conflict without hunks: every room's whole text."""
    if p["status"] != "conflict" or p.get("segments"):
        return []
    return [(c["room_name"], _("(deletes the paragraph)") if c["deleted"] else c["text"]) for c in p.get("candidates", [])]


ADOPTION = {"yes": N_("adopted"), "partly": N_("partly adopted"), "no": N_("not adopted"), "pending": N_("in conflict")}


def annex(p: dict) -> list[str]:
    """The provenance of one paragraph as sentences, the same facts as on the page."""
    pr = p["provenance"]
    out = []
    for r in pr["rooms"]:
        said = (_("%(room)s proposed deleting the paragraph: %(outcome)s", room=r["room_name"], outcome=_(ADOPTION[r["adopted"]]))
                if r["proposed"] == "deletion" else
                _("%(room)s proposed a new text: %(outcome)s", room=r["room_name"], outcome=_(ADOPTION[r["adopted"]])))
        # An open conflict's outcome already says so; its reason would say it twice.
        out.append(said + (f" ({r['reason']})." if r["reason"] and r["adopted"] != "pending" else "."))
    if pr["organisers"]:
        notes = "; ".join(e["note"] for e in pr["edits"])
        out.append(f"{pr['organisers'][:1].upper()}{pr['organisers'][1:]}" + (f": {notes}." if notes else "."))
    resolution = p.get("resolution")
    if resolution and resolution.get("note"):
        out.append(_("Conflict resolved: %(note)s", note=resolution["note"]))
    for a in pr["amendments"]:
        out.append(_("Amendment %(id)s (%(room)s, %(kind)s): %(outcome)s; %(tally)s.", id=a["id"], room=a["room_name"],
                     kind=_(KIND_WORDS[a["kind"]]), outcome=_(ADOPTION[a["adopted"]]), tally=tallies.votes(a["tally"])))
    for a in pr["not_adopted"]:
        out.append(_("Amendment %(id)s (%(room)s, %(kind)s): not adopted, %(reason)s.", id=a["id"], room=a["room_name"],
                     kind=_(KIND_WORDS[a["kind"]]), reason=a["reason"]))
    if pr["amendments"]:
        out.append(ngettext("Support behind the adopted text: %(tally)s (%(num)s amendment).",
                            "Support behind the adopted text: %(tally)s (%(num)s amendments).", pr["support"]["amendments"],
                            tally=tallies.votes(pr["support"])))
    for c in pr["comments"]:
        out.append(_("Comment %(id)s (%(room)s, %(author)s, %(support)s) taken into account: “%(text)s”",
                     id=c["id"], room=c["room_name"], author=byline(c), support=tallies.support(c["support"]),
                     text=c["text"]))
    if pr["base_number"] != p["number"]:
        out.append(_("Number in the base document: %(number)s.", number=pr["base_number"]))
    return out


def layout(v: dict, event_title: str) -> Layout:
    sections: list[Section] = []
    authors: set[str] = set()
    for p in v["paragraphs"]:
        if not sections or sections[-1].title != p["section_title"]:
            sections.append(Section(p["base_number"].split(".")[0], p["section_title"], []))
        runs = runs_of(p)
        paragraph = Paragraph(p["key"], p["number"] or f"({p['base_number']})", p["status"], runs,
                              _alternatives(p), annex(p))
        authors |= set(paragraph.changed_by)
        sections[-1].paragraphs.append(paragraph)
    when = (_("Published %(when)s", when=v["published_at_local"]) if v["published"]
            else _("Draft of %(when)s", when=v["created_at_local"]))
    header = f"{event_title} · {v['document_title']} · {_('version %(n)s', n=v['version'])} · {when}"
    return Layout(event_title, v["document_title"], v["version"], when, header, sections, v["conclusions"],
                  sorted(authors))


def plain_conclusions(source: str | None) -> list[tuple[str, str]]:
    """A room's Markdown conclusions for a word processor: ("bullet" | "text", text) blocks,
    emphasis marks dropped and citations (#a5, #c12) spelt out."""
    if not source:
        return [("text", _("No conclusions written."))]
    out = []
    for line in source.splitlines():
        line = CITATION.sub(lambda m: cited(m.group(1), m.group(2)), line.strip())
        line = line.replace("**", "").replace("__", "")
        if line.startswith(("- ", "* ")):
            out.append(("bullet", line[2:]))
        elif line:
            out.append(("text", line.lstrip("#").strip()))
    return out


def lines(runs: list[Run], width: int = LINE_CHARS) -> list[list[Run]]:
    """Runs broken into numbered lines at word boundaries, as a printed motion is."""
    out: list[list[Run]] = [[]]
    used = 0
    for run in runs:
        if run.op == CONFLICT and len(run.shown) <= width:      # an open conflict stays in one piece
            if used and used + len(run.shown) > width:
                out.append([])
                used = 0
            out[-1].append(run)
            used += len(run.shown)
            continue
        if run.op == CONFLICT:      # too long for a line: wrapped at words, still marked as the conflict
            run = Run(CONFLICT, run.shown)
        for word in tokens(run.text):
            # Break before a word, never before punctuation or a space.
            if used + len(word) > width and used and (word[0].isalnum() or word[0] == "_"):
                out.append([])
                used = 0
            if not out[-1] and word.isspace():
                continue
            line = out[-1]
            if line and line[-1].op == run.op and line[-1].author == run.author:
                line[-1] = Run(run.op, line[-1].text + word, run.author)
            else:
                line.append(Run(run.op, word, run.author))
            used += len(word)
    return [line for line in out if line] or [[]]

