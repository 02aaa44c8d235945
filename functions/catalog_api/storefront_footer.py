"""The shop's identity at the foot of the storefront's pages: the legal identification an online shop must show in
Brazil (Decreto 7.962/2013, art. 2: corporate name, CNPJ, physical and electronic address, contact), the link to
its exchange and return policy, and the "Falar com a loja" WhatsApp button.

Plain markup, no script: the policy given as text opens in a ``<details>``; the button is a link to WhatsApp's
click-to-chat with a message naming the page the shopper is on. It floats at the bottom right of the screen, clear
of the cart button in the header's upper-left corner, under the sheet and the cart when they open; the footer
leaves room for it below its last line, so it never hides the shop's details. Every merchant value is escaped.
A page without a profile shows what the merchant's registration has (its name and CNPJ), and no button without a
WhatsApp number.
"""

from html import escape

from vitrine.catalogs.shop_identity import ShopIdentity, phone_link

_WHATSAPP_ICON = (
    '<svg width="22" height="22" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M12 2a10 10 0 '
    "0 0-8.6 15.1L2 22l5-1.3A10 10 0 1 0 12 2zm0 18.2a8.2 8.2 0 0 1-4.2-1.2l-.3-.2-3 .8.8-2.9-.2-.3A8.2 8.2 0 1 1 "
    "12 20.2zm4.5-6.1c-.2-.1-1.5-.7-1.7-.8-.2-.1-.4-.1-.6.1l-.8 1c-.1.2-.3.2-.5.1a6.7 6.7 0 0 1-3.3-2.9c-.2-.4.3-.4"
    ".7-1.3.1-.2 0-.3 0-.4l-.8-1.9c-.2-.5-.4-.4-.6-.4h-.5a1 1 0 0 0-.7.3 3 3 0 0 0-.9 2.2 5.2 5.2 0 0 0 1.1 2.8 "
    '11.9 11.9 0 0 0 4.6 4c1.7.7 2.4.8 3.2.7.5-.1 1.5-.6 1.8-1.2.2-.6.2-1.1.1-1.2l-.6-.3z"/></svg>'
)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _address_lines(shop: ShopIdentity) -> list[str]:
    address = shop.address
    if address is None:
        return []
    street = f"{address.street}, {address.number}" + (f", {address.complement}" if address.complement else "")
    cep = address.cep if "-" in address.cep else f"{address.cep[:5]}-{address.cep[5:]}"
    return [
        f"{escape(street)} · {escape(address.district)}",
        f"{escape(address.city)}/{escape(address.state)} · CEP {escape(cep)}",
    ]


def _contact_lines(shop: ShopIdentity) -> list[str]:
    lines = []
    if shop.email:
        lines.append(f'E-mail: <a href="mailto:{_attr(shop.email)}">{escape(shop.email)}</a>')
    if shop.phone:
        lines.append(f'Telefone: <a href="{_attr(phone_link(shop.phone))}">{escape(shop.phone)}</a>')
    return lines


def _policy(shop: ShopIdentity) -> str:
    parts = []
    if shop.return_policy_url:
        parts.append(
            f'<p><a href="{_attr(shop.return_policy_url)}" target="_blank" rel="noopener">'
            "Política de trocas e devoluções</a></p>"
        )
    if shop.return_policy_text:
        summary = "Trocas e devoluções" if shop.return_policy_url else "Política de trocas e devoluções"
        parts.append(
            f'<details><summary>{summary}</summary><p class="pol">{escape(shop.return_policy_text)}</p></details>'
        )
    return "".join(parts)


def whatsapp_button(shop: ShopIdentity | None, message: str) -> str:
    """The floating "Falar com a loja" link with ``message`` typed in; nothing without a WhatsApp number."""
    url = shop.whatsapp_url(message) if shop else None
    if url is None:
        return ""
    return (
        f'<a class="wa" id="wa" href="{_attr(url)}" target="_blank" rel="noopener">'
        f"{_WHATSAPP_ICON}<span>Falar com a loja</span></a>"
    )


def shop_footer(shop: ShopIdentity | None, whatsapp_message: str) -> str:
    """The footer with what ``shop`` has, then the WhatsApp button. Without anything to identify the shop there is
    no footer, only (with a number) the button and the room it needs below the page's last line."""
    button = whatsapp_button(shop, whatsapp_message)
    blocks = _blocks(shop) if shop else []
    if not blocks:
        return ('<div class="wa-room"></div>' if button else "") + button
    room = " wa-room" if button else ""
    return f'<footer class="shop{room}">{"".join(blocks)}</footer>{button}'


def _blocks(shop: ShopIdentity) -> list[str]:
    identification = [escape(shop.corporate_name)] if shop.corporate_name else []
    if shop.cnpj:
        identification.append(f"CNPJ {escape(shop.cnpj)}")
    blocks = [f"<h2>{escape(shop.name)}</h2>"] if shop.name else []
    if identification:
        blocks.append(f"<p>{'<br>'.join(identification)}</p>")
    contact = _address_lines(shop) + _contact_lines(shop)
    if contact:
        blocks.append(f"<address>{''.join(f'<p>{line}</p>' for line in contact)}</address>")
    policy = _policy(shop)
    return [*blocks, policy] if policy else blocks
