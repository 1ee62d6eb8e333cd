"""Merge the rooms' working texts of one document, paragraph by paragraph: pure, no I/O.

Each room's text of a base paragraph is compared with the base as a shortest token-level
edit script (see textdiff), and the rooms' edits are merged:

- a room whose text lies on a shortest edit path from the base to another room's text made
  a subset of that room's changes: it is *contained*, the larger text is taken, and both
  rooms back it;
- edits of different rooms that do not clash are all applied, each once, however the diffs
  happened to group them: identical edits are one edit;
- edits clash when they replace overlapping words, when an insertion touches another room's
  replaced or deleted words, or when two rooms insert different words at one point (their
  order is unknowable). Edits to adjacent words do not clash: each word is still taken once;
- a cluster of clashing edits that the containment rule cannot settle is a *hunk*: the
  smallest region of the paragraph in dispute, with every room's alternative for it.
  Alternatives that differ only by case, white space or final punctuation are one option.

Deleting a paragraph against another room's change is one hunk over the whole paragraph.
Paragraphs a room inserted follow the base paragraph they were inserted after, in the
order rooms are listed; insertions with the same normalised text are one paragraph."""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from consult.textdiff import DELETE, EQUAL, aligned_diff, distance, is_word, tokens, word_key


@dataclass(frozen=True)
class RoomText:
    room_id: int
    text: str
    deleted: bool = False
    amendment_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Edit:
    start: int                    # base token index
    end: int                      # exclusive; start == end is an insertion
    replacement: tuple[str, ...]


@dataclass
class Alternative:
    text: str | None              # the hunk's words in this option; None deletes the paragraph
    rooms: list[int]
    variants: list[dict] = field(default_factory=list)  # [{text, rooms}] when it groups near-identical texts


@dataclass
class Hunk:
    base: str                     # the base words in dispute ("" where rooms insert at one point)
    alternatives: list[Alternative]


Segment = str | Hunk


@dataclass
class Merged:
    key: str                      # "p<base id>" or "i<room>-<n>" for inserted paragraphs
    base_paragraph_id: int | None
    after: int | None             # for inserted: the base paragraph it follows
    base_text: str | None
    text: str | None              # None while a hunk is unresolved
    status: str                   # unchanged, changed, conflict, inserted, deleted
    rooms: list[int] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)  # conflict: every room's whole text, for context
    amendment_ids: list[int] = field(default_factory=list)  # inserted: the amendments that inserted it
    segments: list[Segment] = field(default_factory=list)  # conflict: merged text and hunks in order
    variants: list[dict] = field(default_factory=list)      # inserted: near-identical texts grouped here


def normalised(text: str) -> str:
    """What makes two wordings the same option: case, white space and final punctuation aside."""
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return folded.rstrip(".,;:!?…。、！？ ")


def edits(base: Sequence[str], new: Sequence[str]) -> list[Edit]:
    """The changes from base to new tokens as replacements of base token ranges, each pure
    insertion or deletion slid as far left as it goes, so that the same change made by two
    rooms is recognised as the same edit whatever else they changed."""
    out: list[Edit] = []
    position, start, replacement, changing = 0, 0, [], False
    for op, run in aligned_diff(base, new):
        if op == EQUAL:
            if changing:
                out.append(_slid(base, Edit(start, position, tuple(replacement)), out[-1].end if out else -1))
                changing, replacement = False, []
            position += len(run)
            continue
        if not changing:
            start, changing = position, True
        if op == DELETE:
            position += len(run)
        else:
            replacement.extend(run)
    if changing:
        out.append(_slid(base, Edit(start, position, tuple(replacement)), out[-1].end if out else -1))
    return out


def _slid(base: Sequence[str], edit: Edit, previous_end: int) -> Edit:
    """Slide a pure insertion or deletion left while the text stays the same, keeping at least
    one unchanged token between it and the room's previous edit."""
    start, end, repl = edit.start, edit.end, edit.replacement
    if start == end:
        while start - 1 > previous_end and repl and base[start - 1] == repl[-1]:
            start, end, repl = start - 1, end - 1, (base[start - 1], *repl[:-1])
    elif not repl:
        while start - 1 > previous_end and base[start - 1] == base[end - 1]:
            start, end = start - 1, end - 1
    return Edit(start, end, repl)


def _words(run: Sequence[str]) -> set[str]:
    return {word_key(t).casefold() for t in run if is_word(t)}


def _clash(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start <= a.start <= b.end
    if b.start == b.end:
        return a.start <= b.start <= a.end
    if a.end == b.start or b.end == a.start:
        # Adjacent replacements merge, unless they bring in a word in common: then it may be
        # one insertion that two diffs folded into different neighbours, and taking both
        # would print it twice.
        return bool(_words(a.replacement) & _words(b.replacement))
    return a.start < b.end and b.start < a.end


def _apply(base: Sequence[str], start: int, end: int, changes: Iterable[Edit]) -> tuple[str, ...]:
    out, position = [], start
    for edit in sorted(changes, key=lambda e: (e.start, e.end)):
        out.extend(base[position:edit.start])
        out.extend(edit.replacement)
        position = edit.end
    out.extend(base[position:end])
    return tuple(out)


class _Clusters:
    """Union-find over edits: clashing edits end up in one cluster."""

    def __init__(self, count: int):
        self.parent = list(range(count))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


class _Keys:
    """A text as the two sequences containment is judged on: its tokens without their white
    space (a word that lost its trailing space at the paragraph's end is that word), and its
    words alone; with their counts, for a quick bound."""

    def __init__(self, text: Sequence[str]):
        self.tokens = [word_key(t) for t in text]
        self.words = [k for k, t in zip(self.tokens, text) if is_word(t)]
        self.counts = (Counter(self.tokens), Counter(self.words))

    def steps(self, other: "_Keys") -> tuple[int, int]:
        return distance(self.tokens, other.tokens), distance(self.words, other.words)

    def at_least(self, other: "_Keys") -> tuple[int, ...]:
        """A lower bound of steps(): every token one has more of must be inserted or deleted."""
        return tuple(sum(((a - b) + (b - a)).values()) for a, b in zip(self.counts, other.counts))


def _containers(base: Sequence[str], texts: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """For each text, the texts that contain it: it lies on a shortest path from the base to
    them, word for word as well as token for token. Of two texts that differ only in white
    space, the one sorted first is contained in the other."""
    origin = _Keys(base)
    keys = {t: _Keys(t) for t in texts}
    reach = {t: origin.steps(k) for t, k in keys.items()}
    order = sorted(reach, key=lambda t: (reach[t], t))
    inside: dict[tuple[str, ...], list[tuple[str, ...]]] = {t: [] for t in order}
    for i, small in enumerate(order):
        for large in order[i + 1:]:
            if _on_path(keys[small], keys[large], reach[small], reach[large]):
                inside[small].append(large)
    return inside


def _on_path(small: _Keys, large: _Keys, to_small: tuple[int, int], to_large: tuple[int, int]) -> bool:
    gap = tuple(t - r for t, r in zip(to_large, to_small))
    if min(gap) < 0 or any(bound > g for bound, g in zip(small.at_least(large), gap)):
        return False
    return small.steps(large) == gap


def contains(base: Sequence[str], part: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether all of part's changes to base are among whole's: part lies on a shortest path
    from base to whole (the merge's rule of containment), however a diff would align them."""
    small, large = _Keys(part), _Keys(whole)
    if small.tokens == large.tokens:
        return True
    origin = _Keys(base)
    return _on_path(small, large, origin.steps(small), origin.steps(large))


def _options(spans: dict[tuple[str, ...], list[int]]) -> list[Alternative]:
    """Alternatives for a hunk: near-identical wordings grouped, the most backed wording first."""
    groups: dict[str, list[tuple[str, list[int]]]] = {}
    for span, rooms in spans.items():
        text = "".join(span)
        groups.setdefault(normalised(text), []).append((text, rooms))
    options = []
    for variants in groups.values():
        variants.sort(key=lambda v: (-len(v[1]), v[1], v[0]))
        rooms = sorted({r for _, rs in variants for r in rs})
        listed = [{"text": t, "rooms": rs} for t, rs in variants] if len(variants) > 1 else []
        options.append(Alternative(variants[0][0], rooms, listed))
    return sorted(options, key=lambda o: (-len(o.rooms), o.rooms, o.text))


def merge(base: str, texts: Sequence[tuple[int, str]]) -> list[Segment]:
    """Merge rooms' changed versions of base: the merged text as plain pieces, and hunks where
    rooms' edits clash. Pieces and hunks follow the text's order; joining the pieces and one
    alternative of each hunk gives a paragraph."""
    base_tokens = tokens(base)
    by_text: dict[tuple[str, ...], list[int]] = {}
    for room_id, text in texts:
        by_text.setdefault(tuple(tokens(text)), []).append(room_id)
    by_text.pop(tuple(base_tokens), None)
    if not by_text:
        return [base]
    inside = _containers(base_tokens, by_text)
    maximal = {t: sorted(set(rooms)) for t, rooms in by_text.items() if not inside[t]}
    # A contained room backs a text where it changed the same region of the paragraph.
    contained = {t: (edits(base_tokens, t), by_text[t]) for t in by_text if inside[t]}
    # Every distinct edit once, with the texts that make it.
    nodes: dict[Edit, set[tuple[str, ...]]] = {}
    for text in maximal:
        for edit in edits(base_tokens, text):
            nodes.setdefault(edit, set()).add(text)
    ordered = sorted(nodes, key=lambda e: (e.start, e.end, e.replacement))
    clusters = _Clusters(len(ordered))
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if b.start > a.end:
                break
            if _clash(a, b):
                clusters.join(i, j)
    members: dict[int, list[Edit]] = {}
    for i, edit in enumerate(ordered):
        members.setdefault(clusters.find(i), []).append(edit)
    out: list[Segment] = []
    position = 0
    for group in sorted(members.values(), key=lambda g: (min(e.start for e in g), max(e.end for e in g))):
        start, end = min(e.start for e in group), max(e.end for e in group)
        out.append("".join(base_tokens[position:start]))
        position = end
        spans: dict[tuple[str, ...], list[int]] = {}
        for text, rooms in maximal.items():
            own = [e for e in group if text in nodes[e]]
            if own:
                span = _apply(base_tokens, start, end, own)
                backers = [r for small, (changes, small_rooms) in contained.items() if text in inside[small]
                           and any(c.start <= end and start <= c.end for c in changes) for r in small_rooms]
                spans[span] = sorted({*spans.get(span, []), *rooms, *backers})
        settled = _settle(base_tokens[start:end], spans)
        if settled is not None:
            out.append("".join(settled))
        else:
            out.append(Hunk("".join(base_tokens[start:end]), _options(spans)))
    out.append("".join(base_tokens[position:]))
    return _joined(out)


def _settle(base: list[str], spans: dict[tuple[str, ...], list[int]]) -> tuple[str, ...] | None:
    """The one wording a cluster's rooms agree on, directly or by containment, else None."""
    if len(spans) == 1:
        return next(iter(spans))
    tops = [t for t, containers in _containers(base, spans).items() if not containers]
    return tops[0] if len(tops) == 1 else None


def _joined(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if isinstance(s, str) and out and isinstance(out[-1], str):
            out[-1] += s
        elif s != "":
            out.append(s)
    return out or [""]


def text_of(segments: Sequence[Segment]) -> str | None:
    """The merged paragraph, or None while it has a hunk."""
    if any(isinstance(s, Hunk) for s in segments):
        return None
    return "".join(segments)


def merge_texts(base: str, texts: list[str]) -> str | None:
    """Word-level merge of several changed versions of base, or None where they clash."""
    return text_of(merge(base, list(enumerate(texts))))


def merge_paragraph(base_id: int, base: str, versions: list[RoomText]) -> Merged:
    changed = [v for v in versions if v.deleted or v.text != base]
    merged = Merged(f"p{base_id}", base_id, None, base, base, "unchanged")
    if not changed:
        return merged
    merged.rooms = sorted({v.room_id for v in changed})
    deleted = sorted({v.room_id for v in changed if v.deleted})
    rewritten = [(v.room_id, v.text) for v in changed if not v.deleted]
    if deleted and not rewritten:
        merged.text, merged.status = None, "deleted"
        return merged
    segments = merge(base, rewritten)
    if deleted:
        # Keeping a paragraph and deleting it cannot both happen: one hunk over all of it.
        kept = text_of(segments)
        options = ([Alternative(kept, sorted({r for r, _ in rewritten}))] if kept is not None else
                   _options({tuple(tokens(t)): sorted({r for r, u in rewritten if u == t})
                             for _, t in rewritten}))
        segments = [Hunk(base, [*options, Alternative(None, deleted)])]
    merged.text = text_of(segments)
    if merged.text is None:
        merged.status, merged.segments = "conflict", segments
        merged.candidates = [{"room_id": v.room_id, "text": None if v.deleted else v.text, "deleted": v.deleted}
                             for v in sorted(changed, key=lambda v: v.room_id)]
    else:
        merged.status = "unchanged" if merged.text == base else "changed"
    return merged


def merge_document(base: list[tuple[int, str]], rooms: dict[int, list[dict]],
                   order: Sequence[int] | None = None) -> list[Merged]:
    """base: the document's paragraphs in order, as (id, text). rooms: each room's working
    paragraphs (the drafting feature's content), in the room's order; a room that does not work
    on a paragraph simply has no entry for it. order: how rooms are listed (default: by id);
    inserted paragraphs follow it."""
    by_base: dict[int, list[RoomText]] = {}
    inserted: dict[int, dict[str, Merged]] = {}
    for room_id in (order if order is not None else sorted(rooms)):
        for p in rooms.get(room_id, []):
            if p.get("base_paragraph_id") is not None:
                by_base.setdefault(p["base_paragraph_id"], []).append(
                    RoomText(room_id, p["text"], bool(p.get("deleted"))))
            elif not p.get("deleted") and p["text"].strip():
                after = inserted.setdefault(p["after"], {})
                same = after.get(normalised(p["text"]))
                if same is None:
                    same = after[normalised(p["text"])] = Merged(
                        f"i{room_id}-{p['id']}", None, p["after"], None, p["text"], "inserted")
                if room_id not in same.rooms:
                    same.rooms.append(room_id)
                variant = next((v for v in same.variants if v["text"] == p["text"]), None)
                if variant is None:
                    same.variants.append(variant := {"text": p["text"], "rooms": []})
                if room_id not in variant["rooms"]:
                    variant["rooms"].append(room_id)
                if p.get("amendment_id"):
                    same.amendment_ids.append(p["amendment_id"])
    for after in inserted.values():
        for m in after.values():
            # The wording most rooms wrote; on a tie, the first room's.
            m.text = max(m.variants, key=lambda v: len(v["rooms"]))["text"]
            if len(m.variants) == 1:
                m.variants = []
    out = []
    for base_id, text in base:
        out.append(merge_paragraph(base_id, text, by_base.get(base_id, [])))
        out.extend(inserted.get(base_id, {}).values())
    return out
