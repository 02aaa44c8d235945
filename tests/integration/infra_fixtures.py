"""Small, explicit merchant data for integration tests (the demo seed is for people)."""

import json
import uuid
from datetime import UTC, datetime, timedelta

from vitrine import aws
from vitrine.catalogs.models import (
    Catalog,
    CatalogSelection,
    CatalogStatus,
    FulfilmentKind,
    Image,
    Product,
    StockLevel,
    Store,
    Variant,
)
from vitrine.ids import new_order_code
from vitrine.merchants import DeliveryRange, StoreSettings
from vitrine.orders.models import CustomerInput, Fulfilment, Order, OrderLine, OrderStatus, StatusChange
from vitrine.payments.port import PaymentMethod
from vitrine.repository import assortment, catalogs, merchants, orders, stock, stores

ORDER_CREATED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ORDER_TOTAL = 10000


def put_online_and_centre_stores(merchant_id: str) -> None:
    """Store 9900 online (it ships deliveries) and store 0001 in town (pickup only)."""
    stores.put_store(merchant_id, Store(code="9900", name="Online", online=True, fulfilment=[FulfilmentKind.DELIVERY]))
    stores.put_store(merchant_id, Store(code="0001", name="Centro", fulfilment=[FulfilmentKind.PICKUP]))


def create_erp_ingest_queue(monkeypatch) -> str:
    """The queue the ERP API writes chunks to, named in the environment as the template does for its function."""
    queue_url = aws.client("sqs").create_queue(QueueName="erp-ingest")["QueueUrl"]
    monkeypatch.setenv("ERP_INGEST_QUEUE_URL", queue_url)
    aws.reset_clients()
    return queue_url


def take_messages(queue_url: str) -> list[dict]:
    """Every message's JSON body, taken off the queue (as Lambda's poller would)."""
    sqs = aws.client("sqs")
    messages = []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        messages += batch
        for message in batch:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return [json.loads(m["Body"]) for m in messages]


def publish_small_catalog(*, published: bool = True, merchant_id: str = "m1", slug: str = "loja") -> Catalog:
    products = [
        Product(
            sku="CAM",
            name="Camiseta",
            variants=[Variant(sku="CAM-P", size="P"), Variant(sku="CAM-M", size="M")],
            images=[Image(key=f"merchants/{merchant_id}/products/CAM/1.jpg", width=600, height=600)],
        ),
        Product(sku="SOLD", name="Esgotado", variants=[Variant(sku="SOLD-U", size="U")]),
    ]
    for product in products:
        assortment.put_product(merchant_id, product)
    assortment.put_prices(merchant_id, "varejo", {"CAM": 4990, "SOLD": 1000})
    stock.set_stock(merchant_id, StockLevel(store_code="9900", sku="CAM-P", on_hand=3, sequence=1))
    stock.set_stock(merchant_id, StockLevel(store_code="9900", sku="SOLD-U", on_hand=0, sequence=1))
    put_online_and_centre_stores(merchant_id)
    merchants.put_store_settings(
        merchant_id,
        StoreSettings(
            delivery_ranges=[DeliveryRange(cep_from="01000000", cep_to="19999999", price=1500, days=2)],
            free_delivery_above=20000,
            max_installments=6,
            min_installment=1000,
        ),
    )
    stock.set_stock(merchant_id, StockLevel(store_code="0001", sku="CAM-M", on_hand=5, sequence=1))
    catalog = Catalog(
        catalog_id="c-loja",
        merchant_id=merchant_id,
        slug=slug,
        title="Loja",
        description="Teste",
        status=CatalogStatus.PUBLISHED if published else CatalogStatus.DRAFT,
        price_table_id="varejo",
        store_codes=["9900", "0001"],
        selection=CatalogSelection(all_active_online=True),
    )
    catalogs.create_catalog(catalog)
    return catalog


def write_pending_order(
    *,
    merchant_id: str = "m1",
    sku: str = "CAM-P",
    quantity: int = 2,
    method: PaymentMethod = PaymentMethod.PIX,
    installments: int = 1,
    store: str = "9900",
) -> Order:
    """An order as checkout writes it: pending payment for ``ORDER_TOTAL``, its units reserved, in both indexes."""
    order = Order(
        order_id=uuid.uuid4().hex,
        order_code=new_order_code(),
        merchant_id=merchant_id,
        catalog_id="c1",
        origin="catalog",
        store_code=store,
        customer=CustomerInput(name="Maria Silva", cpf="52998224725", phone="11988887777", email="maria@example.com"),
        fulfilment=Fulfilment(kind="delivery", store_code=store),
        lines=[
            OrderLine(
                product_sku="CAM",
                sku=sku,
                name="Camiseta",
                size="P",
                colour=None,
                quantity=quantity,
                unit_price=ORDER_TOTAL // quantity,
                total=ORDER_TOTAL,
            )
        ],
        subtotal=ORDER_TOTAL,
        total=ORDER_TOTAL,
        payment_method=method,
        installments=installments,
        created_at=ORDER_CREATED,
        reservation_expires_at=ORDER_CREATED + timedelta(minutes=30),
        status_history=[StatusChange(status=OrderStatus.PENDING_PAYMENT, at=ORDER_CREATED)],
    )
    orders.place_order(
        order,
        token_hash="0" * 64,
        idempotency_key=uuid.uuid4().hex,
        request_hash="0" * 64,
        access_token="token",
        reservations=[(store, sku, quantity)],
    )
    return order
