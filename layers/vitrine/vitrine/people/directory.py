"""Named reads of the merchant's sellers: a page of them, and one seller's customers."""

from vitrine.errors import NotFound
from vitrine.people.accounts import sellers_customers
from vitrine.people.models import Customer, Seller
from vitrine.repository import people


def list_sellers(merchant_id: str, *, limit: int, cursor: str | None) -> tuple[list[Seller], str | None]:
    """A page of the merchant's sellers and the cursor of the next page."""
    return people.list_sellers(merchant_id, limit=limit, cursor=cursor)


def known_sellers_customers_ids(merchant_id: str, seller_id: str) -> set[str]:
    """The ids of a seller's customers (their assignments; nothing read of the customers themselves)."""
    return set(people.customers_of_seller(merchant_id, seller_id))


def known_sellers_customers(merchant_id: str, seller_id: str) -> list[Customer]:
    """The customers of one of the merchant's sellers; ``NotFound`` for a seller the merchant does not have."""
    if people.get_seller_item(merchant_id, seller_id) is None:
        raise NotFound(f"no seller '{seller_id}'")
    return sellers_customers(merchant_id, seller_id)
