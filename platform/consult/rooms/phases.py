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


def allows(phase: str, action: str) -> bool:
    return phase in ALLOWS[action]


def refusal(phase: str, action: str) -> str:
    """Why the phase forbids an action: the message of a refused write, and the reason shown
    next to a control the phase disables."""
    return f"This room is {PHASE_LABELS[phase].lower()}: you cannot {action} now."


def require(phase: str, action: str) -> None:
    if not allows(phase, action):
        raise Conflict(refusal(phase, action))
