"""What each phase of a room allows, as data."""
from __future__ import annotations

from consult.errors import Conflict

ALLOWS = {
    "comment": {"open"},
    "support": {"open", "voting"},
    "propose an amendment": {"open"},
    "vote": {"voting"},
    "react": {"open", "voting"},
    "place priority dots": {"voting"},
    "decide amendments": {"open", "voting"},
    "edit the draft": {"setup", "open", "voting"},
    "ask a poll": {"setup", "open", "voting"},
    "answer polls": {"open", "voting"},
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
