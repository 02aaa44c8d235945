"""The sandbox loyalty partner: the small JSON contract of ``docs/loyalty-partner.md`` on 127.0.0.1, so the local
stack's invoiced orders accrue points somewhere a person (and the e2e test) can look.

Vitrine's real adapter (``vitrine.loyalty.partner_http.HttpLoyaltyPartner``) talks to it unchanged: the seed points
the demo merchant's loyalty settings at ``<url>/v1`` with the sandbox's API key.

- ``POST /v1/accruals`` and ``POST /v1/reversals`` with ``Authorization: Bearer <api key>``: 201 with a receipt
  (``transaction_id``, ``points``, ``balance``); the same ``idempotency_key`` again answers 200 with the first
  receipt and moves nothing; a wrong key is 401, a body off the contract 422, a reversal of an unknown accrual
  or of more than it left 409;
- ``GET /sandbox/accruals``: every accrual and reversal and each CPF's balance, as JSON; ``GET /`` the same as a
  page (each CPF's balance, then the movements).

State lives in memory and ends with the process; ``python -m local_stack.sandbox_loyalty`` runs it alone.
"""

from local_stack.sandbox_loyalty.server import SANDBOX_API_KEY, SandboxLoyalty

__all__ = ["SANDBOX_API_KEY", "SandboxLoyalty"]
