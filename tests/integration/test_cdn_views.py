"""Views a CDN can serve (issue 15): the share links' views are cacheable by a shared cache with an ETag and 304s,
nothing personal is ever in one, images have a stable CDN address, and unpublishing invalidates the CDN's copies."""

import json
import logging

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_people_and_sessions import shop, sign_in  # noqa: F401 (shop is a fixture)

from vitrine import aws
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import PriceTable
from vitrine.repository import assortment

SHARED = "public, max-age=0, s-maxage=30, stale-while-revalidate=300"
VIEWS = ["/c/loja", "/c/loja/p/CAM", "/api/catalogs/loja", "/api/catalogs/loja/products"]


def merchant_call(method, path, key, body=None):
    headers = {"authorization": f"Bearer {key}"}
    return http(method, path, headers=headers, body=json.dumps(body) if body is not None else None)


@pytest.mark.parametrize("path", VIEWS)
def test_a_view_is_cacheable_answers_304_while_unchanged_and_never_once_changed(stack, path):
    # Given a published catalog's view
    publish_small_catalog()
    first = http("GET", path)
    assert first["statusCode"] == 200
    assert first["headers"]["Cache-Control"] == SHARED
    etag = first["headers"]["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    # When it is asked again with that tag (as a browser or the CDN revalidates), it is a bodiless 304
    again = http("GET", path, headers={"if-none-match": etag})
    assert again["statusCode"] == 304 and again["body"] == ""
    assert again["headers"]["ETag"] == etag and again["headers"]["Cache-Control"] == SHARED
    # and so with a weak form of the tag or among others (RFC 9110: If-None-Match compares weakly)
    assert http("GET", path, headers={"if-none-match": f'"other", W/{etag}'})["statusCode"] == 304
    # When the price changes (the ERP's sync writes it), the same tag gets the new view, with a new tag
    assortment.put_prices("m1", "varejo", {"CAM": 3990, "SOLD": 1000})
    changed = http("GET", path, headers={"if-none-match": etag})
    assert changed["statusCode"] == 200 and "39,90" in changed["body"]
    assert changed["headers"]["ETag"] != etag and changed["headers"]["Cache-Control"] == SHARED
    # and an unrelated tag never gets a 304
    assert http("GET", path, headers={"if-none-match": '"0000000000000000"'})["statusCode"] == 200


def test_an_unpublished_or_unknown_catalog_is_a_404_no_cache_keeps(stack):
    publish_small_catalog(published=False)
    for path in VIEWS:
        response = http("GET", path)
        assert response["statusCode"] == 404, path
        assert "public" not in response["headers"].get("Cache-Control", "no-store"), path
        assert "ETag" not in response["headers"], path


def test_a_signed_in_sellers_page_is_the_public_one_and_what_is_theirs_is_never_cacheable(stack, shop):  # noqa: F811
    # Given Ana, a seller, signed in (the cookie her browser sends with every request to the shop)
    signed_in = sign_in("seller", "ana@loja.com.br")
    assert signed_in["statusCode"] == 201
    assert signed_in["headers"]["Cache-Control"] == "private, no-store"
    session = json_body(signed_in)
    cookie = {"cookie": f"vitrine_session={session['token']}"}
    bearer = {"authorization": f"Bearer {session['token']}"}
    # When she opens the catalog, its page is byte for byte a stranger's: no name, no token, no price of hers
    for path in VIEWS:
        hers, anyones = http("GET", path, headers=cookie), http("GET", path)
        assert hers["body"] == anyones["body"] and hers["headers"]["ETag"] == anyones["headers"]["ETag"], path
        assert session["csrf_token"] not in hers["body"] and session["token"] not in hers["body"], path
        assert "Ana" not in hers["body"], path
    # and everything that answers for her is kept by no cache, shared or her browser's
    for path in ("/api/session", "/api/seller/customers"):
        for credentials in (cookie, bearer):
            response = http("GET", path, headers=credentials)
            assert response["statusCode"] == 200, path
            assert response["headers"]["Cache-Control"] == "private, no-store", path
            assert "ETag" not in response["headers"], path
    quote = {"catalog": "loja", "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}]}
    quoted = http("POST", "/api/carts/quote", headers=bearer, body=json.dumps(quote))
    assert quoted["headers"]["Cache-Control"] == "private, no-store", quoted["body"]
    signed_out = http("DELETE", "/api/sessions", headers=bearer)
    assert signed_out["headers"]["Cache-Control"] == "private, no-store"
    # as is an order read with its token, and every merchant answer (an API key's)
    order = http("GET", "/api/orders/0123456789abcdef0123456789abcdef", query={"token": "x" * 32})
    assert order["statusCode"] == 404 and order["headers"]["Cache-Control"] == "no-store"
    listed = merchant_call("GET", "/merchant/v1/catalogs", shop)
    assert listed["statusCode"] == 200 and listed["headers"]["Cache-Control"] == "private, no-store"


@pytest.fixture
def distribution(stack, monkeypatch):
    """A CloudFront distribution (moto's) the catalog API is told to invalidate."""
    config = {
        "CallerReference": "vitrine-test",
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "Api",
                    "DomainName": "api.example.com",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
                }
            ],
        },
        "DefaultCacheBehavior": {"TargetOriginId": "Api", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    distribution_id = aws.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    monkeypatch.setenv("CDN_DISTRIBUTION_ID", distribution_id)
    aws.reset_clients()
    return distribution_id


def invalidated_paths(distribution_id: str) -> list[list[str]]:
    client = aws.client("cloudfront")
    listed = client.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items", [])
    batches = [client.get_invalidation(DistributionId=distribution_id, Id=item["Id"]) for item in listed]
    return [batch["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] for batch in batches]


CATALOG_PATHS = ["/c/loja", "/c/loja/*", "/api/catalogs/loja*"]
EDIT = {
    "title": "Inverno",
    "selection": {"all_active_online": True},
    "price_table_id": "varejo",
    "store_codes": ["9900"],
}


def test_unpublishing_invalidates_the_cdns_copies_of_the_catalogs_paths(stack, distribution):
    publish_small_catalog()
    assortment.put_price_table("m1", PriceTable(table_id="varejo", name="Varejo", default=True))
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    # When the merchant unpublishes the catalog
    response = merchant_call("POST", "/merchant/v1/catalogs/c-loja/unpublish", key)
    assert response["statusCode"] == 200
    # Then the origin answers 404 at once and the CDN is told to drop the page, product links and JSON views
    assert http("GET", "/c/loja")["statusCode"] == 404
    assert invalidated_paths(distribution) == [CATALOG_PATHS]
    # An edit of the draft invalidates nothing (nothing of it is cached); publishing and editing it does
    assert merchant_call("PUT", "/merchant/v1/catalogs/c-loja", key, EDIT)["statusCode"] == 200
    assert len(invalidated_paths(distribution)) == 1
    assert merchant_call("POST", "/merchant/v1/catalogs/c-loja/publish", key)["statusCode"] == 200
    assert merchant_call("PUT", "/merchant/v1/catalogs/c-loja", key, EDIT)["statusCode"] == 200
    assert invalidated_paths(distribution) == [CATALOG_PATHS, CATALOG_PATHS]


def test_a_failed_invalidation_is_logged_and_the_unpublish_still_holds(stack, monkeypatch, caplog):
    publish_small_catalog()
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    monkeypatch.setenv("CDN_DISTRIBUTION_ID", "ENOSUCHDIST")  # CloudFront answers NoSuchDistribution
    aws.reset_clients()
    with caplog.at_level(logging.ERROR, logger="vitrine.cdn"):
        response = merchant_call("POST", "/merchant/v1/catalogs/c-loja/unpublish", key)
    assert response["statusCode"] == 200 and json_body(response)["status"] == "draft"
    assert http("GET", "/api/catalogs/loja")["statusCode"] == 404
    assert "CDN invalidation" in caplog.text


def test_without_a_cdn_unpublishing_calls_no_cloudfront(stack, monkeypatch):
    publish_small_catalog()
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    calls = []
    aws.client("cloudfront").meta.events.register("before-call.cloudfront", lambda **kw: calls.append(kw))
    assert merchant_call("POST", "/merchant/v1/catalogs/c-loja/unpublish", key)["statusCode"] == 200
    assert calls == []


def test_behind_the_cdn_images_have_a_stable_unsigned_address(stack, monkeypatch):
    # Given the CDN serving the bucket's attached images at the public origin
    monkeypatch.setenv("PUBLIC_IMAGES_BASE_URL", "https://cdn.vitrine.example.com")
    aws.reset_clients()
    publish_small_catalog()
    url = "https://cdn.vitrine.example.com/merchants/m1/products/CAM/1.jpg"
    # Then the JSON view, the page and the link preview give that address, the same on every view
    (product, *_) = json_body(http("GET", "/api/catalogs/loja"))["products"]
    assert product["images"][0]["src"] == url and product["image_url"] == url
    page = http("GET", "/c/loja/p/CAM")["body"]
    assert f'src="{url}"' in http("GET", "/c/loja")["body"] and f'content="{url}"' in page
    assert "X-Amz-Signature" not in page and "Signature=" not in page
    # and the image route, which older pages name, redirects there
    redirect = http("GET", "/img/merchants/m1/products/CAM/1.jpg")
    assert redirect["statusCode"] == 302 and redirect["headers"]["Location"] == url
    # while an upload, not attached yet, is served by neither
    assert http("GET", "/img/uploads/m1/abc")["statusCode"] == 404
