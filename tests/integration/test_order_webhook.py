"""Gateway webhooks: authenticated ingest queues the raw body; the consumer records each webhook once."""

import base64
import hashlib
import json

import pytest
from lambda_harness import WEBHOOK_CREDENTIALS, handler_of, http, json_body, sqs_event

from vitrine.repository import inbox

CONSUMER = "OrderWebhookConsumerFunction"
PAID = {
    "id": "hook_RyEKQO789TRpZjv5",
    "type": "order.paid",
    "created_at": "2026-11-23T10:00:00Z",
    "data": {"id": "or_56GXnk6T0eU88qMm", "status": "paid", "amount": 4990},
}


def basic(credentials: str) -> dict[str, str]:
    return {
        "authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
        "content-type": "application/json",
    }


def queued_messages(stack) -> list[dict]:
    response = stack.client("sqs").receive_message(QueueUrl=stack.webhook_queue_url, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in response.get("Messages", [])]


def test_an_authenticated_webhook_is_queued_verbatim_and_answered_202(stack):
    raw = json.dumps(PAID)
    response = http("POST", "/webhooks/gateway", headers=basic(WEBHOOK_CREDENTIALS), body=raw)
    assert response["statusCode"] == 202
    assert json_body(response)["status"] == "queued"
    (message,) = queued_messages(stack)
    assert message["body"] == raw and message["provider"] == "pagarme"
    assert "authorization" not in message["headers"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("vitrine:wrong"),
        basic("vitrine"),
        {"authorization": "Bearer " + WEBHOOK_CREDENTIALS},
        {"authorization": "Basic %%%not-base64"},
        basic(WEBHOOK_CREDENTIALS + "x"),
    ],
    ids=["none", "wrong-password", "no-password", "wrong-scheme", "garbage", "longer"],
)
def test_a_webhook_without_the_right_credentials_is_401_and_nothing_is_queued(stack, headers):
    response = http("POST", "/webhooks/gateway", headers=headers, body=json.dumps(PAID))
    assert response["statusCode"] == 401
    assert json_body(response)["error"]["code"] == "unauthorized"
    assert queued_messages(stack) == []


def test_an_oversized_webhook_is_413_and_not_queued(stack):
    body = json.dumps({**PAID, "padding": "x" * 300_000})
    response = http("POST", "/webhooks/gateway", headers=basic(WEBHOOK_CREDENTIALS), body=body)
    assert response["statusCode"] == 413
    assert queued_messages(stack) == []


def test_a_webhook_body_that_is_not_utf8_is_422_and_not_queued(stack):
    response = http("POST", "/webhooks/gateway", headers=basic(WEBHOOK_CREDENTIALS), body=b'{"id": "\xff\xfe"}')
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"] == [{"field": "body", "reason": "not UTF-8 (byte 8)"}]
    assert queued_messages(stack) == []


def _queued(body: dict | str) -> str:
    raw = body if isinstance(body, str) else json.dumps(body)
    return json.dumps({"provider": "pagarme", "received_at": "2026-11-23T10:00:01Z", "headers": {}, "body": raw})


def test_the_consumer_records_a_webhook_once_however_often_it_is_delivered(stack):
    consume = handler_of(CONSUMER)
    from local_stack.lambda_context import LambdaContext

    for _ in range(3):
        assert consume(sqs_event([_queued(PAID)]), LambdaContext()) == {"batchItemFailures": []}
    record = inbox.get_webhook("pagarme", PAID["id"])
    assert record["event_type"] == "order.paid"
    # The body's hash, not the body (2-3 KB of the buyer's data nothing reads back, paid per 1 KB written).
    assert record["body_sha256"] == hashlib.sha256(json.dumps(PAID).encode()).hexdigest()
    assert "payload" not in record
    items = stack.client("dynamodb").scan(TableName=stack.table_name)["Items"]
    assert len([i for i in items if i["PK"]["S"].startswith("WEBHOOK#")]) == 1


def test_a_malformed_message_fails_alone_and_the_rest_of_the_batch_lands(stack):
    from local_stack.lambda_context import LambdaContext

    other = {**PAID, "id": "hook_second"}
    event = sqs_event([_queued(PAID), _queued("not json"), _queued({"type": "order.paid"}), _queued(other)])
    result = handler_of(CONSUMER)(event, LambdaContext())
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}
    assert inbox.get_webhook("pagarme", PAID["id"]) and inbox.get_webhook("pagarme", "hook_second")


@pytest.mark.parametrize(
    ("event_type", "data", "charge_id"),
    [
        ("charge.paid", {"id": "ch_1", "status": "paid"}, "ch_1"),
        ("order.paid", {"id": "or_1", "charges": [{"id": "ch_old"}, {"id": "ch_last"}]}, "ch_last"),
        ("order.created", {"id": "or_1", "amount": 4990}, None),
        ("subscription.created", {"id": "sub_1"}, None),
    ],
)
def test_the_consumer_syncs_the_charge_a_notification_names_and_only_records_one_naming_none(
    stack, monkeypatch, event_type, data, charge_id
):
    # Given the gateway rules stubbed (the charge's own rules have their tests), when a notification is consumed
    from local_stack.lambda_context import LambdaContext
    from vitrine.orders import gateway_sync

    synced = []
    monkeypatch.setattr(gateway_sync, "sync_charge", lambda gateway, charge: synced.append(charge))
    body = {"id": f"hook_{event_type}", "type": event_type, "data": data}
    assert handler_of(CONSUMER)(sqs_event([_queued(body)]), LambdaContext()) == {"batchItemFailures": []}
    # Then the charge it names (the last of an order's) is synced, and the webhook is recorded either way
    assert synced == ([charge_id] if charge_id else [])
    assert inbox.get_webhook("pagarme", body["id"])["event_type"] == event_type
