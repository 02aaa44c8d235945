"""The sandbox ERP's HTTP face: the connector's contract (``GET /products``, ``/prices``, ``/stock`` with the
bearer token), the page and its forms for a person, and the JSON controls for tests (``/sandbox/...``)."""

import logging
import re
import secrets
import urllib.parse
from typing import TYPE_CHECKING, Any

from local_stack.loopback_http import UNREADABLE, JsonHandler, LoopbackServer
from local_stack.sandbox_erp.counter import sale_fields
from local_stack.sandbox_erp.page import render_page
from local_stack.sandbox_erp.records import DEFAULT_LIMIT, MAX_LIMIT
from local_stack.sandbox_erp.refusal import Refused

if TYPE_CHECKING:
    from local_stack.sandbox_erp.erp import SandboxErp

log = logging.getLogger("local_stack.sandbox_erp")

MAX_BODY_BYTES = 64 * 1024
UNAUTHORIZED = {"message": "send the connector token as 'Authorization: Bearer <token>'"}


class ErpHandler(JsonHandler):
    max_body_bytes = MAX_BODY_BYTES
    logger = log
    failure_message = "the sandbox ERP failed; see the stack's log"
    server_version = "vitrine-sandbox-erp"
    server: LoopbackServer

    @property
    def sandbox(self) -> "SandboxErp":
        return self.server.service

    do_GET = do_POST = JsonHandler._dispatch

    def _refusal(self, exc: Exception) -> tuple[int, dict[str, Any]] | None:
        return (exc.status, {"message": exc.message}) if isinstance(exc, Refused) else None

    # ---- the connector's contract

    def _products(self, match: re.Match[str]) -> None:
        self._serve_page("products")

    def _prices(self, match: re.Match[str]) -> None:
        self._serve_page("prices")

    def _stock(self, match: re.Match[str]) -> None:
        self._serve_page("stock")

    def _serve_page(self, kind: str) -> None:
        sandbox = self.sandbox
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip().encode(), sandbox.token.encode()):
            self._send_json(401, UNAUTHORIZED, [("WWW-Authenticate", 'Bearer realm="sandbox-erp"')])
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        limit_text = query.get("limit", [str(DEFAULT_LIMIT)])[-1]
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
            raise Refused(400, f"limit is a whole number from 1 to {MAX_LIMIT}")
        cursor = query.get("cursor", [None])[-1]
        self._send_json(200, sandbox.page(kind, limit=int(limit_text), cursor=cursor or None))

    # ---- controls

    def _status(self, match: re.Match[str]) -> None:
        self._send_json(200, self.sandbox.status())

    def _counter_sale_json(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        store_code, sku, quantity = sale_fields(body)
        self._send_json(201, self.sandbox.counter_sale(store_code, sku, quantity))

    def _sync_now_json(self, match: re.Match[str]) -> None:
        self._send_json(200, self.sandbox.sync_now())

    def _page(self, match: re.Match[str]) -> None:
        self._send(200, render_page(self.sandbox.status()).encode(), "text/html; charset=utf-8")

    def _counter_sale_form(self, match: re.Match[str]) -> None:
        raw = self._read_body() or b""
        form = {key: values[-1] for key, values in urllib.parse.parse_qs(raw.decode(errors="replace")).items()}
        if form.get("quantity", "").isdigit():
            form["quantity"] = int(form["quantity"])  # type: ignore[assignment]
        self.sandbox.counter_sale(*sale_fields(form))
        self._redirect_home()

    def _sync_now_form(self, match: re.Match[str]) -> None:
        self._read_body()
        self.sandbox.sync_now()
        self._redirect_home()

    def _redirect_home(self) -> None:
        self._send(303, b"", "text/plain", [("Location", "/")])


ErpHandler.routes = [
    ("GET", re.compile(r"/products"), ErpHandler._products),
    ("GET", re.compile(r"/prices"), ErpHandler._prices),
    ("GET", re.compile(r"/stock"), ErpHandler._stock),
    ("GET", re.compile(r"/"), ErpHandler._page),
    ("POST", re.compile(r"/counter-sale"), ErpHandler._counter_sale_form),
    ("POST", re.compile(r"/sync-now"), ErpHandler._sync_now_form),
    ("GET", re.compile(r"/sandbox/status"), ErpHandler._status),
    ("POST", re.compile(r"/sandbox/counter-sale"), ErpHandler._counter_sale_json),
    ("POST", re.compile(r"/sandbox/sync-now"), ErpHandler._sync_now_json),
]
