"""The demo merchant ``make dev`` starts with, written through the core's repository like any other data.

Two stores (a physical one, 0001, and the online site, 9900), 20 products with a size/colour grid and
images drawn locally with Pillow (no internet), two price tables, stock per store, a published catalog
with slug ``demo``, and a merchant API key. Deterministic: the same data every start.
"""

import io
import os
import secrets
import unicodedata
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from local_stack.demo_data import (
    DEMO_CNPJ,
    DEMO_MERCHANT_ID,
    DEMO_PRODUCTS,
    DEMO_PROFILE,
    ONLINE_STORE,
    PHYSICAL_STORE,
    RETAIL_TABLE,
    WHOLESALE_TABLE,
    demo_master_data,
    demo_products,
    demo_stock_counts,
    image_captions,
)
from vitrine import aws
from vitrine.addresses import Address
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import (
    Catalog,
    CatalogSelection,
    CatalogStatus,
    FulfilmentKind,
    Image,
    PriceTable,
    StockLevel,
    Store,
)
from vitrine.catalogs.shop import update_shop_profile
from vitrine.erp.connector import ConnectorResource, ErpConnectorInput, configure_connector
from vitrine.events.envelope import CatalogPublished, new_event
from vitrine.events.publisher import publish
from vitrine.image_store import put_image
from vitrine.merchants import DeliveryRange, Merchant, StoreSettings
from vitrine.people import accounts
from vitrine.people.models import CustomerInput, SellerInput
from vitrine.repository import assortment, catalogs, merchants, stock, stores

DEMO_SLUG = "demo"
# A seller and a B2B customer (wholesale prices) who sign in at /c/demo/entrar with a password drawn per start.
DEMO_SELLER_LOGIN = "ana@vitrine.demo"
DEMO_OWNER_LOGIN = "dona@vitrine.demo"
DEMO_CUSTOMER_LOGIN = "compras@parceira.demo"
# The job the seeded products and prices read as written by (not a time-ordered job id: it never wins over one).
SEED_JOB = "demo-seed"

# Delivery by CEP range: the city of São Paulo, the rest of the state, the rest of Brazil.
DEMO_SETTINGS = StoreSettings(
    delivery_ranges=[
        DeliveryRange(cep_from="01000000", cep_to="05999999", price=1290, days=2),
        DeliveryRange(cep_from="06000000", cep_to="19999999", price=1990, days=4),
        DeliveryRange(cep_from="20000000", cep_to="99999999", price=3490, days=8),
    ],
    free_delivery_above=29900,
    max_installments=6,
    min_installment=2000,
)

_PALETTE = {
    "Vestuário": (52, 101, 164),
    "Calçados": (196, 98, 45),
    "Acessórios": (74, 140, 92),
}


@dataclass(frozen=True)
class DemoSeed:
    merchant_id: str
    catalog_slug: str
    api_key: str
    product_count: int
    password: str
    seller_login: str = DEMO_SELLER_LOGIN
    owner_login: str = DEMO_OWNER_LOGIN
    customer_login: str = DEMO_CUSTOMER_LOGIN
    erp_connector_url: str | None = None  # the sandbox ERP the demo merchant's connector polls, when there is one
    loyalty_partner_url: str | None = None  # the sandbox loyalty partner the demo merchant scores at


def _draw_image(name: str, classifier: str, width: int, height: int) -> bytes:
    from PIL import Image as PilImage
    from PIL import ImageDraw, ImageFont

    colour = _PALETTE.get(classifier, (90, 90, 90))
    image = PilImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([24, 24, width - 24, height - 24], outline=(255, 255, 255), width=6)
    # Pillow's built-in font has no accented glyphs: draw the caption without accents.
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    initials = "".join(word[0] for word in name.split()[:3]).upper()
    draw.text(
        (width / 2, height / 2 - 30),
        initials,
        fill=(255, 255, 255),
        anchor="mm",
        font=ImageFont.load_default(size=min(width, height) // 4),
    )
    draw.text(
        (width / 2, height - 80),
        name,
        fill=(255, 255, 255),
        anchor="mm",
        font=ImageFont.load_default(size=min(width, height) // 16),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def _upload_image(image: Image, name: str, classifier: str) -> None:
    put_image(image.key, _draw_image(name, classifier, image.width, image.height), image.content_type)


def apply_environment(env: Mapping[str, str]) -> None:
    """Point this process's core at the stack (the seed runs in the local stack's own process)."""
    os.environ.update(env)
    aws.reset_clients()
    from vitrine.payments.pagarme import get_gateway
    from vitrine.payments.settings import reset_gateway_settings

    get_gateway.cache_clear()
    reset_gateway_settings()


def seed_demo(env: Mapping[str, str]) -> DemoSeed:
    """Write the demo merchant into the stack whose handler environment is ``env``."""
    apply_environment(env)
    merchants.put_merchant(Merchant(merchant_id=DEMO_MERCHANT_ID, name="Loja Demo Vitrine", cnpj=DEMO_CNPJ))
    update_shop_profile(DEMO_MERCHANT_ID, DEMO_PROFILE)
    if env.get("PAGARME_PLATFORM_RECIPIENT_ID"):
        from local_stack.demo_payouts import register_demo_for_payouts

        register_demo_for_payouts(DEMO_MERCHANT_ID)
    stores.put_store(
        DEMO_MERCHANT_ID,
        Store(
            code=PHYSICAL_STORE,
            name="Loja Centro",
            city="São Paulo",
            address="Rua Direita, 120 - Centro",
            fulfilment=[FulfilmentKind.PICKUP, FulfilmentKind.DELIVERY],
        ),
    )
    stores.put_store(
        DEMO_MERCHANT_ID,
        Store(code=ONLINE_STORE, name="Loja Online", online=True, fulfilment=[FulfilmentKind.DELIVERY]),
    )
    merchants.put_store_settings(DEMO_MERCHANT_ID, DEMO_SETTINGS)
    assortment.put_price_table(DEMO_MERCHANT_ID, PriceTable(table_id=RETAIL_TABLE, name="Varejo", default=True))
    assortment.put_price_table(DEMO_MERCHANT_ID, PriceTable(table_id=WHOLESALE_TABLE, name="Atacado"))

    products = demo_products()
    levels = [
        StockLevel(store_code=store, sku=sku, on_hand=on_hand, sequence=1)
        for store, sku, on_hand in demo_stock_counts()
    ]
    marks = _sync_marks()
    # Independent writes: run them side by side so the stack is up sooner (botocore clients are thread-safe).
    with ThreadPoolExecutor(max_workers=8) as pool:
        writes = [
            pool.submit(
                assortment.put_synced_products,
                DEMO_MERCHANT_ID,
                [(product, marks.products[product.sku]) for product in products],
                {},  # a fresh table: nothing indexed yet
            )
        ]
        writes += [
            pool.submit(_upload_image, image, caption, classifiers[0])
            for product, (sku, name, _brand, classifiers, *_rest) in zip(products, DEMO_PRODUCTS, strict=True)
            for image, caption in zip(product.images, image_captions(sku, name), strict=True)
        ]
        writes += [pool.submit(stock.set_stock, DEMO_MERCHANT_ID, level) for level in levels]
        for write in writes:
            write.result()
    assortment.put_synced_prices(DEMO_MERCHANT_ID, marks.prices)

    catalog = Catalog(
        catalog_id="cat-demo",
        merchant_id=DEMO_MERCHANT_ID,
        slug=DEMO_SLUG,
        title="Loja Demo Vitrine — Coleção",
        description="Roupas, calçados e acessórios com entrega ou retirada na loja.",
        status=CatalogStatus.PUBLISHED,
        price_table_id=RETAIL_TABLE,
        store_codes=[PHYSICAL_STORE, ONLINE_STORE],
        min_stock_to_show=1,
        selection=CatalogSelection(all_active_online=True),
        display_order=["TEN-COR", "CAM-BAS", "CAL-JEA"],
    )
    catalogs.create_catalog(catalog)
    api_key = issue_api_key(DEMO_MERCHANT_ID, scopes=["merchant", "erp"], name="demo")
    password = secrets.token_urlsafe(9)
    _seed_people(password)
    publish(
        [
            new_event(
                DEMO_MERCHANT_ID,
                CatalogPublished(catalog_id=catalog.catalog_id, slug=catalog.slug, title=catalog.title),
            )
        ],
        source="vitrine.catalog_api",
    )
    return DemoSeed(
        merchant_id=DEMO_MERCHANT_ID,
        catalog_slug=DEMO_SLUG,
        api_key=api_key,
        product_count=len(products),
        password=password,
        erp_connector_url=_seed_erp_connector(env),
        loyalty_partner_url=_seed_loyalty(env),
    )


def _seed_staff(password: str) -> None:
    """The console's people: the owner (every permission), and Ana, the seller, as a member of the "Vendedores"
    group (vitrines, orders, customers) who is the ERP's seller ``ana``; both with the demo's password."""
    from vitrine.auth.permissions import MERCHANT_PERMISSIONS, Permission
    from vitrine.people import staff

    owner, _ = staff.create_owner(DEMO_MERCHANT_ID, "Rosa Demo (dona)", DEMO_OWNER_LOGIN, password=password)
    caller = _Owner(DEMO_MERCHANT_ID, MERCHANT_PERMISSIONS, owner.staff_id)
    sellers = staff.create_group(
        caller,
        staff.GroupInput(
            name="Vendedores", permissions=[Permission.CATALOGS, Permission.ORDERS_VIEW, Permission.CUSTOMERS]
        ),
    )
    member = staff.NewStaff(
        name="Ana Vendedora", email=DEMO_SELLER_LOGIN, password=password, group_ids=[sellers.group_id], seller_id="ana"
    )
    staff.create_member(caller, member)


@dataclass(frozen=True)
class _Owner:
    """Who the seed acts as when it makes the console's groups and members: the owner."""

    merchant_id: str
    permissions: frozenset
    staff_id: str
    owner: bool = True


@dataclass(frozen=True)
class _SeedMarks:
    products: dict[str, dict[str, str]]
    prices: list[tuple[str, str, int, int | None, dict[str, str]]]


def _sync_marks() -> _SeedMarks:
    """The demo's products and prices as the sandbox ERP holds them, hashed as a sync hashes them: the seed
    stores them as if the ERP had sent them, so the connector's first poll finds them unchanged (as it would at a
    merchant whose catalogue came from the ERP) instead of rewriting and announcing them all. ``SEED_JOB`` is no
    time-ordered job id, so it never holds back a job the ERP sends (``delta.written_by_newer_job``)."""
    from vitrine.erp import delta
    from vitrine.erp.product_models import ErpPrice, ErpProduct

    master = demo_master_data()
    products = {
        item["sku"]: delta.sync_marks(
            delta.content_hash(ErpProduct.model_validate(item).model_dump(mode="json")), SEED_JOB
        )
        for item in master.products
    }
    prices = [
        (p.table_id, p.sku, p.price, None, delta.sync_marks(delta.content_hash({"price": p.price}), SEED_JOB))
        for p in (ErpPrice.model_validate(item) for item in master.prices)
    ]
    return _SeedMarks(products, prices)


def _seed_erp_connector(env: Mapping[str, str]) -> str | None:
    """Point the demo merchant's ERP connector at the sandbox ERP (``SANDBOX_ERP_URL``, with its token), polled
    every minute, so ``make dev`` shows the whole loop: the ERP's changes arrive by polling. Through the core's
    own function, the one the merchant API calls, so the seed cannot store what the API would refuse."""
    base_url = env.get("SANDBOX_ERP_URL")
    if not base_url:
        return None
    new = ErpConnectorInput(
        base_url=base_url,
        token=env["SANDBOX_ERP_TOKEN"],
        interval_minutes=1,
        resources=[ConnectorResource.PRODUCTS, ConnectorResource.PRICES, ConnectorResource.STOCK],
    )
    return configure_connector(DEMO_MERCHANT_ID, new).base_url


def _seed_loyalty(env: Mapping[str, str]) -> str | None:
    """Enable loyalty points for the demo merchant, scored at the sandbox loyalty partner (``SANDBOX_LOYALTY_URL``,
    with its key), through the core's own function, the one ``PUT /merchant/v1/loyalty`` calls."""
    from local_stack.demo_data import DEMO_LOYALTY_BRANDS, DEMO_LOYALTY_STORES
    from vitrine.loyalty.configuration import put_loyalty_settings
    from vitrine.loyalty.models import LoyaltySettingsInput

    base_url = env.get("SANDBOX_LOYALTY_URL")
    if not base_url:
        return None
    settings = LoyaltySettingsInput.model_validate(
        {
            "enabled": True,
            "mode": "per_real",
            "brands": DEMO_LOYALTY_BRANDS,
            "stores": DEMO_LOYALTY_STORES,
            "partner": {"base_url": base_url, "api_key": env["SANDBOX_LOYALTY_API_KEY"]},
        }
    )
    view = put_loyalty_settings(DEMO_MERCHANT_ID, settings)
    return view.partner.base_url if view.partner else None


def _seed_people(password: str) -> None:
    seller = SellerInput(name="Ana Vendedora", email=DEMO_SELLER_LOGIN, password=password)
    accounts.save_seller(DEMO_MERCHANT_ID, "ana", seller)
    _seed_staff(password)
    # With a phone and an address, as the ERP sends them: the checkout is filled from this record.
    customer = CustomerInput(
        name="Loja Parceira Ltda",
        document="11.222.333/0001-81",
        email=DEMO_CUSTOMER_LOGIN,
        phone="(11) 97777-6666",
        price_table_id=WHOLESALE_TABLE,
        addresses=[
            Address(
                cep="04538-132",
                street="Av. Brigadeiro Faria Lima",
                number="3477",
                complement="Loja 2",
                district="Itaim Bibi",
                city="São Paulo",
                state="SP",
            )
        ],
    )
    accounts.save_customer(DEMO_MERCHANT_ID, "parceira", customer)
    accounts.set_web_access(DEMO_MERCHANT_ID, "parceira", password)
    accounts.assign_customers(DEMO_MERCHANT_ID, "ana", ["parceira"])
