"""Outbound webhooks: a merchant subscribes an endpoint, domain events reach it signed per Standard Webhooks,
failures are retried with a growing backoff into the DLQ, and the merchant sees and replays them.

The bus, the rule (the template's own pattern) and both queues (the template's redrive) are moto's; the
receiver is ``responses`` standing in for the merchant's HTTPS endpoint (the e2e test uses a real one).
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from fake_dns import FakeDns, unanswered_port
from inside_spellings import INSIDE_SPELLINGS
from lambda_harness import handler_of, http, json_body
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from webhook_harness import (
    DELIVERY,
    FAN_OUT,
    RECEIVER,
    RESOURCES,
    as_merchant,
    deliver_next,
    publish_and_fan_out,
    sqs_records,
    subscribe,
    webhook_queues,
)

from local_stack.lambda_context import LambdaContext
from vitrine.auth.api_keys import issue_api_key
from vitrine.events.envelope import CatalogPublished, OrderPaid, StockDelta, StockLevelsChanged, new_event
from vitrine.events.publisher import publish
from vitrine.sqs_batches import BatchFailed
from vitrine.webhooks import delivery_queue
from vitrine.webhooks.deliveries import BACKOFF_SECONDS
from vitrine.webhooks.signing import signing_secrets


@pytest.fixture
def queues(stack, monkeypatch):
    return webhook_queues(stack, monkeypatch)


@pytest.fixture
def receiver():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def order_paid(merchant_id="m1", order_id="o-1"):
    data = OrderPaid(
        order_id=order_id,
        version=2,
        previous_status="pending_payment",
        reason="charge_paid",
        amount=15990,
        method="pix",
        installments=1,
    )
    return new_event(merchant_id, data)


@pytest.fixture
def key(stack):
    return issue_api_key("m1", scopes=["merchant"], name="webhooks")


def test_a_merchant_subscribes_and_sees_the_secret_only_once(stack, key):
    created = subscribe(key, ["OrderPaid", "StockLevelsChanged", "OrderPaid"])

    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["OrderPaid", "StockLevelsChanged"]
    assert created["url"] == RECEIVER
    listed = json_body(as_merchant(key, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"]
    assert [e["endpoint_id"] for e in listed] == [created["endpoint_id"]]
    assert "secret" not in listed[0] and created["secret"] not in json.dumps(listed)
    assert listed[0]["previous_secrets_retire_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://erp.example.com/hook", "event_types": ["OrderPaid"]}, "body.url"),
        ({"url": "http://127.0.0.1:8080/hook", "event_types": ["OrderPaid"]}, "body.url"),
        ({"url": "https://localhost/hook", "event_types": ["OrderPaid"]}, "body.url"),
        ({"url": "https://10.0.0.7/hook", "event_types": ["OrderPaid"]}, "body.url"),
        ({"url": "https://169.254.169.254/latest", "event_types": ["OrderPaid"]}, "body.url"),
        ({"url": "https://user:pw@erp.example.com/hook", "event_types": ["OrderPaid"]}, "body.url"),
        *(({"url": f"https://{host}/hook", "event_types": ["OrderPaid"]}, "body.url") for host in INSIDE_SPELLINGS),
        ({"url": "ftp://erp.example.com/hook", "event_types": ["OrderPaid"]}, "body.url"),
        ({"url": RECEIVER, "event_types": ["OrderTeleported"]}, "body.event_types"),
        ({"url": RECEIVER, "event_types": ["RefundRequested"]}, "body.event_types"),
        # The per-item deltas nothing ever published: stock and price changes come in batches.
        ({"url": RECEIVER, "event_types": ["StockChanged"]}, "body.event_types"),
        ({"url": RECEIVER, "event_types": []}, "body.event_types"),
        ({"url": RECEIVER, "event_types": ["OrderPaid"], "secret": "whsec_mine"}, "body.secret"),
    ],
)
def test_bad_subscriptions_are_422_naming_the_field_and_store_nothing(stack, key, body, field):
    response = as_merchant(key, "POST", "/merchant/v1/webhook-endpoints", body)

    assert response["statusCode"] == 422, response["body"]
    assert field in [d["field"] for d in json_body(response)["error"]["details"]]
    assert json_body(as_merchant(key, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"] == []


def test_a_delivery_to_a_name_that_resolves_inside_is_a_failed_attempt_that_connects_nowhere(
    stack, key, queues, outbound_deployed, monkeypatch
):
    dns = FakeDns(monkeypatch)
    host = "hooks.loja-um.com.br"
    dns.answer(host, ["127.0.0.1"])  # a public-looking name that resolves to loopback (or did, after a change)
    with unanswered_port() as trap:
        endpoint = subscribe(key, ["OrderPaid"], url=f"https://{host}:{trap.port}/vitrine")

        publish_and_fan_out(queues, order_paid())
        deliver_next(queues)

        deliveries_path = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}/deliveries"
        (delivery,) = json_body(as_merchant(key, "GET", deliveries_path))["deliveries"]
        assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("retrying", 1, None)
        assert f"{host} resolves to 127.0.0.1, which is not a public address" in delivery["last_error"]
        assert dns.connects == []
        trap.assert_untouched()


def test_a_merchant_has_at_most_ten_endpoints(stack, key):
    for _ in range(10):
        subscribe(key)
    response = as_merchant(
        key, "POST", "/merchant/v1/webhook-endpoints", {"url": RECEIVER, "event_types": ["OrderPaid"]}
    )
    assert response["statusCode"] == 409
    assert len(json_body(as_merchant(key, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"]) == 10


def test_an_event_reaches_each_subscribed_endpoint_once_signed_and_a_redelivery_posts_nothing(
    stack, key, queues, receiver
):
    paid_endpoint = subscribe(key, ["OrderPaid"])
    subscribe(key, ["StockLevelsChanged"])
    receiver.post(RECEIVER, status=200)
    event = order_paid()

    # The bus (or SQS) hands the fan-out the same event twice: one delivery all the same.
    (bus_message,) = publish_and_fan_out(queues, event)
    handler_of(FAN_OUT)(sqs_records([bus_message]), LambdaContext())
    (delivery_message,) = deliver_next(queues)

    (call,) = receiver.calls
    body = call.request.body.decode()
    headers = dict(call.request.headers)
    assert Webhook(paid_endpoint["secret"]).verify(body, headers) == event.model_dump(mode="json")
    assert headers["Content-Type"] == "application/json"
    assert headers["webhook-id"].startswith("msg_")
    with pytest.raises(WebhookVerificationError):
        Webhook(paid_endpoint["secret"]).verify(body.replace("15990", "1"), headers)

    # SQS delivering the message again (at least once) does not POST again.
    handler_of(DELIVERY)(sqs_records([delivery_message]), LambdaContext())
    assert len(receiver.calls) == 1
    assert queues.receive(queues.deliveries) == []
    (delivery,) = json_body(
        as_merchant(key, "GET", f"/merchant/v1/webhook-endpoints/{paid_endpoint['endpoint_id']}/deliveries")
    )["deliveries"]
    assert delivery["delivery_id"] == headers["webhook-id"]
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("succeeded", 1, 200)
    assert (delivery["event_id"], delivery["event_type"]) == (event.id, "OrderPaid")


def test_unsubscribed_types_and_other_merchants_events_send_nothing(stack, key, queues, receiver):
    subscribe(key, ["OrderPaid"])
    level = StockDelta(store_code="9900", sku="CAM-P", on_hand=3, reserved=1, available=2, sequence=7)
    stock = StockLevelsChanged(job_id="j1", levels=[level])
    publish_and_fan_out(queues, new_event("m1", stock), order_paid(merchant_id="m2"))
    assert queues.receive(queues.deliveries) == []
    assert len(receiver.calls) == 0


def test_a_failing_endpoint_is_retried_with_growing_backoff_then_lands_in_the_dlq_and_is_replayed(
    stack, key, queues, receiver, monkeypatch
):
    endpoint = subscribe(key, ["CatalogPublished"])
    receiver.post(RECEIVER, status=500)
    delays = []
    real_delay = delivery_queue.delay_next_receive
    monkeypatch.setattr(
        delivery_queue,
        "delay_next_receive",
        lambda handle, seconds: (delays.append(seconds), real_delay(handle, seconds)),
    )
    publish_and_fan_out(queues, new_event("m1", CatalogPublished(catalog_id="c1", slug="promo", title="Promo")))
    deliveries_path = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}/deliveries"
    max_attempts = RESOURCES["OutboundWebhookQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"]

    for attempt in range(1, max_attempts + 1):
        (message,) = deliver_next(queues)
        assert message["Attributes"]["ApproximateReceiveCount"] == str(attempt)
        # Hidden for the backoff the consumer set: nothing to receive until it runs out.
        assert queues.receive(queues.deliveries) == []
        (delivery,) = json_body(as_merchant(key, "GET", deliveries_path))["deliveries"]
        assert (delivery["attempts"], delivery["last_status_code"]) == (attempt, 500)
        assert delivery["status"] == ("retrying" if attempt < max_attempts else "failed")
        queues.make_visible(message)

    assert delays == list(BACKOFF_SECONDS)
    assert delays == sorted(delays) and len(set(delays)) == len(delays)
    # The next receive finds it over maxReceiveCount: SQS's redrive has moved it to the DLQ.
    assert queues.receive(queues.deliveries) == []
    (dead,) = queues.receive(queues.dlq)
    assert json.loads(dead["Body"])["delivery_id"] == delivery["delivery_id"]
    assert len(receiver.calls) == max_attempts
    webhook_ids = {call.request.headers["webhook-id"] for call in receiver.calls}
    assert webhook_ids == {delivery["delivery_id"]}, "the same webhook-id on every retry"

    failed = json_body(as_merchant(key, "GET", deliveries_path, query={"status": "failed"}))["deliveries"]
    assert [d["delivery_id"] for d in failed] == [delivery["delivery_id"]]
    retrying = json_body(as_merchant(key, "GET", deliveries_path, query={"status": "retrying"}))["deliveries"]
    assert retrying == []

    # The receiver is fixed; the merchant replays: same webhook-id and body, a fresh set of attempts.
    receiver.replace(responses.POST, RECEIVER, status=204)
    replayed = as_merchant(key, "POST", f"/merchant/v1/webhook-deliveries/{delivery['delivery_id']}/replay")
    assert replayed["statusCode"] == 202, replayed["body"]
    assert json_body(replayed)["status"] == "pending"
    (message,) = deliver_next(queues)
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"
    last = receiver.calls[-1].request
    assert last.headers["webhook-id"] == delivery["delivery_id"]
    assert last.body == receiver.calls[0].request.body
    Webhook(endpoint["secret"]).verify(last.body.decode(), dict(last.headers))
    (delivery,) = json_body(as_merchant(key, "GET", deliveries_path))["deliveries"]
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("succeeded", 7, 204)
    assert json_body(as_merchant(key, "GET", deliveries_path, query={"status": "failed"}))["deliveries"] == []


def test_a_replay_while_retrying_makes_the_older_message_stale(stack, key, queues, receiver):
    subscribe(key, ["OrderPaid"])
    receiver.post(RECEIVER, status=503)
    publish_and_fan_out(queues, order_paid())
    (first,) = deliver_next(queues)
    delivery_id = json.loads(first["Body"])["delivery_id"]

    assert as_merchant(key, "POST", f"/merchant/v1/webhook-deliveries/{delivery_id}/replay")["statusCode"] == 202
    receiver.replace(responses.POST, RECEIVER, status=200)
    deliver_next(queues)
    queues.make_visible(first)
    handler_of(DELIVERY)(sqs_records(queues.receive(queues.deliveries)), LambdaContext())

    assert [c.response.status_code for c in receiver.calls] == [503, 200], "the stale message sent nothing"


def test_after_rotation_both_secrets_sign_for_a_day_and_each_verifies(stack, key, queues, receiver):
    endpoint = subscribe(key, ["OrderPaid"])
    path = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}/rotate-secret"
    rotated = as_merchant(key, "POST", path)
    assert rotated["statusCode"] == 200, rotated["body"]
    new_secret = json_body(rotated)["secret"]
    assert new_secret.startswith("whsec_") and new_secret != endpoint["secret"]
    listed = json_body(as_merchant(key, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"][0]
    assert listed["previous_secrets_retire_at"] is not None
    receiver.post(RECEIVER, status=200)

    publish_and_fan_out(queues, order_paid())
    deliver_next(queues)

    (call,) = receiver.calls
    body, headers = call.request.body.decode(), dict(call.request.headers)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (new_secret, endpoint["secret"]):
        Webhook(secret).verify(body, headers)
    # A day later the rotated-out secret no longer signs.
    from vitrine.repository import webhook_endpoints

    item = webhook_endpoints.get_endpoint("m1", endpoint["endpoint_id"])
    assert signing_secrets(item, datetime.now(UTC) + timedelta(hours=25)) == [new_secret]


def a_failed_order_paid_delivery(key, queues, receiver) -> tuple[dict, dict, str]:
    """An endpoint for OrderPaid whose receiver answered 500 to the first delivery: the endpoint, the delivery's
    message as received from its queue, and the delivery's id."""
    endpoint = subscribe(key, ["OrderPaid"])
    receiver.post(RECEIVER, status=500)
    publish_and_fan_out(queues, order_paid())
    (message,) = deliver_next(queues)
    return endpoint, message, json.loads(message["Body"])["delivery_id"]


def test_another_merchants_key_cannot_touch_the_endpoints_or_deliveries(stack, key, queues, receiver):
    endpoint, _, delivery_id = a_failed_order_paid_delivery(key, queues, receiver)
    intruder = issue_api_key("m2", scopes=["merchant"], name="other")
    base = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}"

    assert json_body(as_merchant(intruder, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"] == []
    assert as_merchant(intruder, "GET", f"{base}/deliveries")["statusCode"] == 404
    assert as_merchant(intruder, "POST", f"{base}/rotate-secret")["statusCode"] == 404
    assert as_merchant(intruder, "DELETE", base)["statusCode"] == 404
    assert as_merchant(intruder, "POST", f"/merchant/v1/webhook-deliveries/{delivery_id}/replay")["statusCode"] == 404
    assert http("GET", "/merchant/v1/webhook-endpoints")["statusCode"] == 401

    (still,) = json_body(as_merchant(key, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"]
    assert still["secret_created_at"] == endpoint["secret_created_at"], "the secret was not rotated"
    (delivery,) = json_body(as_merchant(key, "GET", f"{base}/deliveries"))["deliveries"]
    assert delivery["attempts"] == 1, "nothing was replayed"


def test_a_deleted_endpoint_gets_nothing_more_and_its_deliveries_cannot_be_replayed(stack, key, queues, receiver):
    endpoint, message, delivery_id = a_failed_order_paid_delivery(key, queues, receiver)

    deleted = as_merchant(key, "DELETE", f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}")
    assert deleted["statusCode"] == 204
    queues.make_visible(message)
    deliver_next(queues)

    assert len(receiver.calls) == 1, "the retry after deletion sent nothing"
    assert as_merchant(key, "POST", f"/merchant/v1/webhook-deliveries/{delivery_id}/replay")["statusCode"] == 409
    assert json_body(as_merchant(key, "GET", "/merchant/v1/webhook-endpoints"))["endpoints"] == []
    subscribe(key)  # the slot it held is free again


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/merchant/v1/webhook-endpoints/nope/deliveries", "path.endpoint_id"),
        ("/merchant/v1/webhook-deliveries/msg_123/replay", "path.delivery_id"),
    ],
)
def test_malformed_ids_are_422(stack, key, path, field):
    method = "GET" if path.endswith("deliveries") else "POST"
    response = as_merchant(key, method, path)
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == field


def test_an_unknown_status_filter_is_422(stack, key):
    endpoint = subscribe(key)
    path = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}/deliveries"
    response = as_merchant(key, "GET", path, query={"status": "lost"})
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "query.status"


def _listed(key, endpoint_id, status=None):
    query = {"status": status} if status else None
    path = f"/merchant/v1/webhook-endpoints/{endpoint_id}/deliveries"
    return [d["delivery_id"] for d in json_body(as_merchant(key, "GET", path, query=query))["deliveries"]]


def test_a_delivery_posted_before_its_fan_out_marked_it_queued_is_listed_under_its_real_status(
    stack, key, queues, receiver, monkeypatch
):
    # Given a delivery whose message the delivery function takes the moment it is queued (a second container),
    # before the fan-out's next write marks it queued and lists it.
    endpoint = subscribe(key, ["OrderPaid"])
    receiver.post(RECEIVER, status=200)
    real_enqueue = delivery_queue.enqueue

    def enqueue_and_deliver_at_once(messages):
        real_enqueue(messages)
        deliver_next(queues)

    monkeypatch.setattr(delivery_queue, "enqueue", enqueue_and_deliver_at_once)
    publish_and_fan_out(queues, order_paid())

    # Then the merchant finds it once, succeeded, and not among the pending ones.
    assert len(receiver.calls) == 1
    (delivery_id,) = _listed(key, endpoint["endpoint_id"])
    assert _listed(key, endpoint["endpoint_id"], "succeeded") == [delivery_id]
    assert _listed(key, endpoint["endpoint_id"], "pending") == []


def test_a_fan_out_that_stopped_before_queueing_lists_nothing_and_its_retry_delivers_once(
    stack, key, queues, receiver, monkeypatch
):
    # Given a fan-out that recorded the delivery and then could not queue it (SQS unavailable).
    endpoint = subscribe(key, ["OrderPaid"])
    receiver.post(RECEIVER, status=200)
    real_enqueue = delivery_queue.enqueue

    def unavailable(messages):
        raise ConnectionError("SQS unavailable")

    monkeypatch.setattr(delivery_queue, "enqueue", unavailable)
    publish([order_paid()], source="vitrine.tests")
    (bus_message,) = queues.receive(queues.fan_out)
    with pytest.raises(BatchFailed):  # the whole batch failed: SQS delivers it again
        handler_of(FAN_OUT)(sqs_records([bus_message]), LambdaContext())
    # Then nothing was sent and the merchant lists no delivery yet.
    assert queues.receive(queues.deliveries) == []
    assert _listed(key, endpoint["endpoint_id"]) == []

    # When SQS hands the event to the fan-out again, twice, the delivery is queued once, sent once, listed.
    monkeypatch.setattr(delivery_queue, "enqueue", real_enqueue)
    for _ in range(2):
        assert handler_of(FAN_OUT)(sqs_records([bus_message]), LambdaContext()) == {"batchItemFailures": []}
    (message,) = deliver_next(queues)
    assert queues.receive(queues.deliveries) == []
    assert len(receiver.calls) == 1
    assert _listed(key, endpoint["endpoint_id"], "succeeded") == [json.loads(message["Body"])["delivery_id"]]


def test_a_delivery_stores_no_empty_attributes_so_its_writes_stay_within_one_write_unit(stack, key, queues, receiver):
    # Each attempt rewrites the whole delivery (DynamoDB bills an update the item's size, per 1 KB, once more for
    # each index): an OrderPaid delivery, retried and then delivered, stays under 1 KB.
    endpoint = subscribe(key, ["OrderPaid"])
    receiver.post(RECEIVER, status=503)
    publish_and_fan_out(queues, order_paid())
    (first,) = deliver_next(queues)
    receiver.replace(responses.POST, RECEIVER, status=200)
    queues.make_visible(first)
    deliver_next(queues)

    (delivery_id,) = _listed(key, endpoint["endpoint_id"], "succeeded")
    item = stack.client("dynamodb").get_item(
        TableName=stack.table_name, Key={"PK": {"S": f"M#m1#WEBHOOKDELIVERY#{delivery_id}"}, "SK": {"S": "DELIVERY"}}
    )["Item"]
    assert not [name for name, value in item.items() if "NULL" in value]
    # DynamoDB's size: each name's bytes and each value's (a string's bytes, a number's digits).
    size = sum(len(name) + len(next(iter(value.values())).encode()) for name, value in item.items())
    assert size < 1024, size
