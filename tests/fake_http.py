"""What the tests' fake HTTP servers (an ERP, a Vitrine) share: JSON answers and no request log on the console."""

import http.server
import json
from typing import Any


class JsonHandler(http.server.BaseHTTPRequestHandler):
    def _send(self, status: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        return
