"""The HTTP plumbing the local stack's servers share: a server on 127.0.0.1 in a thread of its own, bounded JSON
bodies in, JSON or bytes out, and a sandbox run alone until Ctrl-C.

Each sandbox (``sandbox_gateway``, ``sandbox_erp``) subclasses ``JsonHandler`` with its own routes, body limit and
the wording of its two refusals (the gateway answers as pagar.me does) and the logger its requests go to; they and
the front (``front.py``) serve from a ``LoopbackServer``.
"""

import http.server
import json
import logging
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Protocol


class LoopbackServer(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 (``port`` 0: a free one), serving from a daemon thread named ``name`` once
    started; its handler answers for ``service`` (``self.server.service``)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, handler: type[http.server.BaseHTTPRequestHandler], service: Any, name: str) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self.service = service
        self.port: int = self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, name=name, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.ident is not None:  # shutdown() waits for a serve_forever that never ran otherwise
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()


class ServedOnLoopback:
    """A part of the local stack answering on its own ``LoopbackServer`` (``self._server``): its URL, start, stop."""

    _server: LoopbackServer

    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()


class StandaloneService(Protocol):
    def environment(self) -> dict[str, str]: ...

    def stop(self) -> None: ...


def serve_until_interrupted(service: StandaloneService) -> int:
    """A sandbox started alone (``python -m``): print the environment that points at it, serve until Ctrl-C."""
    print(json.dumps(service.environment(), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        service.stop()
    return 0


# A route: the method, the whole path's pattern, and the handler's method that answers it with the path's match.
Route = tuple[str, re.Pattern[str], Callable[[Any, re.Match[str]], None]]

# What ``read_json`` returns when it has already answered the request (413 or 400).
UNREADABLE = object()


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """Answers each request by the first of ``routes`` that matches it (a subclass points its ``do_<METHOD>`` at
    ``_dispatch``): 405 when only another method's route matches, 404 when none does, 500 when the route fails."""

    protocol_version = "HTTP/1.1"
    server_version = "vitrine-sandbox"
    max_body_bytes = 64 * 1024
    too_large_message = "the request body is too large"
    not_json_message = "the request body is not valid JSON"
    failure_message = "the sandbox failed"
    method_not_allowed_message = "{method} is not allowed here"
    not_found_message = "no such route"
    logger = logging.getLogger(__name__)
    routes: ClassVar[Sequence[Route]] = ()

    def version_string(self) -> str:
        return self.server_version

    def _dispatch(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        for method, pattern, handle in self.routes:
            match = pattern.fullmatch(path)
            if match and method == self.command:
                try:
                    handle(self, match)
                except Exception as exc:  # a refusal is answered; anything else is logged in full and is a 500
                    refusal = self._refusal(exc)
                    if refusal is None:
                        self.logger.exception("%s %s failed", self.command, self.path)
                        self.close_connection = True
                        refusal = 500, {"message": self.failure_message}
                    self._send_json(*refusal)
                return
        if any(pattern.fullmatch(path) for _, pattern, _ in self.routes):
            self._send_json(405, {"message": self.method_not_allowed_message.format(method=self.command)})
            return
        self._send_json(404, {"message": self.not_found_message})

    def _refusal(self, exc: Exception) -> tuple[int, dict[str, Any]] | None:
        """The answer for an exception a route raises on purpose, or None for a failure (a 500)."""
        return None

    def _read_body(self) -> bytes | None:
        """The body, or ``None`` (and the connection closed after the answer) when it is over the limit."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.max_body_bytes:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _read_json(self, headers: list[tuple[str, str]] | None = None) -> Any:
        """The body parsed (``None`` when empty), or ``UNREADABLE`` once a 413 or 400 was sent with ``headers``."""
        raw = self._read_body()
        if raw is None:
            self._send_json(413, {"message": self.too_large_message}, headers)
            return UNREADABLE
        try:
            return json.loads(raw or b"null")
        except ValueError:
            self._send_json(400, {"message": self.not_json_message}, headers)
            return UNREADABLE

    def _send_json(self, status: int, document: Any, headers: list[tuple[str, str]] | None = None) -> None:
        body = json.dumps(document, ensure_ascii=False).encode()
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: list[tuple[str, str]] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers or []:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        self.logger.debug("%s %s", self.address_string(), format % args)
