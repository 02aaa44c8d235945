"""The sandbox payment gateway: the subset of pagar.me's Core API v5 that Vitrine uses, on 127.0.0.1.

Same paths, auth and JSON as pagar.me (see ``tests/fixtures/pagarme/``), so Vitrine's real adapter
(``vitrine.payments.pagarme``) talks to it unchanged with ``PAGARME_BASE_URL`` set to ``<url>/core/v5``:

- ``POST /core/v5/orders``: one Pix, boleto or credit-card (``card_token``, ``auth_and_capture``) charge;
  ``Idempotency-Key`` replays the first answer. ``GET /core/v5/orders/{id}`` and ``GET /core/v5/charges/{id}``.
  HTTP Basic with the sandbox's secret key as the user.
- ``POST /core/v5/tokens?appId=<public key>``: card tokenization with the public key, CORS-enabled for loopback
  origins (the storefront at http://127.0.0.1:3000), so card data goes from the browser to the gateway only.
- Pix charges carry a valid BR Code (``vitrine.payments.pix``) and a ``qr_code_url`` served here as a PNG; a
  boleto carries a linha digitável, a barcode image and a one-page PDF.

Test cards (any future expiry date, any 3-digit CVV):

==================  =========================================================================================
4000000000000010    approved and captured: charge ``paid``
4000000000000028    declined by the issuer: charge ``failed``, "Transação não autorizada"
4000000000000036    sent to antifraud review: charge ``pending``, ``antifraud_response.status: pending``
any other number    declined, like an unknown card at pagar.me's simulator
==================  =========================================================================================

A person pays a pending charge on ``GET /pay/{charge_id}`` (a page with a "Pagar" button); a test does it with
``POST /sandbox/charges/{charge_id}/pay`` (JSON). State lives in memory and ends with the process.

The package: ``gateway`` (state and API), ``charges`` (the records as pagar.me shapes them), ``validation``,
``payment_documents`` (Luhn, boleto barcode and line, Pix QR), ``webhooks`` (the sender), ``pay_page``, ``server``
(the HTTP routes) and ``formats`` (ids, instants, the 422 body); ``python -m local_stack.sandbox_gateway`` runs it
alone.
"""

from local_stack.sandbox_gateway.gateway import SandboxGateway

__all__ = ["SandboxGateway"]
