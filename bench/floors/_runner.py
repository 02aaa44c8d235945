"""The child process of ``bench/cold_start.py``: one timed cold start, of a Vitrine handler or of a floor.

``python bench/floors/_runner.py TASK_ROOT HANDLER REQUEST_FILE RESULT_FILE T0_NS [--count-calls]`` puts
``TASK_ROOT`` first on ``sys.path``, imports ``HANDLER`` as the local stack's runtime does
(``local_stack.runtime.load_handler``), serves ``REQUEST_FILE``'s event once with a Lambda context and writes
the timings and the response as JSON to ``RESULT_FILE`` (stdout stays the function's log, as in Lambda).
``T0_NS`` is the parent's ``CLOCK_MONOTONIC`` just before it spawned this process, so ``total_ms`` is
interpreter start + imports + init + first invocation, and nothing after the handler returned. Phases:
``start_ms`` (interpreter, this runner and ``local_stack.runtime``: the same for every variant), ``init_ms``
(importing the handler module), ``invoke_ms`` (the first invocation, lazily created clients included);
``cpu_ms`` is the process's CPU time (user + system) up to the handler's return: close to ``total_ms`` when
the child is CPU-bound, the gap is waiting (on the emulator, or for a core). ``--count-calls`` (untimed runs
only) also records every AWS API call the handler made, so the parent can check that a floor makes the same
calls as the function; ``--profile FILE`` (untimed runs only) writes a cProfile of the import and the first
invocation to FILE. A floor (``bench/floors/<function>.py``) finds the SDK it is to run on in its
environment (``BENCH_FLOOR_SDK``, set by the parent).
"""

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    task_root, handler_name, request_file, result_file, t0, *flags = argv
    # The runner's own directory is sys.path[0]; the task root takes its place, as in Lambda.
    sys.path[0] = task_root
    calls = _count_calls() if "--count-calls" in flags else None
    with open(request_file, encoding="utf-8") as file:
        request = json.load(file)
    from pathlib import Path

    from local_stack.lambda_context import LambdaContext
    from local_stack.runtime import load_handler

    profile = _profiler(flags)
    started = time.monotonic_ns()
    handler = load_handler(handler_name, Path(task_root))
    loaded = time.monotonic_ns()
    context = LambdaContext.for_invocation(
        {
            "request_id": os.urandom(16).hex(),
            "invoked_function_arn": request["invoked_function_arn"],
            "deadline_ms": int(time.time() * 1000) + request["timeout_ms"],
        }
    )
    response = handler(request["event"], context)
    done = time.monotonic_ns()
    cpu = time.process_time_ns()
    if profile is not None:
        profile.disable()
        profile.dump_stats(flags[flags.index("--profile") + 1])
    result = {
        "start_ms": (started - int(t0)) / 1e6,
        "init_ms": (loaded - started) / 1e6,
        "invoke_ms": (done - loaded) / 1e6,
        "total_ms": (done - int(t0)) / 1e6,
        "cpu_ms": cpu / 1e6,
        "response": response,
    }
    if calls is not None:
        result["calls"] = calls
    with open(result_file, "w", encoding="utf-8") as file:
        json.dump(result, file, default=str)
    return 0


def _profiler(flags: list[str]):
    """``--profile FILE``: a cProfile of the handler's import and first invocation, written to FILE (pstats).
    Only for untimed runs: the profiler slows every call it sees."""
    if "--profile" not in flags:
        return None
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    return profile


def _count_calls() -> list[str]:
    """Record every AWS API call (``service:Operation``) this process makes. Only for untimed runs: it imports
    botocore before the handler does."""
    from botocore.endpoint import Endpoint

    calls: list[str] = []
    make_request = Endpoint.make_request

    def counted(self, operation_model, request_dict):
        calls.append(f"{operation_model.service_model.service_name}:{operation_model.name}")
        return make_request(self, operation_model, request_dict)

    Endpoint.make_request = counted
    return calls


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
