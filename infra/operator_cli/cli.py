"""``vitrine-operator``: the platform operator's command line, for a deployment in AWS and for ``make dev`` alike.

It calls the operator's API (``/operator/v1``), which API Gateway authorizes by IAM, signing each request with
SigV4 (service ``execute-api``) with the operator's AWS credentials (the usual chain: environment, profile, role).
The API's URL is ``--api`` or ``VITRINE_API_URL``, else the local stack's (``.local/stack.json``); a local stack
takes any credentials, so without any the command signs with a placeholder key there, never elsewhere.

    vitrine-operator create-merchant merchant.json      # prints the owner's invitation link
    vitrine-operator describe <merchant_id>
    vitrine-operator invite-owner <merchant_id>         # a new link for an owner who lost theirs

``merchant.json``: ``{"merchant_id", "corporate_name", "trade_name", "cnpj", "stores": [{"code", "name",
"online", "fulfilment", "city"}], "owner": {"name", "email"}}`` (``POST /operator/v1/merchants`` in /openapi.json).
"""

import argparse
import json
import os
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import requests

LOCAL_STATE = Path(".local/stack.json")
LOCAL_KEY = ("AKIALOCALOPERATOR000", "local-operator-secret")  # the local stack's emulator takes any credentials


def _api_url(given: str | None) -> str:
    url = given or os.environ.get("VITRINE_API_URL")
    if url:
        return url.rstrip("/")
    if LOCAL_STATE.exists():
        return json.loads(LOCAL_STATE.read_text())["api_url"].rstrip("/")
    raise SystemExit("say where the API is: --api https://<api id>.execute-api.<region>.amazonaws.com")


def _is_loopback(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def signed(method: str, url: str, body: Any = None) -> requests.Response:
    """``method url`` with the JSON ``body``, signed with SigV4 for execute-api."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.session import Session

    session = Session()
    credentials = session.get_credentials()
    if credentials is None:
        if not _is_loopback(url):
            raise SystemExit("no AWS credentials: the operator's API takes requests signed by the operator's role")
        credentials = Credentials(*LOCAL_KEY)
    region = session.get_config_variable("region") or os.environ.get("AWS_REGION") or "us-east-1"
    data = json.dumps(body).encode() if body is not None else None
    request = AWSRequest(method=method, url=url, data=data, headers={"Content-Type": "application/json"})
    SigV4Auth(credentials.get_frozen_credentials(), "execute-api", region).add_auth(request)
    return requests.request(method, url, headers=dict(request.headers), data=data, timeout=30)


def _print(response: requests.Response) -> int:
    try:
        shown = json.dumps(response.json(), indent=2, ensure_ascii=False)
    except ValueError:
        shown = response.text
    print(shown)
    return 0 if response.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vitrine-operator", description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", help="the API's base URL (default: VITRINE_API_URL, else the local stack's)")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-merchant", help="onboard a merchant from a JSON file")
    create.add_argument("file", type=Path)
    for name in ("describe", "invite-owner"):
        commands.add_parser(name).add_argument("merchant_id")
    args = parser.parse_args(argv)
    api = _api_url(args.api)
    if args.command == "create-merchant":
        response = signed("POST", f"{api}/operator/v1/merchants", json.loads(args.file.read_text()))
        code = _print(response)
        if response.ok and response.json().get("invitation_url"):
            print(
                f"\nSend the owner this link (valid 7 days, once): {response.json()['invitation_url']}", file=sys.stderr
            )
        return code
    merchant = urllib.parse.quote(args.merchant_id, safe="")
    if args.command == "describe":
        return _print(signed("GET", f"{api}/operator/v1/merchants/{merchant}"))
    return _print(signed("POST", f"{api}/operator/v1/merchants/{merchant}/owner-invitation"))


if __name__ == "__main__":
    sys.exit(main())
