"""The cold-start bench's report: the section of ``bench/RESULTS.md`` (tables, import profiles, the command that
made it) and the summary printed on the terminal."""

import os
import platform
import shlex
import sys
from datetime import UTC, datetime

from bench_results import markers
from cold_start_case import NOT_MEASURED, ROOT, TARGET, VARIANTS, Case

BEGIN, END = markers("cold_start")


def command_line(argv: list[str]) -> str:
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    command = shlex.join([python, "bench/cold_start.py", *argv])
    if not os.environ.get("MAKELEVEL"):
        return f"`{command}`"
    make = f"make bench BENCH_ARGS={shlex.quote(shlex.join(argv))}" if argv else "make bench"
    return f"`{make}` (runs `{command}`)"


def report(cases: list[Case], runs: int, argv: list[str], load: tuple[float, float], seconds: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores (noisy shared machine)"
    lines = [
        BEGIN,
        "## Cold start (`bench/cold_start.py`)",
        "",
        f"- Date: {when}. Machine: {machine}; load average {load[0]:.2f} at start, {load[1]:.2f} at the end.",
        f"- Python {platform.python_version()}, the children on .venv-lambda (the layer's pins and the runtime's "
        f"boto3). N = {runs} measured runs per variant per "
        f"function, alternated, after one warm-up run each; the bench took {seconds:.0f} s.",
        f"- Command: {command_line(argv)}",
        f"- Target: every function <= {TARGET}x the boto3 floor (median / median).",
        "",
        "Milliseconds from spawning a fresh `python` to the first invocation's return (interpreter start, "
        "imports, init and one real event of the main path against the emulator); p90 is nearest-rank (with "
        "N < 10, the slowest run). Ratio = median(Vitrine) / median(floor); the spread is the interquartile "
        "range of the per-round ratios (Vitrine / boto3 floor of the same round): the machine's noise.",
        "",
        "| Function | Main path: its AWS calls | Vitrine median / p90 | boto3 floor median / p90 | **Ratio** | Spread "
        "| botocore floor median / p90 | Ratio vs botocore | <= 1.3x |",
        "|---|---|---:|---:|---:|:---:|---:|---:|:---:|",
    ]
    for case in cases:
        ratio = case.ratio()
        q1, q3 = case.paired_quartiles()
        lines.append(
            f"| {case.function} | {case.path}: {case.calls} "
            f"| {case.median('vitrine'):.0f} / {case.p90('vitrine'):.0f} "
            f"| {case.median('boto3'):.0f} / {case.p90('boto3'):.0f} | **{ratio:.2f}x** | {q1:.2f}-{q3:.2f} "
            f"| {case.median('botocore'):.0f} / {case.p90('botocore'):.0f} | {case.ratio('botocore'):.2f}x "
            f"| {'yes' if ratio <= TARGET else '**no**'} |"
        )
    lines += [
        "",
        "Where the time goes (medians, ms): start = interpreter + the bench's runner (the same for every "
        "variant); init = importing the handler module (module-level work included); invoke = the first "
        "invocation (clients created at first use included); CPU = the child's CPU time up to the handler's "
        "return (close to the wall time except where the emulator works for long, as for the catalog's queries). "
        "Vitrine creates its clients at first use (`vitrine.aws`), so botocore's import and the client's creation "
        "(~150-200 ms, the same work as the floors') fall in its invoke, where the floors pay them at import, in "
        "init: compare the totals, not the phases.",
        "",
        "| Function | Vitrine start / init / invoke (CPU) | boto3 floor | botocore floor |",
        "|---|---:|---:|---:|",
    ]
    for case in cases:
        cells = [
            " / ".join(f"{case.median(v, k):.0f}" for k in ("start_ms", "init_ms", "invoke_ms"))
            + f" ({case.median(v, 'cpu_ms'):.0f})"
            for v in VARIANTS
        ]
        lines.append(f"| {case.function} | {' | '.join(cells)} |")
    over = [case for case in cases if case.imports]
    if over:
        lines += [
            "",
            f"Imports of the functions over {TARGET}x: one `python -X importtime` run of the handler (first "
            "invocation included). Cumulative ms of its largest imports (indentation is nesting; a module shared "
            "with botocore counts where it was first imported), then the self ms of every module the botocore "
            "floor never imports, by package: what the handler really adds.",
        ]
        for case in over:
            total = sum(ms for _package, ms in case.exclusive)
            exclusive = ", ".join(f"{package} {ms:.0f}" for package, ms in case.exclusive if ms >= 1)
            lines += ["", f"{case.function} ({case.ratio():.2f}x):", "", "```"]
            lines += [f"{ms:8.1f}  {name}" for name, ms in case.imports]
            lines += ["```", "", f"Not imported by the botocore floor: {total:.0f} ms of self time ({exclusive})."]
    lines += [
        "",
        "Floors: `bench/floors/<function>.py`, run on boto3 (the issue's floor: `import boto3`, clients at module "
        "level, the same AWS calls, a response of the same shape) and on botocore alone (the same, as `vitrine.aws` "
        "uses it), as `BENCH_FLOOR_SDK` says. Every response is checked and every write read back, so every run "
        "did its full path.",
        *(f"Not measured: {function} ({why})." for function, why in NOT_MEASURED.items()),
        END,
    ]
    return "\n".join(lines) + "\n"


def print_table(cases: list[Case]) -> None:
    print(f"{'function':30} {'vitrine':>8} {'boto3':>8} {'ratio':>6} {'botocore':>9} {'ratio':>6}")
    for case in cases:
        print(
            f"{case.function:30} {case.median('vitrine'):8.0f} {case.median('boto3'):8.0f} {case.ratio():5.2f}x "
            f"{case.median('botocore'):9.0f} {case.ratio('botocore'):5.2f}x"
        )
