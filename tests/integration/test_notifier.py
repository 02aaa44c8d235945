"""The notifier in-process: a real checkout's events through a real SQS queue (moto) to the handler, the providers
answering from recordings of their real formats (``responses``), SES in the emulator."""

import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body
from messaging_fixtures import (
    CREDENTIALS,
    PHONE_NUMBER_ID,
    RATE_LIMIT,
    UNDELIVERABLE,
    WHATSAPP_URL,
    ZENVIA_URL,
    ses_bounce_event,
    whatsapp_accepted,
    whatsapp_status_body,
    zenvia_accepted,
    zenvia_status_body,
)
from shoppers import delivery_checkout

from local_stack.lambda_context import LambdaContext
from vitrine import aws
from vitrine.events.envelope import OrderPaid, OrderPreparationStarted, new_event
from vitrine.messaging import whatsapp
from vitrine.messaging.settings import reset_providers
from vitrine.money import format_brl
from vitrine.repository import messages
from vitrine.sqs_batches import BatchFailed

SENDER = "pedidos@vitrine.test"
PHONE = "5511988887777"  # the shoppers' (11) 98888-7777


@pytest.fixture
def notifier(stack, monkeypatch):
    """The notifier's queue (with its DLQ after 3 receives), SES's sender and configuration set, the secrets."""
    sqs = aws.client("sqs")
    dlq = sqs.create_queue(QueueName="notifier-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue = sqs.create_queue(
        QueueName="notifier",
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})},
    )["QueueUrl"]
    aws.client("ses").verify_email_identity(EmailAddress=SENDER)
    aws.client("sesv2").create_configuration_set(ConfigurationSetName="vitrine-test")
    for name, value in {
        "NOTIFIER_QUEUE_URL": queue,
        "MESSAGING_CREDENTIALS_PARAMETER": "/vitrine/test/messaging-credentials",
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "ZENVIA_SENDER": "vitrine",
        "SES_FROM_ADDRESS": SENDER,
        "SES_CONFIGURATION_SET": "vitrine-test",
        "PUBLIC_BASE_URL": "https://vitrine.example.com",
    }.items():
        monkeypatch.setenv(name, value)
    from vitrine.settings import get_settings

    get_settings.cache_clear()
    reset_providers()
    yield {"queue": queue, "dlq": dlq}
    reset_providers()
    get_settings.cache_clear()


def bus_event(envelope) -> str:
    detail = envelope.model_dump(mode="json")
    return json.dumps(
        {"id": "e-" + envelope.id, "source": "vitrine.orders", "detail-type": envelope.type, "detail": detail}
    )


def deliver(queue_url: str, body: str | None = None) -> dict:
    """Send ``body`` to the queue (None: only receive), receive one message and hand it to the handler as Lambda's
    event source mapping would; answers the handler's partial-batch response (and the record)."""
    sqs = aws.client("sqs")
    if body is not None:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, AttributeNames=["All"])["Messages"]
    message = got[0]
    record = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message["Attributes"],
        "eventSource": "aws:sqs",
    }
    try:
        result = handler_of("NotifierFunction")({"Records": [record]}, LambdaContext())
    except BatchFailed:  # every record failed: Lambda leaves the whole batch to come back
        result = {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    if not result["batchItemFailures"]:
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    else:
        # The handler hid the message for its backoff: nothing comes back now...
        assert sqs.receive_message(QueueUrl=queue_url).get("Messages") is None
        # ...and the test lets the backoff pass.
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    return result


def placed_order(bus_queue, *, notify_channel: str = "whatsapp", marketing: bool = False) -> tuple[dict, list[dict]]:
    from vitrine.consents.texts import CURRENT_VERSION

    publish_small_catalog()
    body = delivery_checkout("loja", [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}])
    body["notify_channel"] = notify_channel
    body |= {"marketing_consent": marketing, "consent_text_version": CURRENT_VERSION}
    headers = {"content-type": "application/json", "idempotency-key": uuid.uuid4().hex}
    response = http("POST", "/api/checkout", headers=headers, body=json.dumps(body))
    assert response["statusCode"] == 201, response["body"]
    return json_body(response)["order"], bus_queue()


def paid(order: dict):
    return new_event(
        "m1",
        OrderPaid(
            order_id=order["order_id"],
            version=2,
            previous_status="pending_payment",
            reason="charge_paid",
            amount=order["total"],
            method="pix",
            installments=1,
        ),
    )


def test_a_pix_checkout_announces_the_order_and_its_message_carries_the_code_and_a_link_that_opens_it(
    stack, bus_queue, notifier
):
    order, events = placed_order(bus_queue)
    placed = [e for e in events if e["detail-type"] == "OrderPlaced"]
    assert len(placed) == 1 and placed[0]["detail"]["data"]["method"] == "pix"
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.placed"))
        assert deliver(notifier["queue"], json.dumps(placed[0])) == {"batchItemFailures": []}
        sent = json.loads(provider.calls[0].request.body)
        assert provider.calls[0].request.headers["Authorization"] == f"Bearer {CREDENTIALS['whatsapp_token']}"
    assert sent["to"] == PHONE and sent["template"]["name"] == "vitrine_received_pix"
    assert sent["template"]["language"] == {"code": "pt_BR"}
    values = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
    assert values[0] == "Maria" and order["order_code"] in values
    pix_code = order["payment"]["pix"]["qr_code"]
    assert pix_code in values
    link = next(v for v in values if v.startswith("https://vitrine.example.com/c/loja/pedido/"))
    token = parse_qs(urlsplit(link).fragment)["token"][0]
    # The link's token opens the order's page for whoever got the message, and nothing else.
    assert http("GET", f"/api/orders/{order['order_id']}", query={"token": token})["statusCode"] == 200
    assert http("GET", f"/api/orders/{order['order_id']}", query={"token": token[:-2] + "xx"})["statusCode"] == 404
    (record,) = messages.order_messages("m1", order["order_id"])
    assert record["status"] == "sent" and record["provider_message_id"] == "wamid.placed"
    assert pix_code in record["body"] and "CPF" not in record["body"]


def test_an_event_delivered_three_times_sends_one_message(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue)
    body = bus_event(paid(order))
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.paid"))
        for _ in range(3):
            assert deliver(notifier["queue"], body) == {"batchItemFailures": []}
        assert len(provider.calls) == 1


def test_a_throttled_send_is_retried_after_its_backoff_and_sent_once(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue)
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=RATE_LIMIT, status=400)
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.later"))
        first = deliver(notifier["queue"], bus_event(paid(order)))
        assert len(first["batchItemFailures"]) == 1
        (record,) = messages.order_messages("m1", order["order_id"])
        assert record["status"] == "pending" and record["error_code"] == "130429"
        assert deliver(notifier["queue"]) == {"batchItemFailures": []}
        assert len(provider.calls) == 2
    (record,) = messages.order_messages("m1", order["order_id"])
    assert record["status"] == "sent" and record["provider_message_id"] == "wamid.later"


def test_a_send_that_keeps_failing_ends_in_the_dlq_intact(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue)
    body = bus_event(paid(order))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as provider:
        provider.post(WHATSAPP_URL, body="upstream timeout", status=503)
        deliver(notifier["queue"], body)
        deliver(notifier["queue"])
        deliver(notifier["queue"])
        sqs = aws.client("sqs")
        assert sqs.receive_message(QueueUrl=notifier["queue"]).get("Messages") is None
    (dead,) = aws.client("sqs").receive_message(QueueUrl=notifier["dlq"])["Messages"]
    assert dead["Body"] == body
    (record,) = messages.order_messages("m1", order["order_id"])
    assert record["status"] == "pending" and record["attempts"] == 3


def test_an_undeliverable_whatsapp_number_falls_back_to_sms_and_is_not_tried_again(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue)
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=UNDELIVERABLE, status=400)
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-1", "x", "texto"))
        assert deliver(notifier["queue"], bus_event(paid(order))) == {"batchItemFailures": []}
        sms = json.loads(provider.calls[1].request.body)
        assert provider.calls[1].request.headers["X-API-TOKEN"] == CREDENTIALS["zenvia_token"]
    assert sms["from"] == "vitrine" and sms["to"] == PHONE and sms["externalId"].startswith("msg_")
    assert order["order_code"] in sms["contents"][0]["text"] and "foi confirmado" in sms["contents"][0]["text"]
    later = new_event(
        "m1",
        OrderPreparationStarted(order_id=order["order_id"], version=3, previous_status="paid", reason="erp"),
    )
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-2", "x", "texto"))
        assert deliver(notifier["queue"], bus_event(later)) == {"batchItemFailures": []}
        assert [call.request.url for call in provider.calls] == [ZENVIA_URL]  # WhatsApp is not tried again
    statuses = {(r["kind"], r["channel"]): r["status"] for r in messages.order_messages("m1", order["order_id"])}
    assert statuses == {
        ("paid", "whatsapp"): "failed",
        ("paid", "sms"): "sent",
        ("in_preparation", "whatsapp"): "suppressed",
        ("in_preparation", "sms"): "sent",
    }


def _signed_post(body: bytes, signature: str | None) -> dict:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-hub-signature-256"] = signature
    return http("POST", "/webhooks/whatsapp", headers=headers, body=body)


def test_a_forged_whatsapp_status_is_401_and_changes_nothing_a_signed_one_is_recorded(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue)
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.s"))
        deliver(notifier["queue"], bus_event(paid(order)))
    body = whatsapp_status_body("wamid.s", "delivered", PHONE)
    for signature in (None, "sha256=" + "0" * 64, whatsapp.sign("another-secret", body)):
        assert _signed_post(body, signature)["statusCode"] == 401
    assert [r["status"] for r in messages.order_messages("m1", order["order_id"])] == ["sent"]
    assert json_body(_signed_post(body, whatsapp.sign(CREDENTIALS["whatsapp_app_secret"], body))) == {"received": 1}
    # A late "sent" does not move it back.
    late = whatsapp_status_body("wamid.s", "sent", PHONE)
    _signed_post(late, whatsapp.sign(CREDENTIALS["whatsapp_app_secret"], late))
    assert [r["status"] for r in messages.order_messages("m1", order["order_id"])] == ["delivered"]


def test_a_whatsapp_failure_reported_later_sends_the_sms_once(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue)
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.f"))
        deliver(notifier["queue"], bus_event(paid(order)))
    bus_queue()
    body = whatsapp_status_body("wamid.f", "failed", PHONE, error_code=131026)
    for _ in range(2):  # Meta retries a webhook it did not see answered
        assert _signed_post(body, whatsapp.sign(CREDENTIALS["whatsapp_app_secret"], body))["statusCode"] == 200
    failed = [e for e in bus_queue() if e["detail-type"] == "MessageFailed"]
    assert len(failed) == 2 and failed[0]["detail"]["id"] == failed[1]["detail"]["id"]
    assert PHONE not in json.dumps(failed[0])
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-9", "x", "texto"))
        for event in failed:
            assert deliver(notifier["queue"], json.dumps(event)) == {"batchItemFailures": []}
        assert len(provider.calls) == 1
    assert messages.is_suppressed("m1", "whatsapp", PHONE)


def test_the_subscription_check_answers_the_challenge_only_to_our_verify_token(stack, notifier):
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": CREDENTIALS["whatsapp_verify_token"],
        "hub.challenge": "1158201444",
    }
    answer = http("GET", "/webhooks/whatsapp", query=query)
    assert answer["statusCode"] == 200 and answer["body"] == "1158201444"
    assert answer["headers"]["Content-Type"].startswith("text/plain")
    assert http("GET", "/webhooks/whatsapp", query={**query, "hub.verify_token": "guess"})["statusCode"] == 403


def test_zenvia_statuses_need_the_subscription_token(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue, notify_channel="sms")
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-3", "x", "texto"))
        deliver(notifier["queue"], bus_event(paid(order)))
    body = zenvia_status_body("zv-3", "DELIVERED")
    headers = {"content-type": "application/json"}
    assert http("POST", "/webhooks/zenvia", headers=headers, body=body)["statusCode"] == 401
    assert (
        http("POST", "/webhooks/zenvia", headers={**headers, "x-vitrine-webhook-token": "nope"}, body=body)[
            "statusCode"
        ]
        == 401
    )
    ok = http(
        "POST",
        "/webhooks/zenvia",
        headers={**headers, "x-vitrine-webhook-token": CREDENTIALS["zenvia_webhook_token"]},
        body=body,
    )
    assert json_body(ok) == {"received": 1}
    assert [r["status"] for r in messages.order_messages("m1", order["order_id"])] == ["delivered"]


def test_an_email_order_is_sent_through_ses_and_a_bounce_suppresses_the_address(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue, notify_channel="email")
    assert deliver(notifier["queue"], bus_event(paid(order))) == {"batchItemFailures": []}
    (record,) = messages.order_messages("m1", order["order_id"])
    assert record["status"] == "sent" and record["recipient"] == "maria@example.com"
    assert "foi confirmado" in record["body"] and order["order_code"] in record["subject"]
    bounce = ses_bounce_event(record["provider_message_id"], "maria@example.com")
    assert deliver(notifier["queue"], json.dumps(bounce)) == {"batchItemFailures": []}
    later = new_event(
        "m1", OrderPreparationStarted(order_id=order["order_id"], version=3, previous_status="paid", reason="erp")
    )
    assert deliver(notifier["queue"], bus_event(later)) == {"batchItemFailures": []}
    statuses = [(r["kind"], r["status"]) for r in messages.order_messages("m1", order["order_id"])]
    assert statuses == [("paid", "failed"), ("in_preparation", "suppressed")]


def test_a_merchants_sms_text_is_sent_and_a_text_with_an_undeclared_variable_is_refused(stack, bus_queue, notifier):
    from vitrine.auth.api_keys import issue_api_key

    key = issue_api_key("m1", scopes=["merchant"], name="messages")
    headers = {"Authorization": f"Bearer {key}", "content-type": "application/json"}
    path = "/merchant/v1/message-templates/paid"
    bad = http("PUT", path, headers=headers, body=json.dumps({"subject": "Pago", "text": "CPF {cpf}, {nome}"}))
    assert bad["statusCode"] == 422
    assert json_body(bad)["error"]["details"][0]["field"] == "body.text"
    listed = json_body(http("GET", "/merchant/v1/message-templates", headers=headers))["templates"]
    assert not next(t for t in listed if t["kind"] == "paid")["customised"]
    mine = {"subject": "Pedido {pedido} pago", "text": "Oba, {nome}! Recebemos {total} pelo pedido {pedido}."}
    assert http("PUT", path, headers=headers, body=json.dumps(mine))["statusCode"] == 200
    preview = json_body(http("POST", path + "/preview", headers=headers, body=json.dumps(mine)))
    assert preview["text"] == "Oba, Maria! Recebemos R$ 149,90 pelo pedido K7P2QX."
    assert preview["whatsapp_text"].startswith("Maria, o pagamento do pedido K7P2QX")
    order, _ = placed_order(bus_queue, notify_channel="sms")
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-7", "x", "texto"))
        deliver(notifier["queue"], bus_event(paid(order)))
        sms = json.loads(provider.calls[0].request.body)["contents"][0]["text"]
    assert sms == f"Oba, Maria! Recebemos {format_brl(order['total'])} pelo pedido {order['order_code']}."
    reset = json_body(http("DELETE", path, headers=headers))
    assert not reset["customised"] and reset["text"] == reset["default_text"]
    assert (
        http("PUT", "/merchant/v1/message-templates/nope", headers=headers, body=json.dumps(mine))["statusCode"] == 404
    )


def test_the_merchant_is_emailed_when_a_payout_fails_once_however_often_the_event_comes(stack, notifier):
    from vitrine.events.envelope import PayoutFailed
    from vitrine.merchants import ShopProfile
    from vitrine.repository import merchants

    merchants.put_shop_profile("m1", ShopProfile(email="financeiro@loja.example"))
    event = new_event(
        "m1",
        PayoutFailed(payout_id="po_1", amount=123456, scheduled_on="2026-12-02", reason="conta encerrada"),
        event_id="payout-failed-po_1",
    )
    body = json.dumps(
        {"id": "x", "source": "vitrine.payouts", "detail-type": "PayoutFailed", "detail": event.model_dump(mode="json")}
    )
    for _ in range(2):
        assert deliver(notifier["queue"], body) == {"batchItemFailures": []}
    (record,) = messages.order_messages("m1", None)
    assert record["status"] == "sent" and record["recipient"] == "financeiro@loja.example"
    assert record["subject"] == "O repasse de R$ 1.234,56 falhou"
    assert "02/12/2026" in record["body"] and "conta encerrada" in record["body"]


def test_the_merchant_reads_an_orders_messages_with_the_recipient_masked(stack, bus_queue, notifier):
    from vitrine.auth.api_keys import issue_api_key

    order, _ = placed_order(bus_queue)
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.h"))
        deliver(notifier["queue"], bus_event(paid(order)))
    key = issue_api_key("m1", scopes=["merchant"], name="history")
    answer = http(
        "GET", f"/merchant/v1/orders/{order['order_id']}/messages", headers={"Authorization": f"Bearer {key}"}
    )
    (message,) = json_body(answer)["messages"]
    assert (message["kind"], message["channel"], message["status"]) == ("paid", "whatsapp", "sent")
    assert message["to"] == "+55 11 *****-7777" and PHONE not in answer["body"]
    other = issue_api_key("m2", scopes=["merchant"], name="other")
    assert (
        http("GET", f"/merchant/v1/orders/{order['order_id']}/messages", headers={"Authorization": f"Bearer {other}"})[
            "statusCode"
        ]
        == 404
    )


def test_two_deliveries_of_one_event_at_the_same_moment_send_one_message(stack, bus_queue, notifier):
    import threading
    import time

    order, _ = placed_order(bus_queue)
    body = bus_event(paid(order))
    sqs = aws.client("sqs")
    for _ in range(2):
        sqs.send_message(QueueUrl=notifier["queue"], MessageBody=body)
    records = []
    while len(records) < 2:
        for m in sqs.receive_message(QueueUrl=notifier["queue"], MaxNumberOfMessages=2, AttributeNames=["All"])[
            "Messages"
        ]:
            records.append(
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m["Attributes"],
                }
            )
    answers = []

    def slow_whatsapp(request):
        time.sleep(0.5)  # the first delivery is still waiting for Meta when the second arrives
        return 200, {}, json.dumps(whatsapp_accepted(PHONE, "wamid.once"))

    def run(record):
        try:
            answers.append(handler_of("NotifierFunction")({"Records": [record]}, LambdaContext()))
        except BatchFailed:
            answers.append({"batchItemFailures": [{"itemIdentifier": record["messageId"]}]})

    with responses.RequestsMock(assert_all_requests_are_fired=False) as provider:
        provider.add_callback(responses.POST, WHATSAPP_URL, callback=slow_whatsapp)
        first = threading.Thread(target=run, args=(records[0],))
        first.start()
        time.sleep(0.2)
        run(records[1])
        first.join()
        assert len(provider.calls) == 1
    # One sent it; the other comes back after the lease and finds it sent.
    assert sorted(len(a["batchItemFailures"]) for a in answers) == [0, 1]
    (record,) = messages.order_messages("m1", order["order_id"])
    assert record["status"] == "sent" and record["provider_message_id"] == "wamid.once"


def test_a_status_message_costs_four_dynamodb_requests(stack, bus_queue, notifier):
    from collections import Counter

    order, _ = placed_order(bus_queue)
    later = new_event(
        "m1", OrderPreparationStarted(order_id=order["order_id"], version=3, previous_status="paid", reason="erp")
    )
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.warm"))
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.counted"))
        deliver(notifier["queue"], bus_event(paid(order)))  # the container is warm: secrets and clients cached
        calls = Counter()
        aws.client("dynamodb").meta.events.register(
            "before-call.dynamodb", lambda model, **_: calls.update([model.name])
        )
        deliver(notifier["queue"], bus_event(later))
    # The order; its catalog, shop, texts and suppression together; the record's claim; sent, with its pointer.
    assert calls == Counter({"GetItem": 1, "BatchGetItem": 1, "PutItem": 1, "TransactWriteItems": 1})


def delivered(order: dict):
    from vitrine.events.envelope import OrderDelivered

    return new_event(
        "m1", OrderDelivered(order_id=order["order_id"], version=5, previous_status="invoiced", reason="erp")
    )


def opt_in_to_the_follow_up() -> None:
    from vitrine.auth.api_keys import issue_api_key

    key = issue_api_key("m1", scopes=["merchant"], name="marketing")
    headers = {"Authorization": f"Bearer {key}", "content-type": "application/json"}
    path = "/merchant/v1/message-templates/marketing_follow_up"
    no_link = {"subject": "Novidades", "text": "{nome}, veja: {link_vitrine}"}
    refused = http("PUT", path, headers=headers, body=json.dumps(no_link))
    assert refused["statusCode"] == 422 and "link_descadastro" in refused["body"]
    mine = {
        "subject": "Novidades da {loja}",
        "text": "{nome}, chegou coisa nova: {link_vitrine} Sair: {link_descadastro}",
    }
    assert http("PUT", path, headers=headers, body=json.dumps(mine))["statusCode"] == 200


def test_no_consent_no_marketing_message(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue, notify_channel="sms", marketing=False)
    opt_in_to_the_follow_up()
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-d", "x", "texto"))
        assert deliver(notifier["queue"], bus_event(delivered(order))) == {"batchItemFailures": []}
        texts = [json.loads(c.request.body)["contents"][0]["text"] for c in provider.calls]
    assert len(texts) == 1 and "foi entregue" in texts[0]  # the delivery's update, not the marketing
    kinds = {r["kind"]: (r["status"], r.get("error_code")) for r in messages.order_messages("m1", order["order_id"])}
    assert kinds["marketing_follow_up"] == ("skipped", "no_consent")


def test_marketing_goes_with_consent_and_its_link_and_a_revocation_stops_it_at_once(stack, bus_queue, notifier):
    order, _ = placed_order(bus_queue, notify_channel="sms", marketing=True)
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-m", "x", "texto"))
        # Not opted in: a delivery sends its update only.
        deliver(notifier["queue"], bus_event(delivered(order)))
        assert len(provider.calls) == 1
        opt_in_to_the_follow_up()
        deliver(notifier["queue"], bus_event(delivered(order)))
        follow_up = json.loads(provider.calls[-1].request.body)["contents"][0]["text"]
    assert follow_up.startswith("Maria, chegou coisa nova: https://vitrine.example.com/c/loja Sair: ")
    link = follow_up.rsplit(" ", 1)[-1]
    assert link.startswith("https://vitrine.example.com/privacidade/")
    token = link.rsplit("/", 1)[-1]
    assert json_body(http("POST", f"/privacidade/{token}"))["revoked"] == 1
    with responses.RequestsMock() as provider:
        provider.post(ZENVIA_URL, json=zenvia_accepted(PHONE, "zv-n", "x", "texto"))
        deliver(notifier["queue"], bus_event(delivered(order)))
        assert ["foi entregue" in json.loads(c.request.body)["contents"][0]["text"] for c in provider.calls] == [True]
    follow_ups = [r for r in messages.order_messages("m1", order["order_id"]) if r["kind"] == "marketing_follow_up"]
    assert [(r["status"], r.get("error_code")) for r in follow_ups] == [("sent", None), ("skipped", "no_consent")]


def test_the_ready_for_pickup_message_says_the_stores_street_address(stack, bus_queue, notifier):
    from vitrine.catalogs.models import FulfilmentKind, Store
    from vitrine.events.envelope import OrderReadiedForPickup
    from vitrine.repository import stores

    publish_small_catalog()
    centre = Store(
        code="0001",
        name="Loja Centro",
        city="Campinas",
        address="Rua Barão de Jaguara, 1000 - Centro",
        fulfilment=[FulfilmentKind.PICKUP],
    )
    stores.put_store("m1", centre)
    body = delivery_checkout("loja", [{"product_sku": "CAM", "sku": "CAM-M", "quantity": 1}])
    body["fulfilment"] = {"kind": "pickup", "store_code": "0001"}
    response = http(
        "POST",
        "/api/checkout",
        headers={"content-type": "application/json", "idempotency-key": uuid.uuid4().hex},
        body=json.dumps(body),
    )
    assert response["statusCode"] == 201, response["body"]
    order = json_body(response)["order"]
    ready = new_event(
        "m1", OrderReadiedForPickup(order_id=order["order_id"], version=3, previous_status="paid", reason="erp")
    )
    with responses.RequestsMock() as provider:
        provider.post(WHATSAPP_URL, json=whatsapp_accepted(PHONE, "wamid.ready"))
        assert deliver(notifier["queue"], bus_event(ready)) == {"batchItemFailures": []}
        sent = json.loads(provider.calls[0].request.body)
    values = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
    assert "Loja Centro, Rua Barão de Jaguara, 1000 - Centro (Campinas)" in values
    (record,) = messages.order_messages("m1", order["order_id"])
    assert "retirada em Loja Centro, Rua Barão de Jaguara, 1000 - Centro (Campinas)." in record["body"]
