"""The ERP sync bench's data: its merchants and environment, the snapshot an ERP sends, the state a previous sync
left (written straight into moto's table) and the stored hashes answered from memory."""

import json

from bench_env import answer_dynamodb, in_process_environment

MERCHANT = "bench-merchant"
# The price phase's merchant has no products: moto answers a Query by walking the whole partition, and the
# fan-out's Query of the merchant's endpoints would walk 100,000 products for each event.
PRICES_MERCHANT = "bench-prices"
# The stock phase's merchant: one store and the variant index of its levels' SKUs (each chunk queries its stores,
# and moto walks the whole partition to answer it), so its snapshot is smaller than the products'.
STOCK_MERCHANT = "bench-stock"
STOCK_STORE = "9900"
STOCK_LEVELS = 10_000
PRICE_TABLE = "varejo"
RECEIVER = "https://canal.example.com/vitrine"
REQUEST_ITEMS = 1000
BASELINE_EVERY = 5
ENVIRONMENT = in_process_environment("stock_sync")


def snapshot_products(count: int) -> list[dict]:
    """A merchant's assortment as an ERP sends it: a size grid, classifiers, a brand, an image by URL."""
    return [
        {
            "sku": f"SKU{i:06d}",
            "name": f"Camiseta Algodão {i}",
            "description": "Camiseta de algodão penteado, gola careca, modelagem regular.",
            "brand": "Marca",
            "classifiers": ["Roupas", "Camisetas"],
            "variants": [{"sku": f"SKU{i:06d}-{size}", "size": size, "colour": "Azul"} for size in ("P", "M", "G")],
            "images": [{"url": f"https://cdn.loja.com.br/{i}.jpg", "width": 800, "height": 800}],
            "weight_grams": 180,
        }
        for i in range(count)
    ]


def seed_stored_state(products: list[dict], table_name: str) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    """What the previous sync left, written into moto's table directly (through the API it would take minutes of
    moto's own request parsing, which this bench does not measure): each product's keys, name and sync marks,
    all the sync reads of it (the rest of a product is never read by the sync). Returns the sync marks by SKU
    and the stored items by key, as DynamoDB JSON."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from vitrine.erp import delta
    from vitrine.erp.product_models import ErpProduct
    from vitrine.repository import keys
    from vitrine.repository.items import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][ENVIRONMENT["AWS_REGION"]].get_table(table_name)
    marks_by_sku, items = {}, {}
    for raw in products:
        marks = delta.sync_marks(delta.content_hash(ErpProduct.model_validate(raw).model_dump(mode="json")), "seed")
        marks_by_sku[raw["sku"]] = marks
        item = to_item(
            {
                "PK": keys.merchant_pk(MERCHANT),
                "SK": keys.product_sk(raw["sku"]),
                "type": "product",
                "sku": raw["sku"],
                "name": raw["name"],
                **marks,
                # What the sync reads of a product's variant index (repository.assortment.INDEXED_VARIANTS).
                "indexed_variants": [variant["sku"] for variant in raw["variants"]],
            }
        )
        table.put_item(item)
        items[(item["PK"]["S"], item["SK"]["S"])] = item
    return marks_by_sku, items


def reads_from_memory(items: dict[tuple[str, str], dict]):
    """Answer ``BatchGetItem`` from ``items`` as DynamoDB would (the projection applied, missing keys absent),
    through botocore's parser: the client's whole work is done, only the emulator's is skipped."""

    def batch_get(model, params) -> bytes | None:
        if model.name != "BatchGetItem":
            return None
        request = json.loads(params["body"])["RequestItems"]
        responses = {}
        for table_name, wanted in request.items():
            names = wanted.get("ExpressionAttributeNames", {})
            projected = [names.get(name.strip(), name.strip()) for name in wanted["ProjectionExpression"].split(",")]
            found = (items.get((key["PK"]["S"], key["SK"]["S"])) for key in wanted["Keys"])
            responses[table_name] = [{n: item[n] for n in projected if n in item} for item in found if item]
        return json.dumps({"Responses": responses, "UnprocessedKeys": {}}).encode()

    # On the service's event, not the operation's: botocore runs an operation's handlers first, and the bench's
    # timer (registered first on this event) must see the call start.
    return answer_dynamodb(batch_get, "before-call.dynamodb", "bench-reads")


def seed_stored_prices(count: int, table_name: str) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """A price table of ``count`` prices as the previous sync left it, written into moto's table directly (as
    ``seed_stored_state``); the snapshot the ERP sends, and the stored items by key."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from vitrine.erp import delta
    from vitrine.repository import keys
    from vitrine.repository.items import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][ENVIRONMENT["AWS_REGION"]].get_table(table_name)
    declared = to_item({"PK": keys.merchant_pk(PRICES_MERCHANT), "SK": keys.price_table_sk(PRICE_TABLE)})
    declared |= to_item({"type": "price_table", "table_id": PRICE_TABLE, "name": "Varejo", "default": True})
    table.put_item(declared)
    snapshot, items = [], {(declared["PK"]["S"], declared["SK"]["S"]): declared}
    for i in range(count):
        price = {"table_id": PRICE_TABLE, "sku": f"SKU{i:06d}", "price": 4990 + i % 5000}
        marks = delta.sync_marks(delta.content_hash({"price": price["price"]}), "seed")
        item = to_item(
            {"PK": keys.prices_pk(PRICES_MERCHANT, PRICE_TABLE), "SK": price["sku"], "type": "price"}
            | {"price": price["price"]}
            | marks
        )
        table.put_item(item)
        items[(item["PK"]["S"], item["SK"]["S"])] = item
        snapshot.append(price)
    return snapshot, items


def seed_stored_stock(count: int, table_name: str) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """One store's ``count`` levels as earlier counts left them, its store, and the variant index of their SKUs as
    a products sync leaves it, written into moto's table directly (as ``seed_stored_state``); the snapshot the ERP
    sends, and the stored items by key."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from vitrine.repository import keys
    from vitrine.repository.items import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][ENVIRONMENT["AWS_REGION"]].get_table(table_name)
    pk = keys.merchant_pk(STOCK_MERCHANT)
    table.put_item(to_item({"PK": pk, "SK": keys.store_sk(STOCK_STORE), "type": "store"} | _ONLINE_STORE))
    snapshot, items = [], {}
    for i in range(count):
        level = {"store_code": STOCK_STORE, "sku": f"SKU{i:06d}-M", "on_hand": 5 + i % 7, "sequence": 1}
        stored = {"PK": keys.stock_pk(STOCK_MERCHANT, STOCK_STORE), "SK": level["sku"], "type": "stock"}
        stored |= {"store_code": STOCK_STORE, "on_hand": level["on_hand"], "reserved": 0, "sequence": 1}
        stored["available"] = level["on_hand"]
        indexed = {"PK": pk, "SK": keys.variant_sk(level["sku"]), "type": "variant", "product_sku": f"SKU{i:06d}"}
        for item in (to_item(stored), to_item(indexed)):
            table.put_item(item)
            items[(item["PK"]["S"], item["SK"]["S"])] = item
        snapshot.append(level)
    return snapshot, items


_ONLINE_STORE = {"code": STOCK_STORE, "name": "Online", "online": True, "fulfilment": ["delivery"]}
