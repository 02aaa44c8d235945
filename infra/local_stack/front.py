"""The HTTP front: what API Gateway (HTTP API, payload 2.0) does for the template's routes, on 127.0.0.1.

Each request is matched to a route (``local_stack.routes``), turned into the Lambda event
(``local_stack.http_api_payload``), run by the route's function in one of its workers, and the result is
turned back into the HTTP response API Gateway would send. A function error answers 500, a timeout 503,
an unmatched route 404, a body over 10 MB 413, a request to an ``AWS_IAM`` route that is not SigV4-signed 403, all
with API Gateway's JSON messages. Any method reaches the
route table, so one no route declares (``TRACE``, ``PROPFIND``, ``DELETE /health``) is API Gateway's
``404 {"message":"Not Found"}``, not http.server's 501 page; http.server's own refusals (a malformed request
line, a header too long) answer JSON too.

The front serves the API and nothing else: the local stack's controls are on a port of their own
(``local_stack.controls``), so ``/_local/...`` here is a 404 like any other path no route declares.
"""

import http.server
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from local_stack.http_api_payload import (
    MAX_REQUEST_BYTES,
    HttpRequest,
    HttpResponse,
    MalformedResponse,
    build_event,
    forbidden,
    http_response,
    iam_authorizer,
    internal_server_error,
    json_message,
    new_request_id,
    not_found,
    payload_too_large,
    service_unavailable,
)
from local_stack.loopback_http import LoopbackServer, ServedOnLoopback
from local_stack.routes import RouteTable
from local_stack.workers import Workers

log = logging.getLogger("local_stack.front")

# Hop-by-hop and framing headers are the front's business, whatever the function set.
_DRAIN_LIMIT_BYTES = 4 * MAX_REQUEST_BYTES
_FRAMING_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive"}


class Front(ServedOnLoopback):
    def __init__(
        self,
        routes: RouteTable,
        workers: Workers,
        account_id: str,
        port: int = 3000,
        api_id: str = "local",
    ) -> None:
        self.routes = routes
        self.workers = workers
        self.account_id = account_id
        self.api_id = api_id
        self._server = _Server(port, _Handler, self, "front")
        self.port = self._server.port

    def respond(self, request: HttpRequest) -> tuple[HttpResponse, str]:
        """The response to ``request``, and what served it (a function's logical id, or why not)."""
        request_id = new_request_id()
        path = request.target.partition("?")[0]
        if len(request.body) > MAX_REQUEST_BYTES:
            return payload_too_large(request_id), "-"
        match = self.routes.match(request.method, path)
        if match is None:
            return not_found(request_id), "-"
        route = match.route
        authorizer = None
        if route.iam:
            authorizer = iam_authorizer(request, self.account_id)
            if authorizer is None:
                return forbidden(request_id), "-"
        event = build_event(
            request,
            route.route_key,
            match.path_parameters,
            request_id,
            self.account_id,
            self.api_id,
            authorizer=authorizer,
        )
        invocation = self.workers.invoke(route.function, event)
        if invocation.timed_out:
            log.warning("%s %s: %s", request.method, path, invocation.payload.get("errorMessage"))
            return service_unavailable(request_id), route.function
        if invocation.failed:
            payload = invocation.payload or {}
            log.warning(
                "%s %s: %s failed: %s: %s",
                request.method,
                path,
                route.function,
                payload.get("errorType"),
                payload.get("errorMessage"),
            )
            return internal_server_error(request_id), route.function
        try:
            return http_response(invocation.payload, request_id), route.function
        except MalformedResponse as exc:
            log.warning("%s %s: %s returned a malformed response: %s", request.method, path, route.function, exc)
            return internal_server_error(request_id), route.function


class _Server(LoopbackServer):
    request_queue_size = 128
    service: Front


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, a keep-alive client waits ~40 ms for the second.
    disable_nagle_algorithm = True
    server: _Server

    def version_string(self) -> str:
        return "vitrine-local"

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server looks up do_<METHOD>: every method goes to the route table, as API Gateway takes any method.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's refusals of what it cannot parse, in the front's JSON instead of its HTML page.
        self.close_connection = True
        self._write(json_message(code, message or HTTPStatus(code).phrase, new_request_id()))

    def _serve(self) -> None:
        started = time.monotonic()
        front = self.server.service
        body = self._read_body()
        if body is None:
            response, served_by = payload_too_large(new_request_id()), "-"
            self.close_connection = True
        else:
            request = HttpRequest(
                method=self.command,
                target=self.path,
                headers=list(self.headers.items()),
                body=body,
                source_ip=self.client_address[0],
                protocol=self.request_version,
                port=front.port,
            )
            response, served_by = front.respond(request)
        self._write(response)
        log.info(
            "%s %s %d %.1fms %s",
            self.command,
            self.path,
            response.status,
            (time.monotonic() - started) * 1000,
            served_by,
        )

    def _read_body(self) -> bytes | None:
        """The request body, or None when it is over API Gateway's limit (it is then left unread)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self._discard(length)
            return None
        return self.rfile.read(length) if length else b""

    def _discard(self, length: int) -> None:
        # Reading what the client sends lets it see the 413 instead of a reset; a huge upload is cut off.
        if length > _DRAIN_LIMIT_BYTES:
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                return
            length -= len(chunk)

    def _read_chunked(self) -> bytes | None:
        body = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():
                    continue
                return bytes(body)
            if len(body) + size > MAX_REQUEST_BYTES:
                return None
            body.extend(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: HttpResponse) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                if name.lower() not in _FRAMING_HEADERS:
                    self.send_header(name, value)
            # A 304 is bodiless and its Content-Length would be the held version's (RFC 9110 8.6), so none; a 204
            # is bodiless and may have none at all.
            if response.status not in (204, 304):
                self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and response.status not in (204, 304):
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        # Access lines come from _serve, with timing and the function that answered.
        return
