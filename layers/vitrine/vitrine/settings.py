"""Runtime settings, read from the environment once, at first use (never at import).

The SAM template sets these variables per function; the local stack sets the same ones from the
template after creating the stack in the emulator. A missing variable fails at first use with the
variable's name, not with a ``KeyError`` deep inside a handler.
"""

import functools
import os

from pydantic import BaseModel, ConfigDict, Field

from vitrine.errors import ConfigurationError


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    stage: str = Field(default="dev", alias="STAGE")
    aws_region: str = Field(default="us-east-1", alias="AWS_REGION")
    table_name: str | None = Field(default=None, alias="TABLE_NAME")
    event_bus_name: str | None = Field(default=None, alias="EVENT_BUS_NAME")
    images_bucket: str | None = Field(default=None, alias="IMAGES_BUCKET")
    public_base_url: str = Field(default="", alias="PUBLIC_BASE_URL")
    gateway_webhook_queue_url: str | None = Field(default=None, alias="GATEWAY_WEBHOOK_QUEUE_URL")
    gateway_webhook_credentials_parameter: str | None = Field(
        default=None, alias="GATEWAY_WEBHOOK_CREDENTIALS_PARAMETER"
    )
    session_signing_key_parameter: str | None = Field(default=None, alias="SESSION_SIGNING_KEY_PARAMETER")
    outbound_webhook_queue_url: str | None = Field(default=None, alias="OUTBOUND_WEBHOOK_QUEUE_URL")
    # The delivery queue's maxReceiveCount (the template sets both from one place; a test keeps them equal): the
    # attempt that reaches it is the last, and its failure is recorded as "failed" (the message goes to the DLQ).
    outbound_webhook_max_attempts: int = Field(default=6, ge=1, alias="OUTBOUND_WEBHOOK_MAX_ATTEMPTS")
    erp_ingest_queue_url: str | None = Field(default=None, alias="ERP_INGEST_QUEUE_URL")
    # The template's ErpConnectorIntervalMinutes: how often a merchant's ERP connector is polled unless the
    # merchant chose an interval of its own.
    erp_connector_interval_minutes: int = Field(default=3, ge=1, le=1440, alias="ERP_CONNECTOR_INTERVAL_MINUTES")
    # The local stack's alone (infra/local_stack sets it, the template never does): outbound webhooks and ERP
    # connectors may target loopback, so the sandboxes on the developer's machine can be called (outbound_targets).
    outbound_allow_loopback: bool = Field(default=False, alias="OUTBOUND_ALLOW_LOOPBACK")

    def require(self, name: str) -> str:
        """The value of a setting this code path cannot run without."""
        value = getattr(self, name)
        if not value:
            alias = type(self).model_fields[name].alias
            raise ConfigurationError(f"environment variable {alias} is not set")
        return value


@functools.cache
def get_settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
