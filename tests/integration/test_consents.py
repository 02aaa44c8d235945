"""Consent records (LGPD art. 8) and data-subject requests (art. 18): captured at checkout, append-only, revocable by
a link and in the customer portal, synced with the ERP, exported and erased across the merchant's items."""

import json
import uuid

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from shoppers import SHOPPER, delivery_checkout
from test_erp_ingest import customer, erp  # noqa: F401  (erp: the fixture)

from vitrine.auth.api_keys import issue_api_key
from vitrine.consents import marketing_allowed, revocation_link, subject_hashes
from vitrine.consents.texts import CURRENT_VERSION, text_sha256

OTHER = {"name": "João Souza", "cpf": "111.444.777-35", "phone": "(21) 97777-6666", "email": "joao@example.com"}
LINES = [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}]


def checkout(body, *, ua="Mozilla/5.0 (Linux; Android 14) Teste", ip="203.0.113.9"):
    headers = {"idempotency-key": str(uuid.uuid4()), "user-agent": ua}
    return http("POST", "/api/checkout", headers=headers, body=json.dumps(body), source_ip=ip)


def order_body(customer_data=SHOPPER, *, marketing=True, channel="whatsapp", version=CURRENT_VERSION):
    body = {
        **delivery_checkout("loja", LINES, customer_data),
        "marketing_consent": marketing,
        "notify_channel": channel,
    }
    if version is not None:
        body["consent_text_version"] = version
    return body


def maria(merchant="m1"):
    return subject_hashes(merchant, document=SHOPPER["cpf"], email=SHOPPER["email"], phone=SHOPPER["phone"])


def scan(stack):
    return stack.client("dynamodb").scan(TableName=stack.table_name)["Items"]


def items_of_type(stack, kind):
    return [i for i in scan(stack) if i.get("type", {}).get("S") == kind]


def token_of(link):
    return link.rsplit("/", 1)[1]


@pytest.fixture
def shop(stack):
    publish_small_catalog()  # 3 CAM-P on hand: three orders of one
    return issue_api_key("m1", scopes=["merchant"], name="console")


def merchant(method, path, key, body=None, query=None):
    return http(
        method,
        path,
        headers={"authorization": f"Bearer {key}"},
        body=json.dumps(body) if body is not None else None,
        query=query,
    )


# ---------------------------------------------------------------- capture at checkout


def test_a_checkout_records_order_updates_and_the_ticked_marketing_box_with_its_text_and_evidence(
    stack, shop, bus_queue
):
    response = checkout(order_body(channel="sms"))
    assert response["statusCode"] == 201, response["body"]
    order_id = json_body(response)["order"]["order_id"]

    listed = json_body(merchant("GET", "/merchant/v1/consents", shop, query={"email": "MARIA@example.com "}))
    records = {r["purpose"]: r for r in listed["records"]}
    assert set(records) == {"order_updates", "marketing"}
    marketing = records["marketing"]
    assert (marketing["channel"], marketing["granted"], marketing["legal_basis"]) == ("sms", True, "consent")
    assert records["order_updates"]["legal_basis"] == "contract"
    assert marketing["text_version"] == CURRENT_VERSION
    assert marketing["text_sha256"] == text_sha256(CURRENT_VERSION, "marketing")
    assert marketing["collection_point"] == "catalog" and marketing["order_id"] == order_id
    assert marketing["evidence"]["client_address"] == "203.0.113.9"
    assert marketing["evidence"]["user_agent"].startswith("Mozilla/5.0")
    assert sorted(marketing["subject_hashes"]) == sorted(maria())
    # The notifier's check: marketing only on the channel consented to.
    assert marketing_allowed("m1", maria(), "sms") is True
    assert marketing_allowed("m1", maria(), "whatsapp") is False
    # One ConsentRecorded per record, for the ERP's consent letter.
    recorded = [e["detail"] for e in bus_queue() if e["detail-type"] == "ConsentRecorded"]
    assert sorted(e["data"]["purpose"] for e in recorded) == ["marketing", "order_updates"]
    assert not items_of_type(stack, "outbox_event")
    from vitrine.webhooks.endpoints import SUBSCRIBABLE_EVENT_TYPES

    assert {"ConsentRecorded", "DataSubjectRequestCompleted"} <= set(SUBSCRIBABLE_EVENT_TYPES)


def test_an_unticked_box_records_no_marketing_consent(stack, shop):
    assert checkout(order_body(marketing=False, version=None))["statusCode"] == 201
    assert marketing_allowed("m1", maria(), "whatsapp") is False
    purposes = [i["purpose"]["S"] for i in items_of_type(stack, "consent_record")]
    assert set(purposes) == {"order_updates"}


@pytest.mark.parametrize(
    "version", ["1999-01-01", "v1", None], ids=["unknown version", "malformed", "missing with the box ticked"]
)
def test_a_bad_text_version_is_422_and_changes_nothing(stack, shop, version):
    before = len(scan(stack))
    response = checkout(order_body(version=version))
    assert response["statusCode"] == 422, response["body"]
    assert "consent_text_version" in response["body"] or "marketing_consent" in response["body"]
    assert len(scan(stack)) == before  # no order, no reservation, no consent record
    assert marketing_allowed("m1", maria(), "whatsapp") is False


def test_the_storefront_form_shows_the_versioned_texts_and_the_channel_choice(stack, shop):
    page = http("GET", "/c/loja")["body"]
    assert f'id="f-consent" data-version="{CURRENT_VERSION}"' in page
    assert "Quero receber ofertas e novidades da loja" in page
    assert 'name="notify" value="whatsapp" checked' in page and 'value="sms"' in page and 'value="email"' in page


# ---------------------------------------------------------------- revocation: the link, append-only


def test_the_revocation_link_revokes_marketing_at_once_and_keeps_the_grant_in_history(stack, shop, bus_queue):
    order_id = json_body(checkout(order_body()))["order"]["order_id"]
    link = revocation_link("m1", order_id)
    assert link.startswith("/privacidade/")  # no PUBLIC_BASE_URL in these tests: the path alone
    token = token_of(link)
    assert marketing_allowed("m1", maria(), "whatsapp") is True
    grant_items = {(i["PK"]["S"], i["SK"]["S"]): i for i in items_of_type(stack, "consent_record")}

    page = http("GET", f"/privacidade/{token}")
    assert page["statusCode"] == 200 and "Não quero mais receber ofertas" in page["body"]
    shown = json_body(http("GET", f"/privacidade/{token}/consents"))
    assert {g["purpose"] for g in shown["granted"]} == {"order_updates", "marketing"}

    revoked = http("POST", f"/privacidade/{token}", headers={"user-agent": "Celular"}, source_ip="198.51.100.7")
    assert revoked["statusCode"] == 200, revoked["body"]
    assert json_body(revoked)["revoked"] == 1
    assert {g["purpose"] for g in json_body(revoked)["granted"]} == {"order_updates"}
    assert marketing_allowed("m1", maria(), "whatsapp") is False  # at once: the notifier's next check says no

    # Append-only: every earlier item is still there, unchanged; the revocation is a new record.
    after = {(i["PK"]["S"], i["SK"]["S"]): i for i in items_of_type(stack, "consent_record")}
    assert all(after[key] == item for key, item in grant_items.items())
    history = json_body(merchant("GET", "/merchant/v1/consents", shop, query={"phone": "11988887777"}))["records"]
    assert [(r["purpose"], r["granted"]) for r in history][:1] == [("marketing", False)]
    assert ("marketing", True) in [(r["purpose"], r["granted"]) for r in history]
    assert history[0]["collection_point"] == "link" and history[0]["evidence"]["client_address"] == "198.51.100.7"
    assert [e["detail"]["data"]["granted"] for e in bus_queue() if e["detail-type"] == "ConsentRecorded"][-1] is False
    # Pressed twice: nothing more to revoke.
    assert json_body(http("POST", f"/privacidade/{token}"))["revoked"] == 0


def test_a_forged_revocation_token_is_404_and_revokes_nothing(stack, shop):
    order_id = json_body(checkout(order_body()))["order"]["order_id"]
    token = token_of(revocation_link("m1", order_id))
    forged = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # the MAC altered
        uuid.uuid4().hex + token[32:],  # another order's id with this MAC
        order_id + ".a" + "x" * 42,
    ]
    for bad in forged:
        assert http("GET", f"/privacidade/{bad}")["statusCode"] == 404
        assert http("GET", f"/privacidade/{bad}/consents")["statusCode"] == 404
        assert http("POST", f"/privacidade/{bad}")["statusCode"] == 404
    assert marketing_allowed("m1", maria(), "whatsapp") is True


# ---------------------------------------------------------------- the customer portal and the merchant API


def test_a_signed_in_customer_sees_and_revokes_their_consents(stack, shop):
    from vitrine.people import accounts
    from vitrine.people.models import CustomerInput

    body = CustomerInput(name="Loja Sul", document="11.222.333/0001-81", email="c@sul.com.br", phone="(11) 3333-4444")
    accounts.save_customer("m1", "SUL", body, password="segredo-forte-123")
    sul = {"name": "Loja Sul", "document": "11222333000181", "phone": "(11) 3333-4444", "email": "c@sul.com.br"}
    assert checkout(order_body(sul, channel="email"))["statusCode"] == 201
    hashes = subject_hashes("m1", document="11222333000181")
    assert marketing_allowed("m1", hashes, "email") is True

    signed_in = http(
        "POST",
        "/api/sessions",
        body=json.dumps(
            {"catalog": "loja", "role": "customer", "email": "c@sul.com.br", "password": "segredo-forte-123"}
        ),
    )
    headers = {"authorization": f"Bearer {json_body(signed_in)['token']}"}
    mine = http("GET", "/api/customer/consents", headers=headers)
    assert mine["statusCode"] == 200 and {g["purpose"] for g in json_body(mine)["granted"]} >= {"marketing"}
    revoked = http(
        "POST",
        "/api/customer/consents/revoke",
        headers=headers,
        body=json.dumps({"purposes": ["marketing"]}),
    )
    assert revoked["statusCode"] == 200, revoked["body"]
    assert json_body(revoked)["revoked"] == 1 and marketing_allowed("m1", hashes, "email") is False
    records = json_body(merchant("GET", "/merchant/v1/consents", shop, query={"document": "11222333000181"}))
    assert records["records"][0]["collection_point"] == "customer_portal"
    page = http("GET", "/c/loja/privacidade")
    assert page["statusCode"] == 200 and "Seus consentimentos" in page["body"]


def test_the_consents_api_needs_the_customers_permission_and_a_person(stack, shop):
    orders_only = issue_api_key("m1", scopes=["orders.view"], name="pedidos")
    response = merchant("GET", "/merchant/v1/consents", orders_only, query={"email": "maria@example.com"})
    assert response["statusCode"] == 403
    assert merchant("GET", "/merchant/v1/consents", shop)["statusCode"] == 422
    other_shop = issue_api_key("m2", scopes=["merchant"], name="outra")
    assert checkout(order_body())["statusCode"] == 201
    found = json_body(merchant("GET", "/merchant/v1/consents", other_shop, query={"email": "maria@example.com"}))
    assert found == {"records": []}  # another controller: the same person hashes otherwise there


def test_the_same_person_typed_two_ways_hashes_the_same_and_differently_per_merchant():
    one = subject_hashes("m1", document="529.982.247-25", email=" Maria@Example.com", phone="+55 (11) 98888-7777")
    two = subject_hashes("m1", document="52998224725", email="maria@example.com", phone="11988887777")
    assert one == two and len(one) == 3
    assert set(subject_hashes("m2", document="52998224725")).isdisjoint(one)


# ---------------------------------------------------------------- the ERP, both ways


def test_the_erp_customer_batch_appends_its_consents_once_however_often_it_is_sent(erp, stack):  # noqa: F811
    consents = [
        {"purpose": "marketing", "channel": "email", "granted": True, "text_version": CURRENT_VERSION,
         "collected_at": "2026-11-30T14:00:00-03:00"},
        {"purpose": "loyalty_sharing", "granted": True, "text_version": CURRENT_VERSION,
         "collected_at": "2026-11-30T14:00:00-03:00"},
    ]  # fmt: skip
    items = [customer("C1", consents=consents)]
    first = erp.sync("/erp/v1/customers", items)
    assert first["counts"]["applied"] == 1, first
    again = erp.sync("/erp/v1/customers", items)  # the same batch re-sent
    assert again["counts"]["rejected"] == 0, again
    hashes = subject_hashes("m1", email="c1@parceira.com.br")
    records = json_body(
        http(
            "GET",
            "/merchant/v1/consents",
            headers={"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='k')}"},
            query={"email": "c1@parceira.com.br"},
        )
    )["records"]
    assert sorted((r["purpose"], r["collection_point"], r["customer_id"]) for r in records) == [
        ("loyalty_sharing", "erp", "C1"),
        ("marketing", "erp", "C1"),
    ]
    assert marketing_allowed("m1", hashes, "email") is True
    # A revocation the ERP collected later is a new record, and it is in force.
    revoked = [{**consents[0], "granted": False, "collected_at": "2026-12-01T09:00:00-03:00"}]
    erp.sync("/erp/v1/customers", [customer("C1", consents=revoked)])
    assert marketing_allowed("m1", hashes, "email") is False


def test_an_erp_consent_citing_an_unknown_text_is_rejected(erp, stack):  # noqa: F811
    bad = [{"purpose": "marketing", "channel": "sms", "granted": True, "text_version": "1999-01-01",
            "collected_at": "2026-11-30T14:00:00-03:00"}]  # fmt: skip
    report = erp.sync("/erp/v1/customers", [customer("C1", consents=bad)])
    assert report["counts"]["rejected"] == 1
    assert not items_of_type(stack, "consent_record")


def test_the_order_feed_carries_the_orders_consent_records(stack, shop):
    from datetime import UTC, datetime

    from vitrine.erp.feed_models import feed_order
    from vitrine.orders.models import OrderStatus, StatusChange
    from vitrine.repository import order_state

    order_id = json_body(checkout(order_body()))["order"]["order_id"]
    order, books = order_state.read_order("m1", order_id)
    paid = StatusChange(status=OrderStatus.PAID, at=datetime.now(UTC))
    fed = feed_order(order.model_copy(update={"status_history": [*order.status_history, paid]}), books)
    assert [(c.purpose, c.channel, c.granted, c.text_version) for c in fed.consents] == [
        ("order_updates", "whatsapp", True, CURRENT_VERSION),
        ("marketing", "whatsapp", True, CURRENT_VERSION),
    ]


# ---------------------------------------------------------------- data-subject requests


def personal_strings(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False)


def test_an_export_holds_every_item_about_the_person_and_an_erase_leaves_none_of_their_contacts(stack, shop, bus_queue):
    mine = [json_body(checkout(order_body()))["order"]["order_id"] for _ in range(2)]
    theirs = json_body(checkout(order_body(OTHER, marketing=False, version=None)))["order"]["order_id"]

    # What the notifier sent about her first order, and about the other shopper's
    from vitrine.repository import messages

    for order_id, to, name in ((mine[0], "5511988887777", "Maria"), (theirs, "joao@example.com", "João")):
        record, _ = messages.claim(
            {"merchant_id": "m1", "order_id": order_id, "event_id": f"placed-{order_id}", "audience": "shopper",
             "channel": "sms", "kind": "received", "recipient": to, "values": {"name": name}}
        )  # fmt: skip
        messages.mark_sent(record, "zenvia", uuid.uuid4().hex, body=f"Olá, {name}! Recebemos seu pedido.", subject="")
    exported = merchant(
        "POST", "/merchant/v1/data-subject-requests", shop, {"kind": "export", "email": "maria@example.com"}
    )
    assert exported["statusCode"] == 201, exported["body"]
    request = json_body(exported)
    assert request["status"] == "completed" and request["counts"]["orders"] == 2
    assert request["requested_by"].startswith("key:")
    body = json_body(merchant("GET", f"/merchant/v1/data-subject-requests/{request['request_id']}/export", shop))
    assert sorted(o["order_id"] for o in body["holders"]["orders"]) == sorted(mine)
    assert theirs not in personal_strings(body)
    assert {r["purpose"] for r in body["holders"]["consents"]} == {"order_updates", "marketing"}
    assert [m["body"] for m in body["holders"]["messages"]] == ["Olá, Maria! Recebemos seu pedido."]
    assert all(o["customer"]["email"] == "maria@example.com" for o in body["holders"]["orders"])

    erased = merchant("POST", "/merchant/v1/data-subject-requests", shop, {"kind": "erase", "phone": "(11) 98888-7777"})
    assert erased["statusCode"] == 201, erased["body"]
    outcome = json_body(erased)
    assert outcome["counts"]["orders"] == 2 and outcome["counts"]["subject_request_exports"] == 1
    assert outcome["counts"]["messages"] == 1
    assert any("NF-e" in line and "art. 16" in line for line in outcome["kept"])

    # The whole table: no item of the merchant holds her e-mail, phone, name or street; the other shopper's intact.
    everything = [personal_strings(i) for i in scan(stack)]
    for trace in ("maria@example.com", "98888-7777", "11988887777", "Maria Silva", "Olá, Maria"):
        assert not [i for i in everything if trace in i], trace
    assert any("joao@example.com" in i and "97777-6666" in i and "Av. Paulista" in i for i in everything)
    assert any("Olá, João" in i for i in everything)
    # What fiscal law keeps: the buyer's document on her orders.
    from vitrine.repository import orders

    kept = orders.get_order("m1", mine[0])
    assert kept.customer.document == "52998224725" and kept.customer.name == "Titular anonimizado (LGPD)"
    assert orders.get_order("m1", theirs).customer.email == "joao@example.com"
    # The consent records stay: hashes only, the controller's proof.
    assert items_of_type(stack, "consent_record")

    listed = json_body(merchant("GET", "/merchant/v1/data-subject-requests", shop))["requests"]
    assert [r["kind"] for r in listed] == ["erase", "export"]
    announced = [e["detail"]["data"] for e in bus_queue() if e["detail-type"] == "DataSubjectRequestCompleted"]
    assert [(a["kind"], sorted(a["order_ids"])) for a in announced] == [
        ("export", sorted(mine)),
        ("erase", sorted(mine)),
    ]


def test_an_erase_anonymises_a_b2b_customer_and_ends_their_sign_in(stack, shop):
    from vitrine.people import accounts
    from vitrine.people.models import CustomerInput
    from vitrine.repository import people

    body = CustomerInput(
        name="Compras Loja Sul",
        document="11.222.333/0001-81",
        email="compras@sul.com.br",
        phone="(11) 3333-4444",
        contacts=[{"name": "Joana", "email": "joana@sul.com.br", "phone": "(11) 95555-4444"}],
    )
    accounts.save_customer("m1", "SUL", body, password="segredo-forte-123")
    erased = merchant(
        "POST", "/merchant/v1/data-subject-requests", shop, {"kind": "erase", "email": "compras@sul.com.br"}
    )
    assert json_body(erased)["counts"]["customers"] == 1
    item = people.get_customer_item("m1", "SUL")
    assert item["document"] == "11222333000181" and "password_hash" not in item and item["contacts"] == []
    everything = [personal_strings(i) for i in scan(stack)]
    for trace in ("compras@sul.com.br", "joana@sul.com.br", "3333-4444", "95555-4444"):
        assert not [i for i in everything if trace in i], trace


def test_a_data_subject_request_needs_a_person_and_a_known_kind(stack, shop):
    assert merchant("POST", "/merchant/v1/data-subject-requests", shop, {"kind": "erase"})["statusCode"] == 422
    bad = merchant("POST", "/merchant/v1/data-subject-requests", shop, {"kind": "delete", "email": "a@b.com"})
    assert bad["statusCode"] == 422
    assert merchant("GET", f"/merchant/v1/data-subject-requests/{uuid.uuid4().hex}", shop)["statusCode"] == 404


# ---------------------------------------------------------------- the console's Privacidade


def test_the_console_files_a_request_lists_it_and_downloads_the_export(stack, monkeypatch):
    import hashlib

    from test_console_pages import console_cookie

    from vitrine.auth import passwords

    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )
    from demo_snapshot import seeded_demo

    demo = seeded_demo()  # as seed_demo({}) leaves a fresh stack (seeded once per process, restored for each test)
    headers, session = console_cookie(demo.owner_login, demo.password)
    assert "Privacidade" in http("GET", "/painel", headers=headers)["body"]
    empty = http("GET", "/painel/privacidade", headers=headers)
    assert empty["statusCode"] == 200 and "Nenhum pedido ainda" in empty["body"]
    filed = http(
        "POST",
        "/merchant/v1/data-subject-requests",
        headers={**headers, "x-csrf-token": session["csrf_token"]},
        body=json.dumps({"kind": "export", "email": "ninguem@example.com"}),
    )
    assert filed["statusCode"] == 201, filed["body"]
    request_id = json_body(filed)["request_id"]
    listed = http("GET", "/painel/privacidade", headers=headers)["body"]
    assert "Exportação" in listed and f"/merchant/v1/data-subject-requests/{request_id}/export" in listed
    download = http("GET", f"/merchant/v1/data-subject-requests/{request_id}/export", headers=headers)
    assert download["statusCode"] == 200 and json_body(download)["request_id"] == request_id
    seller_headers, _ = console_cookie(demo.seller_login, demo.password)
    assert "Nenhum pedido ainda" not in http("GET", "/painel/privacidade", headers=seller_headers)["body"]
