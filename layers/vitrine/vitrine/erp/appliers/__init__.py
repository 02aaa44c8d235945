"""The per-kind appliers of ERP items: each reads what is stored for its items, writes only what changed and
answers one ``Outcome`` per item (``outcome``). ``vitrine.erp.apply`` runs them over the chunks of a batch.

Products and their images (``products``), price tables and prices (``prices``), stock levels (``stock``),
customers and sellers (``people``). An applier takes the job of each item (``job_ids[i]`` is ``items[i]``'s):
chunks of several jobs may share a call, and an item is marked with, and recognised by, its own job.
"""
