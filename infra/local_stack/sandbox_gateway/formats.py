"""How pagar.me writes what the sandbox answers: its API path, ids, instants and the 422 body of a refused request."""

import secrets
import string
from datetime import UTC, datetime
from typing import Any

API_PREFIX = "/core/v5"
_ID_ALPHABET = string.ascii_letters + string.digits


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_readable_instant(text: Any) -> bool:
    try:
        parse_instant(str(text))
    except ValueError:
        return False
    return True


def new_id(prefix: str, length: int = 16) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def new_uuid() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def invalid_request(errors: dict[str, list[str]], request: Any) -> dict[str, Any]:
    return {"message": "The request is invalid.", "errors": errors, "request": request}


def is_plain_int(value: Any) -> bool:
    # Money is integer centavos: 10.5 or "1050" would be a bug on the caller's side, so it is refused.
    return isinstance(value, int) and not isinstance(value, bool)
