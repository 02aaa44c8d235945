"""The shopper's pages (pt-BR, mobile first): the catalog a share link opens, a product's own link, and the
order page a checkout leads to.

Each is one HTML document with inline CSS and a small vanilla script of its own (``storefront_assets/``, served as
``/s/<page>.<digest>.js``: see ``_assets``), no framework. The catalog page renders the first page of products; its
script loads the rest from the JSON API, keeps the cart in the browser, prices it with ``POST /api/carts/quote``,
tokenizes a card at the gateway and checks out. The order page's script shows how to pay and follows the order's
status. Merchant text is HTML-escaped here and reaches the scripts as JSON (``<`` escaped) that they only ever set
as text; a Content-Security-Policy allowing exactly the page's own style (by hash) and scripts from its own origin
(no inline script at all) stands behind both. Every page, the 404s included, is answered by
``vitrine.http.pages.html_response`` with that policy and the other security headers.

The catalog and product pages are the same for every shopper (``vitrine.http.caching``: a CDN holds them): who is
signed in, their CSRF token and their prices are the script's to fetch, never the page's.
"""

import functools
import hashlib
import json
import re
import urllib.parse
from base64 import b64encode
from dataclasses import dataclass
from html import escape
from pathlib import Path

from storefront_footer import shop_footer

from vitrine.catalogs.models import Catalog, CatalogProduct, CatalogStatus, Image, Store
from vitrine.catalogs.shop_identity import ShopIdentity
from vitrine.catalogs.storefront import StorefrontView
from vitrine.http.caching import SHARED_CACHE
from vitrine.http.pages import content_security_policy, html_response
from vitrine.http.resolver import Response
from vitrine.image_store import image_src, public_image_url
from vitrine.money import decimal_reais
from vitrine.settings import get_settings

ASSETS = Path(__file__).with_name("storefront_assets")
PICKUP_ONLY = "Só para retirada"  # a product no delivery can take (catalog.js says the same)
_BAG_ICON = (
    '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
    'aria-hidden="true"><path d="M5 8h14l-1 12H6z"/><path d="M9 8V6a3 3 0 0 1 6 0v2"/></svg>'
)

# A pickup store as the pages' scripts read it (``D.stores``): code, name, city, street address.
PickupRow = tuple[str, str, str | None, str | None]


def pickup_rows(stores: list[Store]) -> list[PickupRow]:
    return [(store.code, store.name, store.city, store.address) for store in stores]


@dataclass(frozen=True)
class CardTokenization:
    """Where the shopper's browser sends card data (the gateway, never us) and the origin it must reach."""

    url: str
    origin: str


@dataclass(frozen=True)
class Storefront:
    view: StorefrontView  # the catalog, its first page of products, its stores, shop and facets
    share_url: str
    delivers: bool
    pickup_stores: list[PickupRow]
    card: CardTokenization | None
    # The footer's legal identification, the WhatsApp button and the link previews' og:site_name.
    shop: ShopIdentity | None = None
    origin: str = ""  # the public origin: link previews need absolute image URLs
    preview: bool = False  # a merchant's signed preview: marked as such, nothing to buy, never cached or indexed


@dataclass(frozen=True)
class _Assets:
    css: str
    js: str
    css_hash: str
    js_name: str  # the script's file name under /s/: the page and a digest of the script, so a new one is new


SCRIPT_NAME = re.compile(r"(catalog|order|login|privacy)\.[0-9a-f]{12}\.js")


def card_tokenization() -> CardTokenization | None:
    """pagar.me v5 tokenization with the public key; ``None`` (card shown as unavailable) when it is not set."""
    from vitrine.payments.settings import get_gateway_settings

    settings = get_gateway_settings()
    if not settings.public_key:
        return None
    parts = urllib.parse.urlsplit(settings.api_url)
    url = f"{settings.api_url}/tokens?appId={urllib.parse.quote(settings.public_key, safe='')}"
    return CardTokenization(url=url, origin=f"{parts.scheme}://{parts.netloc}")


def _hash(source: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


# The catalog page's script, its parts in the order they run (one scope): counting per fulfilment, the page, its
# signed-in buyer.
_SCRIPTS = {"catalog": ("fulfilment.js", "catalog.js", "buyer.js")}


@functools.cache
def _assets(page: str) -> _Assets:
    """The inline CSS and the script of ``page`` ("catalog", "order", "login" or "privacy"), read at first render,
    not at import.

    The style is inline (the first paint needs it; it is small); the script is a file of its own, ``/s/<page>.
    <digest>.js``, the same for every catalog and every view, so a phone downloads it once per release and a CDN
    holds it for good, while the page itself carries only its own markup and data (the script was half of a
    catalog page's bytes). Indentation, comment lines and CSS comments are dropped; the script keeps its line
    breaks, so no statement depends on this being a real minifier (``rjsmin`` was tried: it rewrites nested
    template literals).
    """
    css = "\n".join((ASSETS / name).read_text() for name in ("base.css", f"{page}.css"))
    css = "".join(line.strip() for line in re.sub(r"/\*.*?\*/", "", css, flags=re.S).splitlines())
    sources = "\n".join((ASSETS / name).read_text() for name in ("common.js", *_SCRIPTS.get(page, (f"{page}.js",))))
    lines = (line.strip() for line in sources.splitlines())
    js = "(() => {\n" + "\n".join(line for line in lines if line and not line.startswith("//")) + "\n})();"
    if "</" in js or "</" in css:
        raise ValueError("an inline asset must not contain '</': it would end its own element")
    digest = hashlib.sha256(js.encode()).hexdigest()[:12]
    return _Assets(css=css, js=js, css_hash=_hash(css), js_name=f"{page}.{digest}.js")


@functools.cache
def release() -> str:
    """A digest of what shapes the storefront's views besides their data (this module, the routes, the catalog
    page's style and script, the settings the pages print: images' base URL, the card tokenization URL): part of
    every view's ETag, so a new release or configuration is a new version of each view."""
    here = Path(__file__).parent
    assets = _assets("catalog")
    code = "".join((here / name).read_text() for name in ("storefront_page.py", "storefront_routes.py"))
    card = card_tokenization()
    config = get_settings().public_images_base_url + (card.url if card else "")
    return hashlib.sha256((code + assets.css_hash + assets.js_name + config).encode()).hexdigest()[:12]


def script(name: str) -> tuple[str, bool] | None:
    """The script served as ``/s/<name>`` and whether ``name`` is the current one (immutable); ``None`` for a name
    that is no page's. A page a cache kept from before a release names the previous digest: it gets the current
    script, briefly cacheable, rather than a 404 that would leave it without any for minutes."""
    if SCRIPT_NAME.fullmatch(name) is None:
        return None
    assets = _assets(name.split(".", 1)[0])
    return assets.js, name == assets.js_name


def _json_for_script(data: object) -> str:
    # Inside <script type="application/json"> only "<" can end the element early; JSON.parse undoes the escapes.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _variant_summary(product: CatalogProduct, delivers: bool) -> str:
    # The product's grid order (P, M, G, GG), not alphabetical; only what can still be bought, by any fulfilment.
    sizes = list(dict.fromkeys(v.size for v in product.variants if v.size and v.available > 0))
    colours = list(dict.fromkeys(v.colour for v in product.variants if v.colour and v.available > 0))
    summary = " · ".join(filter(None, [", ".join(sizes), ", ".join(colours)]))
    if delivers and product.available and not any(v.delivery for v in product.variants):
        summary = " · ".join(filter(None, [summary, PICKUP_ONLY]))
    return summary


def _card(product: CatalogProduct, delivers: bool) -> str:
    image = ""
    if product.image:
        image = (
            # alt="": the product's name follows as the card's heading; a screen reader need not hear it twice.
            f'<img src="{_attr(image_src(product.image))}" alt="" '
            f'width="{product.image.width}" height="{product.image.height}" loading="lazy">'
        )
    # Outside any form a button submits nothing: no type attribute needed (bytes count on a cheap phone).
    return (
        f'<article data-sku="{_attr(product.sku)}">{image}<h2>{escape(product.name)}</h2>'
        f'<p class="price">{escape(product.price_display)}</p>'
        f'<p class="variants">{escape(_variant_summary(product, delivers))}</p>'
        '<button class="buy">Comprar</button></article>'
    )


def _relative_sku(product_sku: str, variant_sku: str) -> str:
    # "CAM-BAS-M-PRE" of "CAM-BAS" travels as "~M-PRE" ("~" is never in a SKU): bytes count on a cheap phone.
    prefix = product_sku + "-"
    return "~" + variant_sku[len(prefix) :] if variant_sku.startswith(prefix) else variant_sku


def _product_data(product: CatalogProduct, pickup_codes: list[str], *, with_image: bool = False) -> list:
    # The grid: its sizes and its colours, each once, then each variant as its SKU, the index of its size and of its
    # colour in those lists, the units for delivery, and the units at each pickup store in the order of the page's
    # ``stores`` (what the script counts for the fulfilment the shopper chooses).
    sizes = list(dict.fromkeys(v.size for v in product.variants))
    colours = list(dict.fromkeys(v.colour for v in product.variants))
    variants = [
        [
            _relative_sku(product.sku, v.sku),
            sizes.index(v.size),
            colours.index(v.colour),
            v.delivery,
            *(v.pickup.get(c, 0) for c in pickup_codes),
        ]
        for v in product.variants
    ]
    data: list = [
        product.sku,
        product.name,
        product.brand,
        product.classifiers,
        product.price,
        [sizes, colours, variants],
    ]
    if with_image and product.image:
        data.append([image_src(product.image), product.image.width, product.image.height])
    return data


def _detail(product: CatalogProduct) -> list:
    """What the product sheet shows beyond the grid's data: the description and the whole gallery."""
    gallery = [[image_src(image), image.width, image.height] for image in product.images]
    return [product.sku, product.description, gallery]


def _excerpt(text: str, limit: int = 150) -> str:
    """The text's start on one line, cut at a word within ``limit`` characters (a preview's description)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _meta(
    storefront: Storefront, title: str, description: str, url: str, image: Image | None, price: int | None = None
) -> str:
    """The page's title and its link preview (Open Graph): what WhatsApp draws when the link is shared. The image
    is its lasting URL on the public origin (``public_image_url``), never a signed one that expires in hours;
    a product's link says its price (``product:price:*``, decimal reais) and is of type ``product``."""
    tags = [
        f"<title>{escape(title)}</title>",
        f'<meta name="description" content="{_attr(description)}">',
        f'<meta property="og:title" content="{_attr(title)}">',
        f'<meta property="og:description" content="{_attr(description)}">',
        f'<meta property="og:url" content="{_attr(url)}">',
        f'<meta property="og:type" content="{"website" if price is None else "product"}">',
        '<meta property="og:locale" content="pt_BR">',
    ]
    if storefront.shop and storefront.shop.name:
        tags.append(f'<meta property="og:site_name" content="{_attr(storefront.shop.name)}">')
    if image:
        tags += [
            f'<meta property="og:image" content="{_attr(public_image_url(image, storefront.origin))}">',
            f'<meta property="og:image:type" content="{_attr(image.content_type)}">',
            f'<meta property="og:image:width" content="{image.width}">',
            f'<meta property="og:image:height" content="{image.height}">',
            f'<meta property="og:image:alt" content="{_attr(title)}">',
        ]
    if price is not None:
        tags += [
            f'<meta property="product:price:amount" content="{decimal_reais(price)}">',
            '<meta property="product:price:currency" content="BRL">',
        ]
    if storefront.preview:
        tags.append('<meta name="robots" content="noindex">')
    return "".join(tags)


def _field(key: str, label: str, attrs: str = "") -> str:
    return f'<label>{label}<input id="f-{key}" {attrs}></label><small class="err" id="e-{key}"></small>'


def _row(left: str, right: str) -> str:
    """Two fields side by side (they wrap on a narrow phone)."""
    return f'<div class="row"><div>{left}</div><div>{right}</div></div>'


def _radio(name: str, value: str, label: str, *, checked: bool = False, disabled: bool = False) -> str:
    flags = (" checked" if checked else "") + (" disabled" if disabled else "")
    return f'<label><input type="radio" name="{name}" value="{_attr(value)}"{flags}>{label}</label>'


def _checkout_form(storefront: Storefront) -> str:
    stores = storefront.pickup_stores
    fulfilment = ""
    if storefront.delivers:
        fulfilment += _radio("ful", "delivery", "Receber em casa", checked=True)
    if stores:
        fulfilment += _radio("ful", "pickup", "Retirar na loja", checked=not storefront.delivers)
    store_options = "".join(
        _radio(
            "store",
            code,
            f"<span>{escape(name + (f' ({city})' if city else ''))}"
            + (f"<small>{escape(address)}</small>" if address else "")
            + "</span>",
            checked=len(stores) == 1,
        )
        for code, name, city, address in stores
    )
    card_label = "Cartão" if storefront.card else "Cartão (indisponível)"
    return (
        '<form id="co" novalidate hidden><h3>Seus dados</h3>'
        + _field("name", "Nome completo", 'autocomplete="name" maxlength="120"')
        + _field("doc", "CPF ou CNPJ", 'inputmode="numeric" maxlength="18" autocomplete="off"')
        + _field(
            "phone", "Celular com DDD", 'type="tel" placeholder="(11) 98888-7777" maxlength="15" autocomplete="tel"'
        )
        + _field("email", "E-mail", 'type="email" autocomplete="email" maxlength="254"')
        + f'<h3>Entrega</h3><div class="pick">{fulfilment}</div><div id="f-del">'
        + _field("cep", "CEP", 'inputmode="numeric" placeholder="00000-000" maxlength="9" autocomplete="postal-code"')
        + '<p class="note" id="cep-note" aria-live="polite"></p>'
        + '<p class="note ok" id="q-del" aria-live="polite"></p>'
        + _field("street", "Rua", 'autocomplete="address-line1" maxlength="120"')
        + _row(
            _field("number", "Número", 'maxlength="20"'),
            _field("complement", "Complemento", 'maxlength="60" placeholder="opcional"'),
        )
        + _field("district", "Bairro", 'maxlength="60"')
        + _row(
            _field("city", "Cidade", 'autocomplete="address-level2" maxlength="60"'),
            _field("state", "UF", 'autocomplete="address-level1" maxlength="2" placeholder="SP"'),
        )
        + "</div>"
        + f'<div id="f-pick" hidden><div class="pick" id="f-store">{store_options}</div>'
        '<small class="err" id="e-store"></small></div>'
        '<h3>Pagamento</h3><div class="pick">'
        + _radio("pay", "pix", "Pix", checked=True)
        + _radio("pay", "card", card_label, disabled=storefront.card is None)
        + _radio("pay", "boleto", "Boleto")
        + '</div><p class="note" id="pay-note"></p><div id="f-card" hidden>'
        + _field("cardnum", "Número do cartão", 'inputmode="numeric" autocomplete="cc-number" maxlength="23"')
        + _field("cardname", "Nome impresso no cartão", 'autocomplete="cc-name" maxlength="60"')
        + _row(
            _field(
                "cardexp", "Validade", 'inputmode="numeric" placeholder="MM/AA" autocomplete="cc-exp" maxlength="5"'
            ),
            _field("cardcvv", "CVV", 'inputmode="numeric" autocomplete="cc-csc" maxlength="4"'),
        )
        + '<label>Parcelas<select id="f-inst"></select></label><small class="err" id="e-inst"></small>'
        '<p class="note">Os dados do cartão vão direto para a processadora de pagamentos.</p></div>'
        "<h3>Pontos de fidelidade</h3>"
        + _field("pro", "CPF do profissional (opcional)", 'inputmode="numeric" maxlength="14" autocomplete="off"')
        + '<p class="note">Quem ganha os pontos desta compra. Vem com o seu CPF; troque se for de outro '
        "profissional. " + _loyalty_text() + "</p>" + _consent_fields() + '<p class="err" id="e-form" role="alert"></p>'
        '<button class="primary" id="co-submit">Finalizar pedido</button></form>'
    )


def _loyalty_text() -> str:
    """What giving the professional's CPF agrees to: the checkout records it as their ``loyalty_sharing`` consent."""
    from vitrine.consents.models import Purpose
    from vitrine.consents.texts import CURRENT_VERSION, text_of

    return escape(f"Ao informar o CPF: {text_of(CURRENT_VERSION, Purpose.LOYALTY_SHARING)}")


def _consent_fields() -> str:
    """Where the order's updates go, and the marketing box: the texts of ``CURRENT_VERSION``, whose version the
    box carries for the checkout to record (``vitrine.consents.texts``)."""
    from vitrine.consents.models import Purpose
    from vitrine.consents.texts import CURRENT_VERSION, text_of

    return (
        # "Por e-mail", not "E-mail": that is the address field's name.
        '<h3>Avisos do pedido</h3><div class="pick" id="f-notify">'
        + _radio("notify", "whatsapp", "Por WhatsApp", checked=True)
        + _radio("notify", "sms", "Por SMS")
        + _radio("notify", "email", "Por e-mail")
        + f'</div><p class="note">{escape(text_of(CURRENT_VERSION, Purpose.ORDER_UPDATES))}</p>'
        f'<label class="check"><input type="checkbox" id="f-consent" data-version="{_attr(CURRENT_VERSION)}">'
        f"{escape(text_of(CURRENT_VERSION, Purpose.MARKETING))}</label>"
    )


def _variant_sheet(*, preview: bool = False) -> str:
    # A preview sells nothing: no add button (and no share link, which answers 404 until the catalog is published).
    off = " hidden" if preview else ""
    return (
        '<div id="shade" hidden></div><div id="sheet" role="dialog" aria-modal="true" aria-labelledby="sh-n" hidden>'
        '<button type="button" class="x" aria-label="Fechar">&times;</button>'
        # The gallery: a strip that scrolls sideways and snaps to each photo (swipe), with a dot per photo.
        '<div id="sh-img" role="group" aria-label="Fotos do produto"></div><div id="sh-dots"></div>'
        '<h2 id="sh-n" tabindex="-1"></h2><p class="price" id="sh-p"></p>'
        '<p id="sh-d" class="clamp"></p><button type="button" id="sh-more" hidden>Ver mais</button>'
        '<p class="lbl">Tamanho</p><div class="opts" id="sh-size"></div>'
        '<p class="lbl">Cor</p><div class="opts" id="sh-colour"></div>'
        '<p id="sh-a" aria-live="polite"></p><p class="lbl">Quantidade</p>'
        '<span class="qty"><button type="button" id="sh-minus" aria-label="Diminuir">&minus;</button>'
        '<span id="sh-q">1</span><button type="button" id="sh-plus" aria-label="Aumentar">+</button></span>'
        f'<button type="button" class="primary" id="sh-add" disabled{off}>Adicionar ao carrinho</button>'
        + ('<p class="note">Prévia: a compra abre quando o catálogo for publicado.</p>' if preview else "")
        + f'<a class="ghost" id="sh-share" target="_blank" rel="noopener"{off}>Compartilhar no WhatsApp</a></div>'
        '<p id="toast" role="status" hidden></p>'
    )


def _document(
    page: str, head: str, body: str, data: dict, connect: tuple[str, ...] = (), cache_control: str | None = None
) -> Response:
    """A whole page: ``head`` and ``body`` markup, the page's data for its script, its inline assets, its CSP
    (fetches to the API and to the ``connect`` origins)."""
    assets = _assets(page)
    html = (
        '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">'
        f"{head}<style>{assets.css}</style></head><body>{body}"
        f'<script type="application/json" id="sf-data">{_json_for_script(data)}</script>'
        f'<script src="/s/{assets.js_name}"></script></body></html>'
    )
    policy = content_security_policy(scripts=["'self'"], styles=[assets.css_hash], connect=connect)
    if cache_control is None:
        cache_control = SHARED_CACHE if page == "catalog" else "no-store"
    return html_response(200, html, policy=policy, cache_control=cache_control)


def render(storefront: Storefront, *, product: CatalogProduct | None = None) -> Response:
    """The catalog page; with ``product``, that product's share link (its own preview, opened on it)."""
    view = storefront.view
    catalog = view.catalog
    first, cursor = view.products, view.next_cursor
    codes = [row[0] for row in storefront.pickup_stores]
    data_products = [_product_data(p, codes) for p in first]
    if product is not None and product not in first:
        data_products.append(_product_data(product, codes, with_image=True))
    if product is None:
        cover = catalog.cover_image or next((p.image for p in first if p.image), None)
        head = _meta(storefront, catalog.title, catalog.description, storefront.share_url, cover)
    else:
        url = f"{storefront.share_url}/p/{urllib.parse.quote(product.sku)}"
        description = " · ".join(filter(None, [product.price_display, catalog.title, _excerpt(product.description)]))
        image = product.image or catalog.cover_image
        head = _meta(storefront, product.name, description, url, image, price=product.price)
    # The sheet's description and gallery: a product link's own product has them in the page; the grid's products
    # get theirs from the JSON API when a sheet first opens (see the README's "Product sheet"); a preview, which
    # the JSON API does not serve, has them all in the page.
    details = [_detail(p) for p in first] if storefront.preview else [_detail(product)] if product else []
    data = {
        "slug": catalog.slug,
        "url": storefront.share_url,
        # The JSON API serves published catalogs only: a preview is its first page, every detail in it.
        "next": None if storefront.preview else cursor,
        "products": data_products,
        "cats": view.classifiers,
        "stores": storefront.pickup_stores,
        "delivers": storefront.delivers,
        "card": {"url": storefront.card.url} if storefront.card else None,
        "open": product.sku if product else None,
        "details": details,
        "preview": storefront.preview,
    }
    off = " hidden" if storefront.preview else ""
    body = (
        '<header class="top"><button type="button" id="cartbtn" aria-label="Carrinho, 0 itens" aria-controls="cart"'
        f'{off}>{_BAG_ICON}<span id="count">0</span></button><h1>{escape(catalog.title)}</h1>'
        f'<nav class="who" id="who"{off}></nav></header>'
        f"<main>{_preview_banner(storefront, len(first)) if storefront.preview else ''}"
        f'<p class="desc">{escape(catalog.description)}</p><div class="tools">'
        '<input type="search" id="q" placeholder="Buscar produtos" aria-label="Buscar produtos" autocomplete="off">'
        '<nav class="chips" id="cats" aria-label="Categorias"></nav><nav class="chips" id="subcats" hidden></nav>'
        f'</div><div class="grid" id="grid">{"".join(_card(p, storefront.delivers) for p in first)}</div>'
        '<p class="empty" id="empty" hidden>Nenhum produto encontrado.</p>'
        '<button type="button" class="ghost" id="more" hidden>Mostrar mais produtos</button></main>'
        + shop_footer(storefront.shop, _whatsapp_message(catalog.title, storefront.share_url, product))
        + _variant_sheet(preview=storefront.preview)
        + '<aside id="cart" role="dialog" aria-modal="true" aria-labelledby="cart-h" hidden>'
        '<div class="bar"><h2 id="cart-h" tabindex="-1">Seu carrinho</h2>'
        '<button type="button" class="x" aria-label="Fechar carrinho">&times;</button></div>'
        '<div id="lines"></div><p class="empty" id="cart-empty">Seu carrinho está vazio.</p>'
        '<div class="sum" id="sum"><p><span>Subtotal</span><span id="t-sub"></span></p>'
        '<p><span>Entrega</span><span id="t-del"></span></p><p><span>Total</span><span id="t-tot"></span></p></div>'
        f'<button type="button" class="primary" id="go" hidden{" disabled" if storefront.preview else ""}>'
        "Finalizar compra</button>"
        f"{_checkout_form(storefront)}</aside>"
    )
    connect = (storefront.card.origin,) if storefront.card else ()
    # A preview shows what is not public yet: kept by no cache, shared or the browser's.
    return _document("catalog", head, body, data, connect, "private, no-store" if storefront.preview else None)


def _preview_banner(storefront: Storefront, shown: int) -> str:
    catalog = storefront.view.catalog
    state = "catálogo não publicado" if catalog.status == CatalogStatus.DRAFT else "catálogo já publicado"
    total = storefront.view.product_count
    more = f'<p class="note">A prévia mostra os primeiros {shown} de {total} produtos.</p>' if total > shown else ""
    return f'<p class="pv" role="status">Prévia — {state}</p>{more}'


def _whatsapp_message(title: str, share_url: str, product: CatalogProduct | None) -> str:
    """What "Falar com a loja" types for the shopper: the catalog (and product) they are looking at."""
    if product is None:
        return f"Olá! Estou vendo o catálogo “{title}” ({share_url}) e gostaria de falar com a loja."
    url = f"{share_url}/p/{urllib.parse.quote(product.sku)}"
    return f"Olá! Tenho uma dúvida sobre {product.name}, do catálogo “{title}”: {url}"


def render_order(
    catalog: Catalog,
    catalog_url: str,
    order_id: str,
    pickup_stores: list[PickupRow],
    shop: ShopIdentity | None = None,
) -> Response:
    """The order page a checkout leads to; its script reads the order with the token in the URL's fragment."""
    head = f'<title>Seu pedido · {escape(catalog.title)}</title><meta name="robots" content="noindex">'
    body = (
        f'<header class="top"><h1><a href="{_attr(catalog_url)}">{escape(catalog.title)}</a></h1></header><main>'
        '<p class="note" id="d-wait" role="status">Carregando seu pedido…</p><div id="d-order" hidden>'
        '<h2 id="d-h">Pedido recebido!</h2><p>Situação: <span class="badge" id="d-st" aria-live="polite"></span></p>'
        '<div class="box"><p>Pedido nº <b class="mono" id="d-id"></b></p><p>Total: <b id="d-total"></b></p>'
        '<div id="d-pay"></div></div><div class="box"><p id="d-ful"></p><ul id="d-lines"></ul>'
        '<p class="note" id="d-sum"></p></div><div class="box" id="d-docs" hidden></div>'
        '<p class="note">A situação do pedido se atualiza sozinha. Guarde este link para acompanhar.</p></div>'
        f'<a class="ghost" href="{_attr(catalog_url)}">Voltar ao catálogo</a></main>'
        # order.js adds the order's code to the message once it has read the order.
        + shop_footer(shop, f"Olá! Tenho uma dúvida sobre o meu pedido no catálogo “{catalog.title}”.")
    )
    return _document("order", head, body, {"order": order_id, "stores": pickup_stores})


def _message_page(title: str, message: str, link: tuple[str, str] | None = None) -> Response:
    action = f'<p><a href="{_attr(link[0])}">{escape(link[1])}</a></p>' if link else ""
    html = (
        '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
        # An icon of its own, as every page has: else a browser asks for /favicon.ico, one more 404.
        '<link rel="icon" href="data:,">'
        f"</head><body><h1>{escape(title)}</h1><p>{escape(message)}</p>{action}</body></html>"
    )
    return html_response(404, html)


def not_found() -> Response:
    return _message_page("Catálogo não encontrado", "Este link não está mais disponível. Peça um novo link à loja.")


def product_not_found(catalog: Catalog, catalog_url: str) -> Response:
    return _message_page(
        "Produto indisponível",
        f"Este produto não está mais disponível em {catalog.title}.",
        (catalog_url, "Ver o catálogo"),
    )


def render_privacy(title: str, data: dict, back: tuple[str, str] | None = None) -> Response:
    """The privacy page (LGPD): the consents in force and a button that revokes marketing. ``data`` holds the
    revocation link's ``token`` or the portal's ``slug``; the script reads the consents from the API."""
    head = f'<title>Privacidade · {escape(title)}</title><meta name="robots" content="noindex">'
    back_link = f'<a class="ghost" href="{_attr(back[0])}">{escape(back[1])}</a>' if back else ""
    body = (
        f'<header class="top"><h1>{escape(title)}</h1></header><main>'
        "<h2>Seus consentimentos</h2>"
        '<p class="note">O que você autorizou esta loja a fazer com seus dados de contato. Você pode cancelar as '
        "ofertas a qualquer momento; os avisos do pedido continuam, porque fazem parte da compra.</p>"
        '<p class="note" id="p-wait" role="status">Carregando…</p>'
        '<ul class="consents" id="p-list" aria-live="polite"></ul>'
        '<p class="note" id="p-none" hidden>Nenhuma autorização em vigor.</p>'
        '<button class="primary" id="p-revoke" type="button" hidden>Não quero mais receber ofertas</button>'
        '<p class="done" id="p-done" role="status" hidden>Pronto: você não receberá mais ofertas desta loja.</p>'
        f'<p class="err" id="p-err" role="alert"></p>{back_link}</main>'
    )
    return _document("privacy", head, body, data)


def privacy_not_found() -> Response:
    return _message_page("Link não encontrado", "Este link de privacidade não é válido. Peça um novo link à loja.")


def render_sign_in(catalog: Catalog, catalog_url: str) -> Response:
    """The sign-in page of the store's sellers and B2B customers (posts JSON to ``/api/sessions``)."""
    head = f'<title>Entrar · {escape(catalog.title)}</title><meta name="robots" content="noindex">'
    body = (
        f'<header class="top"><h1><a href="{_attr(catalog_url)}">{escape(catalog.title)}</a></h1></header><main>'
        '<h2>Entrar</h2><p class="note">Para vendedores e clientes cadastrados pela loja.</p>'
        '<form id="login" novalidate><fieldset><legend>Você é</legend>'
        '<label><input type="radio" name="role" value="customer" checked>Cliente</label>'
        '<label><input type="radio" name="role" value="seller">Vendedor</label></fieldset>'
        '<label>E-mail<input type="email" id="l-email" autocomplete="username" maxlength="254" required></label>'
        '<label>Senha<input type="password" id="l-pass" autocomplete="current-password" maxlength="128" required>'
        '</label><p class="err" id="e-login" role="alert"></p>'
        '<button class="primary" id="l-submit">Entrar</button></form></main>'
    )
    return _document("login", head, body, {"slug": catalog.slug})
