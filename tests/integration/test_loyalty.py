"""Loyalty points (issue 19), handlers in-process: checkout with a professional's CPF, payment at the sandbox
gateway, the ERP's invoice, and the bus's order events fed to ``LoyaltyFunction``; the partner is ``responses``
answering the recorded payloads of the documented contract (``docs/loyalty-partner.md``,
``tests/fixtures/loyalty_partner``)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import responses
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body, sqs_event
from test_erp_orders import INVOICE, Erp, pay, place

from local_stack.lambda_context import LambdaContext
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import Product, Variant
from vitrine.catalogs.stock_levels import StockLevel
from vitrine.repository import assortment, loyalty, order_state, stock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "loyalty_partner"
PARTNER = "https://fidelidade.example.com/v1"
PROFESSIONAL = "52998224725"
OTHER_PROFESSIONAL = "11144477735"
LINES = [
    {"product_sku": "CAM", "sku": "CAM-P", "quantity": 2},  # Tigre: 2 x R$ 49,90 at 2 points per R$ 1,00 = 199
    {"product_sku": "TIN", "sku": "TIN-U", "quantity": 1},  # Suvinil does not participate
]
SETTINGS = {
    "enabled": True,
    "mode": "per_real",
    "brands": ["Tigre", "Quartzolit"],
    "stores": {"9900": {"partner_store_code": "ONLINE", "brand_rates": {"tigre": 2}}},
    "partner": {"base_url": PARTNER, "api_key": "lp_test_0123456789"},
}


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def shop(stack, sandbox_gateway, bus_queue):
    publish_small_catalog()
    assortment.put_product(
        "m1",
        Product(sku="CAM", name="Tubo", brand="Tigre", classifiers=["Hidráulica"], variants=[Variant(sku="CAM-P")]),
    )
    assortment.put_product("m1", Product(sku="TIN", name="Tinta", brand="Suvinil", variants=[Variant(sku="TIN-U")]))
    assortment.put_prices("m1", "varejo", {"CAM": 4990, "TIN": 2000})
    stock.set_stock("m1", StockLevel(store_code="9900", sku="TIN-U", on_hand=5, sequence=1))
    return Merchant(bus_queue)


class Merchant:
    def __init__(self, bus_queue) -> None:
        self.headers = {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='shop')}"}
        self.erp = Erp("m1")
        self.bus = bus_queue

    def put_settings(self, body: dict) -> dict:
        return http("PUT", "/merchant/v1/loyalty", headers=self.headers, body=json.dumps(body))

    def set_cpf(self, order_id: str, cpf: str) -> dict:
        path = f"/merchant/v1/orders/{order_id}/loyalty-cpf"
        return http("PUT", path, headers=self.headers, body=json.dumps({"cpf": cpf}))

    def remove_cpf(self, order_id: str) -> dict:
        return http("DELETE", f"/merchant/v1/orders/{order_id}/loyalty-cpf", headers=self.headers)

    def order(self, order_id: str) -> dict:
        return json_body(http("GET", f"/merchant/v1/orders/{order_id}", headers=self.headers))

    def loyalty_events(self) -> list[str]:
        """The bus's events loyalty subscribes to (as the template's LoyaltyEventsRule routes them)."""
        return [json.dumps(event) for event in self.bus() if event["detail-type"] in LOYALTY_TYPES]


LOYALTY_TYPES = {"OrderInvoiced", "OrderCancelled", "OrderRefunded", "PaymentRefunded", "OrderLoyaltyCpfChanged"}


def consume(bodies: list[str]) -> dict:
    return handler_of("LoyaltyFunction")(sqs_event(bodies), LambdaContext())


@pytest.fixture
def partner():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")  # the sandbox gateway, real HTTP on loopback
        mock.add(responses.POST, f"{PARTNER}/accruals", json=recorded("accrual_created.json"), status=201)
        mock.add(responses.POST, f"{PARTNER}/reversals", json=recorded("reversal_created.json"), status=201)
        yield mock


def sent(mock, path: str) -> list[dict]:
    return [json.loads(call.request.body) for call in mock.calls if call.request.url == f"{PARTNER}{path}"]


def paid_order(shop, sandbox_gateway, cpf: str | None = PROFESSIONAL) -> str:
    from test_checkout import CHECKOUT

    body = {**CHECKOUT, "lines": LINES, **({"professional_cpf": cpf} if cpf else {})}
    order_id = place(body)
    pay(sandbox_gateway, order_id)
    return order_id


def invoice(shop, order_id: str) -> None:
    assert shop.erp.report(order_id, {"status": "invoiced", "invoice": INVOICE})["statusCode"] == 200


def test_only_participating_brands_score_at_the_store_table_and_none_before_the_invoice(shop, sandbox_gateway, partner):
    # Given loyalty enabled with a table for the online store, and a paid order with a professional's CPF
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)

    # When the events so far (paid) reach the consumer: nothing is sent, the order is "a pontuar"
    assert shop.loyalty_events() == []
    assert sent(partner, "/accruals") == []
    assert shop.order(order_id)["loyalty"]["state"] == "to_score"

    # When the ERP invoices it and the invoice's event reaches the consumer
    invoice(shop, order_id)
    assert consume(shop.loyalty_events()) == {"batchItemFailures": []}

    # Then the partner got one accrual in the contract's shape: only the Tigre line, 199 points
    (accrual,) = sent(partner, "/accruals")
    assert accrual["points"] == 199
    assert accrual["cpf"] == PROFESSIONAL and accrual["store_code"] == "ONLINE"
    assert accrual["lines"] == [{"sku": "CAM-P", "brand": "Tigre", "quantity": 2, "amount": 9980, "points": 199}]
    assert accrual["idempotency_key"].startswith(f"{order_id}:") and accrual["event"] == "OrderInvoiced"
    assert partner.calls[0].request.headers["Authorization"] == "Bearer lp_test_0123456789"
    assert partner.calls[0].request.headers["Idempotency-Key"] == accrual["idempotency_key"]
    assert shop.order(order_id)["loyalty"] == {
        "state": "scored",
        "points": 199,
        "accrued": 199,
        "reversed": 0,
        "cpf_locked": True,
    }


def test_a_cancellation_after_the_invoice_reverses_once_and_the_cpf_is_then_a_409(shop, sandbox_gateway, partner):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)
    invoice(shop, order_id)
    invoiced = shop.loyalty_events()
    assert consume(invoiced) == {"batchItemFailures": []}

    # A CPF edit after the points were sent is a 409 that says so, and changes nothing
    refused = shop.set_cpf(order_id, OTHER_PROFESSIONAL)
    assert refused["statusCode"] == 409, refused["body"]
    assert "já foram enviados" in json_body(refused)["error"]["message"]
    assert shop.remove_cpf(order_id)["statusCode"] == 409
    assert order_state.read_order("m1", order_id)[0].professional_cpf == PROFESSIONAL

    # When the ERP cancels the invoiced order, and the cancellation arrives twice (with the invoice again)
    assert shop.erp.report(order_id, {"status": "cancelled"})["statusCode"] == 200
    cancelled = shop.loyalty_events()
    assert consume(cancelled + invoiced + cancelled) == {"batchItemFailures": []}

    # Then the points are reversed once, whole
    (reversal,) = sent(partner, "/reversals")
    assert (reversal["points"], reversal["reason"]) == (199, "cancelled")
    assert len(sent(partner, "/accruals")) == 1
    assert shop.order(order_id)["loyalty"]["points"] == 0


def test_events_delivered_three_times_shuffled_accrue_once(shop, sandbox_gateway, partner):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)
    invoice(shop, order_id)
    events = shop.loyalty_events()
    assert events
    consume(list(reversed(events * 3)))
    consume(events)
    assert len(sent(partner, "/accruals")) == 1
    assert loyalty.get_ledger("m1", order_id).accrued == 199


def test_the_cpf_is_set_changed_and_removed_until_the_points_are_sent_each_change_in_the_history(
    shop, sandbox_gateway, partner
):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway, cpf=None)
    assert "loyalty" not in shop.order(order_id) or shop.order(order_id)["loyalty"] is None

    # An invalid CPF is a 422 naming the field, and changes nothing
    bad = shop.set_cpf(order_id, "123.456.789-00")
    assert bad["statusCode"] == 422
    assert json_body(bad)["error"]["details"][0]["field"] == "body.cpf"

    assert shop.set_cpf(order_id, "529.982.247-25")["statusCode"] == 204
    assert shop.remove_cpf(order_id)["statusCode"] == 204
    assert shop.set_cpf(order_id, OTHER_PROFESSIONAL)["statusCode"] == 204
    order = shop.order(order_id)
    assert order["professional_cpf"] == OTHER_PROFESSIONAL
    assert [change["cpf"] for change in order["loyalty_cpf_history"]] == [PROFESSIONAL, None, OTHER_PROFESSIONAL]
    assert all(change["by"].startswith("key:") for change in order["loyalty_cpf_history"])

    # The invoice scores for the CPF the order names now
    invoice(shop, order_id)
    consume(shop.loyalty_events())
    assert [accrual["cpf"] for accrual in sent(partner, "/accruals")] == [OTHER_PROFESSIONAL]


def test_a_partial_refund_reverses_its_share_of_the_points_and_the_rest_reverses_the_remainder(
    shop, sandbox_gateway, partner
):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)
    invoice(shop, order_id)
    consume(shop.loyalty_events())
    total = order_state.read_order("m1", order_id)[0].total

    # When the merchant refunds a quarter of the order through the refunds route (the sandbox gateway refunds it)
    quarter = total // 4
    part = {"amount": quarter, "refunded_before": 0}
    refunded = http("POST", f"/merchant/v1/orders/{order_id}/refunds", headers=shop.headers, body=json.dumps(part))
    assert refunded["statusCode"] == 201, refunded["body"]
    events = shop.loyalty_events()
    assert "PaymentRefunded" in {json.loads(body)["detail-type"] for body in events}
    assert consume(events + events) == {"batchItemFailures": []}

    # Then a quarter of the points, floored on the running total, is reversed once
    (reversal,) = sent(partner, "/reversals")
    assert (reversal["points"], reversal["reason"]) == (199 * quarter // total, "partial_refund")
    assert reversal["refunded_amount"] == quarter and reversal["order_total"] == total

    # When the rest is refunded: the order is refunded, and what was left of the points is reversed
    rest = {"amount": total - quarter, "refunded_before": quarter}
    assert (
        http("POST", f"/merchant/v1/orders/{order_id}/refunds", headers=shop.headers, body=json.dumps(rest))[
            "statusCode"
        ]
        == 201
    )
    consume(shop.loyalty_events())
    reversals = sent(partner, "/reversals")
    assert [r["points"] for r in reversals] == [199 * quarter // total, 199 - 199 * quarter // total]
    assert shop.order(order_id)["loyalty"] == {
        "state": "reversed",
        "points": 0,
        "accrued": 199,
        "reversed": 199,
        "cpf_locked": True,
    }


def test_a_partner_outage_fails_the_record_and_the_retry_sends_the_same_key(shop, sandbox_gateway):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)
    invoice(shop, order_id)
    events = shop.loyalty_events()
    with responses.RequestsMock() as down:
        down.add(responses.POST, f"{PARTNER}/accruals", status=503)
        with pytest.raises(Exception, match="all 1 records failed"):
            consume(events)
        first_key = json.loads(down.calls[0].request.body)["idempotency_key"]
    assert loyalty.get_ledger("m1", order_id).operations[0].status == "pending"
    with responses.RequestsMock() as up:
        up.add(responses.POST, f"{PARTNER}/accruals", json=recorded("accrual_created.json"), status=201)
        assert consume(events) == {"batchItemFailures": []}
        (retried,) = [json.loads(call.request.body) for call in up.calls]
    assert retried["idempotency_key"] == first_key
    assert loyalty.get_ledger("m1", order_id).operations[0].status == "sent"


def test_a_partner_refusal_is_kept_on_the_order_and_not_retried(shop, sandbox_gateway):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)
    invoice(shop, order_id)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, f"{PARTNER}/accruals", json=recorded("refused_unknown_store.json"), status=422)
        assert consume(shop.loyalty_events()) == {"batchItemFailures": []}
    (operation,) = loyalty.get_ledger("m1", order_id).operations
    assert operation.status == "refused" and "unknown_store" in operation.partner_error


def test_settings_hide_the_key_keep_it_when_left_out_and_refuse_unknown_stores(shop):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    again = {**SETTINGS, "partner": {"base_url": PARTNER}}
    view = json_body(shop.put_settings(again))
    assert view["partner"]["api_key_set"] is True and "api_key" not in view["partner"]
    assert loyalty.get_settings("m1").partner.api_key == "lp_test_0123456789"
    got = json_body(http("GET", "/merchant/v1/loyalty", headers=shop.headers))
    assert got["stores"]["9900"]["brand_rates"] == {"tigre": 2}
    unknown = shop.put_settings({**SETTINGS, "stores": {"7777": SETTINGS["stores"]["9900"]}})
    assert unknown["statusCode"] == 422
    assert json_body(unknown)["error"]["details"][0]["field"] == "body.stores.7777"
    assert shop.put_settings({**SETTINGS, "partner": None})["statusCode"] == 422
    # Disabled without a partner is a setting too, read back as it was written
    off = {**SETTINGS, "enabled": False, "partner": None}
    assert shop.put_settings(off)["statusCode"] == 200
    read_back = http("GET", "/merchant/v1/loyalty", headers=shop.headers)
    assert read_back["statusCode"] == 200 and json_body(read_back)["partner"] is None


def console_cookie(monkeypatch) -> dict[str, str]:
    """A member of staff signed in to the console with the orders and settings permissions."""
    import hashlib
    import re

    from vitrine.auth import passwords
    from vitrine.auth.permissions import MERCHANT_PERMISSIONS, Permission
    from vitrine.people import staff

    class Owner:
        merchant_id, permissions, owner = "m1", MERCHANT_PERMISSIONS, True

    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )
    permissions = [Permission.ORDERS_VIEW, Permission.ORDERS_MANAGE, Permission.SETTINGS]
    group = staff.create_group(Owner(), staff.GroupInput(name="Gerente", permissions=permissions))
    member = staff.NewStaff(name="Gi", email="gi@loja.com.br", password="senha-forte-123", group_ids=[group.group_id])
    staff.create_member(Owner(), member)
    signed = http(
        "POST", "/merchant/v1/sessions", body=json.dumps({"email": member.email, "password": member.password})
    )
    return {"cookie": re.match(r"vitrine_console=[^;]+", signed["cookies"][0]).group(0)}


def test_the_shopper_and_the_console_see_a_pontuar_until_invoiced_then_the_points(
    shop, sandbox_gateway, partner, monkeypatch
):
    from test_checkout import CHECKOUT, checkout

    # Given loyalty enabled and a paid order with a professional's CPF, as its shopper and the console see it
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    placed = json_body(checkout({**CHECKOUT, "lines": LINES, "professional_cpf": PROFESSIONAL}))
    order_id, token = placed["order"]["order_id"], placed["access_token"]
    pay(sandbox_gateway, order_id)
    cookie = console_cookie(monkeypatch)

    def shopper_sees() -> dict:
        return json_body(http("GET", f"/api/orders/{order_id}", query={"token": token}))["loyalty"]

    def console_page() -> str:
        page = http("GET", f"/painel/pedidos/{order_id}", headers=cookie)
        assert page["statusCode"] == 200
        return page["body"]

    # Then both say "a pontuar" until the invoice, and the console offers to change the CPF
    assert shopper_sees() == {"state": "to_score", "points": 0}
    assert "a pontuar" in console_page()
    assert 'data-form="loyalty-cpf"' in console_page()

    # When the order is invoiced and scored
    invoice(shop, order_id)
    consume(shop.loyalty_events())

    # Then both show the points, and the console no longer offers to change the CPF
    assert shopper_sees() == {"state": "scored", "points": 199}
    page = console_page()
    assert "<strong>199</strong>" in page
    assert 'data-form="loyalty-cpf"' not in page and "não muda mais" in page


def test_the_console_settings_page_shows_the_loyalty_form_without_the_key(shop, monkeypatch):
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    page = http("GET", "/painel/configuracoes", headers=console_cookie(monkeypatch))
    assert page["statusCode"] == 200
    assert 'data-form="loyalty-settings"' in page["body"] and "Programa de fidelidade" in page["body"]
    assert "lp_test_0123456789" not in page["body"]


# ---------------------------------------------------------------- the adapter against the sandbox partner


@pytest.fixture
def sandbox_partner():
    from local_stack.sandbox_loyalty import SandboxLoyalty

    partner = SandboxLoyalty()
    partner.start()
    yield partner
    partner.stop()


def _accrual(points: int = 10, key: str = "o1:e1:accrual"):
    from datetime import UTC, datetime

    from vitrine.loyalty.partner import AccrualRequest, PartnerLine

    return AccrualRequest(
        idempotency_key=key,
        order_id="o1",
        event="OrderInvoiced",
        store_code="DEMO-CENTRO",
        cpf=PROFESSIONAL,
        points=points,
        occurred_at=datetime.now(UTC),
        lines=[PartnerLine(sku="CAM-P", brand="Tigre", quantity=1, amount=1000, points=points)],
    )


def test_the_real_adapter_speaks_the_sandbox_partners_contract(sandbox_partner, outbound_local_stack):
    from vitrine.loyalty.partner import PartnerRefused, ReversalRequest
    from vitrine.loyalty.partner_http import HttpLoyaltyPartner

    partner = HttpLoyaltyPartner(sandbox_partner.api_url, sandbox_partner.api_key)
    # An accrual, then the same key again: the same receipt, and the balance moved once
    first = partner.accrue(_accrual())
    assert partner.accrue(_accrual()).transaction_id == first.transaction_id
    assert sandbox_partner.books.snapshot()["balances"] == {PROFESSIONAL: 10}
    # A reversal of part of it, then of more than it has left: refused (a 409, not retried)
    reversal = {
        **_accrual(4, "o1:e2:reversal").model_dump(),
        "event": "PaymentRefunded",
        "reason": "partial_refund",
        "accrual_key": "o1:e1:accrual",
        "refunded_amount": 400,
        "order_total": 1000,
    }
    partner.reverse(ReversalRequest.model_validate(reversal))
    too_much = ReversalRequest.model_validate({**reversal, "idempotency_key": "o1:e3:reversal", "points": 7})
    with pytest.raises(PartnerRefused, match="409"):
        partner.reverse(too_much)
    assert sandbox_partner.books.snapshot()["balances"] == {PROFESSIONAL: 6}
    # A wrong key is refused
    with pytest.raises(PartnerRefused, match="401"):
        HttpLoyaltyPartner(sandbox_partner.api_url, "lp_wrong_key_0000").accrue(_accrual(key="o2:e1:accrual"))


def test_the_partner_on_a_private_address_is_never_called(stack):
    from vitrine.loyalty.partner import PartnerRefused
    from vitrine.loyalty.partner_http import HttpLoyaltyPartner

    # Outside the local stack, loopback is not a partner: refused before anything is sent
    with pytest.raises(PartnerRefused, match="public addresses"):
        HttpLoyaltyPartner("http://127.0.0.1:9/v1", "lp_test_0123456789").accrue(_accrual())


def test_the_demo_seed_enables_loyalty_for_the_demo_merchant_at_the_sandbox_partner(stack, monkeypatch):
    from local_stack.seed import DEMO_MERCHANT_ID, seed_demo

    sandbox = {
        "OUTBOUND_ALLOW_LOOPBACK": "true",
        "SANDBOX_LOYALTY_URL": "http://127.0.0.1:8767/v1",
        "SANDBOX_LOYALTY_API_KEY": "lp_sandbox_demo_0123456789",
    }
    for name, value in sandbox.items():
        monkeypatch.setenv(name, value)
    from vitrine.settings import get_settings

    get_settings.cache_clear()
    seeded = seed_demo(sandbox)
    settings = loyalty.get_settings(DEMO_MERCHANT_ID)
    assert seeded.loyalty_partner_url == "http://127.0.0.1:8767/v1" and settings.enabled
    assert set(settings.stores) == {"9900", "0001"} and settings.brands
    assert settings.partner.api_key == "lp_sandbox_demo_0123456789"
    get_settings.cache_clear()


def test_an_order_invoiced_without_a_cpf_scores_once_it_is_given_one(shop, sandbox_gateway, partner):
    # Given an order invoiced with no professional's CPF: it scores nothing, and its CPF can still be given
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway, cpf=None)
    invoice(shop, order_id)
    assert consume(shop.loyalty_events()) == {"batchItemFailures": []}
    assert sent(partner, "/accruals") == [] and loyalty.get_ledger("m1", order_id).skipped == "no_cpf"

    # When the merchant gives it (the change is told on the bus, without the CPF) and that reaches the consumer
    assert shop.set_cpf(order_id, PROFESSIONAL)["statusCode"] == 204
    told = shop.loyalty_events()
    assert [json.loads(body)["detail"]["data"] for body in told] == [{"order_id": order_id, "cpf_given": True}]
    assert consume(told + told) == {"batchItemFailures": []}

    # Then the order scores for it, once
    (accrual,) = sent(partner, "/accruals")
    assert (accrual["cpf"], accrual["points"]) == (PROFESSIONAL, 199)


def test_a_merchant_that_does_not_score_keeps_no_loyalty_ledger(shop, sandbox_gateway, partner):
    # Given no loyalty settings: an invoiced order with a professional's CPF
    order_id = paid_order(shop, sandbox_gateway)
    invoice(shop, order_id)
    assert consume(shop.loyalty_events()) == {"batchItemFailures": []}
    # Then nothing is written nor sent, and the order shows no points to come
    assert loyalty.get_ledger("m1", order_id) is None and sent(partner, "/accruals") == []
    assert shop.order(order_id)["loyalty"] is None


def test_a_professional_who_revoked_sharing_their_cpf_scores_nothing(shop, sandbox_gateway, partner):
    from vitrine.consents.models import Evidence, Purpose
    from vitrine.consents.records import allowed, revoke
    from vitrine.consents.subjects import subject_hashes

    # Given loyalty on, and a checkout with the professional's CPF: the field's text makes it their consent
    assert shop.put_settings(SETTINGS)["statusCode"] == 200
    order_id = paid_order(shop, sandbox_gateway)
    professional = subject_hashes("m1", document=PROFESSIONAL)
    assert allowed("m1", professional, Purpose.LOYALTY_SHARING, "any")
    # When the professional revokes it (at the portal, or through the ERP) before the invoice
    revoke(
        "m1",
        professional,
        [Purpose.LOYALTY_SHARING],
        collection_point="customer_portal",
        evidence=Evidence(at=datetime.now(UTC)),
    )
    invoice(shop, order_id)
    assert consume(shop.loyalty_events()) == {"batchItemFailures": []}
    # Then nothing reaches the partner
    assert sent(partner, "/accruals") == []
    assert shop.order(order_id)["loyalty"]["points"] in (0, None)
