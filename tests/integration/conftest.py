"""Handlers in-process under ``moto.mock_aws``, with resources shaped by infra/template.yaml.

Never mixed with the moto server: these tests and the e2e tests run in separate processes.
"""

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from local_stack.function_code import import_handler_module, load_template, template_functions
from vitrine import aws

TEMPLATE = load_template()
FUNCTIONS = {fn.logical_id: fn for fn in template_functions(TEMPLATE)}
WEBHOOK_CREDENTIALS = "vitrine:s3cret-webhook"


@dataclass
class Stack:
    table_name: str
    bus_name: str
    webhook_queue_url: str
    journal_queue_url: str
    bucket: str

    def client(self, service: str) -> Any:
        return aws.client(service)


def _create_table(name: str) -> None:
    props = TEMPLATE["Resources"]["Table"]["Properties"]
    aws.client("dynamodb").create_table(
        TableName=name,
        BillingMode=props["BillingMode"],
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
    )


@pytest.fixture
def stack(monkeypatch):
    names = {"TABLE_NAME": "vitrine-test", "EVENT_BUS_NAME": "vitrine-test", "IMAGES_BUCKET": "vitrine-test-images"}
    env = {
        **names,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "STAGE": "test",
        "POWERTOOLS_METRICS_NAMESPACE": "VitrineTest",
        "POWERTOOLS_SERVICE_NAME": "tests",
        "GATEWAY_WEBHOOK_CREDENTIALS_PARAMETER": "/vitrine/test/gateway-webhook-credentials",
    }
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        aws.reset_clients()
        _create_table(names["TABLE_NAME"])
        aws.client("events").create_event_bus(Name=names["EVENT_BUS_NAME"])
        aws.client("s3").create_bucket(Bucket=names["IMAGES_BUCKET"])
        sqs = aws.client("sqs")
        webhook_queue = sqs.create_queue(QueueName="gateway-webhooks")["QueueUrl"]
        journal_queue = sqs.create_queue(QueueName="event-journal")["QueueUrl"]
        monkeypatch.setenv("GATEWAY_WEBHOOK_QUEUE_URL", webhook_queue)
        aws.client("ssm").put_parameter(
            Name=env["GATEWAY_WEBHOOK_CREDENTIALS_PARAMETER"], Value=WEBHOOK_CREDENTIALS, Type="SecureString"
        )
        aws.reset_clients()
        yield Stack(names["TABLE_NAME"], names["EVENT_BUS_NAME"], webhook_queue, journal_queue, names["IMAGES_BUCKET"])
    aws.reset_clients()


class LambdaContext:
    function_name = "test"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test"
    log_group_name = "/aws/lambda/test"
    log_stream_name = "test"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def handler_of(logical_id: str):
    function = FUNCTIONS[logical_id]
    return getattr(import_handler_module(function), function.attribute)


def route_key_for(method: str, path: str) -> tuple[str, dict[str, str]]:
    """The template route (and path parameters) an HTTP request would be routed to."""
    for function in FUNCTIONS.values():
        for event in function.properties.get("Events", {}).values():
            if event["Type"] != "HttpApi" or event["Properties"]["Method"].upper() != method:
                continue
            template_parts = event["Properties"]["Path"].strip("/").split("/")
            parts = path.strip("/").split("/")
            if len(parts) != len(template_parts):
                continue
            params = {}
            for want, got in zip(template_parts, parts, strict=True):
                if want.startswith("{"):
                    params[want.strip("{}")] = got
                elif want != got:
                    break
            else:
                return f"{method} {event['Properties']['Path']}", params
    raise AssertionError(f"no template route for {method} {path}")


def http(
    logical_id: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: str | bytes | None = None,
    query: dict[str, str] | None = None,
) -> dict:
    """Invoke an HTTP function with an API Gateway HTTP API (payload v2) event; returns its response."""
    route_key, params = route_key_for(method, path)
    headers = {"host": "vitrine.example.com", "x-forwarded-proto": "https", **(headers or {})}
    is_binary = isinstance(body, bytes)
    event = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {k.lower(): v for k, v in headers.items()},
        "queryStringParameters": query or None,
        "pathParameters": params or None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": headers["host"],
            "domainPrefix": "vitrine",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "pytest",
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": "23/Nov/2026:06:00:00 +0000",
            "timeEpoch": 1795500000000,
        },
        "body": base64.b64encode(body).decode() if is_binary else body,
        "isBase64Encoded": is_binary,
    }
    return handler_of(logical_id)(event, LambdaContext())


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
