"""The local stack's own controls, on a loopback port of their own: ``GET /_local/status`` (the running stack,
its functions, queues and schedules) and ``POST /_local/schedules/{name}`` (fire a schedule now).

Not on the API's port, where the front answers only the template's routes, as API Gateway does: a fuzzer or a
page talking to the API meets nothing that is not the API, and the status, which holds the stack's credentials
(the merchant key, the webhook's Basic password, the gateway's secret key), is not one path away from every
shopper's browser. The port is a free one, written to ``.local/stack.json`` (``control_url``, readable by this
user only) where ``vitrine-local status`` and ``fire`` find it; nothing needs typing, so no token is printed.
A request naming another host (a DNS-rebinding page in the developer's browser) is refused.
"""

import json
import logging
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from local_stack.loopback_http import JsonHandler, LoopbackServer, ServedOnLoopback

log = logging.getLogger("local_stack.controls")


class LocalControls(ServedOnLoopback):
    """The control server; ``status`` and ``fire_schedule`` are the CLI's callbacks into the running stack."""

    def __init__(
        self,
        status: Callable[[], dict[str, Any]],
        fire_schedule: Callable[..., dict[str, Any] | None],
        port: int = 0,
    ) -> None:
        self.status = status
        self.fire_schedule = fire_schedule
        self._server = LoopbackServer(port, _ControlHandler, self, "controls")
        self.port = self._server.port


class _ControlHandler(JsonHandler):
    logger = log
    server_version = "vitrine-local-controls"
    failure_message = "the local stack failed; see its log"
    not_found_message = "no such control"
    server: LoopbackServer

    def _dispatch_own_host(self) -> None:
        port = self.server.port
        if self.headers.get("Host", "").strip().lower() not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            self.close_connection = True
            self._send_json(403, {"message": f"the local stack's controls answer only at 127.0.0.1:{port}"})
            return
        self._dispatch()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch_own_host

    def _status(self, match: re.Match[str]) -> None:
        self._send_document(200, self.server.service.status())

    def _fire(self, match: re.Match[str]) -> None:
        from datetime import date

        from local_stack.scheduler import AheadOfToday

        self._read_body()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        try:
            as_of = date.fromisoformat(query["as_of"][0]) if "as_of" in query else None
        except ValueError:
            self._send_json(422, {"message": "as_of must be a date, aaaa-mm-dd"})
            return
        try:
            outcome = self.server.service.fire_schedule(match["name"], as_of)
        except AheadOfToday as ahead:
            self._send_json(409, {"message": str(ahead)})
            return
        if outcome is None:
            self._send_json(404, {"message": "no such schedule"})
            return
        self._send_document(502 if outcome.get("failed") else 200, outcome)

    def _send_document(self, status: int, document: Any) -> None:
        # What the stack reports holds paths and times as well as JSON: written as text, as in the state file.
        body = json.dumps(document, default=str, ensure_ascii=False).encode()
        self._send(status, body, "application/json; charset=utf-8", [("Cache-Control", "no-store")])


_ControlHandler.routes = [
    ("GET", re.compile(r"/_local/status"), _ControlHandler._status),
    ("POST", re.compile(r"/_local/schedules/(?P<name>[^/]+)"), _ControlHandler._fire),
]
