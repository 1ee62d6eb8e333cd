"""Word-level differences between two texts, with diff-match-patch (Apache-2.0).

A text is cut into tokens: a word with the white space after it, or one punctuation mark or
symbol with the white space after it; in scripts written without spaces (Chinese, Japanese,
Thai…) every character is a token, so that two edits in one sentence can still be told
apart. Tokens are made of whole grapheme clusters: a Devanagari vowel sign stays with its
consonant and an emoji with its skin-tone modifier. Keeping the space with its word means
that ` X` and `X ` are never two different edits of the same words.

diff-match-patch compares characters; mapping each distinct token to one private character
first makes it compare tokens. Two diffs: `aligned_diff` for merging (words first, then
punctuation, each a shortest edit script with no clean-up and no time limit, so the result
never depends on how loaded the machine is) and `word_diff` for people (semantically cleaned
up, so a change reads as whole phrases)."""
from __future__ import annotations

from collections.abc import Sequence

import regex
from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_SPACE = r"(?:(?=\s)\X)"
_WORDISH = rf"(?:(?=[\p{{L}}\p{{N}}\p{{Pc}}])(?![{_UNSPACED}])\X)"
_TOKEN = regex.compile(rf"{_SPACE}+|(?:{_WORDISH}+|\X){_SPACE}*", regex.V1)
EQUAL, DELETE, INSERT = 0, -1, 1
# Two private-use planes: room for 131,068 distinct tokens in one comparison.
_PRIVATE = [*range(0xF0000, 0xFFFFE), *range(0x100000, 0x10FFFE)]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _encode(words: list[str], table: dict[str, str], alphabet: list[str]) -> str:
    out = []
    for word in words:
        if word not in table:
            # Private-use plane characters stand for tokens, never for themselves.
            table[word] = chr(_PRIVATE[len(alphabet)])
            alphabet.append(word)
        out.append(table[word])
    return "".join(out)


def _decode(ch: str) -> int:
    code = ord(ch)
    return code - 0xF0000 if code < 0x100000 else code - 0x100000 + (0xFFFFE - 0xF0000)


def token_diff(old: Sequence[str], new: Sequence[str], *, readable: bool = False) -> list[tuple[int, list[str]]]:
    """The diff of two token lists as (op, tokens) runs: a shortest edit script, or with
    readable=True one cleaned up for people."""
    table: dict[str, str] = {}
    alphabet: list[str] = []
    a, b = _encode(old, table, alphabet), _encode(new, table, alphabet)
    dmp = diff_match_patch()
    # No time limit: a timed-out diff is not minimal, and would merge differently under load.
    dmp.Diff_Timeout = 1.0 if readable else 0
    diffs = dmp.diff_main(a, b, False)
    if readable:
        dmp.diff_cleanupSemantic(diffs)
    return [(op, [alphabet[_decode(ch)] for ch in chunk]) for op, chunk in diffs if chunk]


def is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def word_key(token: str) -> str:
    return token.rstrip()


def aligned_diff(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, list[str]]]:
    """A diff for merging: the most words kept in place first (a shortest edit script over the
    words alone, white space aside), then the punctuation between them. A plain shortest
    script may keep a comma in place of a word, and so read as a word deleted here and
    inserted there."""
    old_words = [i for i, t in enumerate(old) if is_word(t)]
    new_words = [j for j, t in enumerate(new) if is_word(t)]
    anchors, i, j = [], 0, 0
    for op, run in token_diff([word_key(old[k]) for k in old_words], [word_key(new[k]) for k in new_words]):
        if op == EQUAL:
            anchors.extend(zip(old_words[i:i + len(run)], new_words[j:j + len(run)]))
        i += len(run) if op != INSERT else 0
        j += len(run) if op != DELETE else 0
    out: list[tuple[int, list[str]]] = []

    def emit(op: int, run: Sequence[str]) -> None:
        if not run:
            return
        if out and out[-1][0] == op:
            out[-1][1].extend(run)
        else:
            out.append((op, list(run)))

    def between(a0: int, a1: int, b0: int, b1: int) -> None:
        for op, run in (token_diff(old[a0:a1], new[b0:b1]) if a1 > a0 and b1 > b0 else
                        [(DELETE, list(old[a0:a1])), (INSERT, list(new[b0:b1]))]):
            emit(op, run)

    i = j = 0
    for a, b in anchors:
        between(i, a, j, b)
        if old[a] == new[b]:
            emit(EQUAL, [old[a]])
        else:                        # the same word, its white space changed
            emit(DELETE, [old[a]])
            emit(INSERT, [new[b]])
        i, j = a + 1, b + 1
    between(i, len(old), j, len(new))
    return _grouped(out)


def _grouped(diff: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Each run of changes as its deletions, then its insertions."""
    out: list[tuple[int, list[str]]] = []
    pending = {DELETE: [], INSERT: []}
    for op, run in [*diff, (EQUAL, [])]:
        if op != EQUAL:
            pending[op].extend(run)
            continue
        for kind in (DELETE, INSERT):
            if pending[kind]:
                out.append((kind, pending[kind]))
        pending = {DELETE: [], INSERT: []}
        if run:
            out.append((EQUAL, run))
    return out


def distance(old: Sequence[str], new: Sequence[str]) -> int:
    """Tokens inserted plus tokens deleted on a shortest edit path from old to new."""
    return sum(len(run) for op, run in token_diff(old, new) if op != EQUAL)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    return [(op, "".join(run)) for op, run in token_diff(tokens(old), tokens(new), readable=True)]


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
