"""Product images and catalog covers: presigned upload, attach, and what shoppers and link previews then see.

The files really travel as a merchant's browser sends them: a multipart POST of the presigned form to the
bucket's URL, which ``mock_aws`` answers in-process. moto stores the file but does not enforce the form's signed
policy (size range, exact Content-Type), so those conditions are asserted on the policy document S3 would
check, and the attach step is shown to refuse what S3 would have let through anyway.
"""

import base64
import io
import json
import random
from datetime import UTC, datetime

import pytest
import requests
from lambda_harness import http, json_body
from PIL import Image as Picture
from test_merchant_catalogs import merchant
from test_storefront_page import Page

from local_stack.template import load_template
from vitrine import image_store
from vitrine.catalogs.models import Product, Variant
from vitrine.repository import assortment, catalogs

CATALOG_ID = "c-loja"  # publish_small_catalog's catalog


def picture(width: int, height: int, kind: str = "JPEG", *, noisy: bool = False) -> bytes:
    """An image file; ``noisy`` makes it incompressible (a big file at a small size)."""
    if noisy:
        rng = random.Random(width * height)
        image = Picture.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    else:
        image = Picture.new("RGB", (width, height), (200, 80, 40))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


def call(method: str, path: str, headers: dict[str, str], body: dict) -> dict:
    return http(method, path, headers=headers, body=json.dumps(body))


def presign(headers: dict[str, str], purpose: str, content_type: str, size: int) -> dict:
    response = call(
        "POST", "/merchant/v1/uploads", headers, {"purpose": purpose, "content_type": content_type, "size_bytes": size}
    )
    assert response["statusCode"] == 201, response["body"]
    return json_body(response)


def upload(headers: dict[str, str], data: bytes, content_type: str = "image/jpeg", purpose="product_image") -> str:
    """Presign, then POST the file as a browser form does (the fields first, the file last); the upload id."""
    ticket = presign(headers, purpose, content_type, len(data))
    sent = requests.post(ticket["url"], data=ticket["fields"], files={"file": ("foto", data, content_type)}, timeout=10)
    assert sent.status_code == 204, sent.text
    return ticket["upload_id"]


def bucket_keys(stack, prefix: str) -> list[str]:
    listing = stack.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def reasons(response: dict, status: int) -> list[str]:
    assert response["statusCode"] == status, response["body"]
    return [detail["reason"] for detail in json_body(response)["error"]["details"]]


def test_an_uploaded_product_image_is_served_with_its_width_and_height(stack):
    # Given a merchant whose published catalog shows the product CAM
    headers = merchant("m1")
    # When it uploads a portrait photo through the presigned form and attaches it to CAM
    upload_id = upload(headers, picture(800, 1000))
    response = call("PUT", "/merchant/v1/products/CAM/images", headers, {"images": [{"upload_id": upload_id}]})
    # Then the product holds the image with the size read from the file itself
    assert response["statusCode"] == 200, response["body"]
    (image,) = json_body(response)["images"]
    key = f"merchants/m1/products/CAM/{upload_id}"
    assert image == {"key": key, "url": None, "width": 800, "height": 1000, "content_type": "image/jpeg"}
    assert stack.client("s3").head_object(Bucket=stack.bucket, Key=key)["ContentType"] == "image/jpeg"
    # and the catalog page draws it at that size, from the bucket
    page = Page(http("GET", "/c/loja-m1")["body"])
    (card,) = page.images
    assert key in card["src"]
    assert (card["width"], card["height"]) == ("800", "1000")
    # and so does the catalog's JSON
    (product, *_rest) = json_body(http("GET", "/api/catalogs/loja-m1"))["products"]
    assert (product["image"]["width"], product["image"]["height"]) == (800, 1000)
    assert key in product["image_url"]


def test_the_upload_form_binds_the_key_type_size_and_ten_minutes(stack):
    headers = merchant("m1")
    ticket = presign(headers, "catalog_cover", "image/png", 120_000)
    policy = json.loads(base64.b64decode(ticket["fields"]["policy"]))
    conditions = policy["conditions"]
    key = f"uploads/m1/{ticket['upload_id']}"
    # S3 refuses a form that changes the key or the type, or carries more than a cover may weigh ...
    assert {"key": key} in conditions and ticket["fields"]["key"] == key
    assert {"Content-Type": "image/png"} in conditions and ticket["fields"]["Content-Type"] == "image/png"
    assert ["content-length-range", 1, 300_000] in conditions
    assert ticket["max_bytes"] == 300_000
    # ... or arrives after ten minutes
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 540 <= (expires - datetime.now(UTC)).total_seconds() <= 600
    product = presign(headers, "product_image", "image/webp", 4_000_000)
    assert ["content-length-range", 1, 5 * 1024 * 1024] in json.loads(base64.b64decode(product["fields"]["policy"]))[
        "conditions"
    ]


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"purpose": "catalog_cover", "content_type": "image/jpeg", "size_bytes": 400_000}, "body.size_bytes"),
        ({"purpose": "catalog_cover", "content_type": "image/webp", "size_bytes": 100_000}, "body.content_type"),
        ({"purpose": "product_image", "content_type": "image/jpeg", "size_bytes": 6_000_000}, "body.size_bytes"),
        ({"purpose": "product_image", "content_type": "image/gif", "size_bytes": 1000}, "body.content_type"),
    ],
)
def test_a_file_its_purpose_cannot_take_is_refused_before_it_is_uploaded(stack, request_body, field):
    headers = merchant("m1")
    response = call("POST", "/merchant/v1/uploads", headers, request_body)
    assert response["statusCode"] == 422, response["body"]
    assert [detail["field"] for detail in json_body(response)["error"]["details"]] == [field]


def test_a_cover_becomes_the_catalogs_whatsapp_preview(stack):
    headers = merchant("m1")
    upload_id = upload(headers, picture(1200, 630), purpose="catalog_cover")
    response = call("PUT", f"/merchant/v1/catalogs/{CATALOG_ID}/cover", headers, {"upload_id": upload_id})
    assert response["statusCode"] == 200, response["body"]
    key = f"merchants/m1/catalogs/{CATALOG_ID}/cover/{upload_id}"
    assert json_body(response)["cover_image"] == {
        "key": key,
        "url": None,
        "width": 1200,
        "height": 630,
        "content_type": "image/jpeg",
    }
    page = Page(http("GET", "/c/loja-m1")["body"])
    assert key in page.meta["og:image"]
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1200", "630")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (picture(630, 1200), "a cover is landscape, about 1.91:1"),
        (picture(1200, 630, "PNG", noisy=True), "the file is "),  # over 300 KB (uploaded as a product image)
        (picture(500, 262), "a cover is at least 600 px wide"),
    ],
    ids=["portrait", "oversized", "narrow"],
)
def test_a_cover_that_would_spoil_the_preview_is_refused_and_nothing_is_written(stack, data, reason):
    headers = merchant("m1")
    content_type = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    upload_id = upload(headers, data, content_type)
    response = call("PUT", f"/merchant/v1/catalogs/{CATALOG_ID}/cover", headers, {"upload_id": upload_id})
    (found,) = reasons(response, 422)
    assert found.startswith(reason), found
    assert catalogs.get_catalog("m1", CATALOG_ID).cover_image is None
    assert catalogs.get_catalog_by_slug("loja-m1").cover_image is None
    assert bucket_keys(stack, "merchants/") == []


def test_a_png_declared_as_jpeg_is_refused(stack):
    headers = merchant("m1")
    upload_id = upload(headers, picture(600, 600, "PNG"), "image/jpeg")
    response = call("PUT", "/merchant/v1/products/CAM/images", headers, {"images": [{"upload_id": upload_id}]})
    assert reasons(response, 422) == ["the file was declared image/jpeg but is image/png"]
    assert [image.key for image in assortment.get_product("m1", "CAM").images] == ["merchants/m1/products/CAM/1.jpg"]
    assert bucket_keys(stack, "merchants/") == []


def test_another_merchants_upload_is_not_found(stack):
    owner, other = merchant("m1"), merchant("m2")
    upload_id = upload(owner, picture(600, 600))
    for path, body in [
        ("/merchant/v1/products/CAM/images", {"images": [{"upload_id": upload_id}]}),
        (f"/merchant/v1/catalogs/{CATALOG_ID}/cover", {"upload_id": upload_id}),
    ]:
        response = call("PUT", path, other, body)
        assert response["statusCode"] == 404, response["body"]
        assert json_body(response)["error"]["message"] == "no such upload"
    assert [image.key for image in assortment.get_product("m2", "CAM").images] == ["merchants/m2/products/CAM/1.jpg"]
    assert bucket_keys(stack, "merchants/") == []


def test_a_merchant_cannot_attach_images_to_another_merchants_product(stack):
    owner, other = merchant("m1"), merchant("m2")
    assortment.put_product("m1", Product(sku="TEN", name="Tênis", variants=[Variant(sku="TEN-40", size="40")]))
    upload_id = upload(other, picture(600, 600))
    response = call("PUT", "/merchant/v1/products/TEN/images", other, {"images": [{"upload_id": upload_id}]})
    assert response["statusCode"] == 404, response["body"]
    assert json_body(response)["error"]["message"] == "no such product"
    assert assortment.get_product("m1", "TEN").images == []
    assert assortment.get_product("m2", "TEN") is None
    assert bucket_keys(stack, "merchants/") == []
    assert call("PUT", "/merchant/v1/products/TEN/images", owner, {"images": []})["statusCode"] == 200


def test_an_upload_never_sent_is_not_found(stack):
    headers = merchant("m1")
    ticket = presign(headers, "catalog_cover", "image/jpeg", 50_000)
    response = call("PUT", f"/merchant/v1/catalogs/{CATALOG_ID}/cover", headers, {"upload_id": ticket["upload_id"]})
    assert response["statusCode"] == 404, response["body"]
    assert json_body(response)["error"]["details"][0]["field"] == "body.upload_id"


def test_url_images_are_rendered_as_given_with_their_declared_size(stack):
    # Given a product whose image is in the bucket
    headers = merchant("m1")
    url = "https://cdn.loja.com.br/fotos/cam-azul.jpg?v=2"
    # When the merchant puts a hosted image first and keeps the current one second
    body = {"images": [{"url": url, "width": 1000, "height": 750}, {"key": "merchants/m1/products/CAM/1.jpg"}]}
    response = call("PUT", "/merchant/v1/products/CAM/images", headers, body)
    # Then both are the product's, in that order
    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["images"] == [
        {"key": None, "url": url, "width": 1000, "height": 750, "content_type": "image/jpeg"},
        {
            "key": "merchants/m1/products/CAM/1.jpg",
            "url": None,
            "width": 600,
            "height": 600,
            "content_type": "image/jpeg",
        },
    ]
    # and shoppers' browsers load the hosted one straight from the merchant's URL, at its size
    page = Page(http("GET", "/c/loja-m1")["body"])
    (card,) = page.images
    assert (card["src"], card["width"], card["height"]) == (url, "1000", "750")
    assert page.meta["og:image"] == url
    (product, *_rest) = json_body(http("GET", "/api/catalogs/loja-m1"))["products"]
    assert product["image_url"] == url


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"url": "http://cdn.loja.com.br/a.jpg", "width": 10, "height": 10}, "body.images.0.url.url"),
        ({"url": "https://cdn.loja.com.br/a.jpg"}, "body.images.0.url.width"),
        ({"url": "https://cdn.loja.com.br/a.jpg", "width": 10, "height": 0}, "body.images.0.url.height"),
        ({"key": "m2/CAM.jpg"}, "body.images.0.key"),
        ({"upload_id": "../../m2/x"}, "body.images.0.upload_id.upload_id"),
        ({"name": "foto.jpg"}, "body.images.0"),
    ],
)
def test_an_image_entry_that_is_not_usable_names_its_field_and_changes_nothing(stack, entry, field):
    headers = merchant("m1")
    response = call("PUT", "/merchant/v1/products/CAM/images", headers, {"images": [entry]})
    assert response["statusCode"] == 422, response["body"]
    assert field in [detail["field"] for detail in json_body(response)["error"]["details"]]
    assert [image.key for image in assortment.get_product("m1", "CAM").images] == ["merchants/m1/products/CAM/1.jpg"]


def test_an_unknown_product_or_catalog_is_not_found(stack):
    headers = merchant("m1")
    upload_id = upload(headers, picture(1200, 630), purpose="catalog_cover")
    unknown_product = call("PUT", "/merchant/v1/products/NOPE/images", headers, {"images": [{"upload_id": upload_id}]})
    assert unknown_product["statusCode"] == 404
    unknown_catalog = call("PUT", "/merchant/v1/catalogs/nope/cover", headers, {"upload_id": upload_id})
    assert unknown_catalog["statusCode"] == 404
    assert bucket_keys(stack, "merchants/") == []


def test_the_bucket_expires_unattached_uploads_and_never_attached_images():
    # S3 lifecycle filters are literal prefixes: the rule must name the one every upload key starts with.
    bucket = load_template()["Resources"]["ImagesBucket"]["Properties"]
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert (rule["Status"], rule["ExpirationInDays"]) == ("Enabled", 1)
    assert image_store.upload_key("m1", "0" * 32).startswith(rule["Prefix"])
    assert not image_store.product_image_key("m1", "CAM", "0" * 32).startswith(rule["Prefix"])
    assert not image_store.catalog_cover_key("m1", "c1", "0" * 32).startswith(rule["Prefix"])
