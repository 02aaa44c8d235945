"""Runtime settings, read from the environment once, at first use (never at import).

The SAM template sets these variables per function; the local stack sets the same ones from the
template after creating the stack in the emulator. A missing variable fails at first use with the
variable's name, not with a ``KeyError`` deep inside a handler.
"""

import functools
import os
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from vitrine.errors import ConfigurationError


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    stage: str = Field(default="dev", alias="STAGE")
    aws_region: str = Field(default="us-east-1", alias="AWS_REGION")
    table_name: str | None = Field(default=None, alias="TABLE_NAME")
    event_bus_name: str | None = Field(default=None, alias="EVENT_BUS_NAME")
    images_bucket: str | None = Field(default=None, alias="IMAGES_BUCKET")
    # The local stack's alone (infra/local_stack sets it, the template never does): the API is served over plain
    # http on 127.0.0.1, so session cookies go without Secure and PUBLIC_BASE_URL may be an http loopback origin.
    local_plain_http: bool = Field(default=False, alias="LOCAL_PLAIN_HTTP")
    # The origin every link starts with (vitrine.http.origins); checked here, so a bad value fails at first use.
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
    # The template's CepLookupBaseUrl: ViaCEP's API, or a service answering in its format (the local stack's sandbox).
    cep_lookup_base_url: str = Field(default="https://viacep.com.br/ws", alias="CEP_LOOKUP_BASE_URL")
    # The CDN in front of the storefront (vitrine.cdn): its distribution id, or the SSM parameter holding it (the
    # template's way); neither set, nothing is invalidated (the local stack has no CDN).
    cdn_distribution_id: str = Field(default="", alias="CDN_DISTRIBUTION_ID")
    cdn_distribution_parameter: str = Field(default="", alias="CDN_DISTRIBUTION_PARAMETER")
    # Where the CDN serves published images straight from the bucket (the template's PublicBaseUrl when the CDN is
    # on): an image's URL is this + "/" + its key, stable and unsigned. Empty: the /img/ route's signed redirect.
    public_images_base_url: str = Field(default="", alias="PUBLIC_IMAGES_BASE_URL")

    @field_validator("public_base_url", "public_images_base_url")
    @classmethod
    def _an_origin(cls, value: str, info: ValidationInfo) -> str:
        return public_base_url_origin(value, local_plain_http=bool(info.data.get("local_plain_http")))

    def require(self, name: str) -> str:
        """The value of a setting this code path cannot run without."""
        value = getattr(self, name)
        if not value:
            alias = type(self).model_fields[name].alias
            raise ConfigurationError(f"environment variable {alias} is not set")
        return value


_ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?")
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def public_base_url_origin(value: str, *, local_plain_http: bool) -> str:
    """``value`` as an origin without its trailing slash ("" stays ""), or ValueError. An https origin (scheme, host,
    port: no path, query, user or fragment), or an http one on 127.0.0.1 or localhost where ``local_plain_http``."""
    origin = value.strip().rstrip("/")
    if not origin:
        return ""
    match = _ORIGIN.fullmatch(origin)
    plain_http = match is not None and local_plain_http and match["host"] in _LOOPBACK_HOSTS
    if match is None or not (match["scheme"] == "https" or plain_http):
        raise ValueError(f"PUBLIC_BASE_URL must be an https origin such as https://loja.example.com, not {value!r}")
    return origin


@functools.cache
def get_settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
