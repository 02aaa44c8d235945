"""A merchant's outbound webhook endpoints: which URL gets which events, signed with which secret.

Targets. ``https`` to a public host, by the one rule of ``vitrine.outbound_targets`` (the ERP connector's too): the
host must be written canonically (no decimal, hex, octal or short IPv4 forms, no IPv4 inside IPv6, no trailing dot)
and not name the inside (loopback, private, link-local, ``localhost``), because the delivery function would
otherwise POST into AWS's own network on a merchant's say-so (Lambda's runtime API listens on 127.0.0.1). A host
name that *resolves* inside, at subscription or later, is refused at each delivery before anything is sent
(``vitrine.public_connections``); deliveries never follow redirects and send nothing but the signed event. The
local stack (``OUTBOUND_ALLOW_LOOPBACK=true``, set by it alone) also takes ``http`` and ``https`` to
``127.0.0.1``, ``localhost`` and ``[::1]``, so a receiver on the developer's machine can subscribe.

Secrets. Each endpoint has its own ``whsec_`` secret, shown once (at creation and at each rotation) and never
returned by a read. A rotation makes a new secret current; the previous one keeps signing next to it for 24 hours
(``webhook-signature`` carries one ``v1,<sig>`` per secret), so a receiver can switch secrets without losing a
message. Secrets are stored in the table, in the endpoint's item, not in SSM or Secrets Manager: one Secrets
Manager secret per endpoint costs $0.40 a month and an API call on every cold delivery, and SSM caps the
parameters of an account at 10,000 and its throughput at 40 reads a second, for keys that are created and
rotated through the API at the merchants' pace. The trade-off, said plainly: the table is encrypted at rest with
an AWS-owned key, so anyone who can read the table, its PITR restores or exports can read every signing secret.
A leaked secret lets its holder forge webhooks *to that merchant's receiver*; it opens nothing in Vitrine. A
deployment that wants more encrypts the ``secrets`` attribute with a customer-managed KMS key that only the
delivery function and the merchant API may use.
"""

import secrets as random
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AwareDatetime, ConfigDict, Field, field_validator

from vitrine.errors import Conflict, InvalidInput, NotFound
from vitrine.events.envelope import EVENT_TYPE_MODULES
from vitrine.inputs import Text
from vitrine.lazy_models import LazyModel
from vitrine.outbound_targets import check_outbound_url
from vitrine.repository import webhook_endpoints as repository
from vitrine.webhooks.signing import new_secret

# Events that are Vitrine's own commands to itself (a refund to ask the gateway for) are not for subscribers, nor
# are the notices that keep the catalogs' read models current (``vitrine.catalogs.read_model_events``), nor the
# loyalty consumer's notice that an order's professional CPF changed.
INTERNAL_EVENT_TYPES = frozenset(
    {
        "RefundRequested",
        "CatalogChanged",
        "ShopProfileChanged",
        "StoreChanged",
        "ProductImagesChanged",
        "StockReserved",
        "MessageFailed",
    }
    | {"OrderLoyaltyCpfChanged"}
)
SUBSCRIBABLE_EVENT_TYPES = tuple(sorted(set(EVENT_TYPE_MODULES) - INTERNAL_EVENT_TYPES))
PREVIOUS_SECRET_OVERLAP = timedelta(hours=24)
# A rotated-out secret signs for 24 h; rotating again within them keeps the two newest previous ones signing.
MAX_SIGNING_SECRETS = 3


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class NewWebhookEndpoint(LazyModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=8,
        max_length=2000,
        description="Where to POST the events: https to a public host (http to loopback on the local stack).",
    )
    # The names as an enum in the OpenAPI document; the validator below names the unknown ones.
    event_types: list[Annotated[str, Field(json_schema_extra={"enum": list(SUBSCRIBABLE_EVENT_TYPES)})]] = Field(
        min_length=1,
        max_length=len(SUBSCRIBABLE_EVENT_TYPES),
        description=f"Domain events to receive, e.g. OrderPaid; one of: {', '.join(SUBSCRIBABLE_EVENT_TYPES)}.",
    )
    description: Text = Field(default="", max_length=200)

    @field_validator("url")
    @classmethod
    def _target(cls, url: str) -> str:
        return check_outbound_url(url, authenticate_by="the signature")

    @field_validator("event_types")
    @classmethod
    def _known_types(cls, event_types: list[str]) -> list[str]:
        unknown = [name for name in event_types if name not in SUBSCRIBABLE_EVENT_TYPES]
        if unknown:
            raise ValueError(f"unknown event type(s) {', '.join(map(repr, unknown))}")
        return list(dict.fromkeys(event_types))


class WebhookEndpoint(LazyModel):
    endpoint_id: str
    url: str
    event_types: list[str]
    description: str
    created_at: AwareDatetime
    secret_created_at: AwareDatetime = Field(description="When the current secret was made.")
    previous_secrets_retire_at: AwareDatetime | None = Field(
        description="Until when a rotated-out secret still signs next to the current one (null: none does)."
    )


class WebhookEndpointWithSecret(WebhookEndpoint):
    secret: str = Field(
        description="The signing secret (whsec_<base64>), shown only now: verify webhook-signature with it."
    )


def _view(endpoint: dict[str, Any], now: datetime) -> WebhookEndpoint:
    current = endpoint["secrets"][0]
    moment = _iso(now)
    retiring = [s["retires_at"] for s in endpoint["secrets"][1:] if s["retires_at"] > moment]
    return WebhookEndpoint(
        endpoint_id=endpoint["endpoint_id"],
        url=endpoint["url"],
        event_types=endpoint["event_types"],
        description=endpoint["description"],
        created_at=endpoint["created_at"],
        secret_created_at=current["created_at"],
        previous_secrets_retire_at=max(retiring) if retiring else None,
    )


def create_endpoint(
    merchant_id: str, new: NewWebhookEndpoint, *, now: datetime | None = None
) -> WebhookEndpointWithSecret:
    moment = _iso(now or datetime.now(UTC))
    secret = new_secret()
    endpoint = {
        "merchant_id": merchant_id,
        "endpoint_id": f"ep_{random.token_hex(8)}",
        "url": new.url,
        "event_types": new.event_types,
        "description": new.description,
        "secrets": [{"secret": secret, "created_at": moment, "retires_at": None}],
        "created_at": moment,
        "updated_at": moment,
        "version": 1,
    }
    try:
        repository.add_endpoint(merchant_id, endpoint)
    except repository.TooManyEndpoints as exc:
        limit = repository.MAX_ENDPOINTS_PER_MERCHANT
        raise Conflict(
            f"a merchant has at most {limit} webhook endpoints; delete one first",
            details=[{"field": "endpoints", "reason": f"at most {limit} a merchant"}],
        ) from exc
    view = _view(endpoint, now or datetime.now(UTC))
    return WebhookEndpointWithSecret(**dict(view), secret=secret)


def list_endpoints(merchant_id: str, *, now: datetime | None = None) -> list[WebhookEndpoint]:
    moment = now or datetime.now(UTC)
    return sorted(
        (_view(endpoint, moment) for endpoint in repository.list_endpoints(merchant_id)), key=lambda e: e.created_at
    )


def endpoint_item(merchant_id: str, endpoint_id: str) -> dict[str, Any]:
    """The merchant's endpoint, or ``NotFound`` (another merchant's endpoint is as absent as a missing one)."""
    endpoint = repository.get_endpoint(merchant_id, endpoint_id)
    if endpoint is None:
        raise NotFound(f"no webhook endpoint '{endpoint_id}'")
    return endpoint


def delete_endpoint(merchant_id: str, endpoint_id: str) -> None:
    if not repository.delete_endpoint(merchant_id, endpoint_id):
        raise NotFound(f"no webhook endpoint '{endpoint_id}'")


def rotate_secret(merchant_id: str, endpoint_id: str, *, now: datetime | None = None) -> WebhookEndpointWithSecret:
    """A new current secret; the one it replaces signs alongside it for ``PREVIOUS_SECRET_OVERLAP``."""
    moment = now or datetime.now(UTC)
    endpoint = endpoint_item(merchant_id, endpoint_id)
    secret = new_secret()
    replaced = {**endpoint["secrets"][0], "retires_at": _iso(moment + PREVIOUS_SECRET_OVERLAP)}
    still_signing = [s for s in endpoint["secrets"][1:] if s["retires_at"] > _iso(moment)]
    secrets = [{"secret": secret, "created_at": _iso(moment), "retires_at": None}, replaced, *still_signing]
    secrets = secrets[:MAX_SIGNING_SECRETS]
    if not repository.replace_secrets(merchant_id, endpoint_id, secrets, endpoint["version"], _iso(moment)):
        raise Conflict(
            "the endpoint changed meanwhile (deleted, or its secret rotated); try again",
            details=[{"field": "path.endpoint_id", "reason": "changed meanwhile"}],
        )
    view = _view({**endpoint, "secrets": secrets}, moment)
    return WebhookEndpointWithSecret(**dict(view), secret=secret)


def check_endpoint_id(endpoint_id: str) -> str:
    if not (endpoint_id.startswith("ep_") and len(endpoint_id) == 19 and _is_hex(endpoint_id[3:])):
        raise InvalidInput(
            "endpoint_id is ep_ and 16 hex digits", details=[{"field": "path.endpoint_id", "reason": "malformed"}]
        )
    return endpoint_id


def _is_hex(value: str) -> bool:
    return all(c in "0123456789abcdef" for c in value)
