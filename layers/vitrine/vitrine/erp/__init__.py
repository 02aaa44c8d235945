"""The ERP's master data coming in: batch upserts of products, price tables, prices, stock, customers and sellers.

A batch is checked item by item and answered 202 with a job (``jobs``); its valid items travel through SQS in
chunks and are applied by the ingest consumer (``apply``, the batch pipeline, running one applier per kind from
``appliers``), writing only what changed (``delta``). A CSV of products (``csv_products``) becomes items of the
same kinds and takes the same path.
"""
