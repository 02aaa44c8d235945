"""The server-rendered catalog page (pt-BR, mobile first): small, no framework, no client-side rendering."""

from html import escape

from aws_lambda_powertools.event_handler import Response

from vitrine.catalogs.storefront import CatalogContents
from vitrine.images import image_url
from vitrine.settings import get_settings

_STYLE = (
    "*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,sans-serif;color:#222;background:#fafafa}"
    "header{padding:12px 16px;background:#fff;border-bottom:1px solid #eee}h1{font-size:20px;margin:0}"
    "header p{margin:4px 0 0;color:#666;font-size:14px}"
    "main{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;padding:12px}"
    "article{background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px #0001}"
    "article img{width:100%;height:auto;display:block;aspect-ratio:1/1;object-fit:cover;background:#eee}"
    "article div{padding:8px}h2{font-size:14px;margin:0 0 4px;font-weight:500}"
    ".price{font-weight:700}.variants{color:#666;font-size:12px}"
)


def public_origin(event: object) -> str:
    configured = get_settings().public_base_url.rstrip("/")
    if configured:
        return configured
    headers = event.headers
    host = headers.get("host") or event.request_context.domain_name
    proto = headers.get("x-forwarded-proto") or ("http" if host.startswith(("127.0.0.1", "localhost")) else "https")
    return f"{proto}://{host}"


def _product_card(product) -> str:
    image = ""
    if product.image:
        image = (
            f'<img src="{escape(image_url(product.image.key))}" alt="{escape(product.name)}" '
            f'width="{product.image.width}" height="{product.image.height}" loading="lazy" decoding="async">'
        )
    # The product's grid order (P, M, G, GG), not alphabetical; only what can still be bought.
    sizes = list(dict.fromkeys(v.size for v in product.variants if v.size and v.available > 0))
    colours = list(dict.fromkeys(v.colour for v in product.variants if v.colour and v.available > 0))
    variants = " · ".join(filter(None, [", ".join(sizes), ", ".join(colours)]))
    return (
        f'<article data-sku="{escape(product.sku)}">{image}<div><h2>{escape(product.name)}</h2>'
        f'<p class="price">{escape(product.price_display)}</p>'
        f'<p class="variants">{escape(variants)}</p></div></article>'
    )


def render(contents: CatalogContents, url: str) -> Response:
    catalog = contents.catalog
    cover = catalog.cover_image or next((p.image for p in contents.products if p.image), None)
    og_image = f'<meta property="og:image" content="{escape(image_url(cover.key))}">' if cover else ""
    cards = "".join(_product_card(p) for p in contents.products) or "<p>Nenhum produto disponível no momento.</p>"
    html = (
        '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(catalog.title)}</title>"
        f'<meta name="description" content="{escape(catalog.description)}">'
        f'<meta property="og:title" content="{escape(catalog.title)}">'
        f'<meta property="og:description" content="{escape(catalog.description)}">'
        f'<meta property="og:url" content="{escape(url)}"><meta property="og:type" content="website">{og_image}'
        f"<style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(catalog.title)}</h1><p>{escape(catalog.description)}</p></header>"
        f"<main>{cards}</main></body></html>"
    )
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=html,
        headers={"Cache-Control": "public, max-age=60"},
    )


def not_found() -> Response:
    html = (
        '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Catálogo não encontrado</title>'
        "</head><body><h1>Catálogo não encontrado</h1>"
        "<p>Este link não está mais disponível. Peça um novo link à loja.</p></body></html>"
    )
    return Response(status_code=404, content_type="text/html; charset=utf-8", body=html)
