"""Product images and catalog covers: what a merchant may upload, and what an upload must prove to be attached.

The flow: ``start_upload`` hands out a presigned POST for one file; the merchant's browser sends the file
straight to S3; ``set_product_images`` / ``set_catalog_cover`` then attach it by its ``upload_id``. An upload
is trusted for nothing it declared: when attached, its first bytes are read (one ranged GET) to learn its real
format and its width and height, and the rules below are checked against those. Only then is it copied to its
attached key and recorded, so a refused request writes nothing. Uploads live under the merchant's id (see
``vitrine.image_store``), so another merchant's ``upload_id`` is simply not found.

Upload state lives in S3 alone: the object is the record (its size, Content-Type and bytes), the signed policy
fixed its key and Content-Type, and the bucket's lifecycle rule deletes unattached uploads after a day. No
table item is needed to track them.
"""

import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Discriminator, Field, Tag

from vitrine import image_store
from vitrine.catalogs.models import (
    MAX_IMAGES_PER_PRODUCT,
    MAX_SIDE_PX,
    Catalog,
    CatalogStatus,
    Image,
    ImageType,
    LinkedImageInput,
    Product,
)
from vitrine.catalogs.read_model_notices import announce
from vitrine.cdn import invalidate_catalog
from vitrine.errors import InvalidInput, NotFound
from vitrine.events.envelope import ProductImagesChanged
from vitrine.inputs import Count
from vitrine.lazy_models import LazyModel
from vitrine.repository import assortment, catalogs

UPLOAD_LIFETIME_SECONDS = 600
PRODUCT_IMAGE_MAX_BYTES = 5 * 1024 * 1024
# WhatsApp leaves the link preview without its picture when the og:image is over about 300 KB; 300,000 bytes
# stays under that whichever "KB" the merchant's image tool means.
COVER_MAX_BYTES = 300_000
# WhatsApp (and every Open Graph reader) draws the big, full-width preview from a landscape image of about
# 1.91:1 (1200x630) and crops anything else to that. From 1.6:1 to 2.2:1 the crop takes at most ~16% of the
# width or height, so the merchant's picture survives; from 600 px wide it stays sharp on a phone (WhatsApp
# shows only a small thumbnail for narrower images).
COVER_MIN_WIDTH_PX = 600
COVER_MIN_ASPECT = 1.6
COVER_MAX_ASPECT = 2.2
# JPEG keeps its width and height after the EXIF/ICC segments a camera writes first, rarely past 128 KB.
HEADER_BYTES = 256 * 1024

UploadId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="The upload_id POST /merchant/v1/uploads answered.")
]


_KEY_PART = re.compile(r"(?!\.{1,2}$)[A-Za-z0-9._-]{1,64}")
_SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/webp", b"WEBP", 8),  # after "RIFF" and the chunk size
)


class UploadPurpose(StrEnum):
    PRODUCT_IMAGE = "product_image"
    CATALOG_COVER = "catalog_cover"


_LIMITS: dict[UploadPurpose, tuple[int, frozenset[str]]] = {
    UploadPurpose.PRODUCT_IMAGE: (PRODUCT_IMAGE_MAX_BYTES, frozenset({"image/jpeg", "image/png", "image/webp"})),
    # Open Graph readers (WhatsApp among them) do not all draw WebP previews.
    UploadPurpose.CATALOG_COVER: (COVER_MAX_BYTES, frozenset({"image/jpeg", "image/png"})),
}


class UploadRequest(LazyModel):
    """One file the merchant is about to upload: what it is for, its type and its size in bytes."""

    model_config = ConfigDict(extra="forbid")

    purpose: UploadPurpose
    content_type: ImageType = Field(description="The file's type; S3 refuses the upload under any other.")
    size_bytes: Count = Field(gt=0, description="The file's size: product images up to 5 MB, covers up to 300 KB.")


class UploadTicket(LazyModel):
    upload_id: str = Field(description="Attach the file with this id once it is uploaded.")
    url: str = Field(description="POST the form here (multipart/form-data).")
    fields: dict[str, str] = Field(description="Form fields to send as they are, before the file field `file`.")
    expires_at: datetime = Field(description="The form is refused after this instant (10 minutes).")
    max_bytes: int = Field(description="The largest file S3 accepts with this form.")


class UploadedImageInput(LazyModel):
    model_config = ConfigDict(extra="forbid")

    upload_id: UploadId


class KeptImageInput(LazyModel):
    """One of the product's current images in the bucket, kept (send its ``key`` as the product shows it)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(max_length=300, pattern=r"^[A-Za-z0-9._/-]+$")


def _image_kind(value: Any) -> str | None:
    # By the one field that tells them apart, so an error names that kind's fields only.
    if isinstance(value, dict):
        return next((kind for kind in ("upload_id", "url", "key") if kind in value), None)
    return None


ImageInput = Annotated[
    Annotated[UploadedImageInput, Tag("upload_id")]
    | Annotated[LinkedImageInput, Tag("url")]
    | Annotated[KeptImageInput, Tag("key")],
    Discriminator(
        _image_kind,
        custom_error_type="image_kind",
        custom_error_message="give an upload_id, a url (with width and height) or the key of a current image",
    ),
]


class ProductImages(LazyModel):
    """The product's images, in display order (the first is the catalog card's); replaces them all."""

    model_config = ConfigDict(extra="forbid")

    images: list[ImageInput] = Field(max_length=MAX_IMAGES_PER_PRODUCT)


class CoverChange(LazyModel):
    """A cover must be uploaded (not a URL): its size and shape are checked on its bytes."""

    model_config = ConfigDict(extra="forbid")

    upload_id: UploadId


def start_upload(merchant_id: str, request: UploadRequest) -> UploadTicket:
    """A presigned POST for one file under the merchant's uploads; a type or size the purpose does not take
    is refused here, before the merchant spends the upload."""
    max_bytes, types = _LIMITS[request.purpose]
    details = []
    if request.content_type not in types:
        allowed = ", ".join(sorted(types))
        details.append({"field": "body.content_type", "reason": f"a {request.purpose} must be one of {allowed}"})
    if request.size_bytes > max_bytes:
        details.append({"field": "body.size_bytes", "reason": f"a {request.purpose} is at most {max_bytes} bytes"})
    if details:
        raise InvalidInput("this file cannot be uploaded for that purpose", details=details)
    upload_id = uuid.uuid4().hex
    form = image_store.presign_upload(
        image_store.upload_key(merchant_id, upload_id),
        content_type=request.content_type,
        max_bytes=max_bytes,
        expires_in=UPLOAD_LIFETIME_SECONDS,
    )
    return UploadTicket(
        upload_id=upload_id,
        url=form["url"],
        fields=form["fields"],
        expires_at=datetime.now(UTC) + timedelta(seconds=UPLOAD_LIFETIME_SECONDS),
        max_bytes=max_bytes,
    )


def set_product_images(merchant_id: str, sku: str, body: ProductImages) -> Product:
    """Replace the product's images. Every entry is checked before anything is copied or written; uploads
    are then copied under the product and the list is written in one update."""
    product = assortment.get_product(merchant_id, sku) if _plausible_key_part(sku) else None
    if product is None:
        raise NotFound("no such product")
    current = {image.key: image for image in product.images if image.key is not None}
    missing: list[dict[str, str]] = []
    invalid: list[dict[str, str]] = []
    chosen: list[tuple[int, Image]] = []  # (position in the body, image)
    copies: list[tuple[str, str, str]] = []  # (upload key, attached key, content type)
    for index, entry in enumerate(body.images):
        field = f"body.images.{index}"
        if isinstance(entry, UploadedImageInput):
            found = _inspect_upload(merchant_id, entry.upload_id)
            if found is None:
                missing.append({"field": f"{field}.upload_id", "reason": _NO_UPLOAD})
                continue
            reasons = product_image_problems(found)
            if reasons:
                invalid.extend({"field": f"{field}.upload_id", "reason": reason} for reason in reasons)
                continue
            key = image_store.product_image_key(merchant_id, sku, entry.upload_id)
            copies.append((image_store.upload_key(merchant_id, entry.upload_id), key, found.content_type))
            image = Image(key=key, width=found.width, height=found.height, content_type=found.content_type)
            chosen.append((index, image))
        elif isinstance(entry, LinkedImageInput):
            image = Image(url=entry.url, width=entry.width, height=entry.height, content_type=entry.content_type)
            chosen.append((index, image))
        elif entry.key in current:
            chosen.append((index, current[entry.key]))
        else:
            invalid.append({"field": f"{field}.key", "reason": "not one of this product's current images"})
    invalid.extend(_repeated(chosen))
    if missing:
        raise NotFound("no such upload", details=missing)
    if invalid:
        raise InvalidInput("these images cannot be used", details=invalid)
    for upload_key, key, content_type in copies:
        image_store.copy_image(upload_key, key, content_type=content_type)
    updated = assortment.set_product_images(merchant_id, sku, [image for _index, image in chosen])
    if updated is None:
        raise NotFound("no such product")
    announce(merchant_id, ProductImagesChanged(sku=sku))
    return updated


def set_catalog_cover(merchant_id: str, catalog_id: str, body: CoverChange) -> Catalog:
    """Make an uploaded image the catalog's cover: the picture of its WhatsApp link preview."""
    catalog = catalogs.get_catalog(merchant_id, catalog_id) if _plausible_key_part(catalog_id) else None
    if catalog is None:
        raise NotFound("no such catalog")
    found = _inspect_upload(merchant_id, body.upload_id)
    if found is None:
        raise NotFound("no such upload", details=[{"field": "body.upload_id", "reason": _NO_UPLOAD}])
    reasons = cover_problems(found)
    if reasons:
        details = [{"field": "body.upload_id", "reason": reason} for reason in reasons]
        raise InvalidInput("this image cannot be the catalog's cover", details=details)
    key = image_store.catalog_cover_key(merchant_id, catalog_id, body.upload_id)
    image_store.copy_image(image_store.upload_key(merchant_id, body.upload_id), key, content_type=found.content_type)
    cover = Image(key=key, width=found.width, height=found.height, content_type=found.content_type)
    updated = catalogs.set_catalog_cover(catalog, cover)
    if updated is None:
        raise NotFound("no such catalog")
    if updated.status == CatalogStatus.PUBLISHED:
        invalidate_catalog(updated.slug)  # its pages' link preview names the cover
    return updated


# --- What an upload proves, and the rules it must meet ------------------------------------------------------

_NO_UPLOAD = "no such upload: not uploaded yet, expired (uploads last a day) or not this merchant's"


class InspectedImage(LazyModel):
    """An upload as its bytes describe it (``content_type`` is the declared type, which the policy fixed)."""

    model_config = ConfigDict(frozen=True)

    size: int
    content_type: str
    actual_type: str | None = Field(description="The format the file's first bytes show; None if not an image.")
    width: int = Field(description="-1 when the header could not be read.")
    height: int = Field(description="-1 when the header could not be read.")


def inspect_image(size: int, content_type: str, head: bytes) -> InspectedImage:
    """Format (from the file's signature) and displayed width and height (EXIF rotation applied, as browsers
    draw it) of an image whose first bytes are ``head``."""
    import imagesize  # only the attach routes need it

    actual = sniff_type(head)
    # A file object, never bytes or str: imagesize would take those for a path, or a URL to fetch.
    width, height = imagesize.get(io.BytesIO(head)) if actual else (-1, -1)
    return InspectedImage(size=size, content_type=content_type, actual_type=actual, width=width, height=height)


def sniff_type(head: bytes) -> str | None:
    for content_type, signature, offset in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    return None


def product_image_problems(image: InspectedImage) -> list[str]:
    """Why this upload cannot be a product image (empty when it can)."""
    return _format_problems(image, PRODUCT_IMAGE_MAX_BYTES, _LIMITS[UploadPurpose.PRODUCT_IMAGE][1])


def cover_problems(image: InspectedImage) -> list[str]:
    """Why this upload cannot be a catalog cover (empty when it can)."""
    problems = _format_problems(image, COVER_MAX_BYTES, _LIMITS[UploadPurpose.CATALOG_COVER][1])
    if problems:
        return problems
    if image.width < COVER_MIN_WIDTH_PX:
        problems.append(
            f"a cover is at least {COVER_MIN_WIDTH_PX} px wide (1200x630 is ideal); this is {image.width} px"
        )
    aspect = image.width / image.height
    if not COVER_MIN_ASPECT <= aspect <= COVER_MAX_ASPECT:
        problems.append(
            f"a cover is landscape, about 1.91:1 like 1200x630 (between {COVER_MIN_ASPECT}:1 and "
            f"{COVER_MAX_ASPECT}:1); this is {image.width}x{image.height}"
        )
    return problems


def _format_problems(image: InspectedImage, max_bytes: int, types: frozenset[str]) -> list[str]:
    if image.size == 0:
        return ["the upload is empty"]
    if image.size > max_bytes:
        return [f"the file is {image.size} bytes; at most {max_bytes} bytes"]
    if image.actual_type is None:
        return ["the file is not a JPEG, PNG or WebP image"]
    if image.actual_type != image.content_type:
        return [f"the file was declared {image.content_type} but is {image.actual_type}"]
    if image.actual_type not in types:
        return [f"must be one of {', '.join(sorted(types))}, not {image.actual_type}"]
    if image.width <= 0 or image.height <= 0:
        return ["the image's width and height could not be read from its header"]
    if max(image.width, image.height) > MAX_SIDE_PX:
        return [f"the image is {image.width}x{image.height}; at most {MAX_SIDE_PX} px a side"]
    return []


def _inspect_upload(merchant_id: str, upload_id: str) -> InspectedImage | None:
    stored = image_store.read_object_start(image_store.upload_key(merchant_id, upload_id), HEADER_BYTES)
    return inspect_image(stored.size, stored.content_type, stored.head) if stored else None


def _repeated(chosen: list[tuple[int, Image]]) -> list[dict[str, str]]:
    seen: set[str] = set()
    details = []
    for index, image in chosen:
        source = image.key or image.url or ""
        if source in seen:
            details.append({"field": f"body.images.{index}", "reason": "the same image is listed twice"})
        seen.add(source)
    return details


def _plausible_key_part(value: str) -> bool:
    # A SKU or catalog id from the path becomes part of an S3 key: refuse anything that could not be one
    # (including "." and "..", which browsers would resolve away in the image's URL).
    return _KEY_PART.fullmatch(value) is not None
