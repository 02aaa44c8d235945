"""Cold-start benchmark: every function's first invocation in a fresh process, against a plain-SDK floor.

``make bench`` (``.venv/bin/python bench/cold_start.py``; ``make bench BENCH_ARGS=--runs=15`` for more runs)
starts the emulator, deploys the template into it (``local_stack.deploy``), seeds the demo merchant, then for
each function runs, alternately and in a rotating order, N cold starts (default 11) of three variants, each a
fresh ``python`` process with the function's own environment from the template (``bench/floors/_runner.py``):

- ``vitrine``: the function's handler, serving one real event of its main path against the emulator (and, for
  the webhook delivery, a receiver on loopback that the bench runs: it checks the signature and answers 200; for
  the payout, the notifier and the loyalty consumer, the gateway, WhatsApp's Cloud API and the loyalty partner on
  loopback, ``cold_start_view_and_payout.py`` and ``cold_start_messages.py``);
- ``boto3`` (the floor, as the issue defines it): a ~15-line handler in ``bench/floors/`` that imports boto3,
  creates its client(s) at module level and makes the same AWS calls, returning a response of the same shape;
- ``botocore``: the same floor on botocore alone, as the core uses it (``vitrine.aws``): what is left once
  boto3 is gone.

The two floors of a function are one handler, ``bench/floors/<function>.py``, whose SDK the environment names
(``BENCH_FLOOR_SDK``, read by ``bench/floors/_sdk.py``: only that SDK is imported). The cases and checks are in
``cold_start_case.py`` and ``cold_start_events.py``, the measuring loop in ``cold_start_measure.py``, the report in
``cold_start_report.py``.

Each sample is the time from just before the parent spawns the child to just after the handler returned
(interpreter start + imports + init + first invocation; teardown excluded). One unmeasured warm-up run per
variant comes first (bytecode caches, page cache); it also records the variant's AWS calls, and a floor that
does not make the same calls as the function aborts the bench. Every response is checked (a failure aborts the
bench) and every write is read back afterwards, so each run did the full path: fresh webhook/event ids and
scheduled times, never a dedupe short-cut. The ratio is median(vitrine) / median(floor); the target is <= 1.3x
the boto3 floor. For a function over the target, one ``python -X importtime`` run of its handler (and one of
its botocore floor, subtracted) lists what its imports cost. The results replace the cold-start section of
``bench/RESULTS.md`` (between its markers); other sections are kept.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench_results import RESULTS, write_section
from cold_start_case import FUNCTIONS, ROOT, TARGET, BenchError, Case
from cold_start_events import Receiver, build_cases
from cold_start_measure import Bench
from cold_start_messages import LoyaltyPartnerOnLoopback, WhatsAppOnLoopback
from cold_start_report import print_table, report
from cold_start_view_and_payout import GatewayOnLoopback


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="measured runs per variant per function (>= 7)")
    parser.add_argument("--only", action="append", metavar="LOGICAL_ID", help="bench only these functions")
    parser.add_argument("--no-write", action="store_true", help="print the results, leave bench/RESULTS.md alone")
    parser.add_argument("--no-importtime", action="store_true", help="skip the -X importtime run of slow functions")
    parser.add_argument("--samples", type=Path, metavar="FILE", help="also write every run's timings here (JSON)")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="only profile: one untimed cold start per function under cProfile, written to DIR/<function>.pstats",
    )
    args = parser.parse_args(argv)
    if args.runs < 7 and not args.no_write:
        parser.error("--runs must be >= 7 for results that are written (use --no-write to try fewer)")
    if args.only and set(args.only) - set(FUNCTIONS):
        parser.error(f"unknown function(s) {sorted(set(args.only) - set(FUNCTIONS))}; the functions: {FUNCTIONS}")

    from local_stack.deploy import deploy
    from local_stack.emulator import start_emulator
    from local_stack.seed import seed_demo

    began = time.monotonic()
    load_start = os.getloadavg()[0]
    emulator = start_emulator()
    receiver = Receiver()
    gateway = GatewayOnLoopback()
    whatsapp = WhatsAppOnLoopback()
    partner = LoyaltyPartnerOnLoopback()
    try:
        stack = deploy(emulator.url)
        seed = seed_demo(stack.functions["CatalogApiFunction"].environment)
        cases = build_cases(stack, seed, receiver, gateway, whatsapp, partner)
        if args.only:
            cases = [case for case in cases if case.function in args.only]
        print(f"emulator ready, stack deployed and seeded in {time.monotonic() - began:.1f} s", flush=True)
        with tempfile.TemporaryDirectory(prefix="vitrine-bench-") as workdir:
            bench = Bench(stack, Path(workdir))
            if args.profile:
                return profile_cases(bench, cases, args.profile)
            for case in cases:
                bench.measure(case, args.runs)
                print(
                    f"{case.function}: vitrine {case.median('vitrine'):.0f} ms, boto3 floor "
                    f"{case.median('boto3'):.0f} ms ({case.ratio():.2f}x), botocore floor "
                    f"{case.median('botocore'):.0f} ms ({case.ratio('botocore'):.2f}x)",
                    flush=True,
                )
                if case.ratio() > TARGET and not args.no_importtime:
                    bench.import_profile(case)
    except BenchError as exc:
        print(f"bench aborted: {exc}", file=sys.stderr)
        return 1
    finally:
        receiver.close()
        gateway.close()
        whatsapp.close()
        partner.close()
        emulator.stop()
    load_end = os.getloadavg()[0]
    section = report(cases, args.runs, argv, (load_start, load_end), time.monotonic() - began)
    if args.samples:
        args.samples.write_text(json.dumps({case.function: case.samples for case in cases}, indent=1))
    print()
    print_table(cases)
    if args.no_write:
        print(section)
    else:
        write_section("cold_start", section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


def profile_cases(bench: Bench, cases: list[Case], directory: Path) -> int:
    """One warm-up and one profiled cold start of each case's handler; the 25 costliest functions by cumulative
    time are printed, the whole profile kept for ``python -m pstats``."""
    import pstats

    directory.mkdir(parents=True, exist_ok=True)
    for case in cases:
        bench.run(case, "vitrine")
        target = directory / f"{case.function}.pstats"
        bench.run(case, "vitrine", profile=target)
        print(f"\n{case.function}: {target}")
        pstats.Stats(str(target)).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
