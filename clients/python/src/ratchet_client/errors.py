"""Errors raised by the client: one base class, one subclass per kind of answer a caller handles differently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One reason the server gave for refusing a request: which field, and why."""

    field: str
    reason: str


class RatchetError(Exception):
    """Base class: every error this client raises is one, so `except RatchetError` catches them all.

    `status` is the HTTP status (None when no answer arrived), `error` the server's error code
    (`invalid_request`, `forbidden`, ...), `issues` the server's field reasons, `error_id` the id a 500
    is logged under on the server, `body` the parsed answer.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        issues: tuple[Issue, ...] = (),
        error_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error
        self.issues = issues
        self.error_id = error_id
        self.body = body

    def __str__(self) -> str:
        prefix = f"HTTP {self.status}: " if self.status is not None else ""
        return prefix + self.message


class ValidationError(RatchetError):
    """400: the request was refused as invalid and nothing was stored; `issues` names each field and reason."""


class PayloadTooLarge(ValidationError):
    """413: the body is over one of the server's limits (a line, a batch); `issues` says which."""


class AuthError(RatchetError):
    """401 (missing, unknown or revoked key, or a disabled owner) or 403 (the key lacks the scope)."""


class NotFound(RatchetError):
    """404: an unknown model, version or release."""


class Conflict(RatchetError):
    """409 (conflicts with what is recorded, or a retry while the first is still running) or 422
    (an Idempotency-Key reused for a different request)."""


class ServerError(RatchetError):
    """5xx: the server failed or is busy; `error_id` (on a 500) is what its log has the detail under."""


class RatchetTimeout(RatchetError, TimeoutError):
    """No answer in time, or a decision still pending when `wait_for_decision` gave up."""


class RatchetConnectionError(RatchetError, ConnectionError):
    """The server could not be reached (refused, reset, unknown host)."""


def error_for_status(status: int, body: Any, fallback_message: str) -> RatchetError:
    """The exception for an HTTP error answer, carrying the server's message, code and field reasons."""
    message = fallback_message
    code: str | None = None
    issues: tuple[Issue, ...] = ()
    error_id: str | None = None
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            message = body["message"]
        if isinstance(body.get("error"), str):
            code = body["error"]
        if isinstance(body.get("errorId"), str):
            error_id = body["errorId"]
        raw_issues = body.get("issues")
        if isinstance(raw_issues, list):
            issues = tuple(
                Issue(field=str(i.get("field", "")), reason=str(i.get("reason", "")))
                for i in raw_issues
                if isinstance(i, dict)
            )
    cls: type[RatchetError]
    if status == 400:
        cls = ValidationError
    elif status == 413:
        cls = PayloadTooLarge
    elif status in (401, 403):
        cls = AuthError
    elif status == 404:
        cls = NotFound
    elif status in (409, 422):
        cls = Conflict
    elif status >= 500:
        cls = ServerError
    else:
        cls = RatchetError
    return cls(message, status=status, error=code, issues=issues, error_id=error_id, body=body)
