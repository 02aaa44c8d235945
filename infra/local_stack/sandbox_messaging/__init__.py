"""The sandbox messaging provider: WhatsApp Cloud API and Zenvia v2 SMS on 127.0.0.1, so ``make dev`` shows the
shoppers' messages without Meta, Zenvia or the internet. (E-mail goes through the emulator's SES.)

It answers in the providers' shapes (``tests/messaging_fixtures.py``), so Vitrine's real adapters
(``vitrine.messaging.whatsapp``, ``vitrine.messaging.zenvia``) talk to it unchanged:

- ``POST /v21.0/{phone-number-id}/messages`` with the Bearer token: a template of Vitrine's
  (``vitrine.messaging.templates.whatsapp_template_bodies``, "approved" here) is 200 with a ``wamid``; an unknown
  template is Graph's 132001, a wrong token 190 (401);
- ``POST /v2/channels/sms/messages`` with ``X-API-TOKEN``: 200 with the message and its id;
- each accepted message's statuses come back to Vitrine's webhooks as the providers send them: ``sent`` then
  ``delivered``, signed with the app secret (``X-Hub-Signature-256``) or with the subscription's token header;
- ``POST /sandbox/fail`` ``{"to": "5511...", "mode": "undeliverable"|"throttle"|"clear"}``: that number's next
  WhatsApp messages are accepted and then reported ``failed`` with 131026 (so Vitrine falls back to SMS), or the next
  one is refused with 130429 (Vitrine retries after its backoff);
- the outbox: ``GET /sandbox/messages`` as JSON (newest last), and ``GET /`` drawing it as chat bubbles per phone.

State lives in memory and ends with the process.
"""

from local_stack.sandbox_messaging.server import SandboxMessaging

__all__ = ["SandboxMessaging"]
