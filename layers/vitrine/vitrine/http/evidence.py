"""The evidence of a consent given or revoked over HTTP: when, the client's address, its user agent.

The address is API Gateway's ``requestContext.http.sourceIp`` (never ``X-Forwarded-For``, which the client
writes); the user agent is cut at 500 characters.
"""

from datetime import UTC, datetime
from typing import Any

from vitrine.consents.models import Evidence


def evidence_of(app: Any) -> Evidence:
    event = app.current_event
    agent = (event.headers.get("user-agent") or "")[:500] or None
    return Evidence(at=datetime.now(UTC), client_address=event.request_context.http.source_ip, user_agent=agent)
