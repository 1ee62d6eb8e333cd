"""A refused API request answered in JSON: the error's code, its detail and the fields at fault.
Here, not in api/, because the session middleware answers API paths too."""
from __future__ import annotations

from starlette.responses import JSONResponse

from consult.errors import DomainError


def error_response(status: int, error: str, detail: str, fields: dict | None = None, headers=None) -> JSONResponse:
    body = {"error": error, "detail": detail}
    if fields:
        body["fields"] = fields
    return JSONResponse(body, status_code=status, headers=headers)


def domain_error(error: DomainError) -> JSONResponse:
    headers = {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else None
    return error_response(error.status, error.code, error.detail, error.fields, headers)
