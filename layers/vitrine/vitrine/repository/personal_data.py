"""Access patterns: reading and anonymising the items that hold a shopper's or customer's personal data, for
data-subject requests (``vitrine.consents.subject_requests``).

No index finds a person's items: the merchant's orders (``ORDER#``) and customers (``CUSTOMER#``) are read from
the merchant partition page by page and matched in code (a query, never a scan of the table). That is one read of
every order the merchant has: at ~2 KB an order, 10,000 orders are ~20 MB, ~5,000 read units and a few seconds,
fine for a request answered while the merchant waits; past ~50,000 orders it wants a job of its own and an index by
subject hash.
"""

from collections.abc import Iterator
from typing import Any

from vitrine.repository import keys, people, table


def _pages(pk: str, prefix: str) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        page = table.query(pk, sk_prefix=prefix, cursor=cursor, limit=500)
        yield from page.items
        cursor = page.cursor
        if cursor is None:
            return


def order_items(merchant_id: str) -> Iterator[dict[str, Any]]:
    """Every order item of the merchant (``ORDER#``: the short codes are ``ORDERCODE#``, not read)."""
    return (i for i in _pages(keys.merchant_pk(merchant_id), keys.order_sk("")) if i.get("type") == "order")


def customer_items(merchant_id: str) -> Iterator[dict[str, Any]]:
    return (i for i in _pages(keys.merchant_pk(merchant_id), keys.customer_sk("")) if i.get("type") == "customer")


def customer_order_items(merchant_id: str, customer_id: str) -> list[dict[str, Any]]:
    return list(_pages(keys.customer_orders_pk(merchant_id, customer_id), ""))


def anonymise_order(merchant_id: str, order_id: str, customer: dict[str, Any], address: dict[str, Any] | None) -> None:
    """Replace the order's buyer (and delivery address) with ``customer`` (``address``); nothing else changes
    (its version neither: no move of the order is planned on these fields)."""
    names = {"#customer": "customer"}
    values: dict[str, Any] = {":customer": customer}
    expression = "SET #customer = :customer"
    if address is not None:
        names |= {"#fulfilment": "fulfilment", "#address": "address"}
        values[":address"] = address
        expression += ", #fulfilment.#address = :address"
    table.update(
        keys.merchant_pk(merchant_id),
        keys.order_sk(order_id),
        expression=expression,
        values=values,
        names=names,
        condition="attribute_exists(PK)",
    )


def message_items(merchant_id: str, order_id: str) -> list[dict[str, Any]]:
    """The notifier's message records of an order (``M#<mid>#MESSAGES#<order_id>``)."""
    return [i for i in _pages(keys.messages_pk(merchant_id, order_id), "") if i.get("type") == "message"]


def blank_message(pk: str, sk: str) -> None:
    """A message record keeps its status and times, not whom it went to nor what it said."""
    table.update(
        pk,
        sk,
        expression="SET recipient = :empty, body = :empty, subject = :empty, #values = :none",
        values={":empty": "", ":none": {}},
        names={"#values": "values"},
        condition="attribute_exists(PK)",
    )


def anonymise_customer(merchant_id: str, item: dict[str, Any], values: dict[str, Any], login: str) -> None:
    """Rewrite the customer as ``values`` under the new ``login`` (the old login's pointer is deleted), its
    sessions ended (``session_version`` + 1) and its web access and sync hash dropped."""
    read_version = people.session_version(item)
    kept = {k: v for k, v in item.items() if k not in ("PK", "SK", "type", "password_hash", "content_hash")}
    people.save_person(
        merchant_id,
        "customer",
        item["customer_id"],
        {**kept, **values, "email": login, people.SESSION_VERSION: read_version + 1},
        login=login,
        previous_login=item.get("email"),
        read_version=read_version,
    )
