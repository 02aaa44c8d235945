"""Invoke the template's functions in-process as their event sources would (tests/integration).

HTTP requests are routed with the local stack's own route table and turned into payload v2 events by its
own builder, so the integration tests and ``make dev`` agree on what a request looks like to a handler.
"""

import json
import urllib.parse
import uuid
from typing import Any

from local_stack.function_code import import_handler_module, template_functions
from local_stack.http_api_payload import HttpRequest, build_event, iam_authorizer
from local_stack.lambda_context import LambdaContext
from local_stack.routes import RouteTable

FUNCTIONS = {fn.logical_id: fn for fn in template_functions()}
WEBHOOK_CREDENTIALS = "vitrine:s3cret-webhook"
SESSION_SIGNING_KEYS = "test-session-key-0123456789abcdef0123456789abcdef"
# The domain API Gateway serves the API on in these tests (its requestContext.domainName).
API_DOMAIN = "vitrine.example.com"
ROUTES = RouteTable(route for fn in FUNCTIONS.values() for route in fn.routes)


def handler_of(logical_id: str):
    function = FUNCTIONS[logical_id]
    return getattr(import_handler_module(function), function.function_name)


def http(
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: str | bytes | None = None,
    query: dict[str, str] | None = None,
    source_ip: str = "127.0.0.1",
) -> dict:
    """Send a request to whichever function the template routes it to; returns the handler's response.

    ``source_ip``: the client address API Gateway saw (``requestContext.http.sourceIp``)."""
    match = ROUTES.match(method, path)
    assert match is not None, f"no template route for {method} {path}"
    target = path + ("?" + urllib.parse.urlencode(query) if query else "")
    all_headers = {"host": API_DOMAIN, "x-forwarded-proto": "https", **(headers or {})}
    if body is not None and "content-type" not in {k.lower() for k in all_headers}:
        all_headers["content-type"] = "application/json"
    request = HttpRequest(
        method=method,
        target=target,
        headers=list(all_headers.items()),
        body=body.encode() if isinstance(body, str) else (body or b""),
        source_ip=source_ip,
    )
    authorizer = None
    if match.route.iam:  # as API Gateway (and the local front) does: an unsigned request never reaches the function
        authorizer = iam_authorizer(request, "123456789012")
        if authorizer is None:
            return {
                "statusCode": 403,
                "headers": {"Content-Type": "application/json"},
                "body": '{"message":"Forbidden"}',
            }
    event = build_event(
        request,
        match.route.route_key,
        match.path_parameters,
        request_id=str(uuid.uuid4()),
        account_id="123456789012",
        api_id="vitrine",
        domain_name=API_DOMAIN,
        authorizer=authorizer,
    )
    return handler_of(match.route.function)(event, LambdaContext())


def json_body(response: dict) -> Any:
    return json.loads(response["body"])


def sqs_event(bodies: list[str], queue_arn: str = "arn:aws:sqs:us-east-1:123456789012:q") -> dict:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": f"r{i}",
                "body": body,
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
            for i, body in enumerate(bodies)
        ]
    }
