"""The identifier types every boundary shares (kept apart from the domain models: events and the
repository import them without paying for the catalog models at cold start)."""

import re
import secrets
from typing import Annotated

from pydantic import Field

Sku = Annotated[
    str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9._-]+$", description="Stock keeping unit.")
]
StoreCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Store code, e.g. 9900 for the online site.",
    ),
]
_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    Field(
        min_length=2,
        max_length=60,
        pattern=_SLUG,
        description="Lower-case, hyphenated catalog slug used in the share link.",
    ),
]


def is_slug(value: str) -> bool:
    """Whether ``value`` has a slug's shape (a path that has not is answered 404 without a read)."""
    return 2 <= len(value) <= 60 and re.fullmatch(_SLUG, value) is not None


MerchantId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$", description="Merchant id.")]
PersonId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The merchant's own code for a seller or customer (the ERP's, when it has one).",
    ),
]

_HEX32 = "[0-9a-f]{32}"
OrderId = Annotated[str, Field(pattern=f"^{_HEX32}$", description="Vitrine's order id (32 hex digits).")]
_ORDER_ID = re.compile(_HEX32)
# The ids of the merchant API's paths, as the OpenAPI document says them (their routes check them: 404 or 422).
CatalogId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="A catalog's id.")
]
JobId = Annotated[str, Field(pattern=f"^{_HEX32}$", description="An ERP job's id (32 hex digits).")]
EndpointId = Annotated[str, Field(pattern=r"^ep_[0-9a-f]{16}$", description="A webhook endpoint's id.")]
DeliveryId = Annotated[
    str, Field(pattern=f"^msg_{_HEX32}$", description="A webhook delivery's id (its webhook-id header).")
]


def is_order_id(value: str) -> bool:
    """Whether ``value`` has the shape of an order id (32 hex digits): a path that has not is answered 404 without
    a read."""
    return _ORDER_ID.fullmatch(value) is not None


# An order's short code, read aloud at the counter and typed from a phone: no 0/O, 1/I/L (nor U, which reads as V).
ORDER_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
ORDER_CODE_LENGTH = 7  # 30**7 ≈ 22 billion codes a merchant: a collision is rare, and refused by the table
OrderCode = Annotated[
    str,
    Field(
        pattern=rf"^[{ORDER_CODE_ALPHABET}]{{{ORDER_CODE_LENGTH}}}$",
        description="The order's short code, unique per merchant, shown beside the id to shoppers, staff and the ERP.",
    ),
]


def new_order_code() -> str:
    """A random order code (its uniqueness per merchant is the checkout transaction's condition)."""
    return "".join(secrets.choice(ORDER_CODE_ALPHABET) for _ in range(ORDER_CODE_LENGTH))
