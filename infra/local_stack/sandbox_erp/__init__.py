"""The sandbox ERP: the demo merchant's back office on 127.0.0.1, so ``make dev`` shows the whole ERP loop.

An ERP is where the merchant's master data lives and where sales are booked and invoiced. This one plays both
sides Vitrine talks to, over real HTTP:

- It **serves the generic HTTP JSON connector's contract** that Vitrine's ``sync_erp_connectors`` schedule polls:
  ``GET /products``, ``GET /prices`` and ``GET /stock`` with ``Authorization: Bearer <token>`` (anything else is
  401), ``limit=1..1000`` and, after the first poll, ``cursor=<next_cursor>``. Each answers 200
  ``{"items", "next_cursor", "has_more"}``: the items changed after the cursor (every item without one), oldest
  change first, at most ``limit``, in the push batches' item schemas (``ErpProduct``, ``ErpPrice`` of
  ``vitrine.erp.product_models``, ``ErpStockLevel`` of ``vitrine.erp.models``). The cursor is a change counter:
  every change to a record gives it the next number, so a page cut anywhere resumes exactly after its last item
  and a change made between two pages is served later, never lost. A cursor of an earlier run of the sandbox (its
  numbers mean nothing now) is taken as no cursor: everything is served again, which costs Vitrine nothing (it
  writes only what differs).
- Its master data is **the demo data** of ``local_stack.demo_data``, the one ``local_stack.seed`` writes (the same
  products, prices per table, and stock per store, each count at sequence 1), so the first poll changes nothing.
- Every ``counter_sale_seconds`` it **sells one unit at the counter** of store 0001 (a variant in stock there, drawn
  by a seeded generator): the count drops and its sequence grows, so Vitrine's next poll gets the newer count.
- Every ``feed_poll_seconds``, once ``connect_vitrine`` gave it Vitrine's URL and an API key with the ``erp``
  scope, it **takes the paid orders** from ``GET /erp/v1/orders/feed`` (every page), books each by its order id
  (a repeat is booked once), acknowledges them (``POST /erp/v1/orders/feed/ack``), and reports each
  ``in_preparation`` then ``invoiced`` with an NF-e it issues (a valid 44-digit access key, number and series,
  kept with the order so a retry sends the same one). When Vitrine accepts the invoice, the invoiced units leave
  its stock at the store that holds them (sequence bumped, served on the next poll). Vitrine's failures are
  logged and tried again on the next tick; a 409 (or 404, 422) on a report is logged with Vitrine's reason and the
  order is left alone. An order the feed serves cancelled is acknowledged and dropped, and so is one a report finds
  cancelled or refunded (Vitrine answers a stale report 200 with the order as it is): nothing is invoiced for it.

For a person, ``GET /`` is a small page (orders, invoices, counter sales, a form to sell at the counter and a
button to sync now); for tests, ``GET /sandbox/status`` is the same as JSON, ``POST /sandbox/counter-sale``
``{"store_code", "sku", "quantity"}`` sells now, and ``POST /sandbox/sync-now`` polls the feed now and answers what
that poll did. A timer of 0 runs only on demand. State lives in memory and ends with the process.

The package: ``erp`` (the whole, its timers and status), ``records`` (the connector's data and cursor),
``counter`` (the counter sales), ``order_feed`` (the feed worker), ``invoices`` (the NF-e), ``page``, ``server``;
``python -m local_stack.sandbox_erp`` runs it alone. Its master data is ``local_stack.demo_data``'s.
"""

from local_stack.sandbox_erp.erp import SandboxErp

__all__ = ["SandboxErp"]
