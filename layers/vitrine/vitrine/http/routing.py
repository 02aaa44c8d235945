"""Routes declared with their pydantic models, so one declaration validates input and documents the API.

``route(app, "POST", "/api/things/{id}", body=CreateThing, response=ThingView)`` registers the function on
the Powertools resolver and records the declaration for the OpenAPI spec, which ``vitrine.http.openapi``
builds at build time (never at cold start). Paths use the template's ``{param}`` syntax.
"""

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ValidationError

from vitrine.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from vitrine.http.errors import validation_details

MAX_BODY_BYTES = 256 * 1024
MERCHANT_API_KEY = "merchant_api_key"
SESSION = "session"  # a seller's or B2B customer's session, required
OPTIONAL_SESSION = "optional_session"  # anyone; a session, when sent, changes who the request is for
_PARAM = re.compile(r"\{(\w+)\}")
# A greedy last parameter (``{key+}``, as API Gateway writes it) spans slashes: Powertools matches it as ``.+``
# and the endpoint reads it from the request's path.
_GREEDY = re.compile(r"\{(\w+)\+\}$")


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    summary: str
    function: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    content_type: str = "application/json"
    auth: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    errors: tuple[int, ...] = ()


REGISTERED: list[RouteSpec] = []


def parse_body(app: Any, model: type[BaseModel]) -> BaseModel:
    event = app.current_event
    raw = event.decoded_body if event.body is not None else ""
    if len(raw.encode() if isinstance(raw, str) else raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"request body is over {MAX_BODY_BYTES} bytes")
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("send the body as application/json")
    try:
        return model.model_validate_json(raw or "")
    except ValidationError as exc:
        raise InvalidInput("request body is not valid", details=validation_details(exc, "body")) from exc


def parse_query(app: Any, model: type[BaseModel]) -> BaseModel:
    params = app.current_event.query_string_parameters or {}
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise InvalidInput("query string is not valid", details=validation_details(exc, "query")) from exc


def _authenticate_merchant(app: Any) -> Any:
    # Imported at the first authenticated request: functions without merchant routes never load it.
    from vitrine.auth.api_keys import authenticate

    return authenticate(app.current_event.headers, scope="merchant")


def _session(app: Any, *, required: bool) -> Any:
    from vitrine.auth.sessions import session_from_request
    from vitrine.errors import Unauthorized

    event = app.current_event
    session = session_from_request(event.http_method, event.headers, event.cookies)
    if session is None and required:
        raise Unauthorized("sign in first: send the session token as 'Authorization: Bearer <token>'")
    return session


def principal_of(app: Any) -> Any:
    """Who a route declared with ``auth=`` authenticated: the merchant's key principal, or the session
    (``None`` on an ``OPTIONAL_SESSION`` route called without one)."""
    return app.context["principal"]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        headers=headers,
    )


def route(
    app: Any,
    method: str,
    path: str,
    *,
    summary: str,
    function: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    content_type: str = "application/json",
    auth: str | None = None,
    tags: tuple[str, ...] = (),
    errors: tuple[int, ...] = (),
    registry: list[RouteSpec] = REGISTERED,
) -> Callable:
    """Register ``fn(**path_params, body=..., query=...)`` for ``method path``.

    A returned pydantic model (or dict) is sent as JSON with ``status``; a returned ``Response`` as is.
    ``registry`` collects the declaration for the OpenAPI build (tests pass their own).
    """
    spec = RouteSpec(method, path, summary, function, body, query, response, status, content_type, auth, tags, errors)
    registry.append(spec)

    greedy = _GREEDY.search(path)
    if greedy and _PARAM.search(path[: greedy.start()]):
        raise ValueError(f"{path}: a greedy parameter is read from the path, so nothing before it may vary")

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def endpoint(**path_params: str) -> Any:
            # Who is asking is settled before anything of the request is read: a stranger learns nothing.
            if auth == MERCHANT_API_KEY:
                app.append_context(principal=_authenticate_merchant(app))
            elif auth in (SESSION, OPTIONAL_SESSION):
                app.append_context(principal=_session(app, required=auth == SESSION))
            kwargs: dict[str, Any] = dict(path_params)
            if greedy:
                kwargs[greedy.group(1)] = app.current_event.path[greedy.start() :]
            if body is not None:
                kwargs["body"] = parse_body(app, body)
            if query is not None:
                kwargs["query"] = parse_query(app, query)
            result = fn(**kwargs)
            if isinstance(result, Response):
                return result
            return json_response(status, result)

        app.route(_PARAM.sub(r"<\1>", _GREEDY.sub(".+", path)), method.upper())(endpoint)
        return fn

    return decorator
