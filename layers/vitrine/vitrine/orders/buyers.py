"""Who a quote or an order is for, and at which prices (a checkout rule, read from the caller's session).

- an anonymous shopper: the catalog's price table (origin ``catalog``);
- a signed-in B2B customer: their own price table, or the catalog's when they have none (``customer_portal``);
- a seller: for one of *their* customers only, at that customer's prices (``seller``). A customer assigned to
  another seller is refused, and says nothing about whether they exist;
- anyone, signed out, through a vitrine a seller built (``Catalog.seller_id``): the seller's sale (``seller``, their
  id, and the customer it was built for), at the vitrine's prices (that customer's table, when it was built for one).

``buyer_prices`` applies the same rule to what a page shows: the signed-in buyer's price of every product the
catalog shows, which the page's script fetches after sign-in (or a seller's pick of a customer) and shows wherever
a price is. The public page and its JSON stay the catalog's own prices for everyone (a CDN may keep them), so
nothing personal is ever in them; the private answer is never cached (``Cache-Control: private, no-store``).
"""

from dataclasses import dataclass

from vitrine.auth.sessions import Role, Session
from vitrine.catalogs.models import Catalog
from vitrine.catalogs.storefront import catalog_contents, published_catalog
from vitrine.errors import Forbidden, Unauthorized
from vitrine.orders.models import OrderOrigin
from vitrine.people.accounts import require_web_access
from vitrine.repository import assortment, people


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
    if session is None and catalog.seller_id is not None:
        # A vitrine a seller built (for one of their customers, or for whoever they sent it to): the sale is theirs.
        return Buyer(
            origin=OrderOrigin.SELLER,
            price_table_id=catalog.price_table_id,
            seller_id=catalog.seller_id,
            customer_id=catalog.customer_id,
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


@dataclass(frozen=True)
class BuyerPrices:
    customer_id: str | None  # whom the prices are for (a seller without a customer: none, the catalog's prices)
    prices: dict[str, int]  # product SKU -> centavos, for the products the catalog shows that the buyer's table prices


def buyer_prices(slug: str, session: Session, customer_id: str | None) -> BuyerPrices:
    """The prices the session's buyer (``buyer_for``) pays for what the catalog shows now: one batched read of the
    buyer's table for the products shown (none when it is the catalog's own). A product the buyer's table does not
    price is left out: the checkout would refuse it to them."""
    catalog = published_catalog(slug)
    buyer = buyer_for(catalog, session, customer_id, field="query.customer_id")
    shown = catalog_contents(catalog).products
    if buyer.price_table_id == catalog.price_table_id:
        prices = {product.sku: product.price for product in shown}
    else:
        prices = assortment.prices_of(catalog.merchant_id, buyer.price_table_id, [product.sku for product in shown])
    return BuyerPrices(customer_id=buyer.customer_id, prices=prices)
