"""A table's Query read to its end, page by page: what a test compares between two ways of answering it (moto's own
and a shortcut through it: ``tests/fast_moto.py``, ``bench/moto_speed.py``)."""


def query_pages(client, **query) -> list[dict]:
    """Every page of the query on table ``t``: its items, its cursor and its count."""
    pages, start = [], None
    while True:
        page = client.query(TableName="t", **query, **({"ExclusiveStartKey": start} if start else {}))
        pages.append({"Items": page["Items"], "LastEvaluatedKey": page.get("LastEvaluatedKey"), "n": page["Count"]})
        start = page.get("LastEvaluatedKey")
        if not start:
            return pages
