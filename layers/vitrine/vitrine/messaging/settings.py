"""The notifier's providers, from the environment and one SSM SecureString, at first use.

- ``WHATSAPP_API_BASE_URL`` (default ``https://graph.facebook.com/v21.0``) and ``WHATSAPP_PHONE_NUMBER_ID`` (the
  business number's id at Meta; empty: WhatsApp is off and its messages go by SMS);
- ``ZENVIA_BASE_URL`` (default ``https://api.zenvia.com``) and ``ZENVIA_SENDER`` (the SMS sender keyword; empty:
  SMS is off);
- ``SES_FROM_ADDRESS`` (a verified identity; empty: e-mail is off) and ``SES_CONFIGURATION_SET``;
- ``MESSAGING_CREDENTIALS_PARAMETER``: the SSM SecureString holding the secrets as JSON, ``{"whatsapp_token",
  "whatsapp_app_secret", "whatsapp_verify_token", "zenvia_token", "zenvia_webhook_token"}``, read through
  ``vitrine.parameters`` (five minutes' cache, so a rotation reaches warm containers without a redeploy).

A message for a channel that is off is recorded ``skipped`` (``channel_off``), and from WhatsApp falls back to SMS:
turning a channel off never fills the DLQ.
"""

import json
import os
from dataclasses import dataclass

from vitrine.errors import ConfigurationError
from vitrine.messaging.port import Channel, MessagingProvider
from vitrine.parameters import secure_parameter

SECRET_FIELDS = (
    "whatsapp_token",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
    "zenvia_token",
    "zenvia_webhook_token",
)


@dataclass(frozen=True)
class MessagingSettings:
    whatsapp_base_url: str
    whatsapp_phone_number_id: str
    zenvia_base_url: str
    zenvia_sender: str
    ses_from_address: str
    ses_configuration_set: str
    credentials_parameter: str

    @classmethod
    def from_environment(cls) -> "MessagingSettings":
        env = os.environ
        return cls(
            whatsapp_base_url=env.get("WHATSAPP_API_BASE_URL") or "https://graph.facebook.com/v21.0",
            whatsapp_phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
            zenvia_base_url=env.get("ZENVIA_BASE_URL") or "https://api.zenvia.com",
            zenvia_sender=env.get("ZENVIA_SENDER", ""),
            ses_from_address=env.get("SES_FROM_ADDRESS", ""),
            ses_configuration_set=env.get("SES_CONFIGURATION_SET", ""),
            credentials_parameter=env.get("MESSAGING_CREDENTIALS_PARAMETER", ""),
        )


def credentials(settings: MessagingSettings) -> dict[str, str]:
    if not settings.credentials_parameter:
        raise ConfigurationError("environment variable MESSAGING_CREDENTIALS_PARAMETER is not set")
    try:
        values = json.loads(secure_parameter(settings.credentials_parameter))
    except ValueError as exc:
        raise ConfigurationError("the messaging credentials parameter is not a JSON object") from exc
    if not isinstance(values, dict):
        raise ConfigurationError("the messaging credentials parameter is not a JSON object")
    return {name: str(values.get(name) or "") for name in SECRET_FIELDS}


_providers: dict[Channel, MessagingProvider] | None = None


def providers() -> dict[Channel, MessagingProvider]:
    """The channels that are on, each with its adapter (built once per container)."""
    global _providers
    if _providers is None:
        settings = MessagingSettings.from_environment()
        found: dict[Channel, MessagingProvider] = {}
        secrets = credentials(settings) if settings.whatsapp_phone_number_id or settings.zenvia_sender else {}
        if settings.whatsapp_phone_number_id:
            from vitrine.messaging.whatsapp import WhatsAppCloud

            found[Channel.WHATSAPP] = WhatsAppCloud(
                settings.whatsapp_base_url, settings.whatsapp_phone_number_id, secrets["whatsapp_token"]
            )
        if settings.zenvia_sender:
            from vitrine.messaging.zenvia import ZenviaSms

            found[Channel.SMS] = ZenviaSms(settings.zenvia_base_url, settings.zenvia_sender, secrets["zenvia_token"])
        if settings.ses_from_address:
            from vitrine.messaging.email import SesEmail

            found[Channel.EMAIL] = SesEmail(settings.ses_from_address, settings.ses_configuration_set)
        _providers = found
    return _providers


def reset_providers() -> None:
    global _providers
    _providers = None
