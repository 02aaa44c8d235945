"""Routes declared with their pydantic models, so one declaration validates input and documents the API.

``route(app, "POST", "/api/things/{id}", body=CreateThing, response=ThingView)`` registers the function on
the Powertools resolver and records the declaration for the OpenAPI spec, which ``vitrine.http.openapi``
builds at build time (never at cold start). Paths use the template's ``{param}`` syntax.
"""

import base64
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ValidationError

from vitrine.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from vitrine.http.errors import validation_details

MAX_BODY_BYTES = 256 * 1024
MERCHANT_API_KEY = "merchant_api_key"
ERP_API_KEY = "erp_api_key"  # the merchant's key with the ``erp`` scope: what an ERP integration holds
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
    raw_body: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    also: tuple[int, ...] = ()
    module: str = ""  # the module that declared it: what a function's route table (``ROUTE_MODULES``) names


REGISTERED: list[RouteSpec] = []


def read_body(app: Any, media_type: str | None, max_bytes: int = MAX_BODY_BYTES) -> str:
    """The request body as text, once its size and media type are what the route takes (``None``: any type, for
    callers such as a payment gateway whose content type the route does not get to choose)."""
    event = app.current_event
    body = event.body or ""
    raw = base64.b64decode(body) if event.is_base64_encoded else body.encode()
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"request body is over {max_bytes} bytes")
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type is not None and content_type != media_type:
        raise UnsupportedMediaType(f"send the body as {media_type}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # API Gateway hands over any bytes (base64); JSON and CSV bodies are UTF-8 text.
        details = [{"field": "body", "reason": f"not UTF-8 (byte {exc.start})"}]
        raise InvalidInput("request body is not UTF-8 text", details=details) from exc


def parse_body(app: Any, model: type[BaseModel], max_bytes: int = MAX_BODY_BYTES) -> BaseModel:
    raw = read_body(app, "application/json", max_bytes)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise InvalidInput("request body is not valid", details=validation_details(exc, "body")) from exc


def parse_query(app: Any, model: type[BaseModel]) -> BaseModel:
    params = app.current_event.query_string_parameters or {}
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise InvalidInput("query string is not valid", details=validation_details(exc, "query")) from exc


def _authenticate_key(app: Any, scope: str) -> Any:
    # Imported at the first authenticated request: functions without API-key routes never load it.
    from vitrine.auth.api_keys import authenticate

    return authenticate(app.current_event.headers, scope=scope)


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
    raw_body: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    also: tuple[int, ...] = (),
    registry: list[RouteSpec] = REGISTERED,
) -> Callable:
    """Register ``fn(**path_params, body=..., query=...)`` for ``method path``.

    ``body`` is a pydantic model parsed from JSON; ``raw_body`` a media type (``"text/csv"``) whose text the
    function gets as ``body`` instead. Either is refused past ``max_body_bytes``.
    A returned pydantic model (or dict) is sent as JSON with ``status``; a returned ``Response`` as is.
    ``also`` lists other success statuses the function answers with the same body (an upsert's 201 beside its 200).
    ``registry`` collects the declaration, with the module of ``fn``, for the OpenAPI build and the route table's
    check (tests pass their own).
    """
    if body is not None and raw_body is not None:
        raise ValueError("a route takes a JSON body model or a raw body, not both")
    spec = RouteSpec(
        method,
        path,
        summary,
        function,
        body,
        query,
        response,
        status,
        content_type,
        auth,
        tags,
        errors,
        raw_body=raw_body,
        max_body_bytes=max_body_bytes,
        also=also,
    )

    greedy = _GREEDY.search(path)
    if greedy and _PARAM.search(path[: greedy.start()]):
        raise ValueError(f"{path}: a greedy parameter is read from the path, so nothing before it may vary")

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def endpoint(**path_params: str) -> Any:
            # Who is asking is settled before anything of the request is read: a stranger learns nothing.
            if auth == MERCHANT_API_KEY:
                app.append_context(principal=_authenticate_key(app, "merchant"))
            elif auth == ERP_API_KEY:
                app.append_context(principal=_authenticate_key(app, "erp"))
            elif auth in (SESSION, OPTIONAL_SESSION):
                app.append_context(principal=_session(app, required=auth == SESSION))
            kwargs: dict[str, Any] = dict(path_params)
            if greedy:
                kwargs[greedy.group(1)] = app.current_event.path[greedy.start() :]
            if body is not None:
                kwargs["body"] = parse_body(app, body, max_body_bytes)
            elif raw_body is not None:
                kwargs["body"] = read_body(app, raw_body, max_body_bytes)
            if query is not None:
                kwargs["query"] = parse_query(app, query)
            result = fn(**kwargs)
            if isinstance(result, Response):
                return result
            return json_response(status, result)

        registry.append(replace(spec, module=fn.__module__))
        app.route(_PARAM.sub(r"<\1>", _GREEDY.sub(".+", path)), method.upper())(endpoint)
        return fn

    return decorator
