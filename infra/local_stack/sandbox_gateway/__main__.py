"""``python -m local_stack.sandbox_gateway``: the sandbox gateway alone, its environment printed, until Ctrl-C."""

import argparse
import logging

from local_stack import sandbox_gateway
from local_stack.loopback_http import serve_until_interrupted
from local_stack.sandbox_gateway.gateway import SandboxGateway
from local_stack.sandbox_gateway.webhooks import DEFAULT_WEBHOOK_RETRY_DELAYS, WebhookTarget


def main(argv: list[str] | None = None) -> int:
    """``python -m local_stack.sandbox_gateway``: the sandbox alone, for trying the adapter by hand."""
    parser = argparse.ArgumentParser(prog="sandbox-gateway", description=sandbox_gateway.__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--webhook-url", help="deliver every event here (e.g. http://127.0.0.1:3000/webhooks/gateway)")
    parser.add_argument("--webhook-user", default="", help="HTTP Basic user for --webhook-url")
    parser.add_argument("--webhook-password", default="", help="HTTP Basic password for --webhook-url")
    parser.add_argument(
        "--webhook-retry-delays",
        type=lambda text: tuple(float(part) for part in text.split(",") if part),
        default=DEFAULT_WEBHOOK_RETRY_DELAYS,
        help="seconds between attempts, comma-separated (default 1,2,5,10,30)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    targets = [WebhookTarget(args.webhook_url, args.webhook_user, args.webhook_password)] if args.webhook_url else []
    sandbox = SandboxGateway(port=args.port, webhook_targets=targets, webhook_retry_delays=args.webhook_retry_delays)
    sandbox.start()
    return serve_until_interrupted(sandbox)


if __name__ == "__main__":
    raise SystemExit(main())
