"""Floor for CatalogApiFunction (GET /api/catalogs/{slug}): plain SDK, the slug pointer (GetItem) and the catalog's
read model head (GetItem: the first page of products, their count and the stores), the page answered as JSON with
the read model's version as its ETag and a shared cache's Cache-Control."""

import hashlib
import json
import os
import zlib

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]
SHARED = "public, max-age=0, s-maxage=30, stale-while-revalidate=300"


def handler(event, context):
    # The slug pointer carries a copy of the catalog: one GetItem resolves a share link.
    key = {"PK": {"S": "SLUG#" + event["pathParameters"]["slug"]}, "SK": {"S": "SLUG"}}
    catalog = ddb.get_item(TableName=TABLE, Key=key)["Item"]
    view = {"PK": {"S": f"M#{catalog['merchant_id']['S']}#VIEW#{catalog['catalog_id']['S']}"}, "SK": {"S": "HEAD"}}
    item = ddb.get_item(TableName=TABLE, Key=view)["Item"]
    head = json.loads(zlib.decompress(item["body"]["B"]))
    slug = catalog["slug"]["S"]
    body = {
        "slug": slug,
        "title": catalog["title"]["S"],
        "description": catalog.get("description", {}).get("S"),
        "share_url": f"/c/{slug}",
        "product_count": head["count"],
        "products": [entry[2] for entry in head["first"] if entry[1]],
        "next_cursor": "p1" if len(head["order"]) > 1 else None,
        "delivery_available": head["delivery"] is not None,
        "pickup_stores": [store for store in head["stores"] if store["code"] in head["pickup"]],
    }
    etag = '"' + hashlib.sha256(f"{item['version']['N']}#{slug}".encode()).hexdigest()[:16] + '"'
    headers = {"Content-Type": "application/json", "ETag": etag, "Cache-Control": SHARED}
    return {"statusCode": 200, "headers": headers, "body": json.dumps(body)}
