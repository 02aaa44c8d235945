"""The merchant console (``/painel``): server-rendered pages for the shop's owner, staff and sellers, on a phone.

As the catalog API does, the event's ``routeKey`` picks the one page module that serves it (``vitrine.http.
route_table``), so the sign-in page never imports the orders' or the vitrines' rules. How pages read and write is
said in ``console_pages``; what they share is ``console_kit``.
"""

from vitrine.http.route_table import api_handler

ROUTE_MODULES = {
    "GET /painel/entrar": "console_pages",
    "GET /painel/convite": "console_pages",
    "GET /painel/s/{name}": "console_pages",
    "GET /painel": "console_pages",
    "GET /painel/pedidos": "console_orders",
    "GET /painel/pedidos/{order_id}": "console_orders",
    "GET /painel/vitrines": "console_catalogs",
    "GET /painel/vitrines/nova": "console_catalogs",
    "GET /painel/vitrines/{catalog_id}": "console_catalogs",
    "GET /painel/configuracoes": "console_settings",
    "GET /painel/clientes": "console_people",
    "GET /painel/recebiveis": "console_money",
    "GET /painel/recebiveis/repasses/{payout_id}": "console_money",
    "GET /painel/integracao": "console_integration",
    "GET /painel/mensagens": "console_messages",
}

handler = api_handler(route_modules=ROUTE_MODULES)
