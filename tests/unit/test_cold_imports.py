"""What a cold start does not import: each main path's modules, loaded in a fresh interpreter as Lambda loads them
(the function's directory and the layer on the path), and the heavy modules it must not pull in.

``bench/cold_start.py`` measures what these save; these tests keep an import added later from undoing it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Powertools' event_handler package imports every resolver it has (AppSync with asyncio, Bedrock, Lattice) and
# every event source's data class: ~55-60 ms (vitrine.http.resolver says why we have our own).
EVENT_HANDLER = ("aws_lambda_powertools.event_handler", "asyncio")
# The models of the ERP's other kinds, and the CSV import with its Portuguese wording and the product applier.
OTHER_ERP_KINDS = (
    "vitrine.erp.product_models",
    "vitrine.erp.people_models",
    "vitrine.erp.csv_products",
    "vitrine.erp.csv_wording",
    "vitrine.erp.appliers.products",
    "vitrine.people.models",
)


def loaded_after(code_dir: str, script: str) -> set[str]:
    """The modules ``script`` leaves in ``sys.modules``, run fresh with ``code_dir`` as a function's code."""
    report = f"{script}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    path = os.pathsep.join([str(ROOT / code_dir), str(ROOT / "layers" / "vitrine")])
    result = subprocess.run(
        [sys.executable, "-c", report],
        cwd=ROOT / code_dir,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def under(modules: set[str], packages: tuple[str, ...]) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


@pytest.mark.parametrize(
    ("code_dir", "handler"),
    [
        ("functions/catalog_api", "app"),
        ("functions/stock_sync", "erp_api"),
        ("functions/stock_sync", "erp_orders_api"),
        ("functions/order_webhook", "app"),
    ],
)
def test_no_api_function_imports_powertools_event_handler(code_dir, handler):
    # Given an API handler and every route module its route table names (a new one included)
    script = (
        "import importlib\n"
        f"handler = importlib.import_module({handler!r})\n"
        "for module in set(getattr(handler, 'ROUTE_MODULES', {}).values()):\n"
        "    importlib.import_module(module)\n"
    )
    loaded = loaded_after(code_dir, script)

    assert "vitrine.http.resolver" in loaded
    assert not under(loaded, EVENT_HANDLER)


def test_the_erp_stock_route_imports_no_other_kinds_models():
    # Given the ERP API handler, the module serving POST /erp/v1/stock (the route table imports only that one) and
    # the API key check its first request imports
    loaded = loaded_after("functions/stock_sync", "import erp_api, erp_stock_routes, vitrine.auth.api_keys")

    assert "vitrine.erp.models" in loaded
    assert not under(loaded, (*OTHER_ERP_KINDS, "vitrine.catalogs.models"))


def test_the_ingest_of_a_stock_chunk_imports_no_other_kinds_models():
    # Given the ingest consumer, with what applying a stock chunk imports (its applier and its item model)
    script = (
        "import ingest_consumer\n"
        "import vitrine.erp.appliers.stock\n"
        "from vitrine.erp.models import BatchKind, item_model\n"
        "item_model(BatchKind.STOCK)\n"
    )
    loaded = loaded_after("functions/stock_sync", script)

    assert "vitrine.erp.appliers.stock" in loaded
    assert not under(loaded, OTHER_ERP_KINDS)
    # Nor the assortment's models and access patterns: a count needs its stores' codes and the variant index
    assert not under(loaded, ("vitrine.catalogs.models", "vitrine.repository.assortment"))


def test_another_kind_imports_its_models_at_its_first_item():
    script = (
        "from vitrine.erp.models import BatchKind, item_model\n"
        "assert item_model(BatchKind.PRICES).__name__ == 'ErpPrice'\n"
    )
    loaded = loaded_after("functions/stock_sync", script)

    assert "vitrine.erp.product_models" in loaded
    assert "vitrine.erp.people_models" not in loaded


def test_the_erp_order_feed_imports_no_order_transitions():
    # Given the ERP order API handler, the module serving GET /erp/v1/orders/feed and the API key check
    loaded = loaded_after("functions/stock_sync", "import erp_orders_api, order_feed_routes, vitrine.auth.api_keys")

    assert "vitrine.erp.order_feed" in loaded
    transitions = ("vitrine.repository.order_state", "vitrine.events.envelope", "vitrine.repository.ledger")
    assert not under(loaded, transitions)


def test_an_api_key_is_checked_without_the_merchants_models():
    loaded = loaded_after("functions/stock_sync", "import vitrine.auth.api_keys")

    assert "vitrine.repository.api_keys" in loaded
    assert not under(loaded, ("vitrine.repository.merchants", "vitrine.merchants", "vitrine.catalogs.models"))


def test_the_settings_are_read_without_pydantic():
    # Given what every function does at its first AWS call: read the settings
    loaded = loaded_after("functions/event_journal", "from vitrine.settings import get_settings\nget_settings()")

    assert "vitrine.settings" in loaded
    assert not under(loaded, ("pydantic", "pydantic_core"))


def test_a_merchants_payout_imports_no_merchants_models_and_builds_no_registration():
    # Given the payout consumer with what its first message imports (the gateway and its recipient shapes)
    script = (
        "import merchant_payout\n"
        "from vitrine.payments.pagarme import get_gateway\n"
        "from vitrine.payments import pagarme, pagarme_recipients, recipients\n"
        "built = [m.__name__ for m in (recipients.CompanyRegistration, recipients.PersonRegistration,\n"
        "         pagarme._WireCard, pagarme_recipients._WireTransfer) if m.__pydantic_complete__]\n"
        "assert not built, built\n"
    )
    loaded = loaded_after("functions/payout", script)

    assert "vitrine.payouts.runs" in loaded
    merchants = ("vitrine.merchants", "vitrine.repository.merchants", "vitrine.catalogs.models")
    assert not under(loaded, (*merchants, "vitrine.payouts.payout_settings"))


def test_a_poll_of_an_empty_erp_feed_imports_no_order_model():
    # Given the feed's route module, and a feed with nothing to serve (what most of an ERP's polls find): the
    # feed's pointers read, and none there
    script = (
        "import erp_orders_api, order_feed_routes\n"
        "from vitrine.erp import order_feed\n"
        "from vitrine.repository import erp_feed, table\n"
        "table.query = lambda pk, **options: table.Page(items=[], cursor=None)\n"
        "assert order_feed.order_feed('m', limit=50, cursor=None) == {'orders': [], 'next_cursor': None}\n"
    )
    loaded = loaded_after("functions/stock_sync", script)

    # Then neither the orders' models nor the page's were imported (the route names its page by reference)
    assert "vitrine.erp.order_feed" in loaded
    assert not under(loaded, ("vitrine.orders", "vitrine.erp.feed_models", "vitrine.repository.order_items"))


# What a merchant is beside its stores (registration, settings, shop profile), and the gateway port's models.
MERCHANTS_MODELS = ("vitrine.merchants", "vitrine.repository.merchants", "vitrine.addresses", "vitrine.payments.port")


def test_a_catalogs_json_view_imports_no_merchants_models():
    # Given the catalog API and the module serving GET /api/catalogs/{slug}, with a view read from the read model
    # (the shop's identity is the head's, read back without the merchants' records)
    script = (
        "import app, storefront_routes\n"
        "from vitrine.catalogs import read_model, storefront, stores\n"
        "from vitrine.repository import catalog_views\n"
        "from vitrine.catalogs.shop_identity import ShopIdentity\n"
        "ShopIdentity.from_json({'name': 'Loja', 'corporate_name': None, 'cnpj': None, 'email': None,\n"
        "    'address': {'cep': '01001-000', 'street': 'Praça da Sé', 'number': '1', 'complement': '',\n"
        "                'district': 'Sé', 'city': 'São Paulo', 'state': 'SP'},\n"
        "    'phone': None, 'whatsapp': None, 'return_policy_url': None, 'return_policy_text': None})\n"
    )
    script += "storefront_routes.api_release()\n"  # the JSON views' ETags name it
    loaded = loaded_after("functions/catalog_api", script)

    assert "vitrine.catalogs.storefront" in loaded
    assert not under(loaded, (*MERCHANTS_MODELS, "vitrine.catalogs.shop"))
    # Nor the catalog's models and the answers' schemas: a view read from the read model builds none
    # (``test_catalog_read_model.py`` counts the products it validates: none)
    assert not under(loaded, ("vitrine.catalogs.models", "vitrine.catalogs.visibility", "storefront_schemas"))
    # Nor the pages' markup and assets, nor the gateway's settings (the pages' card tokenization)
    assert not under(loaded, ("storefront_page", "storefront_footer", "vitrine.payments.settings"))


def test_a_stock_change_to_catalog_views_imports_no_merchants_or_orders():
    # Given the read-model consumer, which reads the catalogs' stores for a stock change (not the shop's identity,
    # which only a rebuild or a profile change reads, nor an order, which only a released reservation's event does)
    loaded = loaded_after("functions/catalog_views", "import app\nimport vitrine.repository.stores")

    assert "vitrine.catalogs.read_model_updates" in loaded
    assert not under(loaded, (*MERCHANTS_MODELS, "vitrine.catalogs.shop", "vitrine.repository.orders"))


# What a checkout reads besides the order (its catalog, the merchant's terms and payout settings) and the gateway's
# requests: an order's readers need none of them.
CHECKOUT_MODELS = ("vitrine.catalogs.models", "vitrine.merchants", "vitrine.payouts.models", "vitrine.payments.port")


def test_a_status_message_imports_no_checkout_model_and_no_order_transition():
    # Given the notifier and what a status event's messages import (the order, the shop, the consents)
    script = (
        "import app\n"
        "from vitrine.events.bus import BusEvent\n"
        "from vitrine.messaging import dispatch, handling, settings\n"
        "from vitrine.repository import orders\n"
        "from vitrine.catalogs import shop_identity\n"
        "import vitrine.consents\n"
    )
    loaded = loaded_after("functions/notifier", script)

    assert "vitrine.orders.models" in loaded
    transitions = ("vitrine.repository.order_state", "vitrine.events.publisher")
    assert not under(loaded, (*CHECKOUT_MODELS, *transitions))


def test_a_loyalty_accrual_imports_no_order_model():
    # Given the loyalty consumer and what scoring an invoiced order imports (its facts, the CPF's consent)
    script = (
        "import app\n"
        "from vitrine.loyalty import accrual\n"
        "from vitrine.repository import loyalty\n"
        "from vitrine.consents import models, records, subjects\n"
    )
    loaded = loaded_after("functions/loyalty", script)

    assert "vitrine.loyalty.models" in loaded
    unneeded = (
        "vitrine.orders",
        "vitrine.repository.orders",
        "vitrine.repository.order_state",
        "vitrine.events.publisher",
    )
    assert not under(loaded, (*CHECKOUT_MODELS, *unneeded))


def test_the_consoles_order_page_imports_no_checkout_model_and_no_order_transition():
    # Given the console's order page with what it reads (the order and its books, its messages, its points, the shop)
    script = (
        "import app, console_orders\n"
        "from vitrine.orders import queries\n"
        "from vitrine.repository import order_items\n"
        "from vitrine.messaging import history\n"
        "from vitrine.loyalty import status\n"
        "from vitrine.catalogs.shop_identity import shop_identity\n"
    )
    loaded = loaded_after("functions/console", script)

    assert "vitrine.orders.models" in loaded
    unneeded = ("vitrine.repository.order_state", "vitrine.events", "vitrine.loyalty.models", "vitrine.catalogs.shop")
    assert not under(loaded, (*CHECKOUT_MODELS, *unneeded))


def test_a_providers_delivery_status_imports_nothing_of_sending():
    # Given the messaging webhook and what a signed WhatsApp status imports (the provider's parser, the recording)
    script = (
        "import webhooks\n"
        "from vitrine.messaging import whatsapp, zenvia\n"
        "from vitrine.messaging.statuses import apply_statuses\n"
        "from vitrine.messaging.settings import MessagingSettings\n"
    )
    loaded = loaded_after("functions/notifier", script)

    assert "vitrine.repository.messages" in loaded
    sending = (
        "vitrine.events",
        "vitrine.messaging.dispatch",
        "vitrine.messaging.notices",
        "vitrine.messaging.templates",
    )
    assert not under(loaded, (*sending, "vitrine.orders", "vitrine.catalogs"))
