"""Every mapped class, imported once so the metadata and the migrations see them all."""
from consult.amendments.models import Amendment, AmendmentVote  # noqa: F401
from consult.audit.models import AuditEntry  # noqa: F401
from consult.conference.models import ConferenceSession, Event  # noqa: F401
from consult.consolidation.models import ConsolidatedVersion, Resolution  # noqa: F401
from consult.contributions.models import Comment, Support, VisibleCount  # noqa: F401
from consult.documents.models import Document, Paragraph, Section  # noqa: F401
from consult.drafting.models import DraftVersion  # noqa: F401
from consult.engagement.models import Dot, Poll, PollVote, Reaction  # noqa: F401
from consult.export.models import ExportJob  # noqa: F401
from consult.live.presence import Here  # noqa: F401
from consult.moderation.models import Flag  # noqa: F401
from consult.people.models import ApiToken, Organiser, Participant, SignInSession  # noqa: F401
from consult.ratelimit import RateBucket  # noqa: F401
from consult.rooms.models import (  # noqa: F401
    Membership,
    RapporteurInvite,
    Room,
    RoomEvent,
    RoomSection,
)
