"""Handlers in-process under ``moto.mock_aws``, with resources shaped by infra/template.yaml.

Never mixed with the moto server: these tests and the e2e tests run in separate processes.
"""

import hashlib
import json
import os
import types
from dataclasses import dataclass
from typing import Any

import pytest
from fast_moto import fast_dynamodb, jsonpaths_parsed_once
from lambda_harness import SESSION_SIGNING_KEYS, WEBHOOK_CREDENTIALS
from messaging_fixtures import CREDENTIALS as MESSAGING_CREDENTIALS
from moto import mock_aws
from pagarme_fixtures import SECRET, pagarme_gateway
from urllib3.util.retry import Retry

from local_stack.sandbox_gateway import SandboxGateway
from local_stack.template import load_template
from vitrine import aws
from vitrine.auth import passwords
from vitrine.parameters import forget_parameters
from vitrine.payments.settings import GatewaySettings

TEMPLATE = load_template()


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


@pytest.fixture(scope="session", autouse=True)
def _fast_dynamodb():
    """moto's DynamoDB answers at a fraction of its cost, the same answers; its EventBridge's JSONPaths parsed once
    (``tests/fast_moto.py``)."""
    if os.environ.get("VITRINE_FAST_MOTO") == "off":
        with fast_dynamodb():
            yield
        return
    with fast_dynamodb(), jsonpaths_parsed_once():
        yield


_REMEMBERED_SCRYPT: dict[tuple, bytes] = {}
# One salt for every hash the tests below make: a password's hash is then the same string all session, so it is
# derived once and every sign-in with it finds its derivation remembered.
_TESTS_SALT = hashlib.sha256(b"vitrine tests' salt").digest()


@pytest.fixture
def remembered_scrypt(monkeypatch):
    """The real scrypt (``vitrine.auth.passwords``, its cost unchanged), each derivation computed once per process:
    for tests that sign people in, not tests of hashing (``tests/unit/test_passwords.py`` keeps fresh salts and
    every derivation). A hash's salt is the tests' one salt (``hash_password``'s own draw left out), so a fixture's
    password, hashed again in each test, is the same hash; a sign-in derives what ``verify_password`` would, once.
    The production code has no test hook for the cost, so the cost stays and the results are remembered."""
    real = passwords._derive

    def derive(password: str, salt: bytes, *cost: int) -> bytes:
        key = (password, salt, cost)
        if key not in _REMEMBERED_SCRYPT:
            _REMEMBERED_SCRYPT[key] = real(password, salt, *cost)
        return _REMEMBERED_SCRYPT[key]

    monkeypatch.setattr(passwords, "_derive", derive)
    monkeypatch.setattr(passwords, "os", types.SimpleNamespace(urandom=lambda size: _TESTS_SALT[:size]))


@pytest.fixture(scope="session")
def sandbox_gateway():
    """The local stack's sandbox payment gateway (real HTTP on loopback, pagar.me's format), once per session."""
    gateway = SandboxGateway()
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def gateway():
    """The pagar.me adapter aimed at api.pagar.me (where ``responses`` answers from the recordings), two retries."""
    with pagarme_gateway(GatewaySettings(PAGARME_SECRET_KEY=SECRET, PAGARME_MAX_RETRIES=2)) as adapter:
        yield adapter


@pytest.fixture
def no_backoff(monkeypatch):
    """urllib3 retries without waiting between attempts: the tests count attempts, not seconds."""
    monkeypatch.setattr(Retry, "get_backoff_time", lambda self: 0)


def _forget_gateway() -> None:
    from vitrine.payments.pagarme import get_gateway
    from vitrine.payments.settings import reset_gateway_settings

    get_gateway.cache_clear()
    reset_gateway_settings()


@pytest.fixture
def stack(monkeypatch, sandbox_gateway):
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
        "SESSION_SIGNING_KEY_PARAMETER": "/vitrine/test/session-signing-keys",
        "MESSAGING_CREDENTIALS_PARAMETER": "/vitrine/test/messaging-credentials",
    }
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for key, value in {**env, **sandbox_gateway.environment()}.items():
        monkeypatch.setenv(key, value)
    _forget_gateway()
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
        aws.client("ssm").put_parameter(
            Name=env["SESSION_SIGNING_KEY_PARAMETER"], Value=SESSION_SIGNING_KEYS, Type="SecureString"
        )
        aws.client("ssm").put_parameter(
            Name=env["MESSAGING_CREDENTIALS_PARAMETER"], Value=json.dumps(MESSAGING_CREDENTIALS), Type="SecureString"
        )
        forget_parameters()
        aws.reset_clients()
        yield Stack(names["TABLE_NAME"], names["EVENT_BUS_NAME"], webhook_queue, journal_queue, names["IMAGES_BUCKET"])
    aws.reset_clients()
    _forget_gateway()


@pytest.fixture
def bus_queue(stack):
    """Everything published on the bus lands in a queue this test reads, as the journal's rule does."""
    events, sqs = stack.client("events"), stack.client("sqs")
    queue_url = sqs.create_queue(QueueName="order-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(
        Name="orders", EventBusName=stack.bus_name, EventPattern=json.dumps({"source": [{"prefix": "vitrine."}]})
    )
    events.put_targets(Rule="orders", EventBusName=stack.bus_name, Targets=[{"Id": "q", "Arn": arn}])

    def received() -> list[dict]:
        bodies = []
        while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
            bodies += [json.loads(m["Body"]) for m in messages]
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )
        return bodies

    return received
