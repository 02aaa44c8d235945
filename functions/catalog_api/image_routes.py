"""Merchant image routes (API key with the ``merchant`` scope): upload a file through a presigned S3 POST, then
attach it to a product or as a catalog's cover. The rules live in ``vitrine.catalogs.images``.

A merchant's browser or script: ``POST /merchant/v1/uploads`` -> POST the file to the answered ``url`` with the
answered ``fields`` (multipart form, the file last, as ``file``) -> ``PUT .../images`` or ``PUT .../cover`` with
the ``upload_id``.
"""

from vitrine.auth.permissions import Permission
from vitrine.catalogs import images
from vitrine.catalogs.models import Catalog, Product
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes
from vitrine.ids import CatalogId, Sku

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant",),
    permission=Permission.CATALOGS,
)


@routes.post(
    "/merchant/v1/uploads",
    summary="Start an image upload: a presigned S3 POST form for one file, valid for 10 minutes",
    body=images.UploadRequest,
    response=images.UploadTicket,
    status=201,
)
def create_upload(body: images.UploadRequest) -> images.UploadTicket:
    return images.start_upload(routes.merchant_id(), body)


@routes.put(
    "/merchant/v1/products/{sku}/images",
    summary="Replace a product's images (uploads, https URLs with their size, or current images kept), in order",
    body=images.ProductImages,
    response=Product,
    errors=(404,),
)
def put_product_images(sku: Sku, body: images.ProductImages) -> Product:
    return images.set_product_images(routes.merchant_id(), sku, body)


@routes.put(
    "/merchant/v1/catalogs/{catalog_id}/cover",
    summary="Set a catalog's cover, its WhatsApp preview: an uploaded JPEG/PNG, landscape ~1.91:1, up to 300 KB",
    body=images.CoverChange,
    response=Catalog,
    errors=(404,),
)
def put_catalog_cover(catalog_id: CatalogId, body: images.CoverChange) -> Catalog:
    from vitrine.catalogs.management import get_catalog

    get_catalog(routes.merchant_id(), catalog_id, seller_id=routes.seller_scope())  # a seller's own only
    return images.set_catalog_cover(routes.merchant_id(), catalog_id, body)
