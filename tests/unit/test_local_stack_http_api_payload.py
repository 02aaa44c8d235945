"""Requests become payload 2.0 events, and function results become responses, as API Gateway does it."""

import base64
import json
from datetime import UTC, datetime

import pytest

from local_stack.http_api_payload import (
    HttpRequest,
    MalformedResponse,
    build_event,
    http_response,
    internal_server_error,
    not_found,
    payload_too_large,
    service_unavailable,
)

NOW = datetime(2026, 3, 9, 19, 3, 58, 123000, tzinfo=UTC)


def event_for(request: HttpRequest, route_key="GET /c/{slug}", path_parameters=None) -> dict:
    return build_event(request, route_key, path_parameters or {}, "req-1", "123456789012", "local", now=NOW)


def test_a_get_becomes_a_v2_event_with_api_gateways_keys():
    request = HttpRequest(
        method="GET",
        target="/c/demo?utm=wa&size=P&size=M&empty=",
        headers=[
            ("Host", "127.0.0.1:3000"),
            ("User-Agent", "curl/8"),
            ("Accept", "text/html"),
            ("Accept", "application/json"),
            ("Cookie", "cart=abc; theme=dark"),
            ("Cookie", "seen=1"),
        ],
        source_ip="127.0.0.9",
        port=3000,
    )
    event = event_for(request, path_parameters={"slug": "demo"})

    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /c/{slug}"
    assert event["rawPath"] == "/c/demo"
    assert event["rawQueryString"] == "utm=wa&size=P&size=M&empty="
    assert event["cookies"] == ["cart=abc", "theme=dark", "seen=1"]
    assert event["headers"]["accept"] == "text/html,application/json"
    assert "cookie" not in event["headers"]
    assert event["headers"]["x-forwarded-for"] == "127.0.0.9"
    assert event["headers"]["x-forwarded-proto"] == "http"
    assert event["queryStringParameters"] == {"utm": "wa", "size": "P,M", "empty": ""}
    assert event["pathParameters"] == {"slug": "demo"}
    assert event["isBase64Encoded"] is False
    assert "body" not in event
    assert "stageVariables" not in event
    context = event["requestContext"]
    assert context["http"] == {
        "method": "GET",
        "path": "/c/demo",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.9",
        "userAgent": "curl/8",
    }
    assert context["accountId"] == "123456789012"
    assert context["apiId"] == "local"
    assert context["domainName"] == "127.0.0.1:3000"
    assert context["domainPrefix"] == "127"
    assert context["requestId"] == "req-1"
    assert context["routeKey"] == "GET /c/{slug}"
    assert context["stage"] == "$default"
    assert context["time"] == "09/Mar/2026:19:03:58 +0000"
    assert context["timeEpoch"] == 1773083038123


def test_keys_api_gateway_omits_are_omitted_when_empty():
    event = event_for(HttpRequest("GET", "/health", [("Host", "localhost:3000")]), route_key="GET /health")
    for absent in ("cookies", "queryStringParameters", "pathParameters", "body"):
        assert absent not in event
    assert event["rawQueryString"] == ""


def test_a_json_body_arrives_as_text_and_a_binary_body_as_base64():
    text = event_for(HttpRequest("POST", "/x", [("Content-Type", "application/json")], body=b'{"a":"\xc3\xa9"}'))
    assert text["body"] == '{"a":"é"}' and text["isBase64Encoded"] is False

    png = b"\x89PNG\r\n\x1a\n\x00"
    binary = event_for(HttpRequest("POST", "/x", [("Content-Type", "image/png")], body=png))
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == png

    # HTTP APIs hand form posts over base64-encoded, a classic surprise worth keeping locally.
    form = event_for(HttpRequest("POST", "/x", [("Content-Type", "application/x-www-form-urlencoded")], body=b"a=1"))
    assert form["isBase64Encoded"] is True and base64.b64decode(form["body"]) == b"a=1"


def test_the_domain_name_is_the_fronts_own_never_the_clients_host():
    # API Gateway sets requestContext.domainName to the domain it serves the API on; the client's Host stays a header.
    request = HttpRequest("GET", "/c/demo", [("Host", "evil.example")], port=3000)
    event = event_for(request)
    assert event["requestContext"]["domainName"] == "127.0.0.1:3000"
    assert event["headers"]["host"] == "evil.example"
    served = build_event(request, "GET /c/{slug}", {}, "req-1", "1", "api", domain_name="loja.example.com")
    assert served["requestContext"]["domainName"] == "loja.example.com"


def test_a_client_supplied_forwarded_for_is_extended_not_replaced():
    request = HttpRequest("GET", "/", [("X-Forwarded-For", "203.0.113.7")], source_ip="127.0.0.1")
    assert event_for(request)["headers"]["x-forwarded-for"] == "203.0.113.7, 127.0.0.1"


def test_a_full_response_keeps_status_headers_and_each_cookie():
    response = http_response(
        {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json", "X-Count": 3},
            "cookies": ["a=1; Path=/", "b=2; HttpOnly"],
            "body": '{"ok":true}',
            "isBase64Encoded": False,
        },
        "rid",
    )
    assert response.status == 201
    assert response.body == b'{"ok":true}'
    assert response.header("content-type") == "application/json"
    assert response.header("x-count") == "3"
    assert [value for name, value in response.headers if name == "Set-Cookie"] == ["a=1; Path=/", "b=2; HttpOnly"]
    assert response.header("apigw-requestid") == "rid"


def test_a_base64_response_body_is_decoded():
    jpeg = b"\xff\xd8\xff\xe0binary"
    response = http_response(
        {"statusCode": 200, "headers": {"content-type": "image/jpeg"}, "body": base64.b64encode(jpeg).decode(),
         "isBase64Encoded": True},
        "rid",
    )  # fmt: skip
    assert response.body == jpeg


def test_a_result_without_status_code_is_inferred_as_200_json():
    response = http_response({"hello": "world"}, "rid")
    assert response.status == 200
    assert response.header("content-type") == "application/json"
    assert json.loads(response.body) == {"hello": "world"}
    assert json.loads(http_response("plain", "rid").body) == "plain"


def test_a_status_code_without_body_is_an_empty_response():
    response = http_response({"statusCode": 204}, "rid")
    assert (response.status, response.body) == (204, b"")


@pytest.mark.parametrize(
    "payload",
    [
        {"statusCode": "abc"},
        {"statusCode": 99},
        {"statusCode": True},
        {"statusCode": 200, "body": {"not": "a string"}},
        {"statusCode": 200, "body": "%%%", "isBase64Encoded": True},
        {"statusCode": 200, "cookies": "a=1"},
    ],
)
def test_a_malformed_result_is_refused(payload):
    with pytest.raises(MalformedResponse):
        http_response(payload, "rid")


def test_api_gateways_own_answers_carry_its_messages():
    assert (internal_server_error("r").status, internal_server_error("r").body) == (
        500,
        b'{"message":"Internal Server Error"}',
    )
    assert (service_unavailable("r").status, service_unavailable("r").body) == (
        503,
        b'{"message":"Service Unavailable"}',
    )
    assert (not_found("r").status, not_found("r").body) == (404, b'{"message":"Not Found"}')
    assert payload_too_large("r").status == 413
