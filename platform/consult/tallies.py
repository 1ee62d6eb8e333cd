"""Votes, reactions and support counted in words, each count in its own plural form.

A message can follow only one number's plural ("1 abstention", "2 abstentions"), so a tally of
several counts is said as a list of counts, each a message of its own; English says "1 agree"
and "2 agree" alike, other languages do not."""
from __future__ import annotations

from collections.abc import Mapping

from consult.i18n import ngettext


def agree(n: int) -> str:
    return ngettext("%(num)s agree", "%(num)s agree", n)


def disagree(n: int) -> str:
    return ngettext("%(num)s disagree", "%(num)s disagree", n)


def abstain(n: int) -> str:
    return ngettext("%(num)s abstain", "%(num)s abstain", n)


def passed(n: int) -> str:
    return ngettext("%(num)s pass", "%(num)s pass", n)


def discuss(n: int) -> str:
    return ngettext("%(num)s wants discussion", "%(num)s want discussion", n)


def support(n: int) -> str:
    return ngettext("%(num)s support", "%(num)s support", n)


def votes(tally: Mapping[str, int]) -> str:
    """An amendment's votes (or the support behind a text): '1 agree, 0 disagree, 1 abstain'."""
    return ", ".join((agree(tally["agree"]), disagree(tally["disagree"]), abstain(tally["abstain"])))


def reactions(tally: Mapping[str, int]) -> str:
    """A paragraph's reactions: '2 agree, 0 disagree, 1 pass, 1 wants discussion'."""
    return ", ".join((agree(tally["agree"]), disagree(tally["disagree"]), passed(tally["pass"]),
                      discuss(tally["discuss"])))
