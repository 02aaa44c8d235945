"""Merchant routes for the shop's stores (permission ``settings``): the stores as onboarded, and an edit of one's
details (its name, city, street address and what it does for online orders). The rules live in
``vitrine.catalogs.store_edits``; the code and whether a store is an online site are onboarding's alone."""

from vitrine.auth.permissions import Permission
from vitrine.catalogs.models import Store
from vitrine.catalogs.store_edits import StoreDetails, merchant_stores, update_store
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes
from vitrine.ids import StoreCode
from vitrine.lazy_models import LazyModel

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant",),
    permission=Permission.SETTINGS,
)


class StoreList(LazyModel):
    stores: list[Store]


@routes.get("/merchant/v1/stores", summary="The shop's stores, as onboarded and edited since", response=StoreList)
def list_stores() -> StoreList:
    return StoreList(stores=merchant_stores(routes.merchant_id()))


@routes.put(
    "/merchant/v1/stores/{store_code}",
    summary=(
        "Replace a store's details: name, city, street address and what it does for online orders (the code and "
        "whether it is an online site stay as onboarded); the catalogs' pages follow within seconds"
    ),
    body=StoreDetails,
    response=Store,
    errors=(404,),
)
def put_store(store_code: StoreCode, body: StoreDetails) -> Store:
    return update_store(routes.merchant_id(), store_code, body)
