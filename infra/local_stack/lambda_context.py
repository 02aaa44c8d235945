"""The context object the Lambda Python runtime passes to a handler, for every place that calls one outside Lambda.

One class for the local runtime (``local_stack.runtime``, each invocation's context from the function's
environment and the request's deadline), the integration tests (``tests/integration/lambda_harness.py``) and the
benches, which call handlers in-process with a context whose clock never runs out (``remaining_ms``). Stdlib only
and nothing done at import: the runtime imports it before the handler, inside every measured cold start.
"""

import os
import time
from typing import Any

DEFAULT_FUNCTION_ARN_PREFIX = "arn:aws:lambda:us-east-1:123456789012:function:"


class LambdaContext:
    """``function_name``, ``function_version``, ``invoked_function_arn``, ``memory_limit_in_mb``,
    ``aws_request_id``, ``log_group_name``, ``log_stream_name``, ``identity``, ``client_context`` and
    ``get_remaining_time_in_millis()``, as the runtime's context has them.

    With a ``deadline_ms`` (epoch milliseconds) the remaining time counts down to it, as in Lambda; without one it
    is always ``remaining_ms``. The ARN and log group default to the function's name; the request id to a fresh
    UUID."""

    identity = None
    client_context = None

    def __init__(
        self,
        *,
        function_name: str = "test",
        memory_limit_in_mb: int = 512,
        invoked_function_arn: str | None = None,
        aws_request_id: str | None = None,
        function_version: str = "$LATEST",
        log_group_name: str | None = None,
        log_stream_name: str = "test",
        deadline_ms: int | None = None,
        remaining_ms: int = 10_000,
    ) -> None:
        self.function_name = function_name
        self.function_version = function_version
        self.invoked_function_arn = invoked_function_arn or DEFAULT_FUNCTION_ARN_PREFIX + function_name
        self.memory_limit_in_mb = memory_limit_in_mb
        self.aws_request_id = aws_request_id or _new_request_id()
        self.log_group_name = f"/aws/lambda/{function_name}" if log_group_name is None else log_group_name
        self.log_stream_name = log_stream_name
        self._deadline_ms = deadline_ms
        self._remaining_ms = remaining_ms

    @classmethod
    def for_invocation(cls, request: dict[str, Any]) -> "LambdaContext":
        """The context of one invocation in a local execution environment: the names from the function's
        environment (as Lambda sets it), the id, ARN and deadline from the invocation ``request``."""
        return cls(
            function_name=os.environ["AWS_LAMBDA_FUNCTION_NAME"],
            function_version=os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
            invoked_function_arn=request["invoked_function_arn"],
            memory_limit_in_mb=int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")),
            aws_request_id=request["request_id"],
            log_group_name=os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", ""),
            log_stream_name=os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", ""),
            deadline_ms=int(request["deadline_ms"]),
        )

    def get_remaining_time_in_millis(self) -> int:
        if self._deadline_ms is None:
            return self._remaining_ms
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _new_request_id() -> str:
    # Imported here: the runtime always passes the request's id, so its cold start never pays for uuid.
    import uuid

    return str(uuid.uuid4())
