"""A merchant's preview of a catalog before it is published: a signed link to the catalog's own page.

``POST /merchant/v1/catalogs/{catalog_id}/preview`` answers ``/c/<slug>/previa/<token>`` (``vitrine.auth.
preview_tokens``), valid for 24 hours. The page it opens is the catalog as shoppers would see it now (its products,
prices at its table, stock in its stores), published or not, marked as a preview and unable to sell: checkout
refuses any catalog that is not published whatever a page shows, and the page offers no cart. A forged, expired or
other catalog's token gets the same 404 page as a slug that does not exist, so the link reveals nothing about
which drafts there are. Anyone holding a live link sees the draft: it is a capability, as the share link is once
the catalog is published.
"""

from dataclasses import dataclass
from datetime import datetime

from vitrine.auth.preview_tokens import is_preview_token, preview_allowed, preview_token
from vitrine.catalogs.management import get_catalog
from vitrine.catalogs.models import Catalog
from vitrine.catalogs.storefront import catalog_by_slug
from vitrine.ids import is_slug

PREVIEW_PATH = "/previa/"


@dataclass(frozen=True)
class PreviewLink:
    catalog: Catalog
    path: str  # /c/<slug>/previa/<token>, to put after the public origin
    expires_at: datetime


def preview_link(merchant_id: str, catalog_id: str) -> PreviewLink:
    """A link that opens the catalog's page for a day; an unknown catalog is ``NotFound``."""
    catalog = get_catalog(merchant_id, catalog_id)
    token, expires_at = preview_token(merchant_id, catalog.catalog_id)
    return PreviewLink(catalog=catalog, path=f"/c/{catalog.slug}{PREVIEW_PATH}{token}", expires_at=expires_at)


def previewed_catalog(slug: str, token: str) -> Catalog | None:
    """The catalog at ``slug`` when ``token`` is a live preview token made for it; otherwise ``None``."""
    if not (is_preview_token(token) and is_slug(slug)):
        return None
    catalog = catalog_by_slug(slug)
    if catalog is None or not preview_allowed(token, catalog.merchant_id, catalog.catalog_id):
        return None
    return catalog
