"""Whether a seller or B2B customer may sign in, and whether a session of theirs still stands.

One rule for both: a person may sign in while they have a password (a customer's web access is their password)
and are active (only sellers can be deactivated). A session stands while that holds and the person's
``session_version`` is still the one the session was issued at; a password change, a deactivation or a withdrawn
web access moves the version (``vitrine.people.accounts``), so every session issued before ends with it, also
when the person is reactivated or given access again.

``require_current_session`` is run by the session checks of the routes (``vitrine.http.routing``) on every
request that presents a session, so no route can forget it. Its cost: one strongly consistent ``GetItem`` of the
person per such request (1 read unit for a person up to 4 KB: a customer with many addresses and contacts may
take 2), a few milliseconds beside the token's HMAC.
"""

from typing import Any

from vitrine.auth.sessions import Session
from vitrine.errors import SessionEnded
from vitrine.repository import people


def may_sign_in(item: dict[str, Any] | None) -> bool:
    return item is not None and "password_hash" in item and item.get("active", True) is not False


def require_current_session(session: Session) -> None:
    """Refuse (``SessionEnded``) a session whose person is gone, may no longer sign in, or has moved on."""
    item = people.get_standing(session.merchant_id, session.role, session.subject_id)
    if not may_sign_in(item) or people.session_version(item) != session.version:
        raise SessionEnded("this session has ended; sign in again")
