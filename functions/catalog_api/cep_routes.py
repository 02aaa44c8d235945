"""The CEP lookup the checkout calls to fill the address (public): ``GET /api/cep/{cep}``. The adapter, its
timeouts and its cache are ``vitrine.cep_lookup``'s.

Answers: 200 with the address (``Cache-Control: public, max-age=86400``: a CEP's street does not move), 404
``cep_not_found``, 422 for a CEP that is not 8 digits (``01310-100`` or ``01310100``), 503
``cep_lookup_unavailable`` when the service could not say (the page then lets the shopper type the address).
"""

from pydantic import Field

from vitrine.addresses import Cep
from vitrine.cep_lookup import address_of
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes, json_response
from vitrine.lazy_models import LazyModel

router = Router()
routes = Routes(router, function="CatalogApiFunction", tags=("storefront",))
HIT_CACHE_CONTROL = "public, max-age=86400"


class CepAddressView(LazyModel):
    cep: str = Field(description="The CEP, 00000-000.")
    street: str = Field(description="Logradouro; empty for a CEP that covers a whole city.")
    district: str = Field(description="Bairro; empty for a CEP that covers a whole city.")
    city: str
    state: str = Field(description="UF, two letters.")


@routes.get(
    "/api/cep/{cep}",
    summary="The address a CEP names (street, district, city, state), for the checkout to fill in",
    response=CepAddressView,
    errors=(404, 422, 503),
    notes={
        404: "`cep_not_found`: no address has this CEP.",
        422: "The CEP is not 8 digits (00000-000 or 00000000).",
        503: "`cep_lookup_unavailable`: the lookup service could not say; type the address.",
    },
)
def lookup_cep(cep: Cep) -> Response:
    view = CepAddressView(**vars(address_of(cep)))
    return json_response(200, view, headers={"Cache-Control": HIT_CACHE_CONTROL})
