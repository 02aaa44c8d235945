"""Where the public reaches this API: the origin a share link, a catalog's page or a status URL starts with."""

from typing import Any

from vitrine.settings import get_settings


def public_origin(event: Any) -> str:
    """The configured public base URL, else the origin the request came in on (``http`` on loopback)."""
    configured = get_settings().public_base_url.rstrip("/")
    if configured:
        return configured
    headers = event.headers
    host = headers.get("host") or event.request_context.domain_name
    proto = headers.get("x-forwarded-proto") or ("http" if host.startswith(("127.0.0.1", "localhost")) else "https")
    return f"{proto}://{host}"
