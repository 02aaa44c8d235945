"""Outbound webhook rules that need no AWS: how attempts are signed and spaced, and that the template's rule,
redrive and settings agree with the code. Who may be a target: tests/unit/test_outbound_targets.py."""

from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from local_stack.template import load_template
from vitrine.webhooks.deliveries import BACKOFF_SECONDS, backoff_seconds, delivery_id
from vitrine.webhooks.endpoints import SUBSCRIBABLE_EVENT_TYPES
from vitrine.webhooks.signing import new_secret, signed_headers

RESOURCES = load_template()["Resources"]


def test_each_secret_that_signs_verifies_and_a_tampered_body_does_not():
    current, previous = new_secret(), new_secret()
    body = '{"id":"e1","type":"OrderPaid"}'
    headers = signed_headers([current, previous], "msg_1", datetime.now(UTC), body)

    assert headers["webhook-id"] == "msg_1"
    assert [s.split(",")[0] for s in headers["webhook-signature"].split(" ")] == ["v1", "v1"]
    for secret in (current, previous):
        Webhook(secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(current).verify(body.replace("e1", "e2"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_a_delivery_id_is_the_same_for_the_same_event_and_endpoint_only():
    assert delivery_id("e1", "ep_a") == delivery_id("e1", "ep_a")
    assert len({delivery_id("e1", "ep_a"), delivery_id("e1", "ep_b"), delivery_id("e2", "ep_a")}) == 3


def test_backoff_grows_within_sqs_limits_and_the_queue_allows_one_attempt_per_step_plus_the_last():
    waits = [backoff_seconds(attempt) for attempt in range(1, len(BACKOFF_SECONDS) + 1)]
    assert waits == sorted(waits) and len(set(waits)) == len(waits)
    assert max(waits) <= 12 * 3600, "SQS's visibility timeout limit"
    queue = RESOURCES["OutboundWebhookQueue"]["Properties"]
    assert sum(waits) < queue["MessageRetentionPeriod"]
    max_receive_count = queue["RedrivePolicy"]["maxReceiveCount"]
    assert max_receive_count == len(BACKOFF_SECONDS) + 1
    variables = RESOURCES["OutboundWebhookDeliveryFunction"]["Properties"]["Environment"]["Variables"]
    assert int(variables["OUTBOUND_WEBHOOK_MAX_ATTEMPTS"]) == max_receive_count


def test_the_bus_rule_sends_exactly_the_subscribable_event_types():
    pattern = RESOURCES["OutboundWebhookEventsRule"]["Properties"]["EventPattern"]
    assert sorted(pattern["detail-type"]) == sorted(SUBSCRIBABLE_EVENT_TYPES)
    assert "RefundRequested" not in SUBSCRIBABLE_EVENT_TYPES
