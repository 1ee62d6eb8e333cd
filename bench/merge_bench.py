"""The merge at scale, and how many conflicts it leaves, against the merge it replaced.

    .venv/bin/python bench/merge_bench.py [--seed N] [--repeat N]

1. 20 rooms x one 2,000-word paragraph, each room with mixed edits (word replacements,
   insertions, deletions; some shared with other rooms): time of one merge.
2. A whole document (the demo's monitoring plan) with 8 rooms: time of merge_document.
3. A generated six-room section (the demo's "Core indicators", four paragraphs) in which the
   rooms make the kind of independent changes rooms make, plus a few genuine clashes:
   paragraphs in conflict and the share of their words in dispute, for the merge before this
   rewrite (read from git at BEFORE, as it was) and now.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from consult.consolidation.merge import Hunk, merge, merge_document  # noqa: E402
from consult.demo.content import DOCUMENTS  # noqa: E402

BEFORE = "ae5a4d2"   # the last commit with the whole-paragraph merge
VOCABULARY = ("robust comparable timely anonymised regional municipal sectoral focused shared verified "
              "confidential independent systematic quarterly national cross-border").split()


def edit_words(words: list[str], rnd: random.Random, rate: float, shared: list[tuple[str, int, str]]) -> list[str]:
    """A room's rewrite: its own edits at `rate` per word, plus the shared edits it takes."""
    out = list(words)
    for kind, at, word in shared:
        if at < len(out):
            if kind == "replace":
                out[at] = word
            elif kind == "insert":
                out[at] = f"{word} {out[at]}"
    for i in range(len(out)):
        roll = rnd.random()
        if roll < rate / 3:
            out[i] = rnd.choice(VOCABULARY)
        elif roll < 2 * rate / 3:
            out[i] = f"{out[i]} {rnd.choice(VOCABULARY)}"
        elif roll < rate:
            out[i] = ""
    return [w for w in out if w]


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def big_paragraph(rnd: random.Random, repeat: int) -> None:
    words = [rnd.choice(VOCABULARY + "data police health report market violence the of and".split())
             for _ in range(2000)]
    base = " ".join(words)
    shared = [(rnd.choice(["replace", "insert"]), rnd.randrange(2000), rnd.choice(VOCABULARY)) for _ in range(30)]
    texts = [(r, " ".join(edit_words(words, rnd, 0.01, rnd.sample(shared, 10)))) for r in range(20)]
    seconds, segments = timed(lambda: merge(base, texts), repeat)
    hunks = [s for s in segments if isinstance(s, Hunk)]
    print(f"20 rooms x 2,000-word paragraph: {seconds * 1000:.0f} ms per merge (median of {repeat}), "
          f"{len(hunks)} hunks, {sum(len(h.base.split()) for h in hunks)} of 2,000 words in dispute")


def document_rooms(rnd: random.Random, rooms: int, rate: float):
    document = DOCUMENTS[0]
    base, drafts, pid = [], {r: [] for r in range(1, rooms + 1)}, 0
    for section in document["sections"]:
        for text in section["paragraphs"]:
            pid += 1
            base.append((pid, text))
            shared = [("replace", rnd.randrange(len(text.split())), rnd.choice(VOCABULARY))]
            for r in drafts:
                words = edit_words(text.split(), rnd, rate, shared if rnd.random() < 0.5 else [])
                drafts[r].append({"id": f"p{pid}", "base_paragraph_id": pid, "text": " ".join(words),
                                  "deleted": False})
            if rnd.random() < 0.3:
                drafts[rnd.randint(1, rooms)].append({"id": f"i{pid}", "base_paragraph_id": None, "after": pid,
                                                      "text": "The Agency shall publish the figures.",
                                                      "deleted": False})
    return base, drafts


def whole_document(rnd: random.Random, repeat: int) -> None:
    base, drafts = document_rooms(rnd, 8, 0.01)
    words = sum(len(t.split()) for _, t in base)
    seconds, merged = timed(lambda: merge_document(base, drafts), repeat)
    print(f"whole document, {len(base)} paragraphs ({words} words) x 8 rooms: {seconds * 1000:.0f} ms "
          f"(median of {repeat}), {sum(m.status == 'conflict' for m in merged)} paragraphs with hunks")


def six_room_section(rnd: random.Random) -> list[tuple[str, list[tuple[int, str]]]]:
    """Four paragraphs, six rooms: independent edits (a qualifier here, a phrase there, a
    sentence deleted), a change two rooms share, and one genuine clash per paragraph at most."""
    paragraphs = DOCUMENTS[0]["sections"][1]["paragraphs"]
    out = []
    for text in paragraphs:
        sentences = text.split(". ")
        words = text.split(" ")
        rooms = []
        for r in range(1, 7):
            roll = rnd.random()
            new = list(words)
            if roll < 0.25:                      # a qualifier before a word
                at = rnd.randrange(len(new))
                new[at] = f"{rnd.choice(VOCABULARY)} {new[at]}"
            elif roll < 0.45:                    # a phrase after a comma-free word
                at = rnd.randrange(len(new))
                new[at] = f"{new[at]} and their families"
            elif roll < 0.6 and len(sentences) > 1:   # a sentence deleted
                cut = rnd.randrange(1, len(sentences))
                new = ". ".join(s for i, s in enumerate(sentences) if i != cut).split(" ")
            elif roll < 0.8:                     # a change another room makes too
                new[3] = "focused"
            else:                                # a word rewritten (may clash)
                new[-4] = rnd.choice(VOCABULARY)
            rooms.append((r, " ".join(new)))
        out.append((text, rooms))
    return out


def old_merge_module():
    """The merge as it was at BEFORE, with the text diff it used, loaded from git."""
    folder = Path(tempfile.mkdtemp())
    for name, path in (("old_textdiff", "platform/consult/textdiff.py"),
                       ("old_merge", "platform/consult/consolidation/merge.py")):
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE}:{path}"], capture_output=True,
                                text=True, check=True).stdout
        (folder / f"{name}.py").write_text(source.replace("from consult.textdiff import", "from old_textdiff import"))
    sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location("old_merge", folder / "old_merge.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_merge"] = module
    spec.loader.exec_module(module)
    return module


def conflicts_before_and_after(rnd: random.Random, runs: int) -> None:
    old = old_merge_module()
    before = before_words = after = hunks = disputed = words = 0
    for _ in range(runs):
        for base, rooms in six_room_section(rnd):
            words += len(base.split())
            versions = [old.RoomText(r, t) for r, t in rooms]
            if old.merge_paragraph(1, base, versions).status == "conflict":
                before += 1
                before_words += len(base.split())
            segments = merge(base, rooms)
            found = [s for s in segments if isinstance(s, Hunk)]
            if found:
                after += 1
                hunks += len(found)
                disputed += sum(len(h.base.split()) or 1 for h in found)
    total = runs * 4
    print(f"six-room section, {runs} generated runs x 4 paragraphs:")
    print(f"  before ({BEFORE}): {before} of {total} paragraphs were whole-paragraph conflicts "
          f"({before / total:.2f} per paragraph), {before_words} of {words} words in dispute "
          f"({100 * before_words / max(words, 1):.1f} %)")
    print(f"  now: {after} of {total} paragraphs hold hunks ({after / total:.2f} per paragraph), {hunks} hunks, "
          f"{disputed} of {words} words in dispute ({100 * disputed / max(words, 1):.1f} %); the rest merged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    big_paragraph(rnd, args.repeat)
    whole_document(rnd, args.repeat)
    conflicts_before_and_after(rnd, args.runs)


if __name__ == "__main__":
    main()
