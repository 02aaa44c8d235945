"""The sandbox loyalty partner's HTTP face (the package's docstring says what it answers)."""

import hmac
import logging
import re
from typing import Any

from local_stack.loopback_http import UNREADABLE, JsonHandler, LoopbackServer, ServedOnLoopback
from local_stack.sandbox_loyalty.ledger import NotReversible, OffContract, PartnerBooks
from local_stack.sandbox_loyalty.page import render_page

log = logging.getLogger("local_stack.sandbox_loyalty")
# The sandbox's one API key (the seed writes it into the demo merchant's loyalty settings).
SANDBOX_API_KEY = "lp_sandbox_demo_0123456789"


class SandboxLoyalty(ServedOnLoopback):
    """The sandbox in a thread of this process: ``start()``, ``stop()``, ``settings()`` for the stack's file."""

    def __init__(self, port: int = 0, api_key: str = SANDBOX_API_KEY) -> None:
        self._server = LoopbackServer(port, LoyaltyHandler, self, "sandbox-loyalty")
        self.api_key = api_key
        self.books = PartnerBooks()

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1"

    def start(self) -> None:
        super().start()
        log.info("sandbox loyalty partner up at %s", self.url)

    def settings(self) -> dict[str, object]:
        """Where it is (``.local/stack.json`` under ``loyalty``)."""
        return {"url": self.url, "api_url": self.api_url, "accruals_url": f"{self.url}/sandbox/accruals"}


class LoyaltyHandler(JsonHandler):
    logger = log
    server_version = "vitrine-sandbox-loyalty"
    failure_message = "the sandbox loyalty partner failed; see the stack's log"
    server: LoopbackServer

    do_GET = JsonHandler._dispatch
    do_POST = JsonHandler._dispatch

    @property
    def sandbox(self) -> SandboxLoyalty:
        return self.server.service

    def _refusal(self, exc: Exception) -> tuple[int, dict[str, Any]] | None:
        if isinstance(exc, OffContract):
            return 422, {"error": {"code": "off_contract", "message": str(exc)}}
        if isinstance(exc, NotReversible):
            return 409, {"error": {"code": "not_reversible", "message": str(exc)}}
        return None

    def _authorized(self) -> bool:
        given = self.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {self.sandbox.api_key}".encode()):
            return True
        self._send_json(401, {"error": {"code": "unauthorized", "message": "wrong or missing API key"}})
        return False

    def _movement(self, kind: str) -> None:
        if not self._authorized():
            return
        body = self._read_json()
        if body is UNREADABLE:
            return
        new, receipt = self.sandbox.books.record(kind, body)
        self._send_json(201 if new else 200, {k: v for k, v in receipt.items() if k != "left"})

    def _accrual(self, match: re.Match[str]) -> None:
        self._movement("accrual")

    def _reversal(self, match: re.Match[str]) -> None:
        self._movement("reversal")

    def _accruals(self, match: re.Match[str]) -> None:
        self._send_json(200, self.sandbox.books.snapshot())

    def _page(self, match: re.Match[str]) -> None:
        self._send(200, render_page(self.sandbox.books.snapshot()).encode(), "text/html; charset=utf-8")


LoyaltyHandler.routes = [
    ("POST", re.compile(r"/v1/accruals"), LoyaltyHandler._accrual),
    ("POST", re.compile(r"/v1/reversals"), LoyaltyHandler._reversal),
    ("GET", re.compile(r"/sandbox/accruals"), LoyaltyHandler._accruals),
    ("GET", re.compile(r"/"), LoyaltyHandler._page),
]
