"""The resolver every API function serves with: an API Gateway HTTP API (payload 2.0) event in, its response out.

Why not Powertools' ``event_handler`` (we keep Powertools for Logger and Metrics): importing any part of it
(``event_handler.api_gateway``, ``.router``, ``Response``) runs the package's ``__init__``, which imports every
resolver it has (AppSync with asyncio, Bedrock agents, VPC Lattice, ALB, REST) and every event source's data class,
~55-60 ms of a cold start's imports, in functions whose floor is ~190 ms (``bench/RESULTS.md``, cold start). What
our functions use of it is small and is all here: routes declared on a ``Router`` per module, included in a
resolver; the request as ``current_event`` (headers read case-insensitively, cookies, the query, the body, the
request context); a per-request ``context`` (``append_context``); exception handlers looked up by the exception's
class hierarchy, and ``not_found``; a ``Response`` with headers and cookies, serialized as payload 2.0 expects
(``headers`` one value each, ``cookies`` a list, bytes as base64).

API Gateway has matched the route before the function runs: the event's ``routeKey`` (``"GET /c/{slug}"``) names
it, and the route is a dict lookup. Routes are declared with the template's path syntax (``{slug}``, a greedy last
``{key+}``), so a route's key is its declaration. Path parameters are read from the path by the route's pattern
(one segment each, as raw as API Gateway's ``rawPath``; a greedy one spans slashes), as Powertools did, so route
functions get what they got before. An event whose ``routeKey`` no route has (``$default``, a hand-built test
event) is matched by method and path; nothing matching is the ``not_found`` handler's answer.
"""

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

_TEMPLATE_PARAM = re.compile(r"\{(\w+)(\+?)\}")
# The characters Powertools let a path parameter hold (RFC 3986's unreserved and sub-delims, and escapes): never "/".
_SEGMENT = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+"


class NotFoundError(Exception):
    """No route serves the request; what ``Router.not_found`` handles."""


class Response:
    """An HTTP answer: ``body`` is text, bytes (sent base64-encoded) or, with a JSON ``content_type``, anything
    ``json.dumps`` takes; ``content_type`` becomes the ``Content-Type`` header unless ``headers`` names one."""

    def __init__(
        self,
        status_code: int,
        content_type: str | None = None,
        body: Any = None,
        headers: Mapping[str, str | list[str]] | None = None,
        cookies: list[Any] | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.headers: dict[str, str | list[str]] = dict(headers) if headers else {}
        self.cookies: list[Any] = cookies or []
        self.content_type = content_type
        if content_type:
            self.headers.setdefault("Content-Type", content_type)

    def to_payload(self) -> dict[str, Any]:
        """The Lambda result API Gateway turns into this response (payload format 2.0)."""
        body = self.body
        content_type = self.headers.get("Content-Type", "")
        if isinstance(content_type, list):
            content_type = content_type[0] if content_type else ""
        if body is not None and not isinstance(body, str | bytes) and content_type.startswith("application/json"):
            body = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        encoded = isinstance(body, bytes)
        headers = {
            name: value if isinstance(value, str) else ", ".join(value)
            for name, value in self.headers.items()
            if value is not None
        }
        return {
            "statusCode": self.status_code,
            "body": base64.b64encode(body).decode() if encoded else body,
            "isBase64Encoded": encoded,
            "headers": headers,
            "cookies": [str(cookie) for cookie in self.cookies],
        }


class Headers(Mapping[str, str]):
    """A request's headers, looked up whatever the case of the name (HTTP API sends them lower-cased already)."""

    def __init__(self, headers: Mapping[str, str] | None) -> None:
        self._headers = {name.lower(): value for name, value in (headers or {}).items()}

    def __getitem__(self, name: str) -> str:
        return self._headers[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._headers

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers)

    def __len__(self) -> int:
        return len(self._headers)


class _Fields:
    """Attribute access to a part of the event: ``event.request_context.http.source_ip``."""

    _NAMES: dict[str, str] = {}

    def __init__(self, data: Mapping[str, Any] | None) -> None:
        self._data = data or {}

    def __getattr__(self, name: str) -> Any:
        key = self._NAMES.get(name)
        if key is None:
            raise AttributeError(name)
        return self._data.get(key)


class _HttpContext(_Fields):
    _NAMES = {"method": "method", "path": "path", "protocol": "protocol", "source_ip": "sourceIp"}
    _NAMES |= {"user_agent": "userAgent"}


class RequestContext(_Fields):
    _NAMES = {"domain_name": "domainName", "request_id": "requestId", "route_key": "routeKey", "stage": "stage"}
    _NAMES |= {"account_id": "accountId", "api_id": "apiId", "time_epoch": "timeEpoch"}

    @property
    def http(self) -> _HttpContext:
        return _HttpContext(self._data.get("http"))


class HttpApiEvent:
    """The request, as a route reads it (``router.current_event``); ``raw_event`` is the payload as sent."""

    def __init__(self, event: Mapping[str, Any]) -> None:
        self.raw_event = event
        self.headers = Headers(event.get("headers"))
        self.request_context = RequestContext(event.get("requestContext"))

    @property
    def route_key(self) -> str:
        return self.raw_event.get("routeKey") or ""

    @property
    def http_method(self) -> str:
        return (self.request_context.http.method or "").upper()

    @property
    def path(self) -> str:
        """The path the route matched, without a named stage's prefix (``$default`` has none)."""
        path = self.raw_event.get("rawPath") or ""
        stage = self.request_context.stage
        if stage and stage != "$default":
            return path[len("/" + stage) :]
        return path

    @property
    def body(self) -> str | None:
        return self.raw_event.get("body")

    @property
    def is_base64_encoded(self) -> bool:
        return bool(self.raw_event.get("isBase64Encoded"))

    @property
    def cookies(self) -> list[str]:
        return self.raw_event.get("cookies") or []

    @property
    def query_string_parameters(self) -> dict[str, str]:
        return self.raw_event.get("queryStringParameters") or {}

    @property
    def path_parameters(self) -> dict[str, str]:
        return self.raw_event.get("pathParameters") or {}


def _pattern(path: str) -> re.Pattern[str]:
    """The regular expression of a template path: ``{name}`` one segment, a last ``{name+}`` the rest."""
    parts = _TEMPLATE_PARAM.split(path)  # [static, name, plus, static, name, plus, ..., static]
    pattern = re.escape(parts[0])
    for index in range(1, len(parts), 3):
        name, greedy, static = parts[index : index + 3]
        pattern += f"(?P<{name}>{'.+' if greedy else _SEGMENT}){re.escape(static)}"
    return re.compile(f"^{pattern}$")


class Route:
    def __init__(self, method: str, path: str, func: Callable[..., Any]) -> None:
        self.method = method.upper()
        self.path = path
        self.key = f"{self.method} {path}"
        self.func = func
        self.pattern = _pattern(path)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path) if method == self.method else None
        return found.groupdict() if found else None


class Router:
    """One module's routes (``route``), and the request being served (``current_event``, ``context``)."""

    # The request being served and what its route learnt of it (``append_context``), the same for every router:
    # a Lambda container serves one request at a time, and each resolve clears the context when it answers.
    current_event: HttpApiEvent
    lambda_context: Any = None
    context: ClassVar[dict[str, Any]] = {}

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self._exception_handlers: dict[type[BaseException], Callable[[Any], Response]] = {}

    def route(self, path: str, method: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Serve ``method path`` (the template's path: ``/c/{slug}``, ``/img/{key+}``) with the function."""

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            declared = Route(method, path, func)
            if declared.key in self.routes:
                raise ValueError(f"{declared.key} is declared twice")
            self.routes[declared.key] = declared
            return func

        return register

    def append_context(self, **values: Any) -> None:
        self.context.update(values)

    def exception_handler(self, exc_class: type[BaseException]) -> Callable[[Callable], Callable]:
        def register(func: Callable[[Any], Response]) -> Callable[[Any], Response]:
            self._exception_handlers[exc_class] = func
            return func

        return register

    def not_found(self, func: Callable[[Any], Response]) -> Callable[[Any], Response]:
        return self.exception_handler(NotFoundError)(func)


class HttpApiResolver(Router):
    """A function's routes (its own and the routers it includes) and the handlers of the errors they raise."""

    def include_router(self, router: Router) -> None:
        for key, declared in router.routes.items():
            if key in self.routes:
                raise ValueError(f"{key} is declared twice")
            self.routes[key] = declared

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        request = HttpApiEvent(event)
        Router.current_event = request
        Router.lambda_context = context
        try:
            return self._answer(request).to_payload()
        finally:
            self.context.clear()

    def _answer(self, request: HttpApiEvent) -> Response:
        method, path = request.http_method, request.path
        try:
            declared = self.routes.get(request.route_key)
            params = declared.match(method, path) if declared is not None else None
            if params is None:
                declared, params = self._match(method, path)
            result = declared.func(**params)
            if not isinstance(result, Response):
                return Response(200, "application/json", result)
            return result
        except Exception as exc:
            handler = self._handler_for(type(exc))
            if handler is None:
                raise
            return handler(exc)

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        for declared in self.routes.values():
            params = declared.match(method, path)
            if params is not None:
                return declared, params
        raise NotFoundError(f"{method} {path}")

    def _handler_for(self, exc_type: type[BaseException]) -> Callable[[Any], Response] | None:
        for cls in exc_type.__mro__:
            if cls in self._exception_handlers:
                return self._exception_handlers[cls]
        return None
