"""The API Gateway HTTP API payload format 2.0: request -> Lambda event, Lambda result -> HTTP response.

Pure functions, no I/O: ``local_stack.front`` feeds them real requests; the unit tests feed them by hand.
Keys API Gateway omits when empty (``cookies``, ``queryStringParameters``, ``pathParameters``, ``body``,
``stageVariables``) are omitted here too, so handlers meet the same shapes as in AWS.
"""

import base64
import binascii
import json
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_REQUEST_BYTES = 10 * 1024 * 1024
STAGE = "$default"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Bodies of these types reach the function as text; anything else arrives base64-encoded, as in AWS.
_TEXT_TYPES = ("application/json", "application/xml", "application/javascript", "application/x-javascript")
_TEXT_SUFFIXES = ("+json", "+xml")


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    port: int = 3000


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def new_request_id() -> str:
    """An id in the style of API Gateway's (``apigw-requestid``)."""
    return base64.b64encode(secrets.token_bytes(10)).decode()


def build_event(
    request: HttpRequest,
    route_key: str,
    path_parameters: dict[str, str],
    request_id: str,
    account_id: str,
    api_id: str,
    now: datetime | None = None,
    domain_name: str | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Lambda event API Gateway sends for ``request`` matched to ``route_key``.

    ``requestContext.domainName`` is the domain the API is served on (``domain_name``, by default the front's
    ``127.0.0.1:<port>``), as API Gateway sets it to its own domain: never the Host the client sent.
    ``authorizer``: what an IAM-authorized route's ``requestContext.authorizer`` holds (``{"iam": {...}}``).
    """
    now = now or datetime.now(UTC)
    raw_path, _, raw_query = request.target.partition("?")
    headers, cookies = _headers_and_cookies(request)
    domain = domain_name or f"127.0.0.1:{request.port}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = _query_parameters(raw_query)
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": account_id,
        "apiId": api_id,
        "domainName": domain,
        "domainPrefix": domain.split(".")[0],
        "http": {
            "method": request.method.upper(),
            "path": raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request_id,
        "routeKey": route_key,
        "stage": STAGE,
        "time": _clf_time(now),
        "timeEpoch": int(now.timestamp() * 1000),
    }
    if authorizer is not None:
        event["requestContext"]["authorizer"] = authorizer
    if path_parameters:
        event["pathParameters"] = path_parameters
    if request.body:
        if _is_text(headers.get("content-type", "")) and _is_utf8(request.body):
            event["body"] = request.body.decode()
            event["isBase64Encoded"] = False
        else:
            event["body"] = base64.b64encode(request.body).decode()
            event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


class MalformedResponse(ValueError):
    """The function returned something API Gateway cannot turn into a response (it answers 500)."""


def http_response(payload: Any, request_id: str) -> HttpResponse:
    """The HTTP response API Gateway makes of a successful invocation's result (format 2.0).

    Raises ``MalformedResponse`` where API Gateway would answer 500 Internal Server Error.
    """
    if not (isinstance(payload, dict) and "statusCode" in payload):
        # Format 2.0 infers a response from any JSON without statusCode: 200, the JSON as the body.
        return HttpResponse(
            200,
            [("Content-Type", "application/json"), ("apigw-requestid", request_id)],
            json.dumps(payload).encode(),
        )
    try:
        return _explicit_response(payload, request_id)
    except (TypeError, ValueError, binascii.Error) as exc:
        raise MalformedResponse(str(exc)) from exc


def internal_server_error(request_id: str) -> HttpResponse:
    return json_message(500, "Internal Server Error", request_id)


def service_unavailable(request_id: str) -> HttpResponse:
    return json_message(503, "Service Unavailable", request_id)


def not_found(request_id: str) -> HttpResponse:
    return json_message(404, "Not Found", request_id)


def forbidden(request_id: str) -> HttpResponse:
    return json_message(403, "Forbidden", request_id)


_SIGV4 = re.compile(r"^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})/(\d{8})/([a-z0-9-]+)/execute-api/aws4_request,")


def iam_authorizer(request: HttpRequest, account_id: str) -> dict[str, Any] | None:
    """What API Gateway puts in ``requestContext.authorizer`` for a request to an ``AWS_IAM`` route, or ``None``
    (answered 403) when the request is not signed with SigV4 for ``execute-api``.

    The local stack checks the signature's form, not its value: it has no IAM, and its emulator takes any
    credentials (``AWS_ENDPOINT_URL``, any key). In AWS, API Gateway verifies the signature and the caller's IAM
    policy (``execute-api:Invoke`` on the route) before the function runs."""
    headers = {name.lower(): value for name, value in request.headers}
    found = _SIGV4.match(headers.get("authorization") or "")
    if found is None or not headers.get("x-amz-date"):
        return None
    access_key = found.group(1)
    return {
        "iam": {
            "accessKey": access_key,
            "accountId": account_id,
            "callerId": access_key,
            "principalOrgId": None,
            "userArn": f"arn:aws:iam::{account_id}:user/local-operator",
            "userId": access_key,
        }
    }


def payload_too_large(request_id: str) -> HttpResponse:
    return json_message(413, "Request Entity Too Large", request_id)


def json_message(status: int, message: str, request_id: str) -> HttpResponse:
    return HttpResponse(
        status,
        [("Content-Type", "application/json"), ("apigw-requestid", request_id)],
        json.dumps({"message": message}, separators=(",", ":")).encode(),
    )


def _explicit_response(payload: dict[str, Any], request_id: str) -> HttpResponse:
    status = payload["statusCode"]
    if isinstance(status, bool) or not isinstance(status, int | str):
        raise TypeError("statusCode must be an integer")
    status = int(status)
    if not 100 <= status <= 599:
        raise ValueError(f"statusCode {status} is out of range")
    headers = [(str(name), _header_value(value)) for name, value in (payload.get("headers") or {}).items()]
    cookies = payload.get("cookies") or []
    if not isinstance(cookies, list):
        raise TypeError("cookies must be a list of strings")
    headers.extend(("Set-Cookie", str(cookie)) for cookie in cookies)
    headers.append(("apigw-requestid", request_id))
    body = payload.get("body")
    if body is None:
        content = b""
    elif payload.get("isBase64Encoded"):
        content = base64.b64decode(str(body), validate=True)
    elif isinstance(body, str):
        content = body.encode()
    else:
        raise TypeError(f"body must be a string, not {type(body).__name__}")
    return HttpResponse(status, headers, content)


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def _headers_and_cookies(request: HttpRequest) -> tuple[dict[str, str], list[str]]:
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
        elif key in headers:
            headers[key] = f"{headers[key]},{value}"
        else:
            headers[key] = value
    # What API Gateway adds in front of every integration.
    forwarded = headers.get("x-forwarded-for")
    headers["x-forwarded-for"] = f"{forwarded}, {request.source_ip}" if forwarded else request.source_ip
    headers.setdefault("x-forwarded-port", str(request.port))
    headers.setdefault("x-forwarded-proto", "http")
    return headers, cookies


def _query_parameters(raw_query: str) -> dict[str, str]:
    parameters: dict[str, str] = {}
    for name, value in urllib.parse.parse_qsl(raw_query, keep_blank_values=True):
        parameters[name] = f"{parameters[name]},{value}" if name in parameters else value
    return parameters


def _is_text(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return media_type.startswith("text/") or media_type in _TEXT_TYPES or media_type.endswith(_TEXT_SUFFIXES)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode()
    except UnicodeDecodeError:
        return False
    return True


def _clf_time(now: datetime) -> str:
    now = now.astimezone(UTC)
    return f"{now:%d}/{_MONTHS[now.month - 1]}/{now:%Y:%H:%M:%S} +0000"
