"""The audit log's sentences, pure: what an organiser reads for each recorded action."""
from __future__ import annotations

from consult import i18n
from consult.audit.words import describe

NAMES = {"document": {1: "Call for proactive policies and interventions"}}
RESOLVED = {"document_id": 1, "version": 2, "paragraph": "1.1", "choice": "h1:a2", "note": "",
            "said": "conflict 1 of 1, took the wording of Room F - Prevention, health and communities"}


def test_a_resolved_conflict_says_what_was_chosen_in_words_not_its_code():
    said = describe("document.resolve", RESOLVED, NAMES)
    assert said == ("Resolved a conflict in Call for proactive policies and interventions (version: 2): Resolved 1.1: "
                    "conflict 1 of 1, took the wording of Room F - Prevention, health and communities.")
    assert "h1:a2" not in said


def test_a_resolved_conflict_reads_in_french():
    with i18n.speaking("fr"):
        said = describe("document.resolve", dict(RESOLVED, note="plus clair"), NAMES)
    assert "h1:a2" not in said and "a retenu la formulation de Room F" in said and "plus clair" in said


def test_an_entry_logged_before_the_words_were_kept_still_reads():
    old = {k: v for k, v in RESOLVED.items() if k != "said"}
    assert describe("document.resolve", old, NAMES).startswith("Resolved a conflict in Call for proactive")
