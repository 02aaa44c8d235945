"""The images bucket: where product and cover images live, how browsers reach them, and how merchants upload them.

The bucket is private. Browsers read an image through a short-lived signed GET URL, and a merchant's browser
writes an upload straight to S3 through a presigned POST (the file never passes through Lambda or API Gateway,
whose bodies stop at 6 MB and 10 MB). An image may instead be given as an https URL the merchant hosts; it is
rendered as is (``image_url``).

Object keys, each holding the merchant id so one merchant's objects can never be taken for another's:

===============================================  ==========================================================
key                                              what
===============================================  ==========================================================
``uploads/<mid>/<upload_id>``                    a presigned upload, until attached; the bucket's lifecycle
                                                 rule deletes everything under ``uploads/`` after a day
``merchants/<mid>/products/<sku>/<upload_id>``   a product's image, copied from its upload when attached
``merchants/<mid>/catalogs/<catalog_id>/cover/<upload_id>``  a catalog's cover (the WhatsApp preview image)
===============================================  ==========================================================

Behind the CDN (``PUBLIC_IMAGES_BASE_URL`` set), an attached image's address is the CDN's, ``<base>/<key>``: the
distribution reads ``merchants/*`` from the bucket itself (origin access control; the bucket stays private) and
keeps it, since a key never changes. The address is stable and unsigned (~100 bytes, not a ~1.5 KB signature), so
pages and the JSON API give it directly, and ``/img/<key>``, which pages kept from before and links WhatsApp
fetched earlier still name, redirects to it. An upload (``uploads/``) is not under ``merchants/``: neither the CDN
nor the route ever serves it. Without the CDN (the local stack) images go through the route's signed redirect.

Uploads sit under a top-level ``uploads/`` prefix rather than ``merchants/<mid>/uploads/`` because S3 lifecycle
filters are literal prefixes: only a prefix shared by every merchant's uploads can expire them all in one rule.
Attached images are copies under ``merchants/``, out of the rule's reach.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vitrine import aws
from vitrine.settings import get_settings

if TYPE_CHECKING:  # the adapter reads an image's key and url; it stores no domain model
    from vitrine.catalogs.models import Image

URL_LIFETIME_SECONDS = 6 * 3600
# Attached images never change under their key (a new upload gets a new key), so browsers may keep them.
CACHE_CONTROL = "public, max-age=604800"


@dataclass(frozen=True)
class StoredObject:
    """What an upload's first bytes and headers say about it."""

    size: int
    content_type: str
    head: bytes


def upload_key(merchant_id: str, upload_id: str) -> str:
    return f"uploads/{merchant_id}/{upload_id}"


def product_image_key(merchant_id: str, sku: str, upload_id: str) -> str:
    return f"merchants/{merchant_id}/products/{sku}/{upload_id}"


def catalog_cover_key(merchant_id: str, catalog_id: str, upload_id: str) -> str:
    return f"merchants/{merchant_id}/catalogs/{catalog_id}/cover/{upload_id}"


IMAGE_ROUTE = "/img/"
# Only attached images are served through the route; an upload waiting to be checked is not.
_SERVED_KEY = re.compile(
    r"^merchants/[a-z0-9-]+/(?:products|catalogs/[A-Za-z0-9_-]+/cover)(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$"
)


def _cdn_url(key: str) -> str | None:
    """An image's stable address on the CDN, when there is one (``PUBLIC_IMAGES_BASE_URL``, attached images)."""
    base = get_settings().public_images_base_url
    return f"{base}/{key}" if base and servable_key(key) else None


def image_src(image: "Image") -> str:
    """What a page puts in ``<img src>``: the merchant's own URL, the CDN's, or Vitrine's short image route, which
    redirects to a fresh signed URL. A signed URL is ~0.5 KB (~1.5 KB with a Lambda role's session token) and a
    catalog page shows dozens: the route keeps the page under its weight budget at the cost of one redirect per
    image; the CDN's address costs neither."""
    if image.url is not None:
        return image.url
    return _cdn_url(image.key) or IMAGE_ROUTE + image.key


def public_image_url(image: "Image", origin: str) -> str:
    """The image's lasting absolute address, for what outlives a page view (a link preview's ``og:image``, a cart
    kept for days, an API client): the merchant's own URL, or the image route on the public ``origin``, which
    redirects to a URL signed at that moment. A signed URL itself would stop working hours after it was handed
    out, and a preview WhatsApp fetches the day after the link was shared would have no picture."""
    return public_url(image.url, image.key, origin)


def public_url(url: str | None, key: str | None, origin: str) -> str:
    """``public_image_url`` of an image given by its fields (an ``Image``'s JSON, as the catalog's read model
    holds it): its own ``url``, else its ``key`` in the bucket."""
    if url is not None:
        return url
    return _cdn_url(key) or origin + IMAGE_ROUTE + key


def servable_key(key: str) -> bool:
    return bool(_SERVED_KEY.match(key))


def image_url(image: "Image") -> str:
    """Where a browser (or WhatsApp's preview fetcher) loads the image: the merchant's own https URL, the CDN's
    stable one, or a signed GET URL for an object in the private bucket, valid for hours."""
    if image.url is not None:
        return image.url
    if cdn := _cdn_url(image.key):
        return cdn
    bucket = get_settings().require("images_bucket")
    return aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": image.key}, ExpiresIn=URL_LIFETIME_SECONDS
    )


def put_image(key: str, data: bytes, content_type: str) -> None:
    bucket = get_settings().require("images_bucket")
    with aws.dependency_errors("S3"):
        aws.client("s3").put_object(
            Bucket=bucket, Key=key, Body=data, ContentType=content_type, CacheControl=CACHE_CONTROL
        )


def presign_upload(key: str, *, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
    """A presigned POST (``{"url", "fields"}``) for exactly this key and Content-Type, at most ``max_bytes``.

    S3 itself refuses a form that changes the key or the Content-Type, sends a bigger file, or arrives after
    ``expires_in`` seconds: the policy is signed, and these are its conditions. Signing is local (no request).
    """
    bucket = get_settings().require("images_bucket")
    return aws.client("s3").generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=expires_in,
    )


def read_object_start(key: str, length: int) -> StoredObject | None:
    """The object's size, Content-Type and first ``length`` bytes in one ranged GET (never the whole object);
    ``None`` when there is no such object."""
    from botocore.exceptions import ClientError

    bucket = get_settings().require("images_bucket")
    with aws.dependency_errors("S3"):
        try:
            response = aws.client("s3").get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{length - 1}")
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404"):
                return None
            if code == "InvalidRange":  # S3's answer to any range of an empty object
                return StoredObject(size=0, content_type="", head=b"")
            raise
        with response["Body"] as body:
            head = body.read()
    return StoredObject(size=_total_size(response), content_type=response.get("ContentType", ""), head=head)


def copy_image(source_key: str, target_key: str, *, content_type: str) -> None:
    """Copy an upload to its attached key, with the Content-Type its bytes proved and the cache lifetime."""
    bucket = get_settings().require("images_bucket")
    with aws.dependency_errors("S3"):
        aws.client("s3").copy_object(
            Bucket=bucket,
            Key=target_key,
            CopySource={"Bucket": bucket, "Key": source_key},
            MetadataDirective="REPLACE",
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )


def _total_size(response: dict[str, Any]) -> int:
    # A ranged GET answers "Content-Range: bytes 0-262143/1048576"; the whole object's size follows the slash.
    content_range = response.get("ContentRange") or ""
    # A server that ignores the range sends the whole object, whose length is then its size.
    total = content_range.rpartition("/")[2]
    return int(total) if total.isdigit() else int(response["ContentLength"])


def upload_origin() -> str:
    """The origin a browser POSTs an upload form to (what ``presigned_upload`` answers as ``url``), for a page's
    Content-Security-Policy: signed locally, nothing is sent."""
    import urllib.parse

    bucket = get_settings().require("images_bucket")
    form = aws.client("s3").generate_presigned_post(bucket, "uploads/origin-probe", ExpiresIn=60)
    parts = urllib.parse.urlsplit(form["url"])
    return f"{parts.scheme}://{parts.netloc}"
