"""Every error a client can cause becomes a JSON 4xx here, once, for every API function.

Shape: ``{"error": {"code": "...", "message": "...", "details": [...]}}``; validation errors list each
field as ``{"field": "body.items.0.quantity", "reason": "..."}``.
"""

import json
from typing import Any

from pydantic import ValidationError

from vitrine.errors import DependencyUnavailable, SessionEnded, VitrineError, validation_details
from vitrine.http.resolver import NotFoundError, Response


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps({"error": error}, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def register_error_handlers(app: Any, logger: Any) -> None:
    """Map domain errors, validation errors, unknown routes and failures to JSON responses."""

    @app.exception_handler(VitrineError)
    def _domain_error(exc: VitrineError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(SessionEnded)
    def _session_ended(exc: SessionEnded) -> Response:
        from vitrine.auth.sessions import session_cookie

        response = _domain_error(exc)
        response.cookies.append(session_cookie(None))
        return response

    @app.exception_handler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        # A pydantic error that escaped a route's own parsing: treat it as the body's.
        return error_response(422, "validation_error", "request is not valid", validation_details(exc, "body"))

    @app.not_found
    def _not_found(_exc: NotFoundError) -> Response:
        return error_response(404, "not_found", "no such route")

    @app.exception_handler(DependencyUnavailable)
    def _dependency_unavailable(exc: DependencyUnavailable) -> Response:
        logger.exception("dependency unavailable")
        return error_response(503, "unavailable", "temporarily unavailable, try again")
