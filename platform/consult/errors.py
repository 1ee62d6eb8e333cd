"""Domain errors: services raise them, the web and API layers turn them into statuses."""
from __future__ import annotations

from consult.i18n import _


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, detail: str, fields: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or {}


class BadRequest(DomainError):
    """The request itself is malformed (not JSON, not an object)."""


class Invalid(DomainError):
    status = 422
    code = "invalid"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class Unsupported(DomainError):
    """A file of a kind that is not read here (a .pdf where a workbook or Markdown is asked for)."""
    status = 415
    code = "unsupported_media_type"


class Unavailable(DomainError):
    """The database cannot be reached for now: nothing was saved, and trying again is right."""
    status = 503
    code = "unavailable"

    def __init__(self, retry_after: int = 3):
        super().__init__(_("Saving is paused: the database cannot be reached for a moment. Nothing was saved; "
                           "your text is kept here. Send it again in a few seconds."))
        self.retry_after = retry_after


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, detail: str, retry_after: int = 10):
        super().__init__(detail)
        self.retry_after = retry_after
