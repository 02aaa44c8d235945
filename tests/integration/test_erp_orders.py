"""Orders to the ERP: the feed serves each paid order until the ERP acknowledges it; the ERP's reports move orders
through the one state machine (NF-e keys checked, tracking kept, cancellations refunded and released); open
reservations per store; one merchant's ERP key never reaches another merchant's orders."""

import json
import uuid

import pytest
import requests
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body, sqs_event
from test_checkout import CHECKOUT, available, checkout

from local_stack.lambda_context import LambdaContext
from vitrine.auth.api_keys import issue_api_key
from vitrine.erp.feed_models import OrderFeedPage
from vitrine.repository import order_state

CONSUMER = "OrderWebhookConsumerFunction"
ONE_UNIT = {**CHECKOUT, "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}]}


def nfe_key(first_43: str) -> str:
    """An NF-e access key with its check digit: mod 11, weights 2..9 from the right (as SEFAZ computes it)."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9] * 6
    total = sum(int(digit) * weight for digit, weight in zip(reversed(first_43), weights, strict=False))
    remainder = total % 11
    return first_43 + ("0" if remainder < 2 else str(11 - remainder))


# UF 35 (SP), March 2025, the issuer's CNPJ, model 55, series 1, number 1234, emission type 1, a random code.
VALID_KEY = nfe_key("3525031234567800019955001000001234100000001")
WRONG_DIGIT_KEY = VALID_KEY[:43] + str((int(VALID_KEY[43]) + 1) % 10)
INVOICE = {"access_key": VALID_KEY, "number": 1234, "series": 1}


class Erp:
    """An ERP integration of one merchant, talking to the API with its ``erp`` key."""

    def __init__(self, merchant_id: str) -> None:
        self.merchant_id = merchant_id
        self.headers = {"authorization": f"Bearer {issue_api_key(merchant_id, scopes=['erp'], name='erp')}"}

    def feed(self, **query) -> dict:
        response = http("GET", "/erp/v1/orders/feed", headers=self.headers, query=query or None)
        assert response["statusCode"] == 200, response["body"]
        return json_body(response)

    def fed_ids(self) -> list[str]:
        return [order["order_id"] for order in self.feed()["orders"]]

    def ack(self, order_ids: list[str]) -> dict[str, str]:
        response = http(
            "POST", "/erp/v1/orders/feed/ack", headers=self.headers, body=json.dumps({"order_ids": order_ids})
        )
        assert response["statusCode"] == 200, response["body"]
        return {result["order_id"]: result["outcome"] for result in json_body(response)["results"]}

    def report(self, order_id: str, report: dict) -> dict:
        return http("POST", f"/erp/v1/orders/{order_id}/events", headers=self.headers, body=json.dumps(report))

    def reservations(self, **query) -> dict:
        response = http("GET", "/erp/v1/stock/reservations", headers=self.headers, query=query or None)
        assert response["statusCode"] == 200, response["body"]
        return json_body(response)


@pytest.fixture
def erp(stack, sandbox_gateway):
    publish_small_catalog()
    return Erp("m1")


def place(body=None) -> str:
    response = checkout(body or ONE_UNIT)
    assert response["statusCode"] == 201, response["body"]
    return json_body(response)["order"]["order_id"]


def pay(sandbox, order_id: str, merchant_id: str = "m1") -> None:
    """The shopper pays the Pix at the gateway and the gateway's webhooks reach the consumer."""
    charge_id = stored(order_id, merchant_id).charge.charge_id
    requests.post(f"{sandbox.url}/sandbox/charges/{charge_id}/pay", timeout=5).raise_for_status()
    hooks = [e for e in sandbox.events if charge_id in json.dumps(e["data"])]
    bodies = [
        json.dumps({"provider": "pagarme", "received_at": "2026-11-23T10:00:00Z", "headers": {}, "body": json.dumps(e)})
        for e in hooks
    ]
    assert handler_of(CONSUMER)(sqs_event(bodies), LambdaContext()) == {"batchItemFailures": []}
    assert stored(order_id, merchant_id).status == "paid"


def paid_order(sandbox, body=None) -> str:
    order_id = place(body)
    pay(sandbox, order_id)
    return order_id


def stored(order_id: str, merchant_id: str = "m1"):
    return order_state.read_order(merchant_id, order_id)[0]


# ---------------------------------------------------------------- the feed


def test_the_feed_serves_a_paid_order_until_it_is_acknowledged_and_never_after(erp, sandbox_gateway):
    # Given an unpaid order and a paid one
    unpaid = place()
    paid = paid_order(sandbox_gateway)

    # Then the feed serves the paid one only, as often as the ERP reads without acknowledging
    assert erp.fed_ids() == [paid]
    assert erp.fed_ids() == [paid]

    # When the ERP acknowledges it
    assert erp.ack([paid]) == {paid: "acknowledged"}

    # Then it is never served again: not on the next poll, not after it moves on, not after a repeated ack
    assert erp.fed_ids() == []
    assert erp.report(paid, {"status": "in_preparation"})["statusCode"] == 200
    assert erp.ack([paid, unpaid]) == {paid: "already_acknowledged", unpaid: "not_paid"}
    assert erp.fed_ids() == []


def test_a_fed_order_carries_what_the_erp_books_a_sale_with(erp, sandbox_gateway):
    body = {**CHECKOUT, "professional_cpf": "111.444.777-35", "payment": {"method": "pix"}}
    order_id = paid_order(sandbox_gateway, body)

    page = erp.feed()
    (fed,) = page["orders"]
    order = stored(order_id)
    # The page is built as JSON, not as the model: it is still exactly what the OpenAPI document's model says
    assert OrderFeedPage.model_validate(page).model_dump(mode="json") == page
    assert (fed["order_id"], fed["status"], fed["store_code"], fed["origin"]) == (order_id, "paid", "9900", "catalog")
    assert fed["customer"] == {
        "registered": False,  # a shopper new to the merchant: the ERP registers them by CPF
        "name": "Maria Silva",
        "document": "52998224725",
        "document_type": "cpf",
        "cpf": "52998224725",
        "phone": "(11) 98888-7777",
        "email": "maria@example.com",
        "marketing_consent": True,
        "address": order.fulfilment.address.model_dump(mode="json"),
    }
    assert fed["customer_id"] is None and fed["seller_id"] is None
    assert fed["professional_cpf"] == "11144477735"
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in fed["lines"]] == [("CAM-P", 2, 4990)]
    assert fed["payment"]["method"] == "pix" and fed["payment"]["installments"] == 1
    assert fed["payment"]["amount"] == fed["total"] == 11480 and fed["payment"]["charge_id"] == order.charge.charge_id
    assert fed["fulfilment"]["kind"] == "delivery" and fed["fulfilment"]["delivery_price"] == 1500
    assert fed["reservation"] == {
        "store_code": "9900",
        "status": "held",
        "expires_at": None,
        "lines": [{"sku": "CAM-P", "quantity": 2}],
    }


def test_the_feed_pages_by_cursor_oldest_payment_first(erp, sandbox_gateway):
    first, second, third = (place() for _ in range(3))
    for order_id in (second, first, third):
        pay(sandbox_gateway, order_id)

    page = erp.feed(limit="2")
    assert [o["order_id"] for o in page["orders"]] == [second, first] and page["next_cursor"]
    rest = erp.feed(limit="2", cursor=page["next_cursor"])
    assert [o["order_id"] for o in rest["orders"]] == [third] and rest["next_cursor"] is None


def test_an_order_not_acknowledged_is_served_again_after_the_erp_acks_others(erp, sandbox_gateway):
    taken, missed = paid_order(sandbox_gateway), paid_order(sandbox_gateway)
    assert erp.ack([taken]) == {taken: "acknowledged"}
    assert erp.fed_ids() == [missed]


def test_an_order_cancelled_after_payment_is_still_served_with_its_status_until_acknowledged(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway)
    merchant = {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='staff')}"}
    http("POST", f"/merchant/v1/orders/{order_id}/cancel", headers=merchant, body="{}")
    (fed,) = erp.feed()["orders"]
    assert fed["status"] == "refunded" and fed["reservation"]["status"] == "released"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order_ids": []}, "body.order_ids"),
        ({"order_ids": "not-a-list"}, "body.order_ids"),
        ({"order_ids": [uuid.uuid4().hex, 1234]}, "body.order_ids.1"),
        ({"order_ids": [uuid.uuid4().hex, None]}, "body.order_ids.1"),
        ({"order_ids": ["x" * 101]}, "body.order_ids.0"),
        ({"order_ids": [uuid.uuid4().hex, "PED\r\n42"]}, "body.order_ids.1"),
        ({"order_ids": [uuid.uuid4().hex] * 101}, "body.order_ids"),
        ({"order_ids": [uuid.uuid4().hex], "all": True}, "body.all"),
    ],
    ids=["empty", "not-a-list", "a-number", "null", "over-long", "a-line-break", "too-many", "unknown-field"],
)
def test_a_malformed_ack_is_422_and_acknowledges_nothing(erp, sandbox_gateway, body, field):
    order_id = paid_order(sandbox_gateway)
    response = http("POST", "/erp/v1/orders/feed/ack", headers=erp.headers, body=json.dumps(body))
    assert response["statusCode"] == 422
    assert field in [d["field"] for d in json_body(response)["error"]["details"]]
    assert erp.fed_ids() == [order_id]


def test_a_malformed_id_is_answered_for_that_id_and_the_others_are_acknowledged(erp, sandbox_gateway):
    # Given a paid order in the feed
    order_id = paid_order(sandbox_gateway)

    # When the ERP acknowledges it beside ids that are no order id (its own code, a typo, an empty string)
    outcomes = erp.ack(["PED-0042", order_id, order_id.upper(), "", "PED-0042"])

    # Then each malformed id is reported as such (a repeat once), and the order is acknowledged all the same
    assert outcomes == {
        "PED-0042": "invalid_id",
        order_id: "acknowledged",
        order_id.upper(): "invalid_id",
        "": "invalid_id",
    }
    assert erp.fed_ids() == []


def test_a_malformed_cursor_is_422(erp):
    for path in ("/erp/v1/orders/feed", "/erp/v1/stock/reservations"):
        response = http("GET", path, headers=erp.headers, query={"cursor": "not-a-cursor"})
        assert response["statusCode"] == 422, path


# ---------------------------------------------------------------- tenancy


@pytest.fixture
def other_merchant(erp, sandbox_gateway):
    """Merchant m2 with its own catalog, ERP key and a paid order, beside m1's."""
    publish_small_catalog(merchant_id="m2", slug="loja-b")
    order_id = place({**ONE_UNIT, "catalog": "loja-b"})
    pay(sandbox_gateway, order_id, "m2")
    return Erp("m2"), order_id


def test_an_erp_key_of_one_merchant_cannot_touch_anothers_orders(erp, sandbox_gateway, other_merchant):
    other_erp, foreign = other_merchant
    mine = paid_order(sandbox_gateway)

    # m1's ERP sees only m1's order, and its ack of m2's order is reported as unknown, without failing its own
    assert erp.fed_ids() == [mine]
    assert erp.ack([foreign, mine]) == {foreign: "not_found", mine: "acknowledged"}
    assert other_erp.fed_ids() == [foreign]

    # nor can it report on m2's order, or list m2's reservations
    response = erp.report(foreign, {"status": "cancelled"})
    assert response["statusCode"] == 404
    assert stored(foreign, "m2").status == "paid"
    assert foreign not in {r["order_id"] for r in erp.reservations()["reservations"]}

    # and m2's cursor does not page m1's feed
    place({**ONE_UNIT, "catalog": "loja-b"})
    pay(sandbox_gateway, place({**ONE_UNIT, "catalog": "loja-b"}), "m2")
    cursor = other_erp.feed(limit="1")["next_cursor"]
    response = http("GET", "/erp/v1/orders/feed", headers=erp.headers, query={"cursor": cursor})
    assert response["statusCode"] == 422


def test_a_key_without_the_erp_scope_is_403_and_no_key_is_401(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway)
    merchant_only = {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='staff')}"}
    assert http("GET", "/erp/v1/orders/feed", headers=merchant_only)["statusCode"] == 403
    assert http("POST", f"/erp/v1/orders/{order_id}/events", body='{"status": "delivered"}')["statusCode"] == 401
    assert erp.fed_ids() == [order_id]


# ---------------------------------------------------------------- the ERP's reports


def test_each_report_moves_the_order_and_a_repeat_is_a_no_op(erp, sandbox_gateway, bus_queue):
    order_id = paid_order(sandbox_gateway)
    bus_queue()

    first = erp.report(order_id, {"status": "in_preparation"})
    assert first["statusCode"] == 200
    assert (json_body(first)["status"], json_body(first)["changed"]) == ("in_preparation", True)
    repeat = erp.report(order_id, {"status": "in_preparation"})
    assert repeat["statusCode"] == 200
    assert json_body(repeat)["changed"] is False and json_body(repeat)["version"] == json_body(first)["version"]
    assert [e["detail-type"] for e in bus_queue()] == ["OrderPreparationStarted"]


def test_an_invoice_with_a_valid_nfe_key_is_kept_and_consumes_the_reservation(erp, sandbox_gateway, bus_queue):
    order_id = paid_order(sandbox_gateway)
    on_hand_before = available()
    bus_queue()

    response = erp.report(
        order_id, {"status": "invoiced", "invoice": {"access_key": VALID_KEY, "number": 1234, "series": 1}}
    )

    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["invoice"] == {"access_key": VALID_KEY, "number": 1234, "series": 1}
    assert stored(order_id).invoice.access_key == VALID_KEY
    (event,) = bus_queue()
    assert event["detail-type"] == "OrderInvoiced" and event["detail"]["data"]["access_key"] == VALID_KEY
    assert available() == on_hand_before  # sold: it left the count with its reservation
    assert order_id not in {r["order_id"] for r in erp.reservations()["reservations"]}


@pytest.mark.parametrize(
    "access_key",
    [WRONG_DIGIT_KEY, VALID_KEY[:43], VALID_KEY + "0", "3525 0312 3456 7800 0199 5500 1000 0012 3410 0000 001"],
    ids=["wrong-check-digit", "43-digits", "45-digits", "grouped"],
)
def test_an_invalid_nfe_key_is_422_naming_the_field_and_changes_nothing(erp, sandbox_gateway, access_key):
    order_id = paid_order(sandbox_gateway)
    version = stored(order_id).version
    response = erp.report(
        order_id, {"status": "invoiced", "invoice": {"access_key": access_key, "number": 1234, "series": 1}}
    )
    assert response["statusCode"] == 422
    assert [d["field"] for d in json_body(response)["error"]["details"]] == ["body.invoice.access_key"]
    assert (stored(order_id).status, stored(order_id).version, stored(order_id).invoice) == ("paid", version, None)


def test_a_dispatch_keeps_the_carrier_and_tracking_code_and_publishes_them(erp, sandbox_gateway, bus_queue):
    order_id = paid_order(sandbox_gateway)
    bus_queue()
    shipment = {"carrier": "Correios", "tracking_code": "BR123456789BR"}

    response = erp.report(order_id, {"status": "dispatched", **shipment})

    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["shipment"] == {**shipment, "tracking_url": None}
    (event,) = bus_queue()
    assert event["detail-type"] == "OrderDispatched"
    assert (event["detail"]["data"]["carrier"], event["detail"]["data"]["tracking_code"]) == (
        "Correios",
        "BR123456789BR",
    )
    # An ERP that invoices after it dispatched: the status stays, the NF-e is kept for the shopper
    late = erp.report(order_id, {"status": "invoiced", "invoice": {"access_key": VALID_KEY, "number": 7, "series": 2}})
    assert json_body(late)["status"] == "dispatched" and json_body(late)["invoice"]["access_key"] == VALID_KEY


def test_a_dispatch_without_a_tracking_code_is_422(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway)
    response = erp.report(order_id, {"status": "dispatched", "carrier": "Correios"})
    assert response["statusCode"] == 422
    assert [d["field"] for d in json_body(response)["error"]["details"]] == ["body.tracking_code"]


def conflict_detail(response: dict, code: str) -> dict:
    """The one entry of a 409's details, which is always the documented list of ``{field, reason, ...}``."""
    assert response["statusCode"] == 409, response["body"]
    error = json_body(response)["error"]
    assert error["code"] == code
    (detail,) = error["details"]
    assert isinstance(detail["field"], str) and isinstance(detail["reason"], str) and detail["reason"]
    return detail


def test_an_impossible_report_is_409_with_from_to_and_why(erp, sandbox_gateway):
    unpaid = place()
    detail = conflict_detail(erp.report(unpaid, {"status": "in_preparation"}), "illegal_transition")
    assert (detail["field"], detail["from"], detail["to"]) == ("status", "pending_payment", "in_preparation")
    assert detail["order_id"] == unpaid
    assert stored(unpaid).status == "pending_payment"

    delivered = paid_order(sandbox_gateway)
    erp.report(delivered, {"status": "dispatched", "carrier": "Jadlog", "tracking_code": "JD1"})
    erp.report(delivered, {"status": "delivered"})
    detail = conflict_detail(erp.report(delivered, {"status": "cancelled"}), "illegal_transition")
    assert (detail["from"], detail["to"]) == ("delivered", "cancelled")


def test_a_report_racing_other_writes_is_409_order_busy_with_the_list(erp, sandbox_gateway, monkeypatch):
    # Given a paid order whose every write meets a concurrent change (another consumer moving it meanwhile)
    order_id = paid_order(sandbox_gateway)

    def always_raced(order, plan):
        raise order_state.ConcurrentChange(order.order_id)

    monkeypatch.setattr(order_state, "apply_transition", always_raced)

    # Then the report is a 409 the ERP can read like any other, and retry
    detail = conflict_detail(erp.report(order_id, {"status": "in_preparation"}), "order_busy")
    assert detail["field"] == "order_id"
    monkeypatch.undo()
    assert stored(order_id).status == "paid"
    assert erp.report(order_id, {"status": "in_preparation"})["statusCode"] == 200


def test_a_cancellation_refunds_the_payer_and_puts_the_units_back_on_sale(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway)
    held = available()

    response = erp.report(order_id, {"status": "cancelled", "reason": "out_of_stock"})

    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["status"] == "refunded"  # the gateway refunded the Pix at once
    charge_id = stored(order_id).charge.charge_id
    charge = requests.get(
        f"{sandbox_gateway.api_url}/charges/{charge_id}", auth=(sandbox_gateway.secret_key, ""), timeout=5
    ).json()
    assert charge["canceled_amount"] == stored(order_id).total
    assert available() == held + 1
    again = erp.report(order_id, {"status": "cancelled"})
    assert again["statusCode"] == 200 and json_body(again)["changed"] is False
    assert available() == held + 1


def merchant_cancel(order_id: str, reason: str = "customer_request") -> dict:
    headers = {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='console')}"}
    body = json.dumps({"reason": reason})
    return http("POST", f"/merchant/v1/orders/{order_id}/cancel", headers=headers, body=body)


def charge_of(sandbox, order_id: str) -> dict:
    charge_id = stored(order_id).charge.charge_id
    return requests.get(f"{sandbox.api_url}/charges/{charge_id}", auth=(sandbox.secret_key, ""), timeout=5).json()


def test_the_merchant_cancels_in_vitrine_while_the_erp_does_not_have_the_order(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway)
    response = merchant_cancel(order_id)
    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["status"] == "refunded"  # cancelled, and the Pix refunded at once
    assert json_body(response)["cancellation_requested"] is None


def test_once_the_erp_has_the_order_a_merchant_cancel_asks_the_erp_and_waits_for_its_report(
    erp, sandbox_gateway, bus_queue
):
    order_id = paid_order(sandbox_gateway)
    assert erp.ack([order_id]) == {order_id: "acknowledged"}
    held = available()
    bus_queue()  # what the payment published

    # The merchant cancels: the ERP is asked, the order and its money stay as they are
    response = merchant_cancel(order_id)
    assert response["statusCode"] == 202, response["body"]
    order = json_body(response)
    assert order["status"] == "paid" and order["cancellation_requested"]["reason"] == "customer_request"
    assert charge_of(sandbox_gateway, order_id).get("canceled_amount", 0) == 0 and available() == held
    # asked twice, it is one request
    assert merchant_cancel(order_id, "merchant_cancelled")["statusCode"] == 202
    asked = [e for e in bus_queue() if e["detail-type"] == "OrderCancellationRequested"]
    assert [(e["detail"]["data"]["order_id"], e["detail"]["data"]["reason"]) for e in asked] == [
        (order_id, "customer_request")
    ]
    # The ERP reads the request in its feed, where it read the order
    (fed,) = erp.feed()["orders"]
    assert fed["order_id"] == order_id and fed["cancellation_requested"]["reason"] == "customer_request"

    # When the ERP reports the cancellation, the money goes back and the units back on sale
    reported = erp.report(order_id, {"status": "cancelled", "reason": "customer_request"})
    assert reported["statusCode"] == 200 and json_body(reported)["status"] == "refunded"
    assert charge_of(sandbox_gateway, order_id)["canceled_amount"] == stored(order_id).total
    assert available() == held + 1


def test_an_invoiced_order_is_cancelled_only_by_the_erp(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway)  # not acknowledged: the ERP reported it, so it has it
    assert erp.report(order_id, {"status": "invoiced", "invoice": INVOICE})["statusCode"] == 200
    response = merchant_cancel(order_id)
    assert response["statusCode"] == 202, response["body"]
    assert json_body(response)["status"] == "invoiced" and stored(order_id).invoice is not None


@pytest.mark.parametrize("report", ["in_preparation", "ready_for_pickup", "invoiced", "dispatched", "delivered"])
def test_goods_of_a_cancelled_order_cannot_move_forward(erp, sandbox_gateway, report):
    order_id = paid_order(sandbox_gateway)
    assert merchant_cancel(order_id)["statusCode"] == 200  # cancelled and refunded before the ERP took it
    body = {
        "in_preparation": {},
        "ready_for_pickup": {},
        "invoiced": {"invoice": INVOICE},
        "dispatched": {"carrier": "Jadlog", "tracking_code": "JD1"},
        "delivered": {},
    }[report]
    response = erp.report(order_id, {"status": report, **body})
    detail = conflict_detail(response, "order_cancelled")
    assert "money returned" in json_body(response)["error"]["message"]
    assert detail == {"field": "body.status", "reason": detail["reason"]}
    assert stored(order_id).status == "refunded" and stored(order_id).invoice is None
    # the ERP's own cancellation, repeated, is still a harmless repeat
    again = erp.report(order_id, {"status": "cancelled"})
    assert again["statusCode"] == 200 and json_body(again)["changed"] is False


@pytest.mark.parametrize(
    "body",
    ['{"status": "shipped"}', '{"status": "paid"}', '{"status": "delivered", "extra": 1}', "[]", "not json"],
    ids=["unknown-status", "paid-is-the-gateways", "unknown-field", "not-an-object", "not-json"],
)
def test_a_malformed_report_is_422(erp, sandbox_gateway, body):
    order_id = paid_order(sandbox_gateway)
    response = http("POST", f"/erp/v1/orders/{order_id}/events", headers=erp.headers, body=body)
    assert response["statusCode"] == 422
    assert stored(order_id).status == "paid"


def test_a_report_on_an_unknown_order_is_404(erp):
    for order_id in (uuid.uuid4().hex, "not-an-id"):
        assert erp.report(order_id, {"status": "delivered"})["statusCode"] == 404


# ---------------------------------------------------------------- reservations


def test_the_erp_sees_the_units_online_orders_hold_per_store(erp, sandbox_gateway):
    pending = place()
    paid = paid_order(sandbox_gateway)
    pickup = place(
        {
            **CHECKOUT,
            "fulfilment": {"kind": "pickup", "store_code": "0001"},
            "lines": [{"product_sku": "CAM", "sku": "CAM-M", "quantity": 3}],
        }
    )
    cancelled = place()
    http(
        "POST",
        f"/merchant/v1/orders/{cancelled}/cancel",
        headers={"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='staff')}"},
        body="{}",
    )

    held = {r["order_id"]: r for r in erp.reservations()["reservations"]}

    assert set(held) == {pending, paid, pickup}
    assert (held[pending]["store_code"], held[pending]["sku"], held[pending]["quantity"]) == ("9900", "CAM-P", 1)
    assert held[pending]["expires_at"] == stored(pending).model_dump(mode="json")["reservation_expires_at"]
    assert held[paid]["status"] == "paid" and held[paid]["expires_at"] is None
    at_counter = erp.reservations(store="0001")["reservations"]
    assert [(r["order_id"], r["sku"], r["quantity"]) for r in at_counter] == [(pickup, "CAM-M", 3)]


def test_reservations_page_by_cursor_across_statuses(erp, sandbox_gateway):
    pending = [place() for _ in range(2)]
    paid = paid_order(sandbox_gateway)
    seen, cursor, pages = [], None, 0
    while True:
        page = erp.reservations(limit="1", **({"cursor": cursor} if cursor else {}))
        seen += [r["order_id"] for r in page["reservations"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([*pending, paid]) and pages >= 3
