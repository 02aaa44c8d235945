"""Outbound webhooks in-process (tests/integration): the template's queues and bus rule in moto, the fan-out and
delivery functions driven as Lambda's pollers would, the merchant API to subscribe."""

import contextlib
import json

from lambda_harness import handler_of, http, json_body

from local_stack.lambda_context import LambdaContext
from local_stack.template import load_template
from vitrine import aws
from vitrine.events.publisher import publish
from vitrine.sqs_batches import BatchFailed

RESOURCES = load_template()["Resources"]
RECEIVER = "https://erp.example.com/vitrine/webhooks"
FAN_OUT = "OutboundWebhookFanOutFunction"
DELIVERY = "OutboundWebhookDeliveryFunction"


class Queues:
    def __init__(self, stack):
        self.sqs = stack.client("sqs")
        self.fan_out = self._create("webhook-fan-out", "OutboundWebhookFanOutQueue")
        self.deliveries = self._create("outbound-webhooks", "OutboundWebhookQueue")
        self.dlq = self.sqs.get_queue_url(QueueName="outbound-webhooks-dlq")["QueueUrl"]

    def _create(self, name, logical_id):
        redrive = RESOURCES[logical_id]["Properties"]["RedrivePolicy"]
        dlq = self.sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        policy = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": redrive["maxReceiveCount"]}
        return self.sqs.create_queue(
            QueueName=name,
            Attributes={
                "VisibilityTimeout": str(RESOURCES[logical_id]["Properties"]["VisibilityTimeout"]),
                "RedrivePolicy": json.dumps(policy),
            },
        )["QueueUrl"]

    def receive(self, url):
        return self.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["ApproximateReceiveCount"]
        ).get("Messages", [])

    def make_visible(self, message):
        """Time passing: the backoff the consumer set has run out."""
        self.sqs.change_message_visibility(
            QueueUrl=self.deliveries, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )


def sqs_records(messages, queue="q"):
    """The Lambda SQS event for messages received from a real (moto) queue."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


def webhook_queues(stack, monkeypatch) -> Queues:
    """The two outbound webhook queues as the template shapes them, and the template's bus rule to the first."""
    created = Queues(stack)
    monkeypatch.setenv("OUTBOUND_WEBHOOK_QUEUE_URL", created.deliveries)
    monkeypatch.setenv(
        "OUTBOUND_WEBHOOK_MAX_ATTEMPTS",
        RESOURCES[DELIVERY]["Properties"]["Environment"]["Variables"]["OUTBOUND_WEBHOOK_MAX_ATTEMPTS"],
    )
    aws.reset_clients()
    # The template's rule, pattern and all, from the bus to the fan-out queue.
    events = stack.client("events")
    arn = created.sqs.get_queue_attributes(QueueUrl=created.fan_out, AttributeNames=["QueueArn"])["Attributes"]
    rule = RESOURCES["OutboundWebhookEventsRule"]["Properties"]
    events.put_rule(Name="webhooks", EventBusName=stack.bus_name, EventPattern=json.dumps(rule["EventPattern"]))
    events.put_targets(
        Rule="webhooks", EventBusName=stack.bus_name, Targets=[{"Id": "fan-out", "Arn": arn["QueueArn"]}]
    )
    return created


def as_merchant(key, method, path, body=None, query=None):
    return http(
        method,
        path,
        headers={"authorization": f"Bearer {key}"},
        body=json.dumps(body) if body is not None else None,
        query=query,
    )


def subscribe(key, event_types=("OrderPaid",), url=RECEIVER):
    response = as_merchant(
        key, "POST", "/merchant/v1/webhook-endpoints", {"url": url, "event_types": list(event_types)}
    )
    assert response["statusCode"] == 201, response["body"]
    return json_body(response)


def publish_and_fan_out(queues, *events):
    """Publish on the bus; the rule routes to the fan-out queue; the fan-out function takes what arrived."""
    publish(list(events), source="vitrine.tests")
    messages = queues.receive(queues.fan_out)
    if messages:
        result = handler_of(FAN_OUT)(sqs_records(messages), LambdaContext())
        assert result == {"batchItemFailures": []}
    return messages


def deliver_next(queues):
    """Receive the next delivery message and hand it to the delivery function; the messages it got."""
    messages = queues.receive(queues.deliveries)
    assert messages, "a delivery message was queued"
    # A batch whose every record failed raises (Lambda then retries it whole): that is a failed attempt here.
    with contextlib.suppress(BatchFailed):
        handler_of(DELIVERY)(sqs_records(messages), LambdaContext())
    return messages


def deliver_everything(queues) -> int:
    """Run the fan-out on every event the bus routed, then the delivery function until no delivery is left
    (retries are not made visible: a failed attempt waits out its backoff). The messages delivered."""
    while messages := queues.receive(queues.fan_out):
        assert handler_of(FAN_OUT)(sqs_records(messages), LambdaContext()) == {"batchItemFailures": []}
    delivered = 0
    while messages := queues.receive(queues.deliveries):
        delivered += len(messages)
        with contextlib.suppress(BatchFailed):
            handler_of(DELIVERY)(sqs_records(messages), LambdaContext())
    return delivered
