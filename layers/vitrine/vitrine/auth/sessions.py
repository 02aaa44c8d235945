"""Sessions of sellers and B2B customers: short-lived signed tokens (JWT, HS256), carried in a cookie or a header.

A login answers with the token twice: in an ``HttpOnly; SameSite=Strict`` cookie for the storefront's own
pages, and in the body for API clients, which send it as ``Authorization: Bearer <token>``. A request that
rides on the cookie must also send ``X-CSRF-Token`` on every state-changing method (the token is an HMAC of
the session id, handed out at login), so a page on another site cannot act with the shopper's cookie. A bearer
token is never sent by a browser on its own, so it needs no CSRF token.

Signing keys live in one SSM SecureString (``SESSION_SIGNING_KEY_PARAMETER``): comma-separated, the first
signs, every one verifies (the ``kid`` header names it), so a key is rotated by putting a new one first and
dropping the old one after ``IDLE`` (12 hours: the longest a token signed before the rotation still stands).
There is no server-side session store: logging out clears the cookie.

Sliding expiry: a session stands ``IDLE`` (12 hours) after its last renewal and never past ``MAXIMUM`` (7 days)
after its sign-in (claim ``auth_time``). A seller visits customers and a B2B customer orders across a working day
without signing in again, a phone left signed in overnight is signed out by the morning, and even a session in
constant use (or a stolen token kept alive) ends within a week; ending it sooner is the person's
``session_version`` (below), which the merchant moves at once. Renewing is a new token with the same session id
(so its CSRF token stays) and a later ``exp``: no store, so no write, and not on every request either. A request is
renewed only once the token is past half its idle window (``renewal``), so a page in use sets a new cookie at most
every 6 hours and the other answers stay as they are. The routes' session check does it
(``vitrine.http.routing``): the cookie again for the page, ``X-Session-Token`` for a bearer client, and
``X-Session-Expires-At`` for both. ``clock`` is the time source (epoch seconds); tests replace it.

A session ends before that when its person's access does: the token carries the person's ``session_version``
(claim ``ver``; a token from before the claim counts as version 0, as does a person stored before it), which
a password change, a deactivation or a withdrawn web access moves on. Every request that presents a session has it
checked against the person (``vitrine.people.access``, run by the routes' ``Auth.SESSION`` and
``Auth.OPTIONAL_SESSION`` checks): gone, inactive, or another version, and the answer is a 401 that clears the
cookie (``SessionEnded``).
"""

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from vitrine.errors import Forbidden, SessionEnded
from vitrine.parameters import secure_parameter
from vitrine.settings import get_settings

IDLE = timedelta(hours=12)
MAXIMUM = timedelta(days=7)
COOKIE_NAME = "vitrine_session"
CSRF_HEADER = "x-csrf-token"
RENEWED_TOKEN_HEADER = "X-Session-Token"  # noqa: S105 (a header name: where a bearer session gets its renewed token)
RENEWED_EXPIRY_HEADER = "X-Session-Expires-At"  # a renewed session's new expiry (ISO 8601)
_ISSUER = "vitrine"
_AUDIENCE = "vitrine-storefront"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Role(StrEnum):
    SELLER = "seller"
    CUSTOMER = "customer"
    STAFF = "staff"  # a member of the merchant's staff, in the console (``vitrine.people.staff_access``)


# The console's sessions ride on a cookie of their own, so a seller signed in to a catalog and to the console in
# one browser holds both, and neither page's cookie ever reaches the other's checks.
CONSOLE_COOKIE_NAME = "vitrine_console"


@dataclass(frozen=True)
class Session:
    merchant_id: str
    role: Role
    subject_id: str
    session_id: str
    expires_at: datetime
    via_cookie: bool = False
    version: int = 0  # the person's session_version when the session began
    signed_in_at: datetime | None = None  # when the person signed in (``MAXIMUM`` counts from it)

    def require(self, role: Role) -> "Session":
        if self.role is not role:
            raise Forbidden(f"this needs a {role} session; you are signed in as a {self.role}")
        return self


def _signing_keys() -> list[tuple[str, bytes]]:
    value = secure_parameter(get_settings().require("session_signing_key_parameter"))
    keys = [part.strip().encode() for part in value.split(",") if part.strip()]
    return [(hashlib.sha256(key).hexdigest()[:12], key) for key in keys]


clock: Callable[[], float] = time.time


def _now() -> datetime:
    return datetime.fromtimestamp(int(clock()), UTC)


def issue_session(
    merchant_id: str, role: Role, subject_id: str, *, version: int = 0, now: datetime | None = None
) -> tuple[str, Session]:
    """A new session and its signed token; ``version`` is the person's ``session_version``."""
    signed_in_at = (now or _now()).replace(microsecond=0)
    session = Session(
        merchant_id=merchant_id,
        role=role,
        subject_id=subject_id,
        session_id=secrets.token_urlsafe(16),
        expires_at=signed_in_at + IDLE,
        version=version,
        signed_in_at=signed_in_at,
    )
    return _signed(session, issued_at=signed_in_at), session


def _signed(session: Session, *, issued_at: datetime) -> str:
    import jwt

    kid, key = _signing_keys()[0]
    claims = {
        "iss": _ISSUER,
        "aud": _AUDIENCE,
        "sub": session.subject_id,
        "mid": session.merchant_id,
        "role": session.role.value,
        "jti": session.session_id,
        "iat": int(issued_at.timestamp()),
        "exp": int(session.expires_at.timestamp()),
        "auth_time": int((session.signed_in_at or issued_at).timestamp()),
        "ver": session.version,
    }
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid})


def renewal(session: Session) -> tuple[str, Session] | None:
    """A later token for ``session`` once it is past half its idle window (``None`` before, or when ``MAXIMUM`` is
    as far as it may go): same session id and sign-in time, ``exp`` ``IDLE`` from now and never past
    ``MAXIMUM`` after the sign-in."""
    at = _now()
    if session.expires_at - at > IDLE / 2:
        return None
    signed_in_at = session.signed_in_at or at
    expires_at = min(at + IDLE, signed_in_at + MAXIMUM)
    if expires_at <= session.expires_at:
        return None
    renewed = replace(session, expires_at=expires_at, signed_in_at=signed_in_at)
    return _signed(renewed, issued_at=at), renewed


def read_session(token: str, *, via_cookie: bool = False) -> Session:
    """The session a token stands for; an expired, forged or malformed token is a 401."""
    import jwt

    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = dict(_signing_keys()).get(kid)
        if key is None:
            raise SessionEnded("session not recognised; sign in again")
        claims = jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            audience=_AUDIENCE,
            issuer=_ISSUER,
            # Expiry is checked below against ``clock``, the one time source of sessions.
            options={"require": ["exp", "iat", "sub", "jti"], "verify_exp": False, "verify_iat": False},
        )
        role = Role(claims["role"])
        version = claims.get("ver", 0)
        # A token from before sliding expiry has no auth_time: it was signed in when it was issued.
        signed_in = claims.get("auth_time", claims["iat"])
        if any(type(value) is not int for value in (version, claims["exp"], signed_in)):
            raise ValueError("ver, exp and auth_time are integers")
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise SessionEnded("session not recognised; sign in again") from exc
    expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    signed_in_at = datetime.fromtimestamp(signed_in, UTC)
    at = _now()
    if expires_at <= at or at >= signed_in_at + MAXIMUM:
        raise SessionEnded("session expired; sign in again")
    return Session(
        merchant_id=claims["mid"],
        role=role,
        subject_id=claims["sub"],
        session_id=claims["jti"],
        expires_at=expires_at,
        via_cookie=via_cookie,
        version=version,
        signed_in_at=signed_in_at,
    )


def _csrf_for(key: bytes, session_id: str) -> str:
    digest = hmac.new(key, f"csrf:{session_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_token(session: Session) -> str:
    return _csrf_for(_signing_keys()[0][1], session.session_id)


def _order_link_for(key: bytes, order_id: str) -> str:
    digest = hmac.new(key, f"order-link:{order_id}".encode(), hashlib.sha256).digest()
    return "l" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def order_link_token(order_id: str) -> str:
    """The access token a message's link to the order carries (``/c/{slug}/pedido/{id}#token=...``): derived from
    the order id with the current signing key, so the notifier makes the same link at every status without storing
    a secret. The checkout's random token keeps working beside it; a key dropped from the parameter ends its links.
    """
    return _order_link_for(_signing_keys()[0][1], order_id)


def order_link_matches(order_id: str, presented: str) -> bool:
    return presented.startswith("l") and any(
        hmac.compare_digest(_order_link_for(key, order_id), presented) for _, key in _signing_keys()
    )


def _csrf_matches(session: Session, presented: str) -> bool:
    # Any current signing key may have made it (a rotation must not log everyone's forms out).
    return any(hmac.compare_digest(_csrf_for(key, session.session_id), presented) for _, key in _signing_keys())


def _cookie(cookies: list[str], name: str) -> str | None:
    for cookie in cookies:
        key, _, value = cookie.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def session_from_request(
    method: str, headers: dict[str, str], cookies: list[str] | None, *, cookie_name: str = COOKIE_NAME
) -> Session | None:
    """The caller's session, or None when there is none; a cookie without its CSRF token on a write is a 403."""
    scheme, _, credentials = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.count(".") == 2:
        return read_session(credentials.strip())
    token = _cookie(cookies or [], cookie_name)
    if not token:
        return None
    session = read_session(token, via_cookie=True)
    if method.upper() not in _SAFE_METHODS and not _csrf_matches(session, headers.get(CSRF_HEADER) or ""):
        raise Forbidden(f"send the session's CSRF token in the {CSRF_HEADER.title()} header")
    return session


def _seconds_left(session: Session | None) -> int:
    if session is None:
        return int(IDLE.total_seconds())
    return max(int((session.expires_at - _now()).total_seconds()), 0)


def session_cookie(token: str | None, session: Session | None = None, *, name: str | None = None) -> Cookie:
    """The cookie of a new or renewed ``session`` (its ``token``), kept by the browser until the session's expiry,
    or (``None``) one that clears it; a staff session's is the console's cookie."""
    if name is None:
        name = CONSOLE_COOKIE_NAME if session is not None and session.role is Role.STAFF else COOKIE_NAME
    return Cookie(
        name=name,
        value=token or "",
        path="/",
        # Secure everywhere but the local stack, which serves plain http and says so (LOCAL_PLAIN_HTTP): never
        # guessed from PUBLIC_BASE_URL's scheme, which is empty on a deployment that links to its own domain.
        secure=not get_settings().local_plain_http,
        http_only=True,
        max_age=_seconds_left(session) if token else 0,
        same_site=SameSite.STRICT_MODE,
    )
