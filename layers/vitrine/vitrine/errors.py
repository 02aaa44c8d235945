"""Domain errors. Each carries its HTTP status and a stable machine code; ``vitrine.http.errors``
maps them to JSON responses in one place, so no handler matches on message strings."""

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pydantic import ValidationError


class VitrineError(Exception):
    """A domain error. A subclass names its HTTP answer in its bases:
    ``class Gone(VitrineError, status=410, code="gone")``, or sets ``status`` and ``code`` in its body."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, message: str, *, details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        # Response headers the answer needs (a 429's ``Retry-After``).
        self.headers = headers or {}


class InvalidInput(VitrineError, status=422, code="validation_error"): ...


class Unauthorized(VitrineError, status=401, code="unauthorized"): ...


class SessionEnded(Unauthorized):
    """A session token that no longer stands (expired, forged, or its person's access ended): the 401 also clears
    the session cookie, so the browser stops sending it."""


class Forbidden(VitrineError, status=403, code="forbidden"): ...


class NotFound(VitrineError, status=404, code="not_found"): ...


class Conflict(VitrineError, status=409, code="conflict"):
    """The request clashes with the state of what it names. Its ``details`` is always the documented list (the
    OpenAPI's ``Conflict``): one object per clash, each with a ``field`` and a ``reason`` (strings), and any keys
    that name the clash further (an illegal order move adds ``from`` and ``to``). Checked when raised, so no 409
    answers a dict, a string or nothing for a client to read."""

    def __init__(self, message: str, *, details: list[dict[str, Any]], headers: dict[str, str] | None = None) -> None:
        if not is_detail_list(details):
            raise TypeError(f"a conflict's details are a list of {{field, reason}} objects, not {details!r}")
        super().__init__(message, details=details, headers=headers)


class PayloadTooLarge(VitrineError, status=413, code="payload_too_large"): ...


class UnsupportedMediaType(VitrineError, status=415, code="unsupported_media_type"): ...


class ConfigurationError(Exception):
    """The deployment is wrong (a missing variable or resource): a 500 and an alarm, not a 4xx."""


class DependencyUnavailable(Exception):
    """An AWS dependency (DynamoDB, SQS, SSM, EventBridge) failed past its retries: a 503, so callers retry."""


def is_detail_list(details: Any) -> bool:
    """Whether ``details`` has the documented shape: a non-empty list of objects with a ``field`` and a ``reason``."""
    return (
        isinstance(details, list)
        and bool(details)
        and all(
            isinstance(detail, dict) and isinstance(detail.get("field"), str) and isinstance(detail.get("reason"), str)
            for detail in details
        )
    )


def validation_details(exc: "ValidationError", location: str) -> list[dict[str, str]]:
    """Each field pydantic refused, as ``{"field": "body.items.0.quantity", "reason": "..."}``."""
    details = []
    for error in exc.errors(include_url=False, include_input=False):
        path = ".".join(str(part) for part in (location, *error["loc"]) if part != "")
        details.append({"field": path, "reason": error["msg"]})
    return details
