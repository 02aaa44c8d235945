"""What the in-process benches share: their AWS environment and resources, the API Gateway events and the Lambda
context they call handlers with, DynamoDB answered from memory, and the demo stack the checkout benches run on.

``storefront.py`` and ``stock_sync.py`` run handlers under ``moto.mock_aws`` in this process
(``in_process_environment``, ``create_table_and_bus``, ``answer_dynamodb``); ``checkout.py`` and ``webhooks.py``
run them against the emulator with the template's stack, the demo merchant and the sandbox gateway
(``demo_stack``, a shopper's ``checkout_body``). Everything heavy is imported inside the function that needs it,
after the bench has set the environment the handlers read at import.
"""

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from local_stack.lambda_context import LambdaContext

ACCOUNT_ID = "123456789012"
# A shopper the demo catalog accepts at checkout (valid CPF, a São Paulo address it delivers to).
CUSTOMER = {"name": "Bench Shopper", "cpf": "52998224725", "phone": "11988887777", "email": "bench@example.com"}
ADDRESS = {
    "cep": "01310100",
    "street": "Av. Paulista",
    "number": "1",
    "district": "Bela Vista",
    "city": "Sao Paulo",
    "state": "SP",
}


def in_process_environment(service: str, **extra: str) -> dict[str, str]:
    """The functions' environment for handlers run under ``moto.mock_aws`` in this process."""
    return {
        "TABLE_NAME": "vitrine-bench",
        "EVENT_BUS_NAME": "vitrine-bench",
        **extra,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "STAGE": "bench",
        "POWERTOOLS_SERVICE_NAME": service,
        "POWERTOOLS_METRICS_NAMESPACE": "VitrineBench",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }


def create_table_and_bus(environment: dict[str, str]) -> None:
    """The template's table (its keys and indexes) and the event bus, in moto, with fresh clients."""
    from local_stack.template import load_template
    from vitrine import aws

    props = load_template()["Resources"]["Table"]["Properties"]
    aws.reset_clients()
    aws.client("dynamodb").create_table(
        TableName=environment["TABLE_NAME"],
        BillingMode=props["BillingMode"],
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
    )
    aws.client("events").create_event_bus(Name=environment["EVENT_BUS_NAME"])


@contextlib.contextmanager
def answer_dynamodb(body_of: Callable[[Any, dict], bytes | None], event: str, unique_id: str) -> Iterator[None]:
    """Answer the core's DynamoDB requests with ``body_of(model, params)`` (a response body as DynamoDB would send
    it; ``None``: the request goes on to moto), parsed by botocore's own parser: the client's whole work is done,
    only the emulator's is skipped. Registered on ``event`` of the client's hooks while the block runs."""
    from botocore.awsrequest import AWSResponse
    from botocore.parsers import create_parser

    from vitrine import aws

    parser = create_parser("json")

    def answer(model, params, **_kwargs):
        body = body_of(model, params)
        if body is None:
            return None
        parsed = parser.parse({"body": body, "headers": {}, "status_code": 200}, model.output_shape)
        return AWSResponse("https://dynamodb", 200, {}, None), parsed

    events = aws.client("dynamodb").meta.events
    events.register(event, answer, unique_id=unique_id)
    try:
        yield
    finally:
        events.unregister(event, unique_id=unique_id)


def http_event(routes: Any, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> dict:
    """The API Gateway (payload v2) event of a request, routed by the template's route table."""
    from local_stack.http_api_payload import HttpRequest, build_event

    match = routes.match(method, path.split("?", 1)[0])
    assert match is not None, f"no template route for {method} {path}"
    request = HttpRequest(method=method, target=path, headers=list(headers.items()), body=body)
    return build_event(
        request,
        match.route.route_key,
        match.path_parameters,
        request_id=str(uuid.uuid4()),
        account_id=ACCOUNT_ID,
        api_id="bench",
    )


def json_request(routes: Any, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> dict:
    """The event of a JSON request to the local stack's front (``127.0.0.1:3000``)."""
    all_headers = {"host": "127.0.0.1:3000", "content-type": "application/json", **(headers or {})}
    return http_event(routes, method, path, all_headers, json.dumps(body).encode() if body is not None else b"")


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values``, the nearest of the sorted values (the checkout benches' p99)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_context() -> LambdaContext:
    """The context the checkout benches call a warm handler with."""
    return LambdaContext(function_name="bench", aws_request_id="bench")


def checkout_body(lines: list[tuple[str, str]]) -> dict:
    """A shopper's Pix checkout of one of each ``(product_sku, sku)`` from the demo catalog, delivered."""
    return {
        "catalog": "demo",
        "customer": CUSTOMER,
        "fulfilment": {"kind": "delivery", "address": ADDRESS},
        "payment": {"method": "pix"},
        "lines": [{"product_sku": product, "sku": sku, "quantity": 1} for product, sku in lines],
    }


def plenty_of_stock(sku: str) -> None:
    """Enough stock of the demo merchant's ``sku`` that no run is refused: a bench measures the path that writes
    an order."""
    from vitrine.catalogs.models import StockLevel
    from vitrine.repository import stock

    stock.set_stock("demo-merchant", StockLevel(store_code="9900", sku=sku, on_hand=10**6, sequence=10**6))


class DemoStack:
    """The running demo stack: the functions' merged ``environment``, the ``sandbox`` gateway, the template's
    ``functions`` by logical id and their ``routes``, the ``deployed`` stack and the demo ``seed``."""

    def __init__(self, environment: dict[str, str], sandbox: Any, deployed: Any = None, seed: Any = None) -> None:
        from local_stack.function_code import template_functions
        from local_stack.routes import RouteTable

        self.environment = environment
        self.sandbox = sandbox
        self.deployed = deployed
        self.seed = seed
        self.functions = {fn.logical_id: fn for fn in template_functions()}
        self.routes = RouteTable(route for fn in self.functions.values() for route in fn.routes)

    def handler(self, logical_id: str) -> Any:
        from local_stack.function_code import load_handler

        return load_handler(self.functions[logical_id])


@contextlib.contextmanager
def demo_stack(*function_ids: str) -> Iterator[DemoStack]:
    """The emulator with the template's stack deployed, the sandbox gateway and the demo merchant, for handlers
    run in this process with the environment of ``function_ids`` (merged; ``seed_demo`` makes it this process's).
    Stopped afterwards."""
    from local_stack.deploy import deploy
    from local_stack.emulator import start_emulator
    from local_stack.sandbox_gateway import SandboxGateway
    from local_stack.seed import seed_demo

    # Before any handler is imported: Powertools reads its namespace when a handler module creates its metrics.
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "VitrineBench")
    emulator = start_emulator()
    sandbox = SandboxGateway()
    sandbox.start()
    try:
        stack = deploy(emulator.url)
        environment = {name: value for fn in function_ids for name, value in stack.functions[fn].environment.items()}
        environment |= sandbox.environment()
        environment["POWERTOOLS_LOG_LEVEL"] = "ERROR"
        seed = seed_demo(environment)
        yield DemoStack(environment, sandbox, stack, seed)
    finally:
        sandbox.stop()
        emulator.stop()


def active_daily_payout_settings(recipient_id: str) -> Any:
    """A merchant's payout settings for the payout benches: daily, minimum R$ 0,01, an active recipient."""
    from datetime import UTC, datetime

    from vitrine.payments.recipients import BankAccount, RecipientStatus
    from vitrine.payouts.models import PayoutSchedule, PayoutSettings

    now = datetime.now(UTC)
    return PayoutSettings(
        schedule=PayoutSchedule(cadence="daily", minimum_amount=1),
        bank_account=BankAccount(
            holder_name="Bench",
            holder_document="11222333000181",
            bank="341",
            branch_number="1",
            account_number="12345",
            account_check_digit="1",
            type="checking",
        ),
        recipient_id=recipient_id,
        recipient_status=RecipientStatus.ACTIVE,
        recipient_checked_at=now,
        updated_at=now,
    )


def pix_sale_entries(merchant_id: str, order_id: str, captured_at: Any) -> list:
    """The ledger entries of a R$ 100,00 Pix sale captured at ``captured_at``, at the default terms."""
    from vitrine.ledger.rules import capture_entries
    from vitrine.merchants import SettlementTerms
    from vitrine.payments.port import PaymentMethod

    return capture_entries(
        merchant_id=merchant_id,
        order_id=order_id,
        amount=10_000,
        method=PaymentMethod.PIX,
        installments=1,
        terms=SettlementTerms(),
        captured_at=captured_at,
        first_sequence=1,
    )
