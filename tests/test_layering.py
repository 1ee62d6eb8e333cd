"""No package imports another that imports it back.

A unit is a subpackage of consult (rooms, people, ...) or one of its top-level modules
(access.py, i18n.py, ...). Every import counts, a deferred one inside a function too: it is
still a dependency, only hidden."""
from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from pathlib import Path

import consult

PACKAGE = Path(consult.__file__).parent



def imports(path: Path) -> set[str]:
    """The units that one file imports, other than its own."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            targets = [module + [alias.name] for alias in node.names]
        else:
            continue
        found |= {t[1] for t in targets if t[0] == "consult" and len(t) > 1}
    return found - {parts[1]}


def edges() -> dict[tuple[str, str], set[str]]:
    """(from, to) -> the files of `from` that import `to`."""
    found = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for target in imports(path):
            found[source, target].add(path.relative_to(PACKAGE).as_posix())
    return found


def two_way(found: dict[tuple[str, str], set[str]]) -> list[str]:
    units = sorted({a for a, _ in found} | {b for _, b in found})
    pairs = []
    for a, b in itertools.combinations(units, 2):
        if (a, b) not in found or (b, a) not in found:
            continue
        pairs.append(f"{a} <-> {b}: {sorted(found[a, b])} / {sorted(found[b, a])}")
    return pairs


def test_no_package_imports_one_that_imports_it_back():
    assert two_way(edges()) == []


def test_the_check_sees_a_pair(tmp_path):
    """Deferred and relative imports count: the check is not blind to the usual disguises."""
    found = {("screens", "clock"): {"screens/room.py"}, ("clock", "screens"): {"clock.py"}}
    assert two_way(found) == ["clock <-> screens: ['clock.py'] / ['screens/room.py']"]
    deferred = tmp_path / "consult" / "rooms" / "x.py"
    deferred.parent.mkdir(parents=True)
    deferred.write_text("def f():\n    from ..people import service\n    import consult.access\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "consult"
    try:
        assert imports(deferred) == {"people", "access"}
    finally:
        PACKAGE = saved
