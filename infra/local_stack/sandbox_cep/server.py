"""The sandbox CEP lookup's HTTP face and state (the package's docstring says what it answers)."""

import logging
import re
import threading

from local_stack.loopback_http import JsonHandler, LoopbackServer, ServedOnLoopback
from local_stack.sandbox_cep.addresses import FAILING_CEP, SANDBOX_ADDRESSES

log = logging.getLogger("local_stack.sandbox_cep")

# ViaCEP's answer to a malformed CEP is an HTML page, not JSON.
BAD_REQUEST_PAGE = (
    b'<!DOCTYPE HTML>\n<html lang="pt-br">\n<head>\n<title>ViaCEP 400</title>\n<meta charset="utf-8">\n</head>\n'
    b"<body>\n<h1>Erro 400</h1>\n<h2>Ops!</h2>\n<h3>Verifique a sua URL (Bad Request)</h3>\n</body>\n</html>\n"
)


class SandboxCep(ServedOnLoopback):
    """The sandbox in a thread of this process: ``start()``, ``stop()``, ``environment()`` for the functions."""

    def __init__(self, port: int = 0) -> None:
        self._server = LoopbackServer(port, CepHandler, self, "sandbox-cep")
        self._lock = threading.Lock()
        self.asked: list[str] = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/ws"

    def environment(self) -> dict[str, str]:
        """What a function needs to look CEPs up here (see ``vitrine.cep_lookup``)."""
        return {"CEP_LOOKUP_BASE_URL": self.api_url}

    def start(self) -> None:
        super().start()
        log.info("sandbox CEP lookup up at %s", self.api_url)

    def record(self, cep: str) -> None:
        with self._lock:
            self.asked.append(cep)

    def settings(self) -> dict[str, object]:
        """Where it is and what it knows: the stack's settings (``.local/stack.json``) hold it."""
        return {
            "url": self.api_url,
            "status_url": f"{self.url}/sandbox/status",
            "ceps": sorted(SANDBOX_ADDRESSES),
            "failing_cep": FAILING_CEP,
        }

    def status(self) -> dict[str, object]:
        with self._lock:
            return {**self.settings(), "asked": list(self.asked)}


class CepHandler(JsonHandler):
    logger = log
    server_version = "vitrine-sandbox-cep"
    failure_message = "the sandbox CEP lookup failed; see the stack's log"
    server: LoopbackServer

    do_GET = JsonHandler._dispatch

    def _lookup(self, match: re.Match[str]) -> None:
        sandbox: SandboxCep = self.server.service
        cep = match["cep"]
        sandbox.record(cep)
        if not re.fullmatch(r"[0-9]{5}-?[0-9]{3}", cep):
            self._send(400, BAD_REQUEST_PAGE, "text/html; charset=utf-8")
        elif cep.replace("-", "") == FAILING_CEP:
            self._send(500, b"<h1>Erro 500</h1>", "text/html; charset=utf-8")
        else:
            self._send_json(200, SANDBOX_ADDRESSES.get(cep.replace("-", ""), {"erro": "true"}))

    def _status(self, match: re.Match[str]) -> None:
        self._send_json(200, self.server.service.status())


CepHandler.routes = [
    ("GET", re.compile(r"/ws/(?P<cep>[^/]*)/json/?"), CepHandler._lookup),
    ("GET", re.compile(r"/sandbox/status"), CepHandler._status),
]
