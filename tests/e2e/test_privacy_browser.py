"""LGPD in a real browser on a phone, through the local stack: the shopper checks out with the marketing box ticked
and SMS for the order's updates, opens the revocation link a marketing message carries, and revokes marketing with
one button. Screenshot: tests/artifacts/privacidade.png."""

import re

import pytest
from browser_harness import ARTIFACTS, serious_violations
from shoppers import delivery_checkout
from test_storefront_browser import CHOSEN, MERCHANT, PRODUCT, PRODUCT_NAME, set_stock

from vitrine.consents.links import _mac

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]


def consent_records(stack) -> list[dict]:
    items = stack.client("dynamodb").scan(TableName=stack.settings["table_name"])["Items"]
    return [i for i in items if i.get("type", {}).get("S") == "consent_record"]


def revocation_path(stack, order_id: str) -> str:
    """The link ``vitrine.consents.revocation_link`` makes, signed with the stack's own key."""
    value = stack.client("ssm").get_parameter(Name="/vitrine/local/session-signing-keys", WithDecryption=True)
    key = value["Parameter"]["Value"].split(",")[0].strip().encode()
    return f"/privacidade/{order_id}.{_mac(key, MERCHANT, order_id)}"


def test_a_shopper_consents_at_checkout_and_revokes_marketing_from_the_link(running_stack, phone):
    from playwright.sync_api import expect

    page = phone
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    set_stock(running_stack, CHOSEN, "9900", 5)

    # Given a shopper who buys, ticks the offers box and wants the updates by SMS
    page.goto(f"{running_stack.url}/c/demo")
    card = page.locator(f'article[data-sku="{PRODUCT}"]')
    card.get_by_role("button", name="Comprar").tap()
    sheet = page.get_by_role("dialog", name=PRODUCT_NAME)
    sheet.get_by_role("button", name="Preto", exact=True).tap()
    sheet.get_by_role("button", name="M", exact=True).tap()
    sheet.get_by_role("button", name="Adicionar ao carrinho").tap()
    page.get_by_role("button", name=re.compile(r"^Carrinho")).tap()
    cart = page.get_by_role("dialog", name="Seu carrinho")
    cart.get_by_role("button", name="Finalizar compra").tap()
    cart.get_by_label("Nome completo").fill("Maria da Silva")
    cart.get_by_label("CPF ou CNPJ", exact=True).press_sequentially("52998224725")
    cart.get_by_label("Celular com DDD").press_sequentially("11988887777")
    cart.get_by_label("E-mail", exact=True).fill("maria.lgpd@example.com")
    cart.get_by_label("CEP", exact=True).press_sequentially("01310100")
    expect(cart.get_by_text("Entrega: R$ 12,90 · em até 2 dias úteis")).to_be_visible()
    cart.get_by_label("Rua", exact=True).fill("Av. Paulista")
    cart.get_by_label("Número", exact=True).fill("1000")
    cart.get_by_label("Bairro", exact=True).fill("Bela Vista")
    cart.get_by_label("Cidade", exact=True).fill("São Paulo")
    cart.get_by_label("UF", exact=True).fill("SP")
    expect(cart.get_by_role("radio", name="Por WhatsApp")).to_be_checked()
    cart.get_by_role("radio", name="Por SMS").check()
    expect(cart.get_by_text("Vamos avisar sobre o andamento do seu pedido")).to_be_visible()
    cart.get_by_label("Quero receber ofertas").check()
    with page.expect_response(lambda r: r.url.endswith("/api/checkout")) as placed:
        cart.get_by_role("button", name=re.compile(r"^Finalizar pedido")).tap()
    assert placed.value.status == 201
    # The order page follows at once (its body is gone with the navigation): the order's id is in its URL.
    page.wait_for_url(re.compile(r"/c/demo/pedido/[0-9a-f]{32}#token="))
    order_id = re.search(r"/pedido/([0-9a-f]{32})#", page.url).group(1)

    # Then the order's checkout recorded order updates and marketing on SMS, citing the text version shown
    recorded = {(r["purpose"]["S"], r["channel"]["S"], r["granted"]["BOOL"]) for r in consent_records(running_stack)}
    assert {("order_updates", "sms", True), ("marketing", "sms", True)} <= recorded

    # When they open the revocation link of a marketing message
    page.goto(running_stack.url + revocation_path(running_stack, order_id))
    expect(page.get_by_role("heading", name="Seus consentimentos")).to_be_visible()
    expect(page.get_by_text("Ofertas e novidades · SMS")).to_be_visible()
    expect(page.get_by_text("Avisos do pedido · SMS")).to_be_visible()
    assert serious_violations(page) == []

    # and revoke marketing with the one button
    with page.expect_response(lambda r: r.request.method == "POST" and "/privacidade/" in r.url) as revoked:
        page.get_by_role("button", name="Não quero mais receber ofertas").tap()
    assert revoked.value.status == 200 and revoked.value.json()["revoked"] == 1
    expect(page.get_by_text("Pronto: você não receberá mais ofertas desta loja.")).to_be_visible()
    expect(page.get_by_text("Ofertas e novidades · SMS")).to_be_hidden()
    expect(page.get_by_text("Avisos do pedido · SMS")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "privacidade.png"), full_page=True)

    # Then the revocation is a new record from the link, and the grant stays in history
    after = {
        (r["purpose"]["S"], r["granted"]["BOOL"], r["collection_point"]["S"]) for r in consent_records(running_stack)
    }
    assert ("marketing", False, "link") in after and ("marketing", True, "catalog") in after
    # A forged link shows nothing
    forged = running_stack.request("GET", f"/privacidade/{order_id}.{'A' * 43}")
    assert forged.status == 404
    assert page.problems == []


def test_a_signed_in_customer_opens_their_privacy_page_from_the_checkout(running_stack, phone):
    from playwright.sync_api import expect

    page = phone
    seed = running_stack.settings["seed"]
    page.goto(f"{running_stack.url}/c/demo/entrar")
    page.get_by_label("E-mail").fill(seed["customer_login"])
    page.get_by_label("Senha").fill(seed["password"])
    page.get_by_role("button", name="Entrar").tap()
    page.wait_for_url(re.compile(r"/c/demo$"))
    expect(page.get_by_text("Olá, Loja", exact=True)).to_be_visible()

    # The checkout form links to the customer's own privacy page, which lists what is in force
    link = page.locator('a[href="/c/demo/privacidade"]')
    assert link.count() == 1
    page.goto(f"{running_stack.url}/c/demo/privacidade")
    expect(page.get_by_role("heading", name="Seus consentimentos")).to_be_visible()
    expect(page.get_by_text("Nenhuma autorização em vigor.")).to_be_visible()
    expect(page.get_by_role("link", name="Voltar ao catálogo")).to_be_visible()
    assert serious_violations(page) == []
    assert page.problems == []


def test_the_owner_exports_and_erases_a_shoppers_data_in_privacidade(running_stack, phone):
    from playwright.sync_api import expect
    from test_console_browser import sign_in

    page = phone
    # Given a shopper's order (placed through the API, as the storefront sends it)
    body = delivery_checkout("demo", [{"product_sku": PRODUCT, "sku": CHOSEN, "quantity": 1}])
    body["customer"] = {**body["customer"], "email": "titular@example.com"}
    set_stock(running_stack, CHOSEN, "9900", 5)
    assert running_stack.checkout(body).status == 201

    # When the owner files an export of her data in Privacidade
    sign_in(page, running_stack, running_stack.settings["seed"]["owner_login"], back="/painel/privacidade")
    expect(page.get_by_role("heading", name="Privacidade")).to_be_visible()
    page.get_by_label("E-mail").fill("titular@example.com")
    page.get_by_role("button", name="Enviar pedido").click()
    # Then it is listed with its outcome and the export to download
    expect(page.get_by_role("link", name="Baixar a exportação (JSON)")).to_be_visible()
    expect(page.locator("[data-requests]")).to_contain_text("pedidos: 1")
    # And an erase says what fiscal law keeps
    page.get_by_label("E-mail").fill("titular@example.com")
    page.get_by_label("Apagar (anonimizar) os dados").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Enviar pedido").click()
    expect(page.locator("[data-requests]")).to_contain_text("Anonimização")
    expect(page.locator("[data-requests]")).to_contain_text("art. 16")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console_privacidade.png"), full_page=True)
    assert serious_violations(page) == []
    assert page.problems == []
