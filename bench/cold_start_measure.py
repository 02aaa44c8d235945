"""The cold-start bench's measuring loop: each run a fresh ``python`` child (``bench/floors/_runner.py``) serving
one event, the variants alternated, every answer checked and every write read back, and the ``-X importtime``
profile of a function over the target."""

import json
import os
import subprocess
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cold_start_case import ROOT, VARIANTS, BenchError, Case, Run

FLOORS = ROOT / "bench" / "floors"
RUNNER = FLOORS / "_runner.py"
# The children run on what Lambda gives a function, not on the project's virtualenv (whose test tools bring, for
# one, ``cryptography``, which PyJWT imports when it is there and the layer does not ship): an interpreter with
# only the layer's pinned packages and the runtime's boto3 (``make .venv-lambda/.installed``), ``vitrine`` from
# the layer's source directory (``/opt/python`` in Lambda) and the runner's ``local_stack`` modules (stdlib only).
LAMBDA_PYTHON = ROOT / ".venv-lambda" / "bin" / "python"
CHILD_PATH = os.pathsep.join(str(ROOT / part) for part in ("layers/vitrine", "infra"))
# What a child inherits from this process; the rest is the function's environment.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
CHILD_TIMEOUT_SECONDS = 60
IMPORTTIME_TOP = 12


class Bench:
    def __init__(self, stack: Any, workdir: Path) -> None:
        if not LAMBDA_PYTHON.exists():
            raise BenchError(f"{LAMBDA_PYTHON.relative_to(ROOT)} is missing: make .venv-lambda/.installed")
        self.stack = stack
        self.workdir = workdir
        self.counter = 0

    def run(
        self,
        case: Case,
        variant: str,
        importtime: bool = False,
        count_calls: bool = False,
        profile: Path | None = None,
    ) -> tuple[dict[str, Any], Run]:
        """One cold start of ``variant`` serving a fresh event of ``case``; its timings and response."""
        function = self.stack.functions[case.function]
        # A floor is one handler per function; its environment names the SDK it runs on (bench/floors/_sdk.py).
        floor_sdk = {} if variant == "vitrine" else {"BENCH_FLOOR_SDK": variant}
        if variant == "vitrine":
            task_root, handler = Path(function.spec.code_dir), function.spec.handler
        else:
            task_root, handler = FLOORS, f"{case.floor}.handler"
        self.counter += 1
        run = case.make_run(self.counter)
        request_file = self.workdir / f"{self.counter}.request.json"
        result_file = self.workdir / f"{self.counter}.result.json"
        request = {"event": run.event, "invoked_function_arn": function.arn, "timeout_ms": function.spec.timeout * 1000}
        request_file.write_text(json.dumps(request))
        environment = {name: os.environ[name] for name in INHERITED if name in os.environ}
        environment.update(function.environment, **floor_sdk)
        environment.update(
            PYTHONPATH=CHILD_PATH,
            LAMBDA_TASK_ROOT=str(task_root),
            _HANDLER=handler,
            AWS_LAMBDA_LOG_STREAM_NAME=f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}",
            PYTHONUNBUFFERED="1",
        )
        argv = [str(LAMBDA_PYTHON), *(["-X", "importtime"] if importtime else []), str(RUNNER)]
        argv += [str(task_root), handler, str(request_file), str(result_file)]
        flags = (["--count-calls"] if count_calls else []) + (["--profile", str(profile)] if profile else [])
        started = time.monotonic_ns()
        try:
            child = subprocess.run(
                [*argv, str(started), *flags],
                cwd=task_root,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # the function's log (Powertools JSON lines)
                stderr=subprocess.PIPE,
                timeout=CHILD_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:  # subprocess.run has killed and reaped it
            raise BenchError(f"{case.function} ({variant}) did not finish in {CHILD_TIMEOUT_SECONDS} s") from exc
        stderr = child.stderr.decode(errors="replace")
        if child.returncode != 0 or not result_file.exists():
            tail = "\n".join(stderr.splitlines()[-30:])
            raise BenchError(f"{case.function} ({variant}) exited with {child.returncode}:\n{tail}")
        result = json.loads(result_file.read_text())
        problem = case.check(result["response"])
        if problem:
            raise BenchError(f"{case.function} ({variant}) did not succeed: {problem}")
        if importtime:
            result["importtime"] = stderr
        return result, run

    def verify(self, case: Case, runs: list[Run]) -> None:
        """Read back what each run wrote: proof that every run did its main path's writes."""
        ddb = self.stack.client("dynamodb")
        for run in runs:
            if run.written is None:
                continue
            pk, sk = run.written
            item = ddb.get_item(TableName=self.stack.table_name, Key={"PK": {"S": pk}, "SK": {"S": sk}}).get("Item")
            if item is None:
                raise BenchError(f"{case.function}: a run reported success but {pk} / {sk} is not in the table")
            if run.status and item.get("status", {}).get("S") != run.status:
                raise BenchError(f"{case.function}: {pk} / {sk} has status {item.get('status')}, not {run.status}")
            if run.also and (problem := run.also(item)):
                raise BenchError(f"{case.function}: {pk} / {sk}: {problem}")

    def measure(self, case: Case, runs: int) -> None:
        # Warm-up, not measured; it also records each variant's AWS calls: a floor must make the same ones.
        calls = {variant: self.run(case, variant, count_calls=True)[0]["calls"] for variant in VARIANTS}
        for variant in VARIANTS[1:]:
            if sorted(calls[variant]) != sorted(calls["vitrine"]):
                raise BenchError(
                    f"{case.function}: the {variant} floor (bench/floors/{case.floor}.py on {variant}) makes "
                    f"{calls[variant]}, the function makes {calls['vitrine']}: update the floor"
                )
        counts: dict[str, int] = {}
        for call in calls["vitrine"]:
            counts[call] = counts.get(call, 0) + 1
        case.calls = ", ".join(call.replace(":", ".") + (f" x{n}" if n > 1 else "") for call, n in counts.items())
        done: list[Run] = []
        for i in range(runs):
            # Alternate, rotating the order so no variant always goes first after another.
            for variant in VARIANTS[i % len(VARIANTS) :] + VARIANTS[: i % len(VARIANTS)]:
                result, run = self.run(case, variant)
                case.samples[variant].append({k: v for k, v in result.items() if k.endswith("_ms")})
                done.append(run)
        self.verify(case, done)

    def import_profile(self, case: Case) -> None:
        """One ``-X importtime`` run of the handler, and one of the botocore floor to subtract what both import."""
        vitrine = parse_importtime(self.run(case, "vitrine", importtime=True)[0]["importtime"])
        floor = parse_importtime(self.run(case, "botocore", importtime=True)[0]["importtime"])
        ranked = sorted(vitrine, key=lambda m: vitrine[m][1], reverse=True)
        case.imports = [(vitrine[m][2], vitrine[m][1]) for m in ranked[:IMPORTTIME_TOP]]
        packages: dict[str, float] = {}
        for module, (self_ms, _cumulative, _indented) in vitrine.items():
            if module not in floor:
                packages[module.split(".")[0]] = packages.get(module.split(".")[0], 0.0) + self_ms
        case.exclusive = sorted(packages.items(), key=lambda p: p[1], reverse=True)


def parse_importtime(stderr: str) -> dict[str, tuple[float, float, str]]:
    """``-X importtime`` output as module -> (self ms, cumulative ms, name indented as nested)."""
    modules = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        modules[name.strip()] = (int(self_us) / 1000, int(cumulative_us) / 1000, name.rstrip()[1:])
    return modules
