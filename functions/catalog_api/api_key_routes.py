"""The merchant's API keys: issue one with permissions (shown once), list them, revoke one.

A key holds the permissions it was issued with (``vitrine.auth.permissions``), and can be given only permissions its
issuer holds, and ``erp`` (the ERP integration's key), which anyone who manages integrations may issue. It is
stored as its SHA-256 only (``vitrine.auth.api_keys``), so the answer to ``POST`` is the one time it is seen.
Revoking deletes its lookup: its next request is a 401.
"""

from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.auth.api_keys import issue_api_key_record, merchant_keys, permissions_of, revoke
from vitrine.auth.permissions import Permission, require_grantable
from vitrine.errors import NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.inputs import Text
from vitrine.lazy_models import LazyModel

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant", "integrations"),
    permission=Permission.INTEGRATIONS,
)


class NewApiKey(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=2, max_length=60, description="What the key is for, e.g. 'ERP da loja'.")
    permissions: list[Permission] = Field(min_length=1, max_length=len(Permission))


class ApiKey(LazyModel):
    key_id: str
    name: str
    permissions: list[Permission]
    created_at: AwareDatetime | None
    revoked_at: AwareDatetime | None


class IssuedApiKey(ApiKey):
    key: str = Field(description="The key itself: shown this once, stored only as a hash.")


class ApiKeyList(LazyModel):
    api_keys: list[ApiKey] = Field(description="Oldest first; revoked keys stay listed with revoked_at.")


def _view(record: dict) -> ApiKey:
    return ApiKey(
        key_id=record["key_id"],
        name=record["name"],
        permissions=sorted(permissions_of(record)),  # a key from before permissions: what its scopes stood for
        created_at=record.get("created_at"),
        revoked_at=record.get("revoked_at"),
    )


@routes.post(
    "/merchant/v1/api-keys",
    summary="Issue an API key with permissions (the key is in this answer only)",
    body=NewApiKey,
    response=IssuedApiKey,
    status=201,
    notes={403: "The caller lacks `integrations`, or a permission given that the caller does not hold."},
)
def issue_key(body: NewApiKey) -> Response:
    granted = set(body.permissions)
    # ``erp`` is the ERP integration's own permission: managing integrations is what issuing it takes.
    require_grantable(routes.principal(), granted - {Permission.ERP})
    key, record = issue_api_key_record(routes.merchant_id(), permissions=frozenset(granted), name=body.name)
    issued = IssuedApiKey(**dict(_view(record)), key=key)
    return json_response(201, issued, headers={"Cache-Control": "private, no-store"})


@routes.get("/merchant/v1/api-keys", summary="The merchant's API keys (never the keys themselves)", response=ApiKeyList)
def list_keys() -> ApiKeyList:
    return ApiKeyList(api_keys=[_view(record) for record in merchant_keys(routes.merchant_id())])


@routes.delete(
    "/merchant/v1/api-keys/{key_id}",
    summary="Revoke an API key: its next request is a 401 (revoking it again changes nothing)",
    response=ApiKey,
    errors=(404,),
)
def revoke_key(key_id: str) -> ApiKey:
    record = revoke(routes.merchant_id(), key_id)
    if record is None:
        raise NotFound("no such API key")
    return _view(record)
