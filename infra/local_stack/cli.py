"""``vitrine-local`` (``python -m local_stack.cli``): run the local stack, fire its schedules, show its status.

``dev`` runs everything in the foreground until Ctrl-C or SIGTERM; ``fire`` and ``status`` talk to a running
stack through its controls (``/_local/...`` on a loopback port of their own, not the API's), found in the state
file ``dev`` writes (``.local/stack.json``, ``control_url``).
"""

import argparse
import json
import logging
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

from local_stack.pollers import DEFAULT_RETRY_DELAY_SECONDS
from local_stack.sandbox_erp.erp import DEFAULT_COUNTER_SALE_SECONDS, DEFAULT_FEED_POLL_SECONDS
from local_stack.stack import DEFAULT_PORT, DEFAULT_STATE_FILE, LocalStack, Options, PortInUse, read_state
from local_stack.workers import DEFAULT_MAX_WORKERS

log = logging.getLogger("local_stack")


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--state-file",
        type=Path,
        default=Path(os.environ.get("VITRINE_STATE_FILE", DEFAULT_STATE_FILE)),
        help="where dev writes the running stack's settings (default .local/stack.json; env VITRINE_STATE_FILE)",
    )
    parser = argparse.ArgumentParser(
        prog="vitrine-local", description="Run the Vitrine local stack, fire its schedules, show its status."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", parents=[common], help="run the local stack in the foreground")
    dev.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("VITRINE_PORT", DEFAULT_PORT)),
        help="HTTP port of the API (default 3000; env VITRINE_PORT)",
    )
    dev.add_argument("--no-seed", dest="seed", action="store_false", help="start without the demo merchant")
    dev.add_argument("--max-workers", type=int, default=DEFAULT_MAX_WORKERS, help="worker processes per function")
    dev.add_argument(
        "--retry-delay",
        type=int,
        default=DEFAULT_RETRY_DELAY_SECONDS,
        help="seconds before a failed SQS message is received again (AWS: the queue's VisibilityTimeout)",
    )
    for flag, variable, default, what in (
        (
            "--erp-counter-sale-seconds",
            "VITRINE_ERP_COUNTER_SALE_SECONDS",
            DEFAULT_COUNTER_SALE_SECONDS,
            "sells a unit at store 0001's counter",
        ),
        (
            "--erp-feed-poll-seconds",
            "VITRINE_ERP_FEED_POLL_SECONDS",
            DEFAULT_FEED_POLL_SECONDS,
            "takes paid orders from the feed",
        ),
    ):
        dev.add_argument(
            flag,
            type=float,
            default=float(os.environ.get(variable, default)),
            help=f"the sandbox ERP {what} this often; 0: only on demand (default {default:g}; env {variable})",
        )
    dev.add_argument("--log-level", default=os.environ.get("VITRINE_LOG_LEVEL", "INFO"))
    fire = commands.add_parser("fire", parents=[common], help="fire a schedule of the running stack now")
    fire.add_argument("schedule", help="schedule name or its event name in the template (e.g. DailyPayoutRun)")
    fire.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="fire it as if Scheduler did on this day (aaaa-mm-dd; today or earlier: a missed day, or again)",
    )
    commands.add_parser("status", parents=[common], help="show the running stack's functions, queues and schedules")
    args = parser.parse_args(argv)

    if args.command == "dev":
        return run_dev(args)
    if args.command == "fire":
        as_of = f"?as_of={args.as_of}" if args.as_of else ""
        return _report(_call(args.state_file, "POST", f"/_local/schedules/{args.schedule}{as_of}"))
    return _report(_call(args.state_file, "GET", "/_local/status"))


def run_dev(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    # The seed runs the core's SDK calls in this process; botocore's INFO lines say nothing a developer needs.
    logging.getLogger("botocore").setLevel(logging.WARNING)
    options = Options(
        port=args.port,
        seed=args.seed,
        state_file=args.state_file,
        max_workers=args.max_workers,
        retry_delay=args.retry_delay,
        erp_counter_sale_seconds=args.erp_counter_sale_seconds,
        erp_feed_poll_seconds=args.erp_feed_poll_seconds,
    )
    # SIGTERM (the test fixture, a supervisor) ends the stack the same way Ctrl-C does. SIGINT is set
    # explicitly too: Python leaves it ignored when it was inherited ignored (a background job of a script).
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
    local = LocalStack(options)
    try:
        local.start()
        _print_banner(local)
        while True:
            # Ctrl-C and SIGTERM interrupt the sleep with KeyboardInterrupt.
            time.sleep(3600)
    except PortInUse as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        # A second Ctrl-C while stopping must not leave children behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        local.stop()
        log.info("stopped")
    return 0


def _raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _print_banner(local: LocalStack) -> None:
    settings = local.settings()
    seed = settings["seed"] or {}
    credentials = settings["webhook_credentials"]
    gateway = settings["payment_gateway"]
    lines = [
        "",
        f"Vitrine local stack is up in {local.startup_seconds:.1f} s (stage {settings['parameters']['Stage']})",
        f"  catalog    {settings['catalog_url']}",
        f"  API        {settings['api_url']}   (e.g. {settings['api_url']}/health)",
        f"  emulator   {settings['emulator_url']}   (AWS_ENDPOINT_URL; any credentials)",
        f"             log {settings['emulator_log']}",
    ]
    if seed:
        lines.append(f"  merchant   {seed.get('merchant_id')}   API key {seed.get('api_key')}")
        lines.append(
            f"  sign in    {settings['catalog_url']}/entrar   seller {seed.get('seller_login')}, "
            f"B2B customer {seed.get('customer_login')}; password {seed.get('password')}"
        )
        lines.append(
            f"  console    {settings['api_url']}/painel   owner {seed.get('owner_login')}, "
            f"seller {seed.get('seller_login')}; the same password"
        )
    else:
        lines.append("  merchant   (no demo data)")
    lines += [
        f"  webhooks   POST {settings['api_url']}/webhooks/gateway",
        f"             HTTP Basic {credentials['user']}:{credentials['password']}",
        f"  gateway    {gateway['api_url']}   (pagar.me v5 sandbox; public key {gateway['public_key']})",
        f"             pay a charge at {gateway['url']}/pay/<charge id>; test cards 4000000000000010 approves,",
        "             4000000000000028 declines, 4000000000000036 goes to antifraud review",
        *_erp_banner(settings["erp"]),
        *_cep_banner(settings["cep_lookup"]),
        *_loyalty_banner(settings.get("loyalty")),
        *_messaging_banner(settings.get("messaging")),
        f"  settings   {local.options.state_file}",
        f"  controls   {settings['control_url']}   (vitrine-local status, vitrine-local fire <schedule>)",
        "  payouts    vitrine-local fire DailyPayoutRun --as-of aaaa-mm-dd pays what was payable before that day;",
        "             a day ahead moves the stack's money clock there first (sell now, pay out two days on)",
        "  Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)


def _erp_banner(erp: dict[str, Any] | None) -> list[str]:
    if not erp:
        return []
    feed = "takes paid orders from the feed" if erp["feed_connected"] else "not polling the feed (no demo key)"
    return [
        f"  ERP        {erp['url']}   (sandbox: {feed} {_every(erp['feed_poll_seconds'])}, reports them invoiced,",
        f"             sells at the counter {_every(erp['counter_sale_seconds'])}); connector token {erp['token']}",
    ]


def _cep_banner(cep: dict[str, Any] | None) -> list[str]:
    if not cep:
        return []
    known = ", ".join(f"{c[:5]}-{c[5:]}" for c in cep["ceps"][:3])
    failing = cep["failing_cep"]
    return [
        f"  CEP        {cep['url']}   (ViaCEP sandbox: {known}, ... fill the address;",
        f"             {failing[:5]}-{failing[5:]} fails, any other CEP is not found)",
    ]


def _loyalty_banner(loyalty: dict[str, Any] | None) -> list[str]:
    if not loyalty:
        return []
    return [f"  loyalty    {loyalty['url']}   (partner sandbox: each CPF's points; JSON at {loyalty['accruals_url']})"]


def _messaging_banner(messaging: dict[str, Any] | None) -> list[str]:
    if not messaging:
        return []
    return [
        f"  messages   {messaging['page_url']}   (WhatsApp and SMS sandbox: the shoppers' messages as chat bubbles;",
        f"             JSON at {messaging['outbox_url']}; e-mails go to the emulator's SES)",
    ]


def _every(seconds: float) -> str:
    return f"every {seconds:g} s" if seconds > 0 else "on demand"


def _call(state_file: Path, method: str, path: str) -> tuple[int, Any]:
    try:
        state = read_state(state_file)
    except FileNotFoundError:
        print(f"no running local stack ({state_file} not found); start one with make dev", file=sys.stderr)
        return 0, None
    url = f"{state['control_url']}{path}"
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"{state_file} points at {url}, not at a local stack")
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - checked above
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")
    except urllib.error.URLError as exc:
        print(f"the local stack at {state['control_url']} does not answer: {exc.reason}", file=sys.stderr)
        return 0, None


def _report(outcome: tuple[int, Any]) -> int:
    status, document = outcome
    if document is not None:
        print(json.dumps(document, indent=2, ensure_ascii=False))
    if status == 0:
        return 2
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
