"""Who may keep an answer, and for how long: the storefront's shared-cache policy, its ETags and 304s, and the
private answers nothing may keep.

The share links' views (``/c/{slug}``, ``/c/{slug}/p/{sku}``, ``/api/catalogs/{slug}`` and its product pages) are
the same for every shopper: they carry no session, no CSRF token (the sign-in page's script keeps that in the
browser) and no personal price (a seller's or B2B customer's prices come from ``POST /api/carts/quote`` with the
session). So a shared cache (the CDN) may hold them (``SHARED_CACHE``):

- ``s-maxage=30``: the CDN answers a viral link for 30 s from one origin view, so a price or stock change shows
  within half a minute, the lag the page's availability may have anyway (checkout stays the authority);
- ``stale-while-revalidate=300``: past that, the CDN answers at once from its copy while it asks the origin again
  in the background, so no shopper waits on a cold Lambda for a link a group is reading;
- ``max-age=0``: a browser keeps the page but asks again each time (``If-None-Match``, answered ``304`` without the
  body), so a shopper who reloads sees the CDN's newest copy, not one their phone kept.

The ETag is strong. A view served from a catalog's read model derives it from the read model's version (with the
route, its inputs, the pointer's copy of the catalog and the release: ``version_etag``), so a ``304`` is answered
from the version alone, before anything is rendered (``not_modified``); every change to what the view shows bumps
the version, so a changed view never gets a 304. A view without a version (computed live, before its read model
exists) falls back to a digest of its body (``etag_for``). Every answer to a request that carries or makes a
session is ``PRIVATE`` (``private, no-store``).
"""

import hashlib

from vitrine.http.resolver import Response

SHARED_CACHE = "public, max-age=0, s-maxage=30, stale-while-revalidate=300"
PRIVATE = "private, no-store"
# Named by their digest (``/s/<page>.<digest>.js``): a new script is a new name, so a cache keeps one for good.
IMMUTABLE = "public, max-age=31536000, immutable"


def etag_for(body: str | bytes) -> str:
    """The view's strong ETag: 16 hex digits of its body's SHA-256 (the one place that decides what a version is)."""
    raw = body.encode() if isinstance(body, str) else body
    return '"' + hashlib.sha256(raw).hexdigest()[:16] + '"'


def version_etag(*parts: str) -> str:
    """The strong ETag of a view from what it is made of: the read model's version and the view's inputs."""
    return etag_for("\x1f".join(parts))


def not_modified(etag: str, if_none_match: str | None) -> Response | None:
    """A bodiless ``304`` carrying ``etag`` when the client holds it; ``None`` when it does not (render the view)."""
    if not _matches(if_none_match, etag):
        return None
    return Response(status_code=304, body="", headers={"Cache-Control": SHARED_CACHE, "ETag": etag})


def _matches(if_none_match: str | None, etag: str) -> bool:
    # RFC 9110 13.1.2: If-None-Match compares weakly (a W/ prefix does not matter); "*" matches any current view.
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in tags)


def shared_view(response: Response, if_none_match: str | None) -> Response:
    """``response`` as a view a shared cache may hold, with its ETag, or a bodiless ``304`` when the client holds
    that version already. Anything but a 200 (a 404 page of an unpublished catalog) is kept by no cache, so
    publishing again shows at once."""
    if response.status_code == 304:  # answered from the view's version (``not_modified``)
        return response
    if response.status_code != 200:
        response.headers["Cache-Control"] = "no-store"
        return response
    etag = response.headers.get("ETag") or etag_for(response.body or "")
    headers = {**response.headers, "Cache-Control": SHARED_CACHE, "ETag": etag}
    if _matches(if_none_match, etag):
        kept = {name: value for name, value in headers.items() if name in ("Cache-Control", "ETag")}
        return Response(status_code=304, body="", headers=kept)
    response.headers = headers
    return response


def private(response: Response) -> Response:
    """``response`` kept by no cache, shared or the browser's (an answer for one signed-in person)."""
    response.headers["Cache-Control"] = PRIVATE
    return response
