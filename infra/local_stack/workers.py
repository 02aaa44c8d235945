"""Local execution environments: per function, a pool of worker processes that run its handler.

Like Lambda, a worker runs one invocation at a time (handlers are not thread-safe: Powertools resolvers keep
the current event on a module global), is started on demand when every warm one is busy, up to
``max_workers`` per function, and is reused while warm. A worker that overruns the function's Timeout is
killed and the invocation reports ``Task timed out``; one that crashes reports ``Runtime.ExitError``.

Local differences from Lambda, on purpose: over the concurrency limit an invocation waits for a free worker
instead of being throttled; MemorySize is reported to the handler but not enforced; a worker whose code
changed on disk (the function's directory or its layers) is replaced before its next invocation, so edits
show up without restarting ``make dev``.
"""

import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local_stack.deploy import DeployedFunction

log = logging.getLogger("local_stack.workers")

DEFAULT_MAX_WORKERS = 8
# Lambda gives the init phase 10 s of its own before an invocation's timeout starts counting.
INIT_TIMEOUT_SECONDS = 10.0
_CODE_CHECK_INTERVAL_SECONDS = 1.0
# What a worker inherits from the local stack's own environment; everything else comes from the template.
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR")


@dataclass(frozen=True)
class Invocation:
    """The outcome of one invocation. ``function_error`` is Lambda's ``X-Amz-Function-Error`` (None if ok)."""

    request_id: str
    payload: Any
    function_error: str | None = None
    timed_out: bool = False
    duration_ms: float = 0.0
    init_ms: float | None = None

    @property
    def failed(self) -> bool:
        return self.function_error is not None


class _WorkerGone(Exception):
    """The worker process ended or stopped answering; the payload says how, in Lambda's words."""

    def __init__(self, payload: dict[str, Any], timed_out: bool = False) -> None:
        super().__init__(payload.get("errorMessage", ""))
        self.payload = payload
        self.timed_out = timed_out


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    requests: Any
    responses_fd: int
    code_version: float
    init_ms: float | None = None
    invocations: int = 0
    _buffer: bytearray = field(default_factory=bytearray)
    _closed: bool = False

    def send(self, message: bytes) -> None:
        self.requests.write(message)
        self.requests.flush()

    def receive(self, deadline: float) -> bytes | None:
        """One response line, or None when ``deadline`` (monotonic) passes first. Raises EOFError."""
        poller = select.poll()
        poller.register(self.responses_fd, select.POLLIN)
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                return None
            chunk = os.read(self.responses_fd, 1 << 20)
            if not chunk:
                raise EOFError
            self._buffer.extend(chunk)
        line, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer = bytearray(rest)
        return line

    def stop(self, timeout: float = 2.0) -> None:
        # Closing the request pipe is the runtime's cue to exit; kill it if it does not.
        self._close_pipes()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        # Once only: a second os.close could hit a descriptor number reused by another thread meanwhile.
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            self.requests.close()
        with contextlib.suppress(OSError):
            os.close(self.responses_fd)


class FunctionPool:
    """The execution environments of one function."""

    def __init__(self, function: DeployedFunction, max_workers: int = DEFAULT_MAX_WORKERS) -> None:
        self.function = function
        self.max_workers = max_workers
        self._idle: list[_Worker] = []
        self._in_use: set[_Worker] = set()
        self._live = 0
        self._busy = 0
        self._stopped = False
        self._condition = threading.Condition()
        self._watched = (function.spec.code_dir, *function.spec.layer_dirs)
        self._code_version = _code_version(self._watched)
        self._code_checked = time.monotonic()
        self.invocations = 0
        self.errors = 0
        self.cold_starts = 0

    @property
    def timeout(self) -> float:
        return float(self.function.spec.timeout)

    def invoke(self, event: Any, request_id: str | None = None) -> Invocation:
        """Run the handler on ``event`` in a free worker, starting one if none is warm."""
        request_id = request_id or str(uuid.uuid4())
        started = time.monotonic()
        try:
            worker = self._acquire()
        except _WorkerGone as exc:
            self._count(failed=True)
            return Invocation(request_id, exc.payload, "Unhandled", exc.timed_out, _ms_since(started))
        cold_init = worker.init_ms if worker.invocations == 0 else None
        try:
            outcome = self._run(worker, event, request_id)
        except _WorkerGone as exc:
            self._discard(worker, kill=True)
            self._count(failed=True)
            return Invocation(request_id, exc.payload, "Unhandled", exc.timed_out, _ms_since(started), cold_init)
        self._release(worker)
        failed = "error" in outcome
        self._count(failed=failed)
        payload = outcome["error"] if failed else outcome.get("result")
        return Invocation(request_id, payload, "Unhandled" if failed else None, False, _ms_since(started), cold_init)

    def _run(self, worker: _Worker, event: Any, request_id: str) -> dict[str, Any]:
        deadline_epoch_ms = int(time.time() * 1000 + self.timeout * 1000)
        request = {
            "request_id": request_id,
            "event": event,
            "deadline_ms": deadline_epoch_ms,
            "invoked_function_arn": self.function.arn,
        }
        worker.invocations += 1
        try:
            worker.send(_json_line(request))
            line = worker.receive(time.monotonic() + self.timeout)
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise _WorkerGone(_exit_error(request_id, worker)) from exc
        if line is None:
            raise _WorkerGone(
                {
                    "errorType": "Sandbox.Timedout",
                    "errorMessage": f"RequestId: {request_id} Error: Task timed out after {self.timeout:.2f} seconds",
                },
                timed_out=True,
            )
        return _json_loads(line)

    def _acquire(self) -> _Worker:
        with self._condition:
            self._retire_stale_workers()
            while True:
                if self._stopped:
                    raise _WorkerGone({"errorType": "Runtime.Stopped", "errorMessage": "the local stack is stopping"})
                if self._idle:
                    worker = self._idle.pop()
                    self._busy += 1
                    self._in_use.add(worker)
                    return worker
                if self._live < self.max_workers:
                    self._live += 1
                    self._busy += 1
                    break
                self._condition.wait()
        try:
            worker = self._start_worker()
        except _WorkerGone:
            with self._condition:
                self._live -= 1
                self._busy -= 1
                self._condition.notify_all()
            raise
        with self._condition:
            self.cold_starts += 1
            stopped = self._stopped
            if stopped:
                self._live -= 1
                self._busy -= 1
            else:
                self._in_use.add(worker)
        if stopped:
            worker.kill()
            raise _WorkerGone({"errorType": "Runtime.Stopped", "errorMessage": "the local stack is stopping"})
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            self._busy -= 1
            self._in_use.discard(worker)
            if self._stopped or worker.code_version != self._code_version:
                self._live -= 1
                retired = worker
            else:
                self._idle.append(worker)
                retired = None
            self._condition.notify_all()
        if retired is not None:
            retired.stop()

    def _discard(self, worker: _Worker, kill: bool) -> None:
        if kill:
            worker.kill()
        else:
            worker.stop()
        with self._condition:
            self._busy -= 1
            self._live -= 1
            self._in_use.discard(worker)
            self._condition.notify_all()

    def _count(self, failed: bool) -> None:
        with self._condition:
            self.invocations += 1
            self.errors += int(failed)

    def _retire_stale_workers(self) -> None:
        """Called with the lock held: forget idle workers whose code changed on disk since they started."""
        now = time.monotonic()
        if now - self._code_checked < _CODE_CHECK_INTERVAL_SECONDS:
            return
        self._code_checked = now
        version = _code_version(self._watched)
        if version == self._code_version:
            return
        log.info("%s: code changed on disk; new invocations get fresh workers", self.function.logical_id)
        self._code_version = version
        stale, self._idle = self._idle, []
        self._live -= len(stale)
        for worker in stale:
            threading.Thread(target=worker.stop, daemon=True).start()

    def _start_worker(self) -> _Worker:
        spec = self.function.spec
        requests_read, requests_write = os.pipe()
        responses_read, responses_write = os.pipe()
        environment = {name: os.environ[name] for name in _INHERITED if name in os.environ}
        environment.update(self.function.environment)
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        environment["PYTHONUNBUFFERED"] = "1"
        code_version = self._code_version
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "local_stack.runtime",
                *("--requests-fd", str(requests_read)),
                *("--responses-fd", str(responses_write)),
            ],
            cwd=spec.code_dir,
            env=environment,
            stdin=subprocess.DEVNULL,
            pass_fds=(requests_read, responses_write),
        )
        os.close(requests_read)
        os.close(responses_write)
        worker = _Worker(process, os.fdopen(requests_write, "wb"), responses_read, code_version)
        try:
            line = worker.receive(time.monotonic() + max(INIT_TIMEOUT_SECONDS, self.timeout))
        except (EOFError, OSError):
            line = b""
        message = _json_loads(line) if line else None
        if message is None or "init_error" in message:
            worker.kill()
            if message is None:
                raise _WorkerGone({"errorType": "Runtime.ExitError", "errorMessage": "Runtime failed to start"})
            raise _WorkerGone(message["init_error"])
        worker.init_ms = message.get("init_ms")
        return worker

    def status(self) -> dict[str, Any]:
        with self._condition:
            return {
                "name": self.function.name,
                "workers": self._live,
                "busy": self._busy,
                "max_workers": self.max_workers,
                "invocations": self.invocations,
                "errors": self.errors,
                "cold_starts": self.cold_starts,
            }

    def stop(self, grace: float = 2.0) -> None:
        """Stop every worker: idle ones now, busy ones after ``grace`` seconds to finish their invocation."""
        with self._condition:
            self._stopped = True
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._condition.notify_all()
        for worker in idle:
            worker.stop()
        with self._condition:
            self._condition.wait_for(lambda: not self._in_use, timeout=grace)
            still_running = list(self._in_use)
        for worker in still_running:
            # Only the process: its invoking thread sees the pipe close, reports the error and cleans up.
            worker.process.kill()


class Workers:
    """Every function's pool, by logical id."""

    def __init__(self, functions: dict[str, DeployedFunction], max_workers: int = DEFAULT_MAX_WORKERS) -> None:
        self.pools = {logical_id: FunctionPool(f, max_workers) for logical_id, f in functions.items()}

    def invoke(self, function: str, event: Any, request_id: str | None = None) -> Invocation:
        return self.pools[function].invoke(event, request_id)

    def status(self) -> dict[str, Any]:
        return {logical_id: pool.status() for logical_id, pool in self.pools.items()}

    def stop(self) -> None:
        # In parallel: each pool may give a busy worker a grace period.
        threads = [threading.Thread(target=pool.stop) for pool in self.pools.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _exit_error(request_id: str, worker: _Worker) -> dict[str, Any]:
    # The pipe closes a moment before the process can be reaped; its exit status is worth the wait.
    try:
        code = worker.process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        code = None
    status = f"exit status {code}" if code is not None else "no response"
    return {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: {status}",
    }


def _code_version(directories: tuple[Path, ...]) -> float:
    newest = 0.0
    for directory in directories:
        for root, dirs, files in os.walk(directory):
            dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".")]
            for name in files:
                if name.endswith(".py"):
                    try:
                        newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
                    except FileNotFoundError:
                        continue
    return newest


def _json_line(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def _json_loads(line: bytes) -> Any:
    return json.loads(line)


def _ms_since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
