"""Runtime settings, read from the environment once, at first use (never at import).

The SAM template sets these variables per function; the local stack sets the same ones from the
template after creating the stack in the emulator. A missing variable fails at first use with the
variable's name, not with a ``KeyError`` deep inside a handler.
"""

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from vitrine.errors import ConfigurationError


def _env(name: str, default: object = None, *, low: int | None = None, high: int | None = None) -> object:
    return field(default=default, metadata={"env": name, "low": low, "high": high})


@dataclass(frozen=True)
class Settings:
    """The environment's settings. A frozen dataclass, not a pydantic model: every function reads these at its
    first AWS call, and building a model there cost each cold start ~7 ms (pydantic's schema and validator for
    20 fields) before the function's own work; the parsing is as strict as the model's was (``from_environment``)."""

    stage: str = _env("STAGE", "dev")
    aws_region: str = _env("AWS_REGION", "us-east-1")
    table_name: str | None = _env("TABLE_NAME")
    event_bus_name: str | None = _env("EVENT_BUS_NAME")
    images_bucket: str | None = _env("IMAGES_BUCKET")
    # The local stack's alone (infra/local_stack sets it, the template never does): the API is served over plain
    # http on 127.0.0.1, so session cookies go without Secure and PUBLIC_BASE_URL may be an http loopback origin.
    local_plain_http: bool = _env("LOCAL_PLAIN_HTTP", False)
    # The origin every link starts with (vitrine.http.origins); checked here, so a bad value fails at first use.
    public_base_url: str = _env("PUBLIC_BASE_URL", "")
    gateway_webhook_queue_url: str | None = _env("GATEWAY_WEBHOOK_QUEUE_URL")
    gateway_webhook_credentials_parameter: str | None = _env("GATEWAY_WEBHOOK_CREDENTIALS_PARAMETER")
    session_signing_key_parameter: str | None = _env("SESSION_SIGNING_KEY_PARAMETER")
    outbound_webhook_queue_url: str | None = _env("OUTBOUND_WEBHOOK_QUEUE_URL")
    # The delivery queue's maxReceiveCount (the template sets both from one place; a test keeps them equal): the
    # attempt that reaches it is the last, and its failure is recorded as "failed" (the message goes to the DLQ).
    outbound_webhook_max_attempts: int = _env("OUTBOUND_WEBHOOK_MAX_ATTEMPTS", 6, low=1)
    erp_ingest_queue_url: str | None = _env("ERP_INGEST_QUEUE_URL")
    # The template's ErpConnectorIntervalMinutes: how often a merchant's ERP connector is polled unless the
    # merchant chose an interval of its own.
    erp_connector_interval_minutes: int = _env("ERP_CONNECTOR_INTERVAL_MINUTES", 3, low=1, high=1440)
    # The local stack's alone (infra/local_stack sets it, the template never does): outbound webhooks and ERP
    # connectors may target loopback, so the sandboxes on the developer's machine can be called (outbound_targets).
    outbound_allow_loopback: bool = _env("OUTBOUND_ALLOW_LOOPBACK", False)
    # The template's CepLookupBaseUrl: ViaCEP's API, or a service answering in its format (the local stack's sandbox).
    cep_lookup_base_url: str = _env("CEP_LOOKUP_BASE_URL", "https://viacep.com.br/ws")
    # The CDN in front of the storefront (vitrine.cdn): its distribution id, or the SSM parameter holding it (the
    # template's way); neither set, nothing is invalidated (the local stack has no CDN).
    cdn_distribution_id: str = _env("CDN_DISTRIBUTION_ID", "")
    cdn_distribution_parameter: str = _env("CDN_DISTRIBUTION_PARAMETER", "")
    # Where the CDN serves published images straight from the bucket (the template's PublicBaseUrl when the CDN is
    # on): an image's URL is this + "/" + its key, stable and unsigned. Empty: the /img/ route's signed redirect.
    public_images_base_url: str = _env("PUBLIC_IMAGES_BASE_URL", "")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "Settings":
        """The settings ``environ`` holds (other variables ignored); ``ConfigurationError`` naming the variable for
        a value that is not one: a boolean other than true/false/1/0/yes/no/on/off/t/f/y/n, an integer out of its
        bounds, an origin that is not https (or a plain-http loopback one, with LOCAL_PLAIN_HTTP)."""
        values: dict[str, object] = {}
        for spec in fields(cls):
            name = spec.metadata["env"]
            if name not in environ:
                continue
            raw = environ[name]
            if spec.type is bool:
                values[spec.name] = _boolean(name, raw)
            elif spec.type is int:
                values[spec.name] = _integer(name, raw, spec.metadata["low"], spec.metadata["high"])
            else:
                values[spec.name] = raw
        plain_http = bool(values.get("local_plain_http", False))
        for origin in ("public_base_url", "public_images_base_url"):
            if origin in values:
                try:
                    values[origin] = public_base_url_origin(str(values[origin]), local_plain_http=plain_http)
                except ValueError as exc:
                    raise ConfigurationError(str(exc)) from exc
        return cls(**values)

    def require(self, name: str) -> str:
        """The value of a setting this code path cannot run without."""
        value = getattr(self, name)
        if not value:
            alias = next(spec.metadata["env"] for spec in fields(self) if spec.name == name)
            raise ConfigurationError(f"environment variable {alias} is not set")
        return value


_TRUE = frozenset({"1", "true", "yes", "on", "t", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "f", "n"})
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _boolean(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise ConfigurationError(f"environment variable {name} must be true or false, not {raw!r}")


def _integer(name: str, raw: str, low: int | None, high: int | None) -> int:
    if not _INTEGER.fullmatch(raw.strip()):
        raise ConfigurationError(f"environment variable {name} must be an integer, not {raw!r}")
    value = int(raw.strip())
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f">= {low}" + (f" and <= {high}" if high is not None else "")
        raise ConfigurationError(f"environment variable {name} must be {bounds}, not {value}")
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
    return Settings.from_environment(os.environ)
