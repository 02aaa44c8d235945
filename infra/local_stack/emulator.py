"""The AWS emulator: a moto server in a child process on 127.0.0.1.

``start_emulator()`` returns once the server answers; ``Emulator.stop()`` ends it. The child watches its
parent and exits when the parent is gone, so a killed ``make dev`` or test run leaves no server behind.
Run as ``python -m local_stack.emulator --port N`` it is that child.
"""

import argparse
import contextlib
import functools
import logging
import os
import runpy
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
REGION = "us-east-1"
START_TIMEOUT_SECONDS = 20.0
# moto accepts any credentials; fixed dummy ones keep a developer's real AWS credentials out of every call.
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
_BIND_ATTEMPTS = 3


class EmulatorError(RuntimeError):
    pass


@dataclass
class Emulator:
    url: str
    process: subprocess.Popen
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the server and wait for it; kill it if it does not exit in ``timeout`` seconds."""
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def client(self, service: str) -> Any:
        return client(self.url, service)

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


_clients_lock = threading.Lock()


@functools.cache
def _cached_client(url: str, service: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 3}, read_timeout=70)
    return boto3.session.Session().client(service, endpoint_url=url, region_name=REGION, config=config, **CREDENTIALS)


def client(url: str, service: str) -> Any:
    """A boto3 client for ``service`` on the emulator at ``url`` (cached; boto3 clients are thread-safe)."""
    # Creating sessions and clients is not thread-safe in boto3, using them is.
    with _clients_lock:
        return _cached_client(url, service)


def free_port() -> int:
    """A port nobody listens on right now (the caller may still lose a race for it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_emulator(port: int | None = None, log_path: Path | None = None) -> Emulator:
    """Start a moto server and wait until it answers. ``port=None`` picks a free one."""
    if log_path is None:
        log_path = Path(tempfile.mkstemp(prefix="vitrine-emulator-", suffix=".log")[1])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_bytes(b"")
    last_error: EmulatorError | None = None
    for _ in range(_BIND_ATTEMPTS if port is None else 1):
        try:
            return _start_once(port or free_port(), log_path)
        except EmulatorError as exc:
            # A port chosen by free_port() can be taken before moto binds it; try another.
            last_error = exc
    assert last_error is not None
    raise last_error


def _start_once(port: int, log_path: Path) -> Emulator:
    url = f"http://{HOST}:{port}"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "local_stack.emulator", "--port", str(port), "--parent", str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: Ctrl-C reaches only the CLI, which stops the emulator last, after
            # the pollers and workers that still talk to it.
            process_group=0,
        )
    emulator = Emulator(url=url, process=process, log_path=log_path)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(f"moto server exited with {process.returncode}; see {log_path}")
        if _answers(url):
            return emulator
        time.sleep(0.05)
    emulator.stop()
    raise EmulatorError(f"moto server did not answer on {url} within {START_TIMEOUT_SECONDS} s; see {log_path}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1):  # noqa: S310 - our own http URL
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(0)


def serialize_dynamodb(app: Any) -> Any:
    """Serve DynamoDB requests one at a time; everything else (SQS long polls above all) concurrently.

    DynamoDB serialises conflicting writes and runs each transaction atomically. moto's server does neither
    across threads: a ``TransactWriteItems`` deep-copies the table while other requests change it (a 500),
    and two transactions can both pass their conditions. One lock for the DynamoDB API restores what the
    real service guarantees, so the local stack cannot oversell where AWS would not.
    """
    lock = threading.Lock()

    def dispatch(environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return app(environ, start_response)
        with lock:
            # The body is produced inside the lock too: moto may build it lazily.
            return list(app(environ, start_response))

    return dispatch


def _preload_cloudformation() -> None:
    import moto.cloudformation.parsing  # noqa: F401


def _serve(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local_stack.emulator")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent", type=int, help="exit when this process is gone")
    args = parser.parse_args(argv)
    if args.parent:
        threading.Thread(target=_exit_when_orphaned, args=(args.parent,), daemon=True).start()
    # moto loads its CloudFormation backends (every service) on the first CreateStack, about a second;
    # loading them now overlaps that with the SAM transform the deployer runs meanwhile.
    threading.Thread(target=_preload_cloudformation, daemon=True).start()
    # One log line per request (pollers long-poll all day) would bury the errors that matter.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    os.environ.setdefault("MOTO_PORT", str(args.port))
    # A test run may make moto cheaper without changing its answers (tests/fast_moto.py): the file named here has
    # an ``install()``, called before the server starts. Unset (make dev), moto runs as it is.
    if shortcuts := os.environ.get("LOCAL_STACK_EMULATOR_SHORTCUTS"):
        runpy.run_path(shortcuts)["install"]()
    app = serialize_dynamodb(DomainDispatcherApplication(create_backend_app))
    with contextlib.suppress(KeyboardInterrupt):
        run_simple(HOST, args.port, app, threaded=True)


if __name__ == "__main__":
    _serve()
