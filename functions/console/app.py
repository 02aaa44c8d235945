"""The merchant console (``/painel``): server-rendered pages for the shop's owner, staff and sellers, on a phone.

Routes live in ``console_pages``; this module is the handler. See ``console_pages`` for how pages read and write.
"""

from console_pages import router

from vitrine.http.route_table import api_handler

handler = api_handler(router)
