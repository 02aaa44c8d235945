"""``vitrine-erp-csv`` (``python -m local_stack.erp_csv``): import a products CSV for a merchant, as an operator.

    vitrine-erp-csv import products.csv --merchant demo-merchant

The file takes the path ``POST /erp/v1/products/csv`` takes (``vitrine.erp.csv_products``: one job, checked
row by row, applied by the ingest consumer); the command waits for the job and prints each rejected row by
line. It reaches the running local stack through its state file (``make dev`` writes ``.local/stack.json``);
without one, it uses the environment as it is (``TABLE_NAME``, ``ERP_INGEST_QUEUE_URL`` and AWS credentials),
so an operator can run it against a deployed stack. Exit status: 0 all applied, 1 some rows rejected, 2 the
file was refused or the job did not finish in time.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from local_stack.emulator import CREDENTIALS
from local_stack.stack import DEFAULT_STATE_FILE, read_state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vitrine-erp-csv", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("import", help="import products, prices and image links from a CSV file")
    command.add_argument("file", type=Path)
    command.add_argument("--merchant", required=True, help="the merchant's id")
    command.add_argument(
        "--state-file", type=Path, default=Path(os.environ.get("VITRINE_STATE_FILE", DEFAULT_STATE_FILE))
    )
    command.add_argument("--wait", type=float, default=120, help="seconds to wait for the job (0: do not wait)")
    args = parser.parse_args(argv)
    _use_local_stack(args.state_file)

    from vitrine.erp.csv_products import submit_products_csv
    from vitrine.erp.jobs import job_report
    from vitrine.errors import VitrineError

    try:
        accepted = submit_products_csv(args.merchant, args.file.read_text(encoding="utf-8-sig"))
    except VitrineError as exc:
        print(f"refused: {exc.message}", file=sys.stderr)
        for detail in exc.details or []:
            print(f"  {detail['field']}: {detail['reason']}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"refused: {args.file} is not UTF-8 (save it as 'CSV UTF-8')", file=sys.stderr)
        return 2
    print(f"job {accepted.job_id}: {accepted.queued} items queued, {accepted.rejected} rejected while reading")
    deadline = time.monotonic() + args.wait
    report = job_report(args.merchant, accepted.job_id, limit=500, cursor=None)
    while report.status != "done" and time.monotonic() < deadline:
        time.sleep(1)
        report = job_report(args.merchant, accepted.job_id, limit=500, cursor=None)
    counts = report.counts
    print(f"{report.status}: {counts.applied} applied, {counts.unchanged} unchanged, {counts.rejected} rejected")
    results, cursor = report.results, report.next_cursor
    while True:
        for result in results:
            for error in result.errors:
                # The reason names its line and column (in Portuguese: vitrine.erp.csv_wording).
                print(f"  {result.ref or '-'}: {error.reason}")
        if cursor is None:
            break
        page = job_report(args.merchant, accepted.job_id, limit=500, cursor=cursor)
        results, cursor = page.results, page.next_cursor
    if report.status != "done":
        print(f"the job is still {report.status}; follow it at GET /erp/v1/jobs/{accepted.job_id}", file=sys.stderr)
        return 2
    return 1 if counts.rejected else 0


def _use_local_stack(state_file: Path) -> None:
    """Point the core at the running local stack's emulator and resources, when there is one."""
    try:
        state = read_state(state_file)
    except FileNotFoundError:
        return
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": state["emulator_url"],
            "AWS_REGION": state["region"],
            "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
            "TABLE_NAME": state["table_name"],
            "ERP_INGEST_QUEUE_URL": state["queues"]["ErpIngestQueue"]["url"],
        }
    )


if __name__ == "__main__":
    sys.exit(main())
