"""HTML answers and their security headers: every page the API serves is built by ``html_response``.

The storefront's Content-Security-Policy denies everything by default and allows only what a page names: its
inline style by hash, its script from its own origin (``/s/<page>.<digest>.js``, no inline script), images from
anywhere (the CDN, signed bucket URLs), fetches to the API itself and to the card tokenizer's origin; no
``<base>``, no form posts, no framing. A page that names nothing (a 404) runs no script and loads no style at all,
so a link on it that someone managed to make ``javascript:`` does not run.
``nosniff`` keeps a browser from reading another body as HTML. ``Referrer-Policy:
strict-origin-when-cross-origin`` sends other sites (the image bucket, WhatsApp) the origin only, never a page's
path (an order page's id), while the card tokenizer still learns which registered domain is calling it.
"""

from collections.abc import Iterable

from vitrine.http.resolver import Response

HTML = "text/html; charset=utf-8"


def content_security_policy(
    *,
    scripts: Iterable[str] = (),
    styles: Iterable[str] = (),
    connect: Iterable[str] = (),
    images: Iterable[str] = (),
) -> str:
    """The storefront's policy allowing ``scripts`` and ``styles`` (CSP sources, e.g. ``'sha256-…'``), fetches
    to the page's own origin plus ``connect``, and images from anywhere plus ``images`` (``blob:``: a file the
    page shows before it is uploaded)."""
    directives = ["default-src 'none'"]
    if scripts := " ".join(scripts):
        directives.append(f"script-src {scripts}")
    if styles := " ".join(styles):
        directives.append(f"style-src {styles}")
    directives += [
        " ".join(["img-src * data:", *images]),
        " ".join(["connect-src 'self'", *connect]),
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def html_response(status: int, html: str, *, policy: str | None = None, cache_control: str = "no-store") -> Response:
    """``html`` as a page with the security headers; ``policy`` defaults to the storefront's, allowing nothing."""
    return Response(
        status_code=status,
        content_type=HTML,
        body=html,
        headers={
            "Cache-Control": cache_control,
            "Content-Security-Policy": policy or content_security_policy(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        },
    )
