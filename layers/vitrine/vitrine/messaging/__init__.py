"""Messages to shoppers and merchants: one per order status and channel (WhatsApp, SMS, e-mail).

- ``templates``: the kinds of message, the variables each may use, the pt-BR defaults and a merchant's own texts.
- ``notices``: from a bus event to the messages it asks for (who, on which channel, with which values).
- ``port``: the ``MessagingProvider`` port, what a send answers and the failures each provider's adapter maps to.
- ``whatsapp``, ``zenvia``, ``email``: the adapters (WhatsApp Cloud API, Zenvia v2 SMS, Amazon SES v2).
- ``dispatch``: the notifier's use case: exactly one message per event and channel, suppressions, fallbacks.
- ``statuses``: the providers' delivery-status webhooks and SES's bounce and complaint events.
"""
