"""What each phase of a room allows, as data."""
from __future__ import annotations

from consult.errors import Conflict
from consult.i18n import N_, _

# Each action named as it ends the sentence "you cannot ... now" (translated where refused).
ALLOWS = {
    N_("comment"): {"open"},
    N_("support"): {"open", "voting"},
    N_("propose an amendment"): {"open"},
    N_("vote"): {"voting"},
    N_("react"): {"open", "voting"},
    N_("place priority dots"): {"voting"},
    N_("decide amendments"): {"open", "voting"},
    N_("edit the draft"): {"setup", "open", "voting"},
    N_("ask a poll"): {"setup", "open", "voting"},
    N_("answer polls"): {"open", "voting"},
}

PHASE_LABELS = {
    "setup": N_("Not started"),
    "open": N_("Open for comments"),
    "voting": N_("Voting"),
    "closed": N_("Closed"),
}


def allows(phase: str, action: str) -> bool:
    return phase in ALLOWS[action]


def refusal(phase: str, action: str) -> str:
    """Why the phase forbids an action: the message of a refused write, and the reason shown
    next to a control the phase disables."""
    sentence = {"setup": N_("This room has not started yet: you cannot %(action)s now."),
                "open": N_("This room is open for comments: you cannot %(action)s now."),
                "voting": N_("This room is voting: you cannot %(action)s now."),
                "closed": N_("This room is closed: you cannot %(action)s now.")}[phase]
    return _(sentence, action=_(action))


def require(phase: str, action: str) -> None:
    if not allows(phase, action):
        raise Conflict(refusal(phase, action))
