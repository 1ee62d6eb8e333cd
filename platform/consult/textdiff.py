"""Word-level differences between two texts, with diff-match-patch (Apache-2.0).

diff-match-patch compares characters; mapping each distinct word, space run or punctuation
mark to one private character first makes it compare words, so a change reads as whole words
struck and inserted, not as scattered letters."""
from __future__ import annotations

import re

from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
EQUAL, DELETE, INSERT = 0, -1, 1


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _encode(words: list[str], table: dict[str, str], alphabet: list[str]) -> str:
    out = []
    for word in words:
        if word not in table:
            # Private-use plane characters never occur in the texts themselves.
            table[word] = chr(0xF0000 + len(alphabet))
            alphabet.append(word)
        out.append(table[word])
    return "".join(out)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    table: dict[str, str] = {}
    alphabet: list[str] = []
    a, b = _encode(tokens(old), table, alphabet), _encode(tokens(new), table, alphabet)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    decoded = [(op, "".join(alphabet[ord(ch) - 0xF0000] for ch in chunk)) for op, chunk in diffs]
    return [(op, text) for op, text in decoded if text]


def diff_html(old: str, new: str) -> Markup:
    """<del> and <ins> around what changed; everything escaped."""
    parts = []
    for op, text in word_diff(old, new):
        if op == EQUAL:
            parts.append(escape(text))
        elif op == DELETE:
            parts.append(Markup("<del>{}</del>").format(text))
        else:
            parts.append(Markup("<ins>{}</ins>").format(text))
    return Markup("").join(parts)
