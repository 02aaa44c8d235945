"""Routes declared with their pydantic models, so one declaration validates input and documents the API.

A route module says once what its routes share (``Routes``: the Lambda function, who may call, the tags), and
each route only what is its own::

    routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("merchant",))

    @routes.post("/merchant/v1/things", summary="...", body=NewThing, response=Thing, errors=(409,))

Each declaration registers the function on the module's router (``vitrine.http.resolver``) and records it for
the OpenAPI spec, which ``vitrine.http.openapi`` builds at build time (never at cold start). Paths use the
template's ``{param}`` syntax.
``auth`` is an ``Auth``: every value names a check the route runs before it reads anything of the request.
``permission`` is what a merchant route needs of its caller (``vitrine.auth.permissions``): every route behind
``MERCHANT_API_KEY`` declares one (a module may declare it once for all its routes), an ERP route needs ``erp``, and
the check runs right after the caller's, before the body is read: without it, a 403 naming it.
``errors`` lists the 4xx of the route's own rules (404, 409); what its auth, body and query imply (401/403,
413/415/422) is documented by the declaration itself. ``notes`` says what a status means on this route when a
rule of the route cannot be said in its schema (a PUT that needs a token the first time only).

A path parameter is documented with the type its function's parameter is annotated with (``order_id: OrderId``
gives its pattern); the function still checks it, with the answer its route documents (a 404, or a 422).
``documented=False`` leaves a route out of the OpenAPI document: a greedy path (``/img/{key+}``) has no OpenAPI
form, a path parameter being one segment, and must say so.

``response`` documents the answer only (the function's return is sent as it is): it may name its model as
``"package.module:Model"``, which only the OpenAPI build imports, so a route whose answer is built as JSON does not
load the answer's models at a cold start (the ERP's feed, polled empty every few seconds).
"""

import base64
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError

from vitrine.auth.permissions import ANY_CALLER, Permission, require
from vitrine.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType, validation_details
from vitrine.http.caching import PRIVATE, private, shared_view
from vitrine.http.resolver import Response

MAX_BODY_BYTES = 256 * 1024


class Auth(StrEnum):
    """Who may call a route. The value is the route's OpenAPI security scheme."""

    PUBLIC = "public"  # anyone, no credentials
    MERCHANT_API_KEY = "merchant_api_key"  # a merchant API key, or a console session of the merchant's staff
    ERP_API_KEY = "erp_api_key"  # the merchant's key with the ``erp`` scope: what an ERP integration holds
    SESSION = "session"  # a seller's or B2B customer's session, required
    OPTIONAL_SESSION = "optional_session"  # anyone; a session, when sent, changes who the request is for
    GATEWAY_BASIC = "basic"  # the HTTP Basic credentials the payment gateway's webhooks carry
    OPERATOR_IAM = "operator_iam"  # the platform's operator: a SigV4-signed request API Gateway authorized by IAM


_PARAM = re.compile(r"\{(\w+)\}")
# A greedy last parameter (``{key+}``, as API Gateway writes it) spans slashes.
_GREEDY = re.compile(r"\{(\w+)\+\}$")


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    summary: str
    function: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | str | None = None  # a model, or where it is ("package.module:Model")
    status: int = 200
    content_type: str = "application/json"
    auth: Auth = Auth.PUBLIC
    tags: tuple[str, ...] = field(default_factory=tuple)
    errors: tuple[int, ...] = ()
    raw_body: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    also: tuple[int, ...] = ()
    module: str = ""  # the module that declared it: what a function's route table (``ROUTE_MODULES``) names
    notes: tuple[tuple[int, str], ...] = ()
    documented: bool = True
    shared_cache: bool = False  # a view a CDN may hold (``vitrine.http.caching``): ETag, 304, SHARED_CACHE
    handler: Callable | None = None  # the declared function: its annotations type the path parameters
    permission: Permission | str | None = None  # what the caller must hold (merchant, ERP routes), or ANY_CALLER


REGISTERED: list[RouteSpec] = []
_MODEL_REFERENCE = re.compile(r"^[a-z_][a-z0-9_.]*:[A-Z]\w*$")


def response_model(spec: RouteSpec) -> type[BaseModel] | None:
    """The model the route documents its answer with, imported if it was named by reference."""
    if not isinstance(spec.response, str):
        return spec.response
    import importlib

    module, name = spec.response.split(":")
    return getattr(importlib.import_module(module), name)


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


def _authenticate_key(app: Any) -> Any:
    # Imported at the first authenticated request: functions without API-key routes never load it.
    from vitrine.auth.api_keys import authenticate

    return authenticate(app.current_event.headers)


def _merchant_caller(app: Any) -> Any:
    """A merchant route's caller: the merchant's API key, or a signed-in member of its staff (the console)."""
    if not _is_api_key(app.current_event.headers):
        from vitrine.people.staff_access import staff_from_request

        staff = staff_from_request(app.current_event)
        if staff is not None:
            from vitrine.auth.sessions import renewal

            renewed = renewal(staff.session)
            if renewed is not None:
                app.append_context(session_renewal=renewed)
            return staff
    return _authenticate_key(app)  # a key, or the 401 that says how to send one


def _is_api_key(headers: Any) -> bool:
    from vitrine.auth.api_keys import KEY_PREFIX, key_from_headers

    return (key_from_headers(headers) or "").startswith(KEY_PREFIX)


def _session(app: Any, *, required: bool) -> Any:
    """The request's session, checked against its person (still active, same session version: one ``GetItem``),
    so a route behind ``SESSION`` or ``OPTIONAL_SESSION`` never serves a session whose access has ended.

    A session past half its idle window is renewed (``vitrine.auth.sessions.renewal``): the route's answer carries
    the later token (``_send_renewal``)."""
    from vitrine.auth.sessions import Role, renewal, session_from_request
    from vitrine.errors import Unauthorized
    from vitrine.people.access import require_current_session

    event = app.current_event
    session = session_from_request(event.http_method, event.headers, event.cookies)
    if session is not None and session.role is Role.STAFF:
        # The console's session signs in to the merchant API, never to a catalog as a seller or a buyer.
        raise Unauthorized("a console session does not sign in to the catalogs; sign in as a seller or a customer")
    if session is None:
        if required:
            raise Unauthorized("sign in first: send the session token as 'Authorization: Bearer <token>'")
        return None
    require_current_session(session)
    renewed = renewal(session)
    if renewed is not None:
        app.append_context(session_renewal=renewed)
    return session


def _send_renewal(app: Any, response: Response) -> Response:
    """The renewed session, if the request's was (``_session``): the cookie again for a page, the token in a header
    for a bearer client, and the new expiry for both."""
    renewed = app.context.get("session_renewal")
    if renewed is None:  # before any import: a public route never loads the session module
        return response
    from vitrine.auth.sessions import RENEWED_EXPIRY_HEADER, RENEWED_TOKEN_HEADER, session_cookie

    token, session = renewed
    # A route that sets the session's cookie itself (signing out clears it) has the last word on it.
    if any(cookie.name == session_cookie(None, session).name for cookie in response.cookies):
        return response

    if session.via_cookie:
        response.cookies.append(session_cookie(token, session))
    else:
        response.headers[RENEWED_TOKEN_HEADER] = token
    response.headers[RENEWED_EXPIRY_HEADER] = session.expires_at.isoformat()
    return response


@dataclass(frozen=True)
class OperatorPrincipal:
    """Who the platform's operator is on this request: the IAM caller API Gateway authorized."""

    user_arn: str
    access_key: str


def _operator_iam(app: Any) -> OperatorPrincipal:
    """The route is ``AWS_IAM`` in the template, so API Gateway let through only a signed caller whose IAM policy
    allows ``execute-api:Invoke`` on it, and says who in ``requestContext.authorizer.iam``. The function refuses a
    request without it, so a route deployed without the authorizer by mistake serves no one."""
    from vitrine.errors import Forbidden

    iam = ((app.current_event.raw_event.get("requestContext") or {}).get("authorizer") or {}).get("iam") or {}
    if not iam.get("userArn"):
        raise Forbidden("the operator's API takes requests signed with the operator's AWS credentials (IAM)")
    return OperatorPrincipal(user_arn=iam["userArn"], access_key=iam.get("accessKey") or "")


def _gateway_basic(app: Any) -> None:
    from vitrine.webhooks.inbound import check_basic_auth, gateway_credentials

    check_basic_auth(app.current_event.headers.get("authorization"), gateway_credentials())


# The check each ``Auth`` runs; what it returns is the route's principal. A value without one is refused.
_CHECKS: dict[Auth, Callable[[Any], Any]] = {
    Auth.MERCHANT_API_KEY: _merchant_caller,
    Auth.ERP_API_KEY: _authenticate_key,
    Auth.SESSION: lambda app: _session(app, required=True),
    Auth.OPTIONAL_SESSION: lambda app: _session(app, required=False),
    Auth.GATEWAY_BASIC: _gateway_basic,
    Auth.OPERATOR_IAM: _operator_iam,
}


# The answers the declaration itself implies, documented without being listed: a key is missing or wrong (401)
# or lacks the route's permission (403), a session is missing or over (401); a body is too large (413), not JSON
# (415) or not valid (422); a query string is not valid (422). A route lists only the errors of its own rules.
_AUTH_ERRORS: dict[Auth, tuple[int, ...]] = {
    Auth.MERCHANT_API_KEY: (401, 403),
    Auth.ERP_API_KEY: (401, 403),
    Auth.SESSION: (401,),
    Auth.GATEWAY_BASIC: (401,),
    Auth.OPERATOR_IAM: (403,),
}


def implied_errors(auth: Auth, body: type[BaseModel] | None, query: type[BaseModel] | None) -> set[int]:
    implied = set(_AUTH_ERRORS.get(auth, ()))
    if body is not None:
        implied |= {413, 415, 422}
    if query is not None:
        implied.add(422)
    return implied


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
    response: type[BaseModel] | str | None = None,
    status: int = 200,
    content_type: str = "application/json",
    auth: Auth = Auth.PUBLIC,
    tags: tuple[str, ...] = (),
    errors: tuple[int, ...] = (),
    raw_body: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    also: tuple[int, ...] = (),
    notes: dict[int, str] | None = None,
    documented: bool = True,
    shared_cache: bool = False,
    permission: Permission | str | None = None,
    registry: list[RouteSpec] = REGISTERED,
) -> Callable:
    """Register ``fn(**path_params, body=..., query=...)`` for ``method path``.

    ``body`` is a pydantic model parsed from JSON; ``raw_body`` a media type (``"text/csv"``) whose text the
    function gets as ``body`` instead. Either is refused past ``max_body_bytes``.
    A returned pydantic model (or dict) is sent as JSON with ``status``; a returned ``Response`` as is.
    ``also`` lists other success statuses the function answers with the same body (an upsert's 201 beside its 200).
    ``notes`` describes some of the route's error statuses; ``documented=False`` keeps it out of the OpenAPI.
    ``shared_cache`` makes its 200s views a shared cache may hold, with an ETag and 304s (``vitrine.http.caching``);
    a route with any ``auth`` but ``PUBLIC`` answers for one person, so nothing may keep its answers, and a public
    route's answer without a ``Cache-Control`` of its own is not kept either (``private, no-store``).
    ``permission`` is what the caller of a merchant route must hold (an ERP route's is ``erp``, by its auth).
    ``registry`` collects the declaration, with the module of ``fn``, for the OpenAPI build and the route table's
    check (tests pass their own).
    """
    if body is not None and raw_body is not None:
        raise ValueError("a route takes a JSON body model or a raw body, not both")
    if not isinstance(auth, Auth):
        raise TypeError(f"{method} {path}: auth is an Auth, not {auth!r}")
    if isinstance(response, str) and not _MODEL_REFERENCE.match(response):
        raise ValueError(f"{method} {path}: a response named by reference is 'package.module:Model', not {response!r}")
    check = _CHECKS.get(auth)
    if check is None and auth is not Auth.PUBLIC:
        raise ValueError(f"{method} {path}: no check runs for auth {auth}")
    permission = _declared_permission(method, path, auth, permission)
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
        tuple(sorted(set(errors) | implied_errors(auth, body, query))),
        raw_body=raw_body,
        max_body_bytes=max_body_bytes,
        also=also,
        notes=tuple(sorted((notes or {}).items())),
        documented=documented,
        shared_cache=shared_cache,
        permission=permission,
    )
    if shared_cache and auth is not Auth.PUBLIC:
        raise ValueError(f"{method} {path}: a view a shared cache holds is the same for everyone; auth is public")
    unlisted = {status for status, _ in spec.notes} - set(spec.errors)
    if unlisted:
        raise ValueError(f"{method} {path}: notes on statuses it does not answer: {sorted(unlisted)}")

    greedy = _GREEDY.search(path)
    if greedy and _PARAM.search(path[: greedy.start()]):
        raise ValueError(f"{path}: a greedy parameter is read from the path, so nothing before it may vary")
    if greedy and documented:
        raise ValueError(f"{path}: OpenAPI has no greedy path parameter; declare it documented=False")

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def endpoint(**path_params: str) -> Any:
            # Who is asking is settled before anything of the request is read: a stranger learns nothing.
            if check is not None:
                principal = check(app)
                app.append_context(principal=principal)
                if permission is not None:
                    require(principal, permission)
            kwargs: dict[str, Any] = dict(path_params)
            if body is not None:
                kwargs["body"] = parse_body(app, body, max_body_bytes)
            elif raw_body is not None:
                kwargs["body"] = read_body(app, raw_body, max_body_bytes)
            if query is not None:
                kwargs["query"] = parse_query(app, query)
            result = fn(**kwargs)
            response = _send_renewal(app, result if isinstance(result, Response) else json_response(status, result))
            if shared_cache:
                return shared_view(response, app.current_event.headers.get("if-none-match"))
            if auth is not Auth.PUBLIC:
                return private(response)
            # Only what a route says may be kept is: an order read with its token is as personal as a session's.
            response.headers.setdefault("Cache-Control", PRIVATE)
            return response

        registry.append(replace(spec, module=fn.__module__, handler=fn))
        app.route(path, method.upper())(endpoint)
        return fn

    return decorator


def _declared_permission(method: str, path: str, auth: Auth, permission: Permission | str | None) -> Any:
    """The permission the route needs: declared on every merchant route, ``erp`` on every ERP route, none else."""
    if permission is not None and not isinstance(permission, Permission) and permission != ANY_CALLER:
        raise TypeError(f"{method} {path}: permission is a Permission, not {permission!r}")
    if auth is Auth.MERCHANT_API_KEY:
        if permission is None or permission is Permission.ERP:
            raise ValueError(f"{method} {path}: a merchant route declares the permission it needs")
        return permission
    if auth is Auth.ERP_API_KEY:
        if permission not in (None, Permission.ERP):
            raise ValueError(f"{method} {path}: an ERP route needs the erp permission")
        return Permission.ERP
    if permission is not None:
        raise ValueError(f"{method} {path}: only merchant and ERP routes check a permission")
    return None


@dataclass(frozen=True)
class Routes:
    """One module's routes and what they share: the function serving them, who may call them, their tags.

    ``routes.get(path, summary=..., ...)`` (and ``post``, ``put``, ``delete``) is ``route`` with these defaults;
    a route that differs says so (``auth=Auth.PUBLIC`` on a sign-in beside session routes).
    """

    router: Any
    function: str
    auth: Auth = Auth.PUBLIC
    tags: tuple[str, ...] = ()
    permission: Permission | None = None  # what every route of the module needs, unless a route says otherwise

    def declare(self, method: str, path: str, **options: Any) -> Callable:
        shared = {"function": self.function, "auth": self.auth, "tags": self.tags}
        if self.permission is not None and options.get("auth", self.auth) is Auth.MERCHANT_API_KEY:
            shared["permission"] = self.permission
        return route(self.router, method, path, **{**shared, **options})

    def get(self, path: str, **options: Any) -> Callable:
        return self.declare("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable:
        return self.declare("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable:
        return self.declare("PUT", path, **options)

    def delete(self, path: str, **options: Any) -> Callable:
        return self.declare("DELETE", path, **options)

    def principal(self) -> Any:
        """Who the route being served authenticated (``principal_of``)."""
        return principal_of(self.router)

    def merchant_id(self) -> str:
        """The merchant the route being served is for: its API key's, or its session's."""
        return principal_of(self.router).merchant_id

    def seller_scope(self) -> str | None:
        """The seller the caller is, when a member of staff who is one of the shop's sellers calls a merchant
        route: what they may see is theirs only (their vitrines, the orders through them, their customers).
        ``None`` for a key or any other member, who see the merchant's whole."""
        return getattr(principal_of(self.router), "seller_id", None)

    def store_scope(self, permission: Permission) -> frozenset[str] | None:
        """The stores ``permission`` reaches for the caller, when their groups limit it to some (``None``: all)."""
        stores_for = getattr(principal_of(self.router), "stores_for", None)
        return stores_for(permission) if stores_for is not None else None
