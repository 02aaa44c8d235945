"""Gateway settings, read from the environment at first use.

- ``PAGARME_BASE_URL``: the API root, default ``https://api.pagar.me/core/v5`` (the local stack points it at its
  sandbox gateway).
- ``PAGARME_SECRET_KEY``: the secret key (``sk_...``) itself, as the local stack and tests give it; or
- ``PAGARME_SECRET_KEY_PARAMETER``: the name of an SSM SecureString holding it, as in AWS. The key itself wins
  when both are set. It is read through ``vitrine.parameters`` (cached five minutes: a rotated key is picked up
  without a redeploy).
- ``PAGARME_PUBLIC_KEY``: the public key (``pk_...``) the shopper's browser tokenizes cards with; never secret.
- ``PAGARME_PLATFORM_RECIPIENT_ID``: the platform's own recipient (``rp_...``) at the gateway, which takes the fees
  of every split charge and answers for chargebacks. Without it charges are not split (all of a charge lands in
  the account's default recipient), as before payouts existed.
- ``PAGARME_CONNECT_TIMEOUT`` / ``PAGARME_READ_TIMEOUT`` (seconds, default 2 and 7) and ``PAGARME_MAX_RETRIES``
  (retries of a 5xx or a failed connection, default 2) size a call to fit the calling function's timeout: the
  worst case is about ``(1 + retries) * connect + read`` plus a second of backoff.
"""

import functools
import os

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from vitrine.errors import ConfigurationError
from vitrine.parameters import forget_parameters, secure_parameter

DEFAULT_BASE_URL = "https://api.pagar.me/core/v5"


class GatewaySettings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    base_url: str = Field(default=DEFAULT_BASE_URL, alias="PAGARME_BASE_URL", pattern=r"^https?://")
    secret_key: SecretStr | None = Field(default=None, alias="PAGARME_SECRET_KEY")
    secret_key_parameter: str | None = Field(default=None, alias="PAGARME_SECRET_KEY_PARAMETER")
    public_key: str | None = Field(default=None, alias="PAGARME_PUBLIC_KEY")
    # Empty is unset, as the template's parameter defaults to (its AllowedPattern is this one): no split.
    platform_recipient_id: str | None = Field(
        default=None, alias="PAGARME_PLATFORM_RECIPIENT_ID", pattern=r"^([A-Za-z0-9_-]{1,64})?$"
    )
    connect_timeout: float = Field(default=2.0, gt=0, alias="PAGARME_CONNECT_TIMEOUT")
    read_timeout: float = Field(default=7.0, gt=0, alias="PAGARME_READ_TIMEOUT")
    max_retries: int = Field(default=2, ge=0, le=5, alias="PAGARME_MAX_RETRIES")

    @property
    def api_url(self) -> str:
        return self.base_url.rstrip("/")


@functools.cache
def get_gateway_settings() -> GatewaySettings:
    return GatewaySettings.model_validate(dict(os.environ))


def secret_key(settings: GatewaySettings) -> str:
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value()
    if settings.secret_key_parameter:
        return secure_parameter(settings.secret_key_parameter)
    raise ConfigurationError("environment variable PAGARME_SECRET_KEY or PAGARME_SECRET_KEY_PARAMETER is not set")


def reset_gateway_settings() -> None:
    """Forget cached settings and keys (tests that change the environment call this)."""
    get_gateway_settings.cache_clear()
    forget_parameters()
