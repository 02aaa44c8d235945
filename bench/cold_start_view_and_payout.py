"""The cold-start bench's cases for the read model's consumer (``CatalogViewFunction``) and one merchant's payout
(``MerchantPayoutFunction``), and the loopback gateway the payout transfers through.

- The consumer's main path is a ``StockLevelsChanged`` of one variant of the published demo catalog (what every ERP
  count that changed a level publishes): each run first writes the variant a new level at the online store (1,000 +
  the run's number, above any other store's, so the variant's availability on the page changes), as the ingest
  would, so each run recomputes the product's entry and rewrites it with the view's head (version + 1).
- The payout's main path is the daily payout of a merchant whose recipient is active (the record says so, as it does
  after the first run, so the gateway is asked the balance and the transfer, not the recipient): each run pays a
  merchant of its own (``bench-payout-<n>-...``: settings, one Pix sale's ledger entries payable before the day),
  so no run finds its day paid already.
"""

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cold_start_case import Run, attributes, now_iso

BALANCE = 10**12  # centavos the loopback gateway holds for every recipient: more than any run transfers


class GatewayOnLoopback:
    """pagar.me's recipient API on 127.0.0.1, as much of it as a merchant's payout asks: ``GET /recipients/{id}``
    (active), ``GET /recipients/{id}/balance`` and ``POST /recipients/{id}/transfers`` (``pending_transfer``, the
    first answer replayed for a repeated ``Idempotency-Key``), in the shapes ``vitrine.payments.pagarme_recipients``
    reads and the local stack's sandbox answers (``sandbox_gateway/transfers.py``). It keeps every transfer by its
    idempotency key (the payout id), so the bench checks that each run asked for its own."""

    def __init__(self) -> None:
        self.transfers: dict[str, dict[str, Any]] = {}
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = self.path.strip("/").split("/")
                if len(parts) == 2 and parts[0] == "recipients":
                    self.reply(200, {"id": parts[1], "code": "bench", "status": "active", "updated_at": now_iso()})
                elif len(parts) == 3 and parts[0] == "recipients" and parts[2] == "balance":
                    self.reply(200, gateway.balance(parts[1]))
                else:
                    self.reply(404, {"message": "Not found."})

            def do_POST(self) -> None:
                parts = self.path.strip("/").split("/")
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                key = self.headers.get("idempotency-key")
                if len(parts) != 3 or parts[0] != "recipients" or parts[2] != "transfers" or not key:
                    self.reply(404, {"message": "Not found."})
                    return
                self.reply(200, gateway.transfer(parts[1], key, body))

            def reply(self, status: int, body: dict[str, Any]) -> None:
                encoded = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="bench-gateway", daemon=True)
        self.thread.start()

    @staticmethod
    def balance(recipient_id: str) -> dict[str, Any]:
        return {
            "currency": "BRL",
            "available_amount": BALANCE,
            "waiting_funds_amount": 0,
            "transferred_amount": 0,
            "recipient": {"id": recipient_id},
        }

    def transfer(self, recipient_id: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.transfers.setdefault(
            key,
            {
                "id": f"tf_{uuid.uuid4().hex[:16]}",
                "amount": body["amount"],
                "status": "pending_transfer",
                "fee": 0,
                "type": "bank_transfer",
                "created_at": now_iso(),
                "updated_at": now_iso(),
                "metadata": dict(body.get("metadata") or {}),
                "source": {"source_id": recipient_id, "type": "recipient"},
            },
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def catalog_view_runs(
    stack: Any, seed: Any, variant: str, sqs_event: Callable[[str], dict], bus_event: Callable[[dict, str], str]
) -> Callable[[int], Run]:
    from vitrine.catalogs.read_model_updates import rebuild_view
    from vitrine.events.envelope import StockDelta, StockLevelsChanged, new_event
    from vitrine.repository import catalog_views, catalogs, keys

    catalog = catalogs.get_catalog_by_slug(seed.catalog_slug)
    assert catalog is not None, "the demo catalog is not seeded"
    # The bench runs no consumer: the view the published catalog's event would have built, built here once.
    if catalog_views.read_for_change(catalog.merchant_id, catalog.catalog_id, []).head is None:
        rebuild_view(catalog)
    view_pk = keys.catalog_view_pk(catalog.merchant_id, catalog.catalog_id)
    ddb = stack.client("dynamodb")
    first_version = int(
        ddb.get_item(TableName=stack.table_name, Key={"PK": {"S": view_pk}, "SK": {"S": "HEAD"}})["Item"]["version"][
            "N"
        ]
    )
    made = 0

    def make(n: int) -> Run:
        nonlocal made
        on_hand, sequence = 1000 + n, time.time_ns() // 1000
        ddb.update_item(
            TableName=stack.table_name,
            Key={"PK": {"S": keys.stock_pk(catalog.merchant_id, "9900")}, "SK": {"S": variant}},
            UpdateExpression="SET on_hand = :n, #seq = :seq, reserved = :zero, available = :n",
            ExpressionAttributeNames={"#seq": "sequence"},
            ExpressionAttributeValues={":n": {"N": str(on_hand)}, ":seq": {"N": str(sequence)}, ":zero": {"N": "0"}},
        )
        level = StockDelta(
            store_code="9900", sku=variant, on_hand=on_hand, reserved=0, available=on_hand, sequence=sequence
        )
        envelope = new_event(catalog.merchant_id, StockLevelsChanged(job_id=uuid.uuid4().hex, levels=[level]))
        event = sqs_event(bus_event(envelope.model_dump(mode="json"), "vitrine.stock_sync"))
        made += 1
        # Read back after the last run: every run (of any variant) rewrote the entry with the head, version + 1.
        return Run(event, written=(view_pk, "HEAD"), also=versions_since(first_version, made))

    return make


def versions_since(first: int, runs: int) -> Callable[[dict[str, Any]], str | None]:
    def check(head: dict[str, Any]) -> str | None:
        if int(head["version"]["N"]) < first + runs:
            return f"its version is {head['version']['N']}, below {first} + {runs} runs: a run changed nothing"
        return None

    return check


def payout_runs(stack: Any, gateway: GatewayOnLoopback, sqs_event: Callable[[str], dict]) -> Callable[[int], Run]:
    from bench_env import active_daily_payout_settings, pix_sale_entries

    from vitrine.ledger.rules import business_day
    from vitrine.payouts.runs import payout_id
    from vitrine.repository import keys, ledger, payouts, table

    # The function's gateway is the bench's on loopback (the stack's points at a sandbox no bench process runs),
    # with the secret key the template names in SSM (the local stack's seed writes it; the bench's does not).
    environment = stack.functions["MerchantPayoutFunction"].environment
    environment["PAGARME_BASE_URL"] = gateway.url
    stack.client("ssm").put_parameter(
        Name=environment["PAGARME_SECRET_KEY_PARAMETER"], Value="sk_bench_loopback", Type="SecureString", Overwrite=True
    )
    day = business_day(datetime.now(UTC))
    while day.weekday() >= 5:  # a daily schedule pays on business days
        day -= timedelta(days=1)
    captured = datetime.combine(day - timedelta(days=7), datetime.min.time(), tzinfo=UTC).replace(hour=15)

    def make(n: int) -> Run:
        merchant_id = f"bench-payout-{n}-{uuid.uuid4().hex[:8]}"
        payouts.put_payout_settings(
            merchant_id,
            active_daily_payout_settings(f"rp_bench{n}"),
        )
        entries = pix_sale_entries(merchant_id, f"o{n}", captured)
        table.transact_write([ledger.entry_put_operation(entry) for entry in entries])
        this_payout = payout_id(merchant_id, day)
        body = json.dumps({"kind": "payout", "merchant_id": merchant_id, "scheduled_on": day.isoformat()})

        def transferred(item: dict[str, Any]) -> str | None:
            transfer = gateway.transfers.get(this_payout)
            if transfer is None:
                return "the gateway was never asked for its transfer"
            return attributes(transfer_id={"S": transfer["id"]})(item)

        written = (keys.payouts_pk(merchant_id), keys.payout_sk(scheduled_on=day.isoformat(), payout_id=this_payout))
        return Run(sqs_event(body), written=written, status="pending", also=transferred)

    return make
