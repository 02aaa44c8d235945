"""Where the public reaches this API: the origin a share link, a catalog's page or a status URL starts with.

Never a request header. ``Host`` and ``X-Forwarded-*`` are whatever the client sent, so a link built from them
points wherever the sender likes (``javascript:`` included). The origin is the configured ``PUBLIC_BASE_URL``
(checked to be an https origin when the settings are read), else the domain API Gateway served the request on:
``requestContext.domainName`` of the payload v2 event, which API Gateway sets to its own ``execute-api`` name or
the API's custom domain, never to the client's Host. The scheme is https; only the local stack, which serves
plain http on 127.0.0.1 and says so with ``LOCAL_PLAIN_HTTP``, gets http (its front sets ``domainName`` to its
own address, as API Gateway does).
"""

from typing import Any

from vitrine.settings import get_settings


def public_origin(event: Any) -> str:
    """The configured public base URL, else ``https://`` + the domain API Gateway received ``event`` on."""
    settings = get_settings()
    if settings.public_base_url:
        return settings.public_base_url
    scheme = "http" if settings.local_plain_http else "https"
    return f"{scheme}://{event.request_context.domain_name}"
