"""Who is acting: every service call takes one and checks it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    participant_id: int | None = None
    organiser_id: int | None = None

    @property
    def is_organiser(self) -> bool:
        return self.organiser_id is not None

    @property
    def is_anonymous(self) -> bool:
        return self.participant_id is None and self.organiser_id is None


ANONYMOUS = Actor()
