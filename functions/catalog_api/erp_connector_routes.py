"""Merchant routes for the ERP connector (API key with the ``merchant`` scope): the ERP Vitrine polls when it
cannot push. The rules live in ``vitrine.erp.connector``; the contract the ERP serves is docs/erp-connector.md.

Here rather than in the ERP API: the connector is a setting of the merchant's, like its webhook endpoints, and
configuring it hands Vitrine a credential of the ERP's, which the key an ERP integration holds (``erp`` scope) has
no business changing. The token is accepted, never returned.
"""

from vitrine.auth.permissions import Permission
from vitrine.erp import connector
from vitrine.erp.connector import ErpConnectorInput, ErpConnectorView
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant", "erp"),
    permission=Permission.INTEGRATIONS,
)
PATH = "/merchant/v1/erp-connector"


@routes.put(
    PATH,
    summary="Configure the ERP connector Vitrine polls (the token is write-only); due at once",
    body=ErpConnectorInput,
    response=ErpConnectorView,
    notes={422: "Invalid input; details name each field. The first configuration needs a token (body.token)."},
)
def put_erp_connector(body: ErpConnectorInput) -> ErpConnectorView:
    return connector.configure_connector(routes.merchant_id(), body)


@routes.get(
    PATH,
    summary="The ERP connector: configuration (never the token), cursors, last poll and its error",
    response=ErpConnectorView,
    errors=(404,),
)
def get_erp_connector() -> ErpConnectorView:
    return connector.get_connector(routes.merchant_id())


@routes.delete(
    PATH,
    summary="Remove the ERP connector: nothing more is polled (what was applied stays)",
    status=204,
    errors=(404,),
)
def delete_erp_connector() -> Response:
    connector.delete_connector(routes.merchant_id())
    return Response(status_code=204, body="")
