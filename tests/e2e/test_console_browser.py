"""The shop's owner on a phone, in real headless Chromium, through the local stack's console (``/painel``): signs in,
builds a vitrine from three products, publishes it, gets the ``wa.me`` link whose text holds the share link, and that
link opens the catalog with those products. Each page: no console error, no serious accessibility violation (axe),
a screenshot in tests/artifacts/."""

import re
import urllib.parse

import pytest
from browser_harness import ARTIFACTS, serious_violations
from stack_harness import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]
# A stack of its own (``running_stack``): its last test moves the money clock, and the clock stays there.
OWN_STACK = True

CHOSEN = {"CAM-BAS": "Camiseta Básica Algodão", "TEN-COR": None, "CAL-JEA": None}


def sign_in(page, stack, login: str, back: str = "") -> None:
    """Sign in at the console's page as ``login`` (the demo's password), to come back to ``back``."""
    page.goto(f"{stack.url}/painel/entrar" + (f"?volta={back}" if back else ""))
    page.get_by_label("E-mail").fill(login)
    page.get_by_label("Senha").fill(stack.settings["seed"]["password"])
    page.get_by_role("button", name="Entrar").click()


def checked(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console_{name}.png"), full_page=True)
    assert serious_violations(page) == [], name
    assert page.problems == [], name


def test_the_owner_builds_a_vitrine_from_three_products_and_shares_it_on_whatsapp(running_stack, phone):
    from playwright.sync_api import expect

    page = phone
    seed = running_stack.settings["seed"]
    base = running_stack.url

    page.goto(f"{base}/painel/vitrines")
    expect(page).to_have_url(re.compile(r"/painel/entrar\?volta=%2Fpainel%2Fvitrines$"))
    expect(page.get_by_role("heading", name="Entrar no painel")).to_be_visible()
    checked(page, "entrar")
    page.get_by_label("E-mail").fill(seed["owner_login"])
    page.get_by_label("Senha").fill("errada-123456")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("alert")).to_contain_text("não conferem")
    page.problems.clear()  # the refused sign-in's 401 is the browser's console error, not the page's
    page.get_by_label("Senha").fill(seed["password"])
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(f"{base}/painel/vitrines")
    checked(page, "vitrines")

    page.get_by_role("link", name="Nova vitrine").click()
    expect(page.get_by_role("heading", name="Nova vitrine")).to_be_visible()
    for sku in CHOSEN:
        page.locator(f'input[name="sku"][value="{sku}"]').check()
    page.get_by_label("Título").fill("Ofertas de verão")
    checked(page, "vitrine_nova")
    page.get_by_role("button", name="Criar e publicar").click()
    expect(page.get_by_role("link", name="Enviar no WhatsApp")).to_be_visible()
    checked(page, "vitrine_publicada")

    link = page.get_by_label("Link da vitrine").input_value()
    assert re.fullmatch(rf"{re.escape(base)}/c/ofertas-de-verao-[a-z0-9]{{6}}", link), link
    whatsapp = page.get_by_role("link", name="Enviar no WhatsApp").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/?text=")
    assert urllib.parse.unquote(whatsapp.split("text=", 1)[1]) == f"Ofertas de verão {link}"
    expect(page.locator(".qr svg")).to_be_visible()

    # The link opens the catalog, with the three products (once its read model is built from the publish event).
    def catalog_shows_them() -> bool:
        answer = running_stack.request("GET", link.replace(base, "", 1).replace("/c/", "/api/catalogs/", 1))
        return answer.status == 200 and {p["sku"] for p in answer.json()["products"]} == set(CHOSEN)

    wait_until(catalog_shows_them, 30, message="the new vitrine's read model")
    page.goto(link)
    expect(page.get_by_role("heading", name="Ofertas de verão")).to_be_visible()
    expect(page.get_by_text(CHOSEN["CAM-BAS"]).first).to_be_visible()


def _held_card_order(stack) -> dict:
    """A card order the sandbox gateway holds for antifraud review (its test card ...0036), placed as a shopper's
    browser does: the card tokenized at the gateway with the public key, the token sent to the checkout."""
    import json

    import requests
    from shoppers import delivery_checkout

    gateway = stack.settings["payment_gateway"]
    card = {"number": "4000000000000036", "holder_name": "MARIA SILVA", "exp_month": 12, "exp_year": 2031, "cvv": "123"}
    token = requests.post(
        f"{gateway['api_url']}/tokens",
        params={"appId": gateway["public_key"]},
        json={"type": "card", "card": card},
        timeout=10,
    )
    token.raise_for_status()
    product = stack.request("GET", "/api/catalogs/demo").json()["products"][0]
    variant = next(v for v in product["variants"] if v.get("available", 1))
    line = {"product_sku": product["sku"], "sku": variant["sku"], "quantity": 1, "unit_price": product["price"]}
    body = delivery_checkout("demo", [line])
    body["payment"] = {"method": "card", "card_token": token.json()["id"], "installments": 1}
    placed = stack.checkout(body)
    assert placed.status == 201, placed.body
    order = placed.json()["order"]
    assert order["status"] == "on_hold", order["status"]
    return json.loads(json.dumps(order))


def test_the_owner_approves_a_held_card_payment_and_refunds_part_of_it(running_stack, phone):
    from playwright.sync_api import expect

    page = phone
    seed = running_stack.settings["seed"]
    base = running_stack.url
    order = _held_card_order(running_stack)

    sign_in(page, running_stack, seed["owner_login"])
    expect(page.get_by_role("heading", name=re.compile("^Olá"))).to_be_visible()
    held = page.get_by_role("link", name=re.compile("pagamento em análise"))
    expect(held.first).to_be_visible()
    checked(page, "inicio")

    page.goto(f"{base}/painel/pedidos/{order['order_id']}")
    expect(page.locator(".status")).to_have_text("Em análise (antifraude)")
    checked(page, "pedido_em_analise")
    page.get_by_role("button", name="Aprovar pagamento").click()
    expect(page.locator(".status")).to_have_text("Pago", timeout=20_000)

    page.get_by_label(re.compile("^Reembolsar")).fill("10,00")
    page.get_by_role("button", name="Reembolsar").click()
    expect(page.get_by_text("Reembolsado: R$ 10,00")).to_be_visible(timeout=20_000)
    expect(page.locator(".status")).to_have_text("Pago")
    checked(page, "pedido_reembolso_parcial")
    page.goto(f"{base}/painel/pedidos")
    expect(
        page.get_by_role("link", name=re.compile(order.get("order_code") or order["order_id"][:8])).first
    ).to_be_visible()
    checked(page, "pedidos")


def test_a_seller_builds_a_vitrine_for_her_customer_at_its_prices_and_sees_only_her_orders(running_stack, phone):
    from playwright.sync_api import expect

    page = phone
    seed = running_stack.settings["seed"]
    base = running_stack.url
    sign_in(page, running_stack, seed["seller_login"])
    expect(page.get_by_role("heading", name="Olá, Ana")).to_be_visible()
    expect(page.get_by_role("link", name="Recebíveis")).to_have_count(0)

    page.goto(f"{base}/painel/vitrines/nova")
    page.get_by_label("Para o cliente").select_option(label="Loja Parceira Ltda")
    page.locator('input[name="sku"][value="CAM-BAS"]').check()
    page.get_by_label("Título").fill("Para a Parceira")
    page.get_by_role("button", name="Criar e publicar").click()
    whatsapp = page.get_by_role("link", name="Enviar no WhatsApp")
    expect(whatsapp).to_be_visible()
    checked(page, "vendedora_vitrine")
    # WhatsApp opens the chat with the customer's own number, the message holding the link nobody can guess.
    link = page.get_by_label("Link da vitrine").input_value()
    assert re.fullmatch(rf"{re.escape(base)}/c/para-a-parceira-[a-z2-9]{{10}}", link), link
    assert whatsapp.get_attribute("href").startswith("https://wa.me/5511977776666?text=")

    retail = next(
        p["price"]
        for p in running_stack.request("GET", "/api/catalogs/demo").json()["products"]
        if p["sku"] == "CAM-BAS"
    )
    wholesale = retail * 85 // 100  # the demo's wholesale table (local_stack.demo_data.WHOLESALE_PERCENT)

    def wholesale_price_shown() -> bool:
        answer = running_stack.request("GET", link.replace(base, "", 1).replace("/c/", "/api/catalogs/", 1))
        return answer.status == 200 and [p["price"] for p in answer.json()["products"]] == [wholesale]

    wait_until(wholesale_price_shown, 30, message="the seller's vitrine at the customer's prices")
    page.goto(f"{base}/painel/pedidos")
    expect(page.get_by_text("Nenhum pedido")).to_be_visible()  # the owner's orders are not hers
    checked(page, "vendedora_pedidos")
    page.goto(f"{base}/painel/clientes")
    expect(page.get_by_role("link", name=re.compile("Loja Parceira Ltda"))).to_be_visible()
    checked(page, "vendedora_clientes")


def test_the_owner_invites_a_cashier_who_chooses_a_password_and_is_in_and_the_owner_sets_pix_expiry(
    running_stack, browser, phone
):
    from browser_harness import PHONE
    from playwright.sync_api import expect

    page = phone
    seed = running_stack.settings["seed"]
    sign_in(page, running_stack, seed["owner_login"], "/painel/configuracoes")
    expect(page.get_by_role("heading", name="Configurações")).to_be_visible()

    page.get_by_label("Pix expira em (minutos)").fill("45")
    with page.expect_navigation(timeout=20_000):  # saved, the page reloads with what was stored
        page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_label("Pix expira em (minutos)")).to_have_value("45")
    assert (
        running_stack.request(
            "GET", "/merchant/v1/settings", headers={"Authorization": f"Bearer {seed['api_key']}"}
        ).json()["pix_expires_minutes"]
        == 45
    )

    # The pickup store moved: the owner gives its new address, and the catalog's page says it once the read
    # model's consumer has had the event (the local stack's real bus, queue and CatalogViewFunction)
    store = page.locator('form[data-form="store"][data-store="0001"]')
    store.get_by_label("Endereço para retirada (rua, número e bairro)").fill("Rua XV de Novembro, 55 - Centro")
    store.get_by_role("button", name="Atualizar loja").click()
    expect(page.locator(".toast")).to_contain_text("Loja salva")

    def page_says_new_address() -> bool:
        pickup = running_stack.request("GET", "/api/catalogs/demo").json()["pickup_stores"]
        return [s["address"] for s in pickup] == ["Rua XV de Novembro, 55 - Centro"]

    wait_until(page_says_new_address, timeout=20, message="the catalog's page shows the store's new address")

    page.locator('form[data-form="new-group"]').get_by_label("Nome").fill("Caixa")
    page.get_by_label("Ver pedidos").check()
    with page.expect_navigation(timeout=20_000):
        page.get_by_role("button", name="Criar grupo").click()
    expect(page.locator("ul.list strong", has_text="Caixa")).to_be_visible()
    invite = page.locator('form[data-form="new-staff"]')
    invite.get_by_label("Nome").fill("Caio Caixa")
    invite.get_by_label("E-mail (login)").fill("caio@vitrine.demo")
    invite.get_by_label("Caixa").check()
    invite.get_by_role("button", name="Criar convite").click()
    link = page.get_by_label(re.compile("Link do convite"))
    expect(link).to_have_value(re.compile(r"/painel/convite#"))
    checked(page, "configuracoes")

    # Caio opens the link on his own phone, chooses a password and is in, with orders only.
    context = browser.new_context(locale="pt-BR", **PHONE)
    caio = context.new_page()
    caio.goto(link.input_value())
    caio.get_by_label("Nova senha").fill("senha-do-caio-1")
    caio.get_by_label("Repita a senha").fill("senha-do-caio-1")
    caio.get_by_role("button", name="Criar senha e entrar").click()
    expect(caio.get_by_role("heading", name="Olá, Caio")).to_be_visible()
    expect(caio.get_by_role("link", name="Pedidos")).to_be_visible()
    expect(caio.get_by_role("link", name="Vitrines")).to_have_count(0)
    assert "#" not in caio.url  # the token does not stay in the address bar
    context.close()


def test_the_operator_onboards_a_merchant_with_the_cli_and_its_owner_is_in_the_console_from_the_link(
    running_stack, phone, tmp_path
):
    import json
    import subprocess
    import sys
    from pathlib import Path

    from playwright.sync_api import expect

    base = running_stack.url
    merchant = {
        "merchant_id": "casa-da-obra",
        "corporate_name": "Casa da Obra Materiais de Construção Ltda",
        "cnpj": "11.222.333/0001-81",
        "stores": [{"code": "9900", "name": "Loja Online", "online": True, "fulfilment": ["delivery"]}],
        "owner": {"name": "Marta Obra", "email": "marta@casadaobra.com.br"},
    }
    unsigned = running_stack.request("POST", "/operator/v1/merchants", json.dumps(merchant).encode())
    assert unsigned.status == 403  # the front, as API Gateway, lets no unsigned request reach the function
    file = tmp_path / "merchant.json"
    file.write_text(json.dumps(merchant))
    cli = Path(sys.executable).parent / "vitrine-operator"
    done = subprocess.run(
        [str(cli), "--api", base, "create-merchant", str(file)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    link = json.loads(done.stdout)["invitation_url"]
    assert link.startswith(f"{base}/painel/convite#") and link in done.stderr

    page = phone
    page.goto(link)
    page.get_by_label("Nova senha").fill("senha-da-marta-1")
    page.get_by_label("Repita a senha").fill("senha-da-marta-1")
    page.get_by_role("button", name="Criar senha e entrar").click()
    expect(page.get_by_role("heading", name="Olá, Marta")).to_be_visible()
    expect(page.get_by_role("link", name="Configurações")).to_be_visible()
    checked(page, "dona_nova")


def test_the_owner_sees_the_whatsapp_card_with_a_new_cover_before_and_after_sending_it(running_stack, phone, tmp_path):
    from PIL import Image
    from playwright.sync_api import expect

    cover = tmp_path / "capa.png"
    Image.new("RGB", (1200, 630), (200, 120, 40)).save(cover, optimize=True)
    assert cover.stat().st_size < 300_000
    page = phone
    seed = running_stack.settings["seed"]
    sign_in(page, running_stack, seed["owner_login"], "/painel/vitrines/cat-demo")
    expect(page.get_by_role("heading", name="Capa e prévia no WhatsApp")).to_be_visible()

    page.get_by_label(re.compile("^Imagem de capa")).set_input_files(str(cover))
    preview = page.get_by_role("img", name="Capa da vitrine")
    expect(preview).to_have_attribute("src", re.compile(r"^blob:"))  # the card shows it before it is sent
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Enviar capa").click()
    expect(preview).to_have_attribute("src", re.compile(r"/img/merchants/"))
    checked(page, "vitrine_capa")
    cached = running_stack.request("GET", "/c/demo").body.decode()
    assert 'property="og:image"' in cached and "merchants/" in cached  # the link's preview names the new cover


IMPORT_CSV = """sku;name;variant_sku;size;price_table;price
NOVA;Camisa Nova;NOVA-P;P;varejo;59,90
NOVA;Camisa Nova;NOVA-M;M;varejo;59,90
RUIM;Camisa Ruim;RUIM-P;P;varejo;quarenta
"""


def test_the_owner_words_the_paid_message_and_the_shopper_gets_it_by_sms_in_the_sandbox(running_stack, phone):
    import requests
    from playwright.sync_api import expect
    from shoppers import SHOPPER

    page = phone
    sign_in(page, running_stack, running_stack.settings["seed"]["owner_login"], back="/painel/mensagens")
    expect(page.get_by_role("heading", name="Mensagens")).to_be_visible()
    card = page.locator('details[data-kind="paid"]')
    card.locator("summary").click()
    text = card.get_by_label("Texto (SMS e e-mail)")
    # A variable the message does not offer is refused, said in Portuguese beside the field.
    text.fill("Oi {nome}, seu CPF {cpf}")
    expect(card.locator(".error")).to_have_text("Texto: a variável {cpf} não existe nesta mensagem")
    page.problems.remove("Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)")
    # Its preview follows the text as it is typed, with the sample order; WhatsApp's template stays.
    text.fill("Oba, {nome}! O pedido {pedido} ({total}) foi pago. Acompanhe: {link}")
    expect(card.locator('[data-preview="text"]')).to_have_text(
        "Oba, Maria! O pedido K7P2QX (R$ 149,90) foi pago. Acompanhe: "
        "https://vitrine.example.com/c/sua-loja/pedido/exemplo"
    )
    expect(card.locator('[data-preview="whatsapp"]')).to_contain_text("Maria, o pagamento do pedido K7P2QX")
    card.get_by_role("button", name="Salvar").click()
    expect(page.locator(".toast")).to_have_text("Mensagem salva.")
    checked(page, "mensagens")

    # A shopper who chose SMS gets the owner's words when the order is paid, at the sandbox provider.
    messaging = running_stack.settings["messaging"]
    order_id = paid_pix_order(running_stack, "CAM-BAS-P-BRA", notify_channel="sms")
    code = running_stack.request(
        "GET",
        f"/merchant/v1/orders/{order_id}",
        headers={"Authorization": f"Bearer {running_stack.settings['seed']['api_key']}"},
    ).json()["order_code"]

    def paid_sms() -> dict | None:
        outbox = requests.get(messaging["outbox_url"], timeout=10).json()["messages"]
        return next((m for m in outbox if m["channel"] == "sms" and f"O pedido {code} " in m["text"]), None)

    sms = wait_until(paid_sms, timeout=30, message="the paid SMS at the sandbox")
    assert sms["text"].startswith(f"Oba, {SHOPPER['name'].split()[0]}! O pedido {code} (")
    page.goto(messaging["page_url"])
    expect(page.get_by_text(f"O pedido {code} (")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "sandbox_mensagens.png"), full_page=True)


def paid_pix_order(stack, sku: str, *, notify_channel: str = "whatsapp") -> str:
    """A shopper's Pix order on the stack, paid at the sandbox gateway and applied through its webhook; its id."""
    import requests
    from shoppers import SHOPPER

    from vitrine.repository import keys

    table = stack.client("dynamodb")
    table.update_item(
        TableName=stack.settings["table_name"],
        Key={"PK": {"S": keys.stock_pk("demo-merchant", "0001")}, "SK": {"S": sku}},
        UpdateExpression="SET on_hand = :n, reserved = :zero, available = :n",
        ExpressionAttributeValues={":n": {"N": "5"}, ":zero": {"N": "0"}},
    )
    placed = stack.checkout(
        {
            "catalog": "demo",
            "lines": [{"product_sku": "CAM-BAS", "sku": sku, "quantity": 1}],
            "customer": SHOPPER,
            "fulfilment": {"kind": "pickup", "store_code": "0001"},
            "payment": {"method": "pix"},
            "notify_channel": notify_channel,
        }
    )
    assert placed.status == 201, placed.body
    order_id, token = placed.json()["order"]["order_id"], placed.json()["access_token"]
    item = table.get_item(
        TableName=stack.settings["table_name"],
        Key={"PK": {"S": keys.merchant_pk("demo-merchant")}, "SK": {"S": keys.order_sk(order_id)}},
    )["Item"]
    sandbox = stack.settings["payment_gateway"]["url"]
    charge = item["charge"]["M"]["charge_id"]["S"]
    requests.post(f"{sandbox}/sandbox/charges/{charge}/pay", timeout=10).raise_for_status()
    wait_until(
        lambda: stack.request("GET", f"/api/orders/{order_id}?token={token}").json()["status"] == "paid",
        30,
        message="the order turning paid",
    )
    return order_id


def test_the_owner_imports_a_csv_to_its_end_and_sees_the_receivables_chart_after_a_payout(running_stack, phone):
    # Last in the module: it moves the stack's money clock forward (a payout run days on), and the clock stays there.
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import expect

    from vitrine.ledger.rules import business_day
    from vitrine.payouts.models import PayoutSchedule

    page, stack = phone, running_stack
    seed, base = stack.settings["seed"], stack.url
    key = {"Authorization": f"Bearer {seed['api_key']}"}

    # The owner signs in and opens Integração
    page.goto(f"{base}/painel/entrar?volta=%2Fpainel%2Fintegracao")
    page.get_by_label("E-mail").fill(seed["owner_login"])
    page.get_by_label("Senha").fill(seed["password"])
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(f"{base}/painel/integracao")

    # When she imports a CSV with a bad line
    page.get_by_label("Arquivo CSV").set_input_files(
        {"name": "produtos.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}
    )
    page.get_by_role("button", name="Importar").click()

    # Then the progress bar follows the job to its end and the bad line's error is listed
    expect(page.locator("[data-import][data-done]")).to_be_visible(timeout=60_000)
    progress = page.locator("progress")
    assert progress.get_attribute("max") == progress.evaluate("bar => String(bar.value)") == "4"
    expect(page.locator("[data-import-status]")).to_contain_text("Concluído: 3 aplicados")
    expect(page.get_by_role("list", name="Linhas com erro")).to_contain_text(
        "linha 4, coluna price: preço inválido ('quarenta')"
    )
    checked(page, "integracao")
    page.reload()  # the job is listed among the latest (beside the connector's polls), with the same line
    expect(page.locator(".jobs li.job", has_text="Importação CSV").first).to_contain_text("linha 4, coluna price")

    # She issues the ERP a key of its own: shown once, then listed by its name only
    page.get_by_label("Nome da nova chave").fill("ERP da loja")
    page.get_by_role("button", name="Criar chave").click()
    issued = page.get_by_label("Chave criada: copie agora, ela não será mostrada de novo")
    expect(issued).to_have_value(re.compile(r"^vtr_"))
    secret = issued.input_value()
    page.reload()
    expect(page.locator(".keys")).to_contain_text("ERP da loja")
    assert secret not in page.content()

    # Given a Pix sale paid today, and the payout run of the first weekday that pays it, as if fired that day
    paid_pix_order(stack, "CAM-BAS-G-BRA")
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(datetime.now(UTC)) + timedelta(days=2))
    fired = stack.cli("fire", "DailyPayoutRun", "--as-of", day.isoformat())
    assert fired.returncode == 0, fired.stdout + fired.stderr

    def paid_payout():
        found = stack.request("GET", "/merchant/v1/payouts", headers=key).json()["payouts"]
        return found[0] if found and found[0]["status"] == "paid" else None

    payout = wait_until(paid_payout, 60, message="the payout transferred and its webhook applied")
    # and a sale paid after it (on the moved clock), whose money waits for the next day
    paid_pix_order(stack, "CAM-BAS-M-PRE")
    waiting = stack.request("GET", "/merchant/v1/receivables", headers=key).json()["waiting"]
    assert waiting, "the second sale's money waits"

    # When the owner opens Recebíveis
    page.get_by_role("link", name="Recebíveis").click()
    expect(page.get_by_role("heading", name="Recebíveis", exact=True)).to_be_visible()

    # Then the chart has a bar per waiting day, the figures are in the table, and the payout is listed
    chart = page.get_by_role("img", name="Valores a liberar por data")
    expect(chart).to_be_visible()
    assert [bar.get_attribute("data-day") for bar in chart.locator("rect").all()] == [row["day"] for row in waiting]
    rows = page.locator("table.figures tbody tr")
    expect(rows).to_have_count(len(waiting))
    shown = page.get_by_role("link", name=f"{day:%d/%m/%Y} · Pago")
    expect(shown).to_have_attribute("href", f"/painel/recebiveis/repasses/{payout['payout_id']}")
    checked(page, "recebiveis")

    # The owner (payouts.manage) simulates an anticipation for a week on: the sandbox has no card receivables
    page.get_by_role("button", name="Simular").click()
    expect(page.locator('[data-limit="maximum"]')).to_contain_text("R$")
    expect(page.get_by_role("button", name="Solicitar antecipação")).to_be_visible()
    assert page.problems == []

    # And the payout's page lists the entries it covers
    shown.click()
    expect(page.get_by_role("heading", name=f"Repasse de {day:%d/%m/%Y}")).to_be_visible()
    expect(page.locator("table.entries tbody")).to_contain_text("Venda")  # among the refunds of earlier tests
    checked(page, "repasse")
