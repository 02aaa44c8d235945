"""``python -m local_stack.sandbox_loyalty``: the sandbox loyalty partner alone, until Ctrl-C."""

import argparse
import logging

from local_stack import sandbox_loyalty
from local_stack.loopback_http import serve_until_interrupted
from local_stack.sandbox_loyalty import SandboxLoyalty


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sandbox-loyalty", description=sandbox_loyalty.__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    sandbox = SandboxLoyalty(port=args.port)
    sandbox.start()
    return serve_until_interrupted(sandbox)


if __name__ == "__main__":
    raise SystemExit(main())
