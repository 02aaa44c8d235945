"""The inside of one local execution environment: what the Lambda Python runtime does, minus the sandbox.

Started by ``local_stack.workers`` as ``python -m local_stack.runtime --requests-fd R --responses-fd W`` in
the function's code directory with the function's environment. It imports the handler once (the init phase),
then serves one invocation at a time: a JSON line in on ``R``, a JSON line out on ``W``. stdout and stderr
stay the function's log, as in Lambda (Powertools writes its JSON logs there), so they never carry the
protocol.
"""

import argparse
import decimal
import importlib.util
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

from local_stack.lambda_context import LambdaContext


def error_payload(exc: BaseException, error_type: str | None = None, request_id: str = "") -> dict[str, Any]:
    """An error in the shape Lambda returns for an unhandled exception."""
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)),
    }


class HandlerLoadError(Exception):
    """The handler could not be loaded; ``error_type`` is what the Lambda runtime calls it."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def load_handler(handler: str, task_root: Path) -> Any:
    """Import the handler module from the task root and return its function (Lambda's init phase).

    Raises ``HandlerLoadError`` with the error type the Lambda runtime reports.
    """
    module_path, _, function_name = handler.rpartition(".")
    if not module_path or not function_name:
        raise HandlerLoadError("Runtime.MalformedHandlerName", f"Bad handler '{handler}': not enough values")
    module_name = module_path.replace("/", ".")
    file = task_root / (module_path.replace(".", "/") + ".py")
    try:
        module = _import_by_path(module_name, file)
    except ImportError as exc:
        raise HandlerLoadError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}") from exc
    function = getattr(module, function_name, None)
    if function is None:
        raise HandlerLoadError(
            "Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'"
        )
    return function


def _import_by_path(module_name: str, file: Path) -> ModuleType:
    if not file.is_file():
        raise ModuleNotFoundError(f"No module named '{module_name}'")
    spec = importlib.util.spec_from_file_location(module_name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _json_default(value: Any) -> Any:
    # The Lambda runtime's marshaller accepts Decimal (what DynamoDB returns) and nothing else extra.
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def invoke(function: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Run one invocation; the outcome as the parent's protocol carries it."""
    request_id = request["request_id"]
    try:
        result = function(request["event"], LambdaContext.for_invocation(request))
    except Exception as exc:  # noqa: BLE001 - any exception is the invocation's error result, as in Lambda
        # What the Lambda runtime logs for an unhandled exception, then returns to the caller.
        print(f"[ERROR] {type(exc).__name__}: {exc}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return {"error": error_payload(exc, request_id=request_id)}
    try:
        return {"result": json.loads(json.dumps(result, default=_json_default))}
    except (TypeError, ValueError) as exc:
        return {"error": error_payload(exc, "Runtime.MarshalError", request_id)}


def serve(requests: BinaryIO, responses: BinaryIO, handler: str, task_root: Path) -> int:
    started = time.monotonic()
    try:
        function = load_handler(handler, task_root)
    except HandlerLoadError as exc:
        _send(responses, {"init_error": {"errorMessage": str(exc), "errorType": exc.error_type}})
        return 1
    except Exception as exc:  # noqa: BLE001 - reported to the caller as the init error, as in Lambda
        # A module-level error: Lambda reports it on the first invocation and tries init again next time.
        traceback.print_exc(file=sys.stderr)
        _send(responses, {"init_error": error_payload(exc)})
        return 1
    _send(responses, {"ready": True, "init_ms": round((time.monotonic() - started) * 1000, 1)})
    for line in requests:
        _send(responses, invoke(function, json.loads(line)))
    # The parent closed our request pipe (stopped, or gone): the environment shuts down.
    return 0


def _send(responses: BinaryIO, message: dict[str, Any]) -> None:
    responses.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
    responses.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_stack.runtime")
    parser.add_argument("--requests-fd", type=int, required=True)
    parser.add_argument("--responses-fd", type=int, required=True)
    args = parser.parse_args(argv)
    # Ctrl-C reaches the whole terminal group; the local stack stops its workers itself, in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    task_root = Path(os.environ["LAMBDA_TASK_ROOT"])
    if str(task_root) not in sys.path:
        sys.path.insert(0, str(task_root))
    with os.fdopen(args.requests_fd, "rb") as requests, os.fdopen(args.responses_fd, "wb") as responses:
        return serve(requests, responses, os.environ["_HANDLER"], task_root)


if __name__ == "__main__":
    sys.exit(main())
