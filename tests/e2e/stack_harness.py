"""The local stack as a subprocess, for end-to-end tests: start it, talk to it over HTTP, stop it cleanly.

``start_stack`` runs ``python -m local_stack.cli dev`` on a free port with its own state file, so it never
clashes with a developer's ``make dev``; its output goes to ``stack.log`` in the test's temporary directory
and is shown when startup fails.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polling import wait_until

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 60


@dataclass
class HttpResult:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RunningStack:
    process: subprocess.Popen
    url: str
    state_file: Path
    log_file: Path
    settings: dict[str, Any]

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> HttpResult:
        return fetch(f"{self.url}{path}", method, body, headers)

    def control(self, method: str, path: str) -> HttpResult:
        """A ``/_local/...`` control of the stack, on its own port (``control_url``), not the API's."""
        return fetch(f"{self.settings['control_url']}{path}", method, b"" if method == "POST" else None)

    def checkout(self, body: dict[str, Any]) -> HttpResult:
        """``POST /api/checkout`` with ``body`` under a fresh idempotency key, as the storefront sends it."""
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        return self.request("POST", "/api/checkout", json.dumps(body).encode(), headers)

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.settings["emulator_url"],
            region_name=self.settings["region"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "local_stack.cli", *args, "--state-file", str(self.state_file)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )

    def descendants(self) -> set[int]:
        return descendants(self.process.pid)

    def stop(self, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def fetch(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None) -> HttpResult:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a 127.0.0.1 test server
            return HttpResult(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.headers, error.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc, Linux)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces or parentheses; the fields after its last ")" do not.
            fields = stat.rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        found |= children
        frontier = children
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _healthy(stack: RunningStack) -> bool:
    if stack.process.poll() is not None:
        raise AssertionError(f"the local stack exited with {stack.process.returncode}")
    try:
        return stack.request("GET", "/health").status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_stack(directory: Path) -> Iterator[RunningStack]:
    """Run ``make dev``'s stack on a free port with its own state file; stop it and its children after."""
    state_file, log_file = directory / "stack.json", directory / "stack.log"
    port = free_port()
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    environment.pop("VITRINE_PORT", None)
    # The emulator's moto at a fraction of its cost, the same answers (tests/fast_moto.py; VITRINE_FAST_MOTO=off
    # runs it as ``make dev`` does).
    if os.environ.get("VITRINE_FAST_MOTO") != "off":
        environment["LOCAL_STACK_EMULATOR_SHORTCUTS"] = str(ROOT / "tests" / "fast_moto.py")
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "local_stack.cli",
                "dev",
                *("--port", str(port)),
                *("--state-file", str(state_file)),
                # Failed SQS messages come back after 1 s, so the DLQ test takes seconds.
                *("--retry-delay", "1"),
                # The sandbox ERP moves orders and stock only when a test asks (sync-now, counter-sale): a paid
                # order stays paid and a count stays put unless the test says otherwise.
                *("--erp-feed-poll-seconds", "0"),
                *("--erp-counter-sale-seconds", "0"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=environment,
        )
    stack = RunningStack(process, f"http://127.0.0.1:{port}", state_file, log_file, {})
    try:
        wait_until(lambda: _healthy(stack), STARTUP_TIMEOUT_SECONDS, message="GET /health answering 200")
        stack.settings = json.loads(state_file.read_text())
    except AssertionError as exc:
        stack.stop()
        raise AssertionError(f"the local stack did not start:\n{log_file.read_text()[-5000:]}") from exc
    yield stack
    leftovers = stack.descendants()
    stack.stop()
    for pid in leftovers:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
