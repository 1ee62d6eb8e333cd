"""What each phase of a room allows, as data."""
from __future__ import annotations

from consult.errors import Conflict

ALLOWS = {
    "comment": {"open"},
    "support": {"open", "voting"},
}

PHASE_LABELS = {
    "setup": "Not started",
    "open": "Open for comments",
    "voting": "Voting",
    "closed": "Closed",
}


def require(phase: str, action: str) -> None:
    if phase not in ALLOWS[action]:
        raise Conflict(f"This room is {PHASE_LABELS[phase].lower()}: you cannot {action} now.")
