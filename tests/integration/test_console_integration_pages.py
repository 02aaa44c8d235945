"""The console's Integração (``/painel/integracao``) and the merchant routes its script calls with the console's
cookie: the products CSV import (``POST /merchant/v1/products/csv``) whose job it follows
(``GET /merchant/v1/jobs/{job_id}``) to the bad line's error, an API key shown once, a failed webhook delivery
replayed, and who may see the page."""

import json

import responses
import test_console_pages
from infra_fixtures import create_erp_ingest_queue, take_messages
from lambda_harness import handler_of, http, json_body, sqs_event
from test_console_pages import PAGE_BUDGET, console_cookie, page
from webhook_harness import (
    RECEIVER,
    RESOURCES,
    as_merchant,
    deliver_next,
    publish_and_fan_out,
    subscribe,
    webhook_queues,
)

from local_stack.lambda_context import LambdaContext
from local_stack.seed import DEMO_MERCHANT_ID
from vitrine.events.envelope import OrderPaid, new_event
from vitrine.repository import assortment

demo = test_console_pages.demo  # the demo merchant of ``make dev``, as the console's other pages are tested

CSV = """sku;name;variant_sku;size;price_table;price
NOVA;Camisa Nova;NOVA-P;P;varejo;59,90
NOVA;Camisa Nova;NOVA-M;M;varejo;59,90
RUIM;Camisa Ruim;RUIM-P;P;varejo;quarenta
"""


def as_member(headers: dict, session: dict, **more) -> dict:
    """The console's write headers: its cookie and the session's CSRF token, as the page's script sends them."""
    return {**headers, "x-csrf-token": session["csrf_token"], **more}


def apply_queued(queue_url: str) -> None:
    bodies = take_messages(queue_url)
    assert bodies, "the import queued nothing"
    outcome = handler_of("StockSyncIngestFunction")(sqs_event([json.dumps(b) for b in bodies]), LambdaContext())
    assert outcome == {"batchItemFailures": []}


def test_the_owner_imports_a_csv_with_a_bad_line_and_the_job_reports_that_line(demo, monkeypatch):
    queue_url = create_erp_ingest_queue(monkeypatch)
    headers, session = console_cookie(demo.owner_login, demo.password)

    # Without the session's CSRF token the cookie's write is refused, and nothing is queued
    refused = http("POST", "/merchant/v1/products/csv", headers={**headers, "content-type": "text/csv"}, body=CSV)
    assert refused["statusCode"] == 403, refused["body"]
    assert take_messages(queue_url) == []

    # When the owner's page sends the CSV with the cookie and the token
    sent = http(
        "POST",
        "/merchant/v1/products/csv",
        headers=as_member(headers, session, **{"content-type": "text/csv"}),
        body=CSV,
    )
    assert sent["statusCode"] == 202, sent["body"]
    job = json_body(sent)
    # two products and NOVA's price queued; RUIM's price refused at once, its line kept for the report
    assert (job["total"], job["queued"], job["rejected"]) == (4, 3, 1)
    assert job["location"] == f"/merchant/v1/jobs/{job['job_id']}"
    assert sent["headers"]["Location"] == job["location"]

    # Then the job the page polls with the cookie alone (a GET) is queued, and done once applied, naming line 4
    path = f"/merchant/v1/jobs/{job['job_id']}"
    assert json_body(http("GET", path, headers=headers))["status"] == "queued"
    apply_queued(queue_url)
    report = json_body(http("GET", path, headers=headers))
    assert report["status"] == "done" and report["source"] == "csv"
    assert report["counts"] == {"applied": 3, "unchanged": 0, "stale": 0, "rejected": 1, "pending": 0}
    errors = [error for result in report["results"] for error in result["errors"]]
    assert [(e["line"], e["field"], e["code"]) for e in errors] == [(4, "price", "invalid_price")]
    assert errors[0]["reason"].startswith("linha 4, coluna price: preço inválido ('quarenta')")
    assert [v.sku for v in assortment.get_product(DEMO_MERCHANT_ID, "NOVA").variants] == ["NOVA-P", "NOVA-M"]
    prices = assortment.all_prices(DEMO_MERCHANT_ID, "varejo")
    assert prices["NOVA"] == 5990 and "RUIM" not in prices  # the bad line rejects only the price it holds

    # And Integração lists the job with that line's error, and offers the import with its progress bar
    answer = page("/painel/integracao", headers)
    assert answer["statusCode"] == 200, answer["body"][:300]
    body = answer["body"]
    assert len(body.encode()) < PAGE_BUDGET
    assert f'data-job="{job["job_id"]}"' in body
    assert "linha 4, coluna price: preço inválido (&#39;quarenta&#39;)" in body
    assert "<progress" in body and 'data-form="csv-import"' in body and 'src="/painel/s/integration.js"' in body


def test_a_job_is_the_merchants_own_and_the_csv_route_needs_integrations(demo, monkeypatch):
    queue_url = create_erp_ingest_queue(monkeypatch)
    owner, owner_session = console_cookie(demo.owner_login, demo.password)
    seller, seller_session = console_cookie(demo.seller_login, demo.password)
    # The seller (no ``integrations``) is refused before the body is read, the permission named
    refused = http(
        "POST",
        "/merchant/v1/products/csv",
        headers=as_member(seller, seller_session, **{"content-type": "text/csv"}),
        body=CSV,
    )
    assert refused["statusCode"] == 403
    assert json_body(refused)["error"]["details"][0]["permission"] == "integrations"
    assert take_messages(queue_url) == []
    # A job id of nobody's (or another merchant's) is a 404, a malformed one too
    assert http("GET", "/merchant/v1/jobs/" + "0" * 32, headers=owner)["statusCode"] == 404
    assert http("GET", "/merchant/v1/jobs/not-a-job", headers=owner)["statusCode"] == 404
    # A file that imports nothing is a 422 said in Portuguese, nothing queued
    nothing = http(
        "POST",
        "/merchant/v1/products/csv",
        headers=as_member(owner, owner_session, **{"content-type": "text/csv"}),
        body="sku;price\nA;dez\n",
    )
    assert nothing["statusCode"] == 422
    assert take_messages(queue_url) == []


def test_an_api_key_created_from_integracao_is_shown_once_and_listed_without_it(demo):
    headers, session = console_cookie(demo.owner_login, demo.password)
    body = json.dumps({"name": "ERP da loja", "permissions": ["erp"]})
    issued = http("POST", "/merchant/v1/api-keys", headers=as_member(headers, session), body=body)
    assert issued["statusCode"] == 201, issued["body"]
    key = json_body(issued)
    assert key["key"].startswith("vtr_")

    listed = page("/painel/integracao", headers)["body"]
    assert "ERP da loja" in listed and key["key_id"] in listed
    assert key["key"] not in listed  # the key itself was shown once, in the answer to the page's script
    assert f'data-action="revoke" data-key="{key["key_id"]}"' in listed
    # The key works, for what it holds only
    erp = {"authorization": f"Bearer {key['key']}"}
    assert http("GET", "/merchant/v1/api-keys", headers=erp)["statusCode"] == 403

    revoked = http("DELETE", f"/merchant/v1/api-keys/{key['key_id']}", headers=as_member(headers, session))
    assert revoked["statusCode"] == 200
    after = page("/painel/integracao", headers)["body"]
    assert f'data-key="{key["key_id"]}"' not in after and "revogada" in after


def test_the_seller_without_integrations_gets_the_403_page(demo):
    headers, _ = console_cookie(demo.seller_login, demo.password)
    answer = page("/painel/integracao", headers)
    assert answer["statusCode"] == 403
    assert "Sem permissão" in answer["body"] and "integrations" in answer["body"]
    assert "Chaves de API" not in answer["body"]


def test_a_failed_webhook_delivery_is_listed_with_its_replay_and_the_console_replays_it(stack, demo, monkeypatch):
    queues = webhook_queues(stack, monkeypatch)
    endpoint = subscribe(demo.api_key, ["OrderPaid"])
    paid = OrderPaid(
        order_id="o-1",
        version=2,
        previous_status="pending_payment",
        reason="charge_paid",
        amount=15990,
        method="pix",
        installments=1,
    )
    # Given a receiver that answers 500 to every attempt, until the delivery ends in the DLQ (failed)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as receiver:
        receiver.post(RECEIVER, status=500)
        publish_and_fan_out(queues, new_event(DEMO_MERCHANT_ID, paid))
        for _ in range(RESOURCES["OutboundWebhookQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"]):
            (message,) = deliver_next(queues)
            queues.make_visible(message)
    deliveries = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}/deliveries"
    (failed,) = json_body(as_merchant(demo.api_key, "GET", deliveries, query={"status": "failed"}))["deliveries"]

    # When the owner opens Integração, the endpoint shows the failed delivery with its replay button
    headers, session = console_cookie(demo.owner_login, demo.password)
    body = page("/painel/integracao", headers)["body"]
    assert RECEIVER in body and "OrderPaid" in body
    assert f'data-action="replay" data-delivery="{failed["delivery_id"]}"' in body
    assert "(última resposta 500)" in body

    # Then the button's request (the cookie and the CSRF token) sends it again, and it is no longer failed
    replayed = http(
        "POST", f"/merchant/v1/webhook-deliveries/{failed['delivery_id']}/replay", headers=as_member(headers, session)
    )
    assert replayed["statusCode"] == 202, replayed["body"]
    after = page("/painel/integracao", headers)["body"]
    assert failed["delivery_id"] not in after and "Nenhuma entrega com falha." in after
