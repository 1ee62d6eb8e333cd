"""Compares the ways of grouping comments into themes on the labelled paraphrase set.

Each method's threshold is tuned on half of the groups (the even ones) and measured on the
other half, then on the whole set at that threshold. Prints precision and recall per method.

    .venv/bin/python bench/themes_eval.py
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from consult.synthesis.evaluation import score, tune  # noqa: E402
from consult.synthesis.themes import METHOD, METHODS  # noqa: E402

groups = [g["texts"] for g in json.loads((ROOT / "tests/data/paraphrases.json").read_text())["groups"]]
dev, test = groups[0::2], groups[1::2]
grid = [round(0.30 + 0.02 * i, 2) for i in range(35)]
print(f"{len(groups)} groups, {sum(map(len, groups))} comments; tuned on {len(dev)} groups, measured on {len(test)}")
print(f"{'method':34} {'cut':>5} {'test P':>7} {'test R':>7} {'test F1':>7} {'all P':>6} {'all R':>6}  time")
for method in METHODS:
    started = time.perf_counter()
    tuned = tune(dev, method, grid)
    held, whole = score(test, tuned), score(groups, tuned)
    mark = "  <- in use" if method.name == METHOD.name else ""
    print(f"{method.name:34} {tuned.threshold:5.2f} {held.precision:7.3f} {held.recall:7.3f} {held.f1:7.3f} "
          f"{whole.precision:6.3f} {whole.recall:6.3f}  {time.perf_counter() - started:.1f}s "
          f"(configured cut {method.threshold:.2f}){mark}")
