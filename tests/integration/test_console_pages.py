"""The merchant console's pages (``/painel``), rendered as a member of staff sees them: who gets in, what each
page shows, what a member without a permission is told, and the weight a cheap phone downloads."""

import hashlib
import json
import re

import pytest
from lambda_harness import http, json_body

from vitrine.auth import passwords

PAGE_BUDGET = 80 * 1024


@pytest.fixture
def demo(stack, monkeypatch):
    """The demo merchant of ``make dev`` (seeded with cheap password hashes: the pages, not scrypt, are tested), as
    its seed leaves a fresh stack (``demo_snapshot``: seeded once per process, restored for each test)."""
    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )
    from demo_snapshot import seeded_demo

    return seeded_demo()


def console_cookie(email, password):
    signed = http("POST", "/merchant/v1/sessions", body=json.dumps({"email": email, "password": password}))
    assert signed["statusCode"] == 201, signed["body"]
    token = re.match(r"vitrine_console=([^;]+)", signed["cookies"][0]).group(1)
    return {"cookie": f"vitrine_console={token}"}, json_body(signed)


def page(path, headers=None, query=None):
    return http("GET", path, headers=headers, query=query)


def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(demo):
    answer = page("/painel/pedidos")
    assert answer["statusCode"] == 303 and answer["headers"]["Location"] == "/painel/entrar?volta=%2Fpainel%2Fpedidos"
    signin = page("/painel/entrar", query={"volta": "/painel/pedidos"})
    assert signin["statusCode"] == 200 and 'data-back="/painel/pedidos"' in signin["body"]
    # Nothing from the query becomes a link to elsewhere.
    for elsewhere in ("https://evil.example/painel", "//evil.example", "/painel\\@evil"):
        assert 'data-back="/painel"' in page("/painel/entrar", query={"volta": elsewhere})["body"]


def test_the_owner_sees_today_and_the_pages_are_light_and_locked_down(demo):
    headers, _ = console_cookie(demo.owner_login, demo.password)
    for path in ("/painel", "/painel/pedidos", "/painel/vitrines", "/painel/vitrines/nova", "/painel/configuracoes"):
        answer = page(path, headers)
        assert answer["statusCode"] == 200, (path, answer["body"][:300])
        assert len(answer["body"].encode()) < PAGE_BUDGET, path
        policy = answer["headers"]["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        assert answer["headers"]["Cache-Control"] == "no-store"
    home = page("/painel", headers)["body"]
    assert "pedidos pagos hoje" in home and "Recebíveis" in home and "Vitrines" in home
    picker = page("/painel/vitrines/nova", headers, query={"q": "camiseta"})["body"]
    assert 'value="CAM-BAS"' in picker and 'value="TEN-COR"' not in picker
    # The settings list the shop's stores with what shoppers are told of them (the pickup store's street)
    settings = page("/painel/configuracoes", headers)["body"]
    assert "<strong>Loja Centro</strong> (0001)" in settings
    assert 'name="address" value="Rua Direita, 120 - Centro"' in settings and 'data-store="9900"' in settings


def test_the_seller_sees_her_sections_only_and_is_told_when_a_page_is_not_hers(demo):
    headers, session = console_cookie(demo.seller_login, demo.password)
    home = page("/painel", headers)["body"]
    assert "Recebíveis" not in home and 'href="/painel/vitrines"' in home
    assert session["member"]["seller_id"] == "ana"
    customers = page("/painel/clientes", headers)
    assert customers["statusCode"] == 200 and "Loja Parceira Ltda" in customers["body"]
    assert "/painel/vitrines/nova?cliente=parceira" in customers["body"]


def test_a_published_vitrine_offers_whatsapp_its_link_and_a_qr_code(demo):
    headers, _ = console_cookie(demo.owner_login, demo.password)
    answer = page("/painel/vitrines/cat-demo", headers)
    body = answer["body"]
    assert answer["statusCode"] == 200
    link = re.search(r'id="link" value="([^"]+)"', body).group(1)
    assert link.endswith("/c/demo")
    whatsapp = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', body).group(1)
    assert link.replace(":", "%3A").replace("/", "%2F") in whatsapp
    assert "<svg" in body and "QR code" in body
    assert page("/painel/vitrines/0123456789abcdef0123456789abcdef", headers)["statusCode"] == 404


def test_every_console_page_is_behind_sign_in_and_under_the_consoles_policy(demo):
    from vitrine.http.routing import REGISTERED

    pages = sorted({r.path for r in REGISTERED if r.function == "ConsoleFunction" and r.content_type == "text/html"})
    assert len(pages) >= 8
    headers, _ = console_cookie(demo.owner_login, demo.password)
    for path in pages:
        concrete = path.replace("{order_id}", "0" * 32).replace("{catalog_id}", "cat-demo")
        anonymous = page(concrete)
        if path not in ("/painel/entrar", "/painel/convite"):
            assert anonymous["statusCode"] == 303 and anonymous["headers"]["Location"].startswith("/painel/entrar")
        answer = page(concrete, headers)
        policy = answer["headers"]["Content-Security-Policy"]
        for directive in ("default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"):
            assert directive in policy, (path, policy)
        assert answer["headers"]["X-Content-Type-Options"] == "nosniff"
        assert answer["headers"]["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_owner_edits_a_message_with_its_preview_and_the_seller_may_not(demo):
    headers, session = console_cookie(demo.owner_login, demo.password)
    answer = page("/painel/mensagens", headers)
    assert answer["statusCode"] == 200 and len(answer["body"].encode()) < PAGE_BUDGET
    body = answer["body"]
    assert "Pagamento confirmado" in body and "<code>{pedido}</code>" in body
    # The server-drawn preview fills the sample order, on SMS/e-mail and as WhatsApp's template shows it.
    assert "Maria, o pagamento do pedido K7P2QX (R$ 149,90) foi confirmado" in body
    writes = {**headers, "x-csrf-token": session["csrf_token"], "content-type": "application/json"}
    mine = {"subject": "Pago: {pedido}", "text": "<b>{nome}</b>, pagamento do {pedido} ok."}
    saved = http("PUT", "/merchant/v1/message-templates/paid", headers=writes, body=json.dumps(mine))
    assert saved["statusCode"] == 200, saved["body"]
    body = page("/painel/mensagens", headers)["body"]
    assert "personalizada" in body and "&lt;b&gt;Maria&lt;/b&gt;, pagamento do K7P2QX ok." in body
    seller, _ = console_cookie(demo.seller_login, demo.password)
    assert page("/painel/mensagens", seller)["statusCode"] == 403
    assert 'href="/painel/mensagens"' not in page("/painel", seller)["body"]
