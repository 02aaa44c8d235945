"""The sandbox CEP lookup: ViaCEP's ``GET /ws/{cep}/json/`` on 127.0.0.1, so the checkout of ``make dev`` fills the
address from a CEP without the internet.

It answers in ViaCEP's shapes (see ``tests/fixtures/viacep/``), so Vitrine's real adapter
(``vitrine.cep_lookup.ViaCepLookup``) talks to it unchanged with ``CEP_LOOKUP_BASE_URL`` set to ``<url>/ws``:

- a CEP of ``addresses.SANDBOX_ADDRESSES`` (streets in each of the demo merchant's delivery ranges, and one
  city-wide CEP without street or district) is 200 with ViaCEP's current fields, ``01310-100`` or ``01310100``;
- any other 8 digits are 200 ``{"erro": "true"}``, as ViaCEP answers a CEP it does not know;
- anything else in the CEP's place is ViaCEP's 400 HTML page;
- ``99999-500`` answers HTTP 500, so the page's "type the address yourself" path can be tried and tested.

For tests, ``GET /sandbox/status`` lists the CEPs asked so far (a cached lookup is not asked twice). State lives in
memory and ends with the process; ``python -m local_stack.sandbox_cep`` runs it alone.
"""

from local_stack.sandbox_cep.server import SandboxCep

__all__ = ["SandboxCep"]
