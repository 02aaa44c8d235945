"""Liveness and the API description."""

import functools
import json
from pathlib import Path

from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.lazy_models import LazyModel
from vitrine.settings import get_settings

router = Router()
routes = Routes(router, function="CatalogApiFunction", tags=("system",))
OPENAPI_FILE = Path(__file__).with_name("openapi.json")


class Health(LazyModel):
    status: str
    service: str
    stage: str


@routes.get(
    "/health",
    summary="Liveness check",
    response=Health,
)
def health() -> Health:
    return Health(status="ok", service="catalog_api", stage=get_settings().stage)


@functools.cache
def _openapi_document() -> str:
    # Generated at build time (make openapi) from the route declarations; read once per container.
    return json.dumps(json.loads(OPENAPI_FILE.read_text()), separators=(",", ":"))


@routes.get(
    "/openapi.json",
    summary="OpenAPI 3.1 description of this API",
)
def openapi() -> Response:
    return Response(
        status_code=200,
        content_type="application/json",
        body=_openapi_document(),
        headers={"Cache-Control": "public, max-age=300"},
    )
