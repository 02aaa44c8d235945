"""The messaging providers' answers as they send them (WhatsApp Cloud API / Graph errors, Zenvia v2, SES events).

Shapes from the providers' documentation: Meta's "Send messages" and "Error codes" pages of the Cloud API (a 200
with ``messaging_product``, ``contacts`` and ``messages[].id``; Graph's ``{"error": {"message", "type", "code",
"error_data", "fbtrace_id"}}``; the ``messages`` webhook's ``statuses``), Zenvia's "Send message" (v2) and
"Message status" webhook, and SES's EventBridge events (``Email Bounced`` with ``detail.eventType = "Bounce"``).
"""

import json

GRAPH = "https://graph.facebook.com/v21.0"
PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_URL = f"{GRAPH}/{PHONE_NUMBER_ID}/messages"
ZENVIA_URL = "https://api.zenvia.com/v2/channels/sms/messages"
CREDENTIALS = {
    "whatsapp_token": "EAAJB-test-system-user-token",
    "whatsapp_app_secret": "app-secret-for-signatures",
    "whatsapp_verify_token": "verify-me-please",
    "zenvia_token": "zenvia-api-token",
    "zenvia_webhook_token": "zenvia-webhook-token",
}


def whatsapp_accepted(to: str, wamid: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": wamid, "message_status": "accepted"}],
    }


def graph_error(code: int, message: str, details: str = "") -> dict:
    return {
        "error": {
            "message": f"(#{code}) {message}",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details or message},
            "fbtrace_id": "A1b2C3d4E5f6G7h8",
        }
    }


RATE_LIMIT = graph_error(130429, "Rate limit hit", "Cloud API message throughput has been reached.")
PAIR_RATE_LIMIT = graph_error(131056, "(Business Account, Consumer Account) pair rate limit hit")
UNDELIVERABLE = graph_error(131026, "Message undeliverable", "Unable to deliver message.")
TEMPLATE_MISSING = graph_error(132001, "Template name does not exist in the translation")


def whatsapp_status_body(wamid: str, status: str, recipient: str, error_code: int | None = None) -> bytes:
    entry = {"id": wamid, "status": status, "timestamp": "1764633600", "recipient_id": recipient}
    if error_code is not None:
        entry["errors"] = [
            {
                "code": error_code,
                "title": "Message undeliverable.",
                "message": "Message undeliverable.",
                "error_data": {"details": "Message Undeliverable."},
            }
        ]
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
                            "statuses": [entry],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }
    return json.dumps(body).encode()


def zenvia_accepted(to: str, message_id: str, external_id: str, text: str) -> dict:
    return {
        "id": message_id,
        "from": "vitrine",
        "to": to,
        "direction": "OUT",
        "channel": "sms",
        "contents": [{"type": "text", "text": text}],
        "externalId": external_id,
        "timestamp": "2026-12-02T12:00:00.000Z",
    }


def zenvia_status_body(message_id: str, code: str) -> bytes:
    return json.dumps(
        {
            "id": "8f2c1e4a-0000-4000-8000-000000000001",
            "timestamp": "2026-12-02T12:00:05.000Z",
            "type": "MESSAGE_STATUS",
            "subscriptionId": "sub-1",
            "channel": "sms",
            "messageId": message_id,
            "contentIndex": 0,
            "messageStatus": {"timestamp": "2026-12-02T12:00:05.000Z", "code": code, "description": code.title()},
        }
    ).encode()


def ses_bounce_event(message_id: str, address: str) -> dict:
    return {
        "version": "0",
        "id": "2f5b2e1c-1111-4111-8111-000000000001",
        "detail-type": "Email Bounced",
        "source": "aws.ses",
        "account": "123456789012",
        "time": "2026-12-02T12:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {
            "eventType": "Bounce",
            "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": "5.1.1"}],
                "timestamp": "2026-12-02T12:00:00.000Z",
                "feedbackId": "0100018-feedback",
            },
            "mail": {"timestamp": "2026-12-02T11:59:59.000Z", "messageId": message_id, "destination": [address]},
        },
    }
