"""Who a quote or an order is for, and at which prices (a checkout rule, read from the caller's session).

- an anonymous shopper: the catalog's price table (origin ``catalog``);
- a signed-in B2B customer: their own price table, or the catalog's when they have none (``customer_portal``);
- a seller: for one of *their* customers only, at that customer's prices (``seller``). A customer assigned to
  another seller is refused, and says nothing about whether they exist.
"""

from dataclasses import dataclass

from vitrine.auth.sessions import Role, Session
from vitrine.catalogs.models import Catalog
from vitrine.errors import Forbidden, Unauthorized
from vitrine.orders.models import OrderOrigin
from vitrine.people.accounts import require_web_access
from vitrine.repository import people


@dataclass(frozen=True)
class Buyer:
    """Who an order or a quote is for, and the price table that prices it."""

    origin: OrderOrigin
    price_table_id: str
    seller_id: str | None = None
    customer_id: str | None = None


def buyer_for(catalog: Catalog, session: Session | None, customer_id: str | None, *, field: str) -> Buyer:
    """Who a quote or order on ``catalog`` is for, given the caller's session and the customer they name."""
    if session is not None and session.merchant_id != catalog.merchant_id:
        if not session.via_cookie:
            raise Forbidden("this session belongs to another store; sign in again")
        # The browser sends its cookie to every store on this host: at another store it shops anonymously.
        session = None
    if customer_id is not None and (session is None or session.role is not Role.SELLER):
        raise Forbidden(
            "only a signed-in seller orders for a customer", details=[{"field": field, "reason": "seller only"}]
        )
    if session is None:
        return Buyer(origin=OrderOrigin.CATALOG, price_table_id=catalog.price_table_id)
    if session.role is Role.CUSTOMER:
        item = require_web_access(session)
        return Buyer(
            origin=OrderOrigin.CUSTOMER_PORTAL,
            price_table_id=item.get("price_table_id") or catalog.price_table_id,
            customer_id=session.subject_id,
        )
    seller, item, assigned = people.seller_and_customer(catalog.merchant_id, session.subject_id, customer_id)
    if seller is None or not seller.get("active", True):
        raise Unauthorized("this seller can no longer sign in")
    if customer_id is None:
        return Buyer(origin=OrderOrigin.SELLER, price_table_id=catalog.price_table_id, seller_id=session.subject_id)
    if item is None or not assigned:
        raise Forbidden(
            f"customer '{customer_id}' is not one of your customers",
            details=[{"field": field, "reason": "not assigned to this seller"}],
        )
    return Buyer(
        origin=OrderOrigin.SELLER,
        price_table_id=item.get("price_table_id") or catalog.price_table_id,
        seller_id=session.subject_id,
        customer_id=customer_id,
    )
