"""Finding orders as a shop floor asks for them: by status, payment method, vitrine, seller, store, dates, and a
search by order code, CPF/CNPJ or name; newest first, in pages; and the same list as a CSV for Excel in Brazil.

How it reads: an order code is one pointer away (``ORDERCODE#``); anything else reads the orders index by status
(GSI1, each status's partition sorted by time) for the days asked (``since``..``until``, at most 93), newest first,
stopping at the first order older than ``since``, and filters what it read. It reads at most ``SCAN_LIMIT`` orders
for one search: a shop that sells more than that in the days it asked for is told (``truncated``) and narrows them.
A member who is one of the shop's sellers finds only the orders that came through them (``seller_scope``), and a
member whose groups reach some stores only finds those stores' orders (``stores``).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pydantic import ConfigDict, Field

from vitrine import spreadsheets
from vitrine.documents import only_digits
from vitrine.errors import InvalidInput
from vitrine.ids import ORDER_CODE_ALPHABET, ORDER_CODE_LENGTH, CatalogId, PersonId, StoreCode
from vitrine.inputs import Text
from vitrine.lazy_models import LazyModel
from vitrine.orders.models import Order, OrderStatus
from vitrine.payments.methods import PaymentMethod
from vitrine.repository import orders

SCAN_LIMIT = 2000
MAX_DAYS = 93
PAGE = 30
BRASILIA = timedelta(hours=-3)
_CODE = re.compile(rf"^[{ORDER_CODE_ALPHABET}]{{{ORDER_CODE_LENGTH}}}$")


class OrderSearch(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: OrderStatus | None = None
    payment_method: PaymentMethod | None = None
    catalog_id: CatalogId | None = Field(default=None, description="The vitrine the orders came through.")
    seller_id: PersonId | None = None
    store_code: StoreCode | None = None
    since: date | None = Field(default=None, description="First day (Brasília), default 30 days ago.")
    until: date | None = Field(default=None, description="Last day (Brasília), default today.")
    q: Text | None = Field(default=None, max_length=60, description="An order code, a CPF/CNPJ or part of a name.")
    page: int = Field(default=1, ge=1, le=100)


@dataclass(frozen=True)
class Found:
    orders: list[Order]  # this page's
    total: int  # every match of the search
    truncated: bool  # the days asked held more orders than one search reads


def _today() -> date:
    return (datetime.now(UTC) + BRASILIA).date()


def _window(search: OrderSearch) -> tuple[datetime, datetime]:
    until = search.until or _today()
    since = search.since or until - timedelta(days=30)
    if since > until:
        raise InvalidInput("`since` is after `until`", details=[{"field": "query.since", "reason": "after until"}])
    if (until - since).days > MAX_DAYS:
        raise InvalidInput(
            f"a search spans at most {MAX_DAYS} days", details=[{"field": "query.since", "reason": "too far back"}]
        )
    start = datetime.combine(since, time(0), UTC) - BRASILIA
    end = datetime.combine(until + timedelta(days=1), time(0), UTC) - BRASILIA
    return start, end


def find(
    merchant_id: str,
    search: OrderSearch,
    *,
    seller_scope: str | None = None,
    stores: frozenset[str] | None = None,
    page_size: int = PAGE,
) -> Found:
    """A page of what the search finds; ``stores``: only orders of these stores (a group limited to some)."""
    matched, truncated = _matching(merchant_id, search, seller_scope, stores)
    start = (search.page - 1) * page_size
    return Found(orders=matched[start : start + page_size], total=len(matched), truncated=truncated)


def _matching(
    merchant_id: str, search: OrderSearch, seller_scope: str | None, stores: frozenset[str] | None = None
) -> tuple[list[Order], bool]:
    query = (search.q or "").strip()
    if _CODE.match(query.upper()):
        order = orders.order_by_code(merchant_id, query.upper())
        found = [order] if order is not None else []
        return [o for o in found if _keeps(o, search, seller_scope, stores, query="")], False
    start, end = _window(search)
    statuses = [search.status] if search.status else list(OrderStatus)
    read: list[Order] = []
    truncated = False
    for status in statuses:
        cursor = None
        while True:
            page, cursor = orders.orders_by_status(merchant_id, status, limit=100, cursor=cursor)
            recent = [order for order in page if order.created_at >= start]
            read += [order for order in recent if order.created_at < end]
            if len(read) >= SCAN_LIMIT:
                truncated = True
                break
            if cursor is None or len(recent) < len(page):
                break
        if truncated:
            break
    matched = [order for order in read if _keeps(order, search, seller_scope, stores, query=query)]
    matched.sort(key=lambda order: order.created_at, reverse=True)
    return matched, truncated


def _keeps(
    order: Order, search: OrderSearch, seller_scope: str | None, stores: frozenset[str] | None, *, query: str
) -> bool:
    if seller_scope is not None and order.seller_id != seller_scope:
        return False
    if stores is not None and order.store_code not in stores:
        return False
    checks = (
        (search.payment_method, order.payment_method),
        (search.catalog_id, order.catalog_id),
        (search.seller_id, order.seller_id),
        (search.store_code, order.store_code),
    )
    if any(wanted is not None and wanted != actual for wanted, actual in checks):
        return False
    if not query:
        return True
    digits = only_digits(query)
    if len(digits) in (11, 14) and digits == only_digits(order.customer.document):
        return True
    return query.casefold() in order.customer.name.casefold()


CSV_HEADER = (
    "Pedido",
    "Criado em",
    "Situação",
    "Cliente",
    "CPF/CNPJ",
    "Forma de pagamento",
    "Parcelas",
    "Loja",
    "Vendedor",
    "Vitrine",
    "Total (R$)",
)
STATUS_TEXT = {
    OrderStatus.PENDING_PAYMENT: "Aguardando pagamento",
    OrderStatus.PAID: "Pago",
    OrderStatus.ON_HOLD: "Em análise",
    OrderStatus.IN_PREPARATION: "Em preparação",
    OrderStatus.READY_FOR_PICKUP: "Pronto para retirada",
    OrderStatus.DISPATCHED: "Enviado",
    OrderStatus.INVOICED: "Faturado",
    OrderStatus.DELIVERED: "Entregue",
    OrderStatus.CANCELLED: "Cancelado",
    OrderStatus.REFUNDED: "Reembolsado",
}
METHOD_TEXT = {"pix": "Pix", "card": "Cartão de crédito", "boleto": "Boleto"}


def orders_csv(
    merchant_id: str, search: OrderSearch, *, seller_scope: str | None = None, stores: frozenset[str] | None = None
) -> str:
    """Every order the search finds (not one page), as a CSV for Excel in Brazil (``vitrine.spreadsheets``)."""
    matched, _ = _matching(merchant_id, search, seller_scope, stores)
    rows = (
        (
            spreadsheets.text(order.order_code or order.order_id),
            (order.created_at + BRASILIA).strftime("%d/%m/%Y %H:%M"),
            STATUS_TEXT[order.status],
            spreadsheets.text(order.customer.name),
            spreadsheets.text(order.customer.document),
            METHOD_TEXT.get(str(order.payment_method), str(order.payment_method)),
            order.installments,
            spreadsheets.text(order.store_code),
            spreadsheets.text(order.seller_id or ""),
            spreadsheets.text(order.catalog_id),
            spreadsheets.amount(order.total),
        )
        for order in matched
    )
    return spreadsheets.csv_text(CSV_HEADER, rows)
