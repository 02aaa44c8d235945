"""``python -m local_stack.sandbox_erp``: the sandbox ERP alone, its environment printed, until Ctrl-C."""

import argparse
import logging

from local_stack import sandbox_erp
from local_stack.loopback_http import serve_until_interrupted
from local_stack.sandbox_erp.erp import DEFAULT_COUNTER_SALE_SECONDS, DEFAULT_FEED_POLL_SECONDS, SandboxErp


def main(argv: list[str] | None = None) -> int:
    """``python -m local_stack.sandbox_erp``: the sandbox alone, e.g. pointed at a running ``make dev``."""
    parser = argparse.ArgumentParser(prog="sandbox-erp", description=sandbox_erp.__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", help="the connector token (default: drawn)")
    parser.add_argument("--vitrine-url", help="Vitrine's API, e.g. http://127.0.0.1:3000")
    parser.add_argument("--api-key", help="a merchant API key with the erp scope (the feed is polled with it)")
    parser.add_argument("--counter-sale-seconds", type=float, default=DEFAULT_COUNTER_SALE_SECONDS)
    parser.add_argument("--feed-poll-seconds", type=float, default=DEFAULT_FEED_POLL_SECONDS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    sandbox = SandboxErp(
        port=args.port,
        token=args.token,
        counter_sale_seconds=args.counter_sale_seconds,
        feed_poll_seconds=args.feed_poll_seconds,
    )
    sandbox.start()
    if args.vitrine_url and args.api_key:
        sandbox.connect_vitrine(args.vitrine_url, args.api_key)
    return serve_until_interrupted(sandbox)


if __name__ == "__main__":
    raise SystemExit(main())
