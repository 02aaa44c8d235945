"""E-mail through Amazon SES v2 (``SendEmail``, the core's botocore client), with a configuration set.

The configuration set (``SES_CONFIGURATION_SET``) publishes the sends' events to EventBridge's default bus, where
the template's rule takes ``Email Bounced`` and ``Email Complained`` to the notifier's queue
(``vitrine.messaging.statuses.apply_ses_event``): a permanent bounce or a complaint suppresses the address. Each
message is tagged ``message_id=<our message record id>`` so an event finds its message.

Errors: ``TooManyRequestsException``/``LimitExceededException``/``Throttling`` are ``Throttled``;
``AccountSuspendedException``/``SendingPausedException`` and 5xx ``ProviderUnavailable``; ``MessageRejected``,
``MailFromDomainNotVerifiedException`` and the rest ``Rejected`` (the sender is not set up: someone must act).
"""

import html
from typing import Any

from vitrine import aws
from vitrine.errors import DependencyUnavailable
from vitrine.messaging.port import Channel, Outgoing, ProviderUnavailable, Rejected, Sent, Throttled

_THROTTLED = {"TooManyRequestsException", "LimitExceededException", "Throttling", "ThrottlingException"}
_PAUSED = {"AccountSuspendedException", "SendingPausedException", "InternalFailure", "ServiceUnavailable"}


class SesEmail:
    channel = Channel.EMAIL

    def __init__(self, sender: str, configuration_set: str) -> None:
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, message: Outgoing) -> Sent:
        from botocore.exceptions import BotoCoreError, ClientError

        request: dict[str, Any] = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [message.to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                    "Body": {
                        "Text": {"Data": message.text, "Charset": "UTF-8"},
                        "Html": {"Data": html_body(message.text), "Charset": "UTF-8"},
                    },
                }
            },
            "EmailTags": [{"Name": "message_id", "Value": message.reference or "none"}],
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            response = aws.client("sesv2").send_email(**request)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            text = f"SES {code}: {exc.response.get('Error', {}).get('Message', '')[:200]}"
            if code in _THROTTLED:
                raise Throttled(text, code=code, retry_after=30) from exc
            if code in _PAUSED or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500:
                raise ProviderUnavailable(text, code=code) from exc
            raise Rejected(text, code=code) from exc
        except (BotoCoreError, DependencyUnavailable) as exc:
            raise ProviderUnavailable(f"SES unreachable: {exc}") from exc
        return Sent(response["MessageId"])


def html_body(text: str) -> str:
    """The text as a small HTML part, escaped (a shopper's name is never markup), links left as text."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f'<!doctype html><html lang="pt-BR"><body style="font-family:sans-serif">{paragraphs}</body></html>'
