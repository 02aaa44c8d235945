"""ERP connectors: the merchant's ERP that cannot push, polled by Vitrine over HTTP (contract in
``docs/erp-connector.md``). This module owns the configuration a merchant sets and what it is shown back;
``connector_http`` asks the ERP for a page, ``connector_polling`` runs the polls.

A merchant has at most one connector. Its token is write-only: stored in the connector's item (in the table,
encrypted at rest, as outbound webhook secrets are; see ``vitrine.webhooks.endpoints`` for why not SSM or Secrets
Manager) and never returned; a change that sends no token keeps the stored one. Any change makes the connector
due at once; a new ``base_url`` (another ERP, whose cursors mean nothing here) or ``resync`` starts every resource
over without a cursor, which re-reads everything: harmless, since unchanged items are neither rewritten nor
announced (content hashes and stock sequences).

``interval_minutes`` left out follows the deployment's default (the template's ``ErpConnectorIntervalMinutes``,
3 minutes), so changing the parameter moves every merchant that did not choose.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from vitrine.errors import InvalidInput, NotFound
from vitrine.inputs import Count, Flag
from vitrine.outbound_targets import check_outbound_url
from vitrine.repository import erp_connectors as repository
from vitrine.settings import get_settings

MIN_INTERVAL_MINUTES = 1
MAX_INTERVAL_MINUTES = 24 * 60
DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000


class ConnectorResource(StrEnum):
    """What a connector reads, in the order a poll reads them: products before the prices and stock of their
    SKUs."""

    PRODUCTS = "products"
    PRICES = "prices"
    STOCK = "stock"


RESOURCE_ORDER = tuple(ConnectorResource)


class ConnectorStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"


def iso_millis(moment: datetime) -> str:
    """A moment as the connector records store it: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ErpConnectorInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(
        min_length=8,
        max_length=500,
        description="Where the ERP serves GET /products, /prices and /stock: https to a public host (http to "
        "loopback on the local stack), without query or fragment.",
    )
    token: str | None = Field(
        default=None,
        min_length=8,
        max_length=1000,
        pattern=r"^[\x21-\x7e]+$",
        description="Sent as 'Authorization: Bearer <token>'. Write-only: never shown again. Required the first "
        "time; left out, the stored token is kept.",
    )
    interval_minutes: Count | None = Field(
        default=None,
        ge=MIN_INTERVAL_MINUTES,
        le=MAX_INTERVAL_MINUTES,
        description="Minutes between polls; left out, the deployment's default (3).",
    )
    enabled: Flag = Field(default=True, description="false stops polling, keeping the configuration and cursors.")
    resources: list[ConnectorResource] = Field(
        default_factory=lambda: list(RESOURCE_ORDER),
        min_length=1,
        max_length=len(RESOURCE_ORDER),
        description="What to poll (products, prices, stock); read in that order.",
    )
    page_size: Count = Field(
        default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="The limit asked for on each request."
    )
    resync: Flag = Field(
        default=False, description="true: forget the cursors, so the next poll reads everything from the start."
    )

    @field_validator("base_url")
    @classmethod
    def _target(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.query or parts.fragment or url.endswith(("?", "#")):
            raise ValueError("the base URL takes no query or fragment: Vitrine adds /products?limit=...")
        return check_outbound_url(url, authenticate_by="the token").rstrip("/")

    @field_validator("resources")
    @classmethod
    def _distinct(cls, resources: list[ConnectorResource]) -> list[ConnectorResource]:
        if len(set(resources)) != len(resources):
            raise ValueError("each resource once")
        return [resource for resource in RESOURCE_ORDER if resource in resources]


class ErpConnectorView(BaseModel):
    base_url: str
    resources: list[ConnectorResource]
    interval_minutes: int = Field(description="Minutes between polls.")
    interval_is_default: bool = Field(description="true: the deployment's default (no interval was chosen).")
    page_size: int
    enabled: bool
    created_at: AwareDatetime
    updated_at: AwareDatetime
    token_updated_at: AwareDatetime = Field(description="When the token was last set (the token is never shown).")
    next_poll_at: AwareDatetime | None = Field(description="When it is due next (null: disabled).")
    polling: bool = Field(description="A poll is running now.")
    last_poll_at: AwareDatetime | None
    last_success_at: AwareDatetime | None
    last_status: ConnectorStatus | None = Field(description="ok or failed; null before the first poll.")
    last_error: str | None = Field(description="What the last failed poll met (resource, HTTP status, reason).")
    consecutive_failures: int = Field(description="Failed polls in a row; each waits longer (up to an hour).")
    cursors: dict[ConnectorResource, str] = Field(description="Per resource, the next_cursor stored last.")
    job_ids: list[str] = Field(
        description="The jobs the last poll started, one per page with items: GET /erp/v1/jobs/{job_id}."
    )


def effective_interval(connector: dict[str, Any]) -> int:
    chosen = connector.get("interval_minutes")
    return int(chosen) if chosen is not None else get_settings().erp_connector_interval_minutes


def view(connector: dict[str, Any]) -> ErpConnectorView:
    enabled = connector["enabled"]
    return ErpConnectorView(
        base_url=connector["base_url"],
        resources=connector["resources"],
        interval_minutes=effective_interval(connector),
        interval_is_default=connector.get("interval_minutes") is None,
        page_size=connector["page_size"],
        enabled=enabled,
        created_at=connector["created_at"],
        updated_at=connector["updated_at"],
        token_updated_at=connector["token_updated_at"],
        next_poll_at=connector["next_poll_at"] if enabled and "claim_id" not in connector else None,
        polling="claim_id" in connector,
        last_poll_at=connector.get("last_poll_at"),
        last_success_at=connector.get("last_success_at"),
        last_status=connector.get("last_status"),
        last_error=connector.get("last_error"),
        consecutive_failures=connector.get("consecutive_failures", 0),
        cursors=connector.get("cursors", {}),
        job_ids=connector.get("job_ids", []),
    )


def configure_connector(merchant_id: str, new: ErpConnectorInput, *, now: datetime | None = None) -> ErpConnectorView:
    """Create or change the merchant's connector (see the module docstring for tokens and cursors)."""
    current = repository.get_connector(merchant_id)
    moved = current is not None and current.get("base_url") != new.base_url
    config = {
        "base_url": new.base_url,
        "resources": [resource.value for resource in new.resources],
        "interval_minutes": new.interval_minutes,
        "page_size": new.page_size,
    }
    try:
        stored = repository.save_config(
            merchant_id,
            config,
            token=new.token,
            enabled=new.enabled,
            reset_cursors=new.resync or moved,
            now=iso_millis(now or datetime.now(UTC)),
        )
    except repository.TokenMissing as exc:
        raise InvalidInput(
            "a new ERP connector needs the token the ERP expects",
            details=[{"field": "body.token", "reason": "required when creating the connector"}],
        ) from exc
    return view(stored)


def get_connector(merchant_id: str) -> ErpConnectorView:
    connector = repository.get_connector(merchant_id)
    if connector is None:
        raise NotFound("no ERP connector is configured")
    return view(connector)


def delete_connector(merchant_id: str) -> None:
    if not repository.delete_connector(merchant_id):
        raise NotFound("no ERP connector is configured")
