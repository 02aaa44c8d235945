"""Sessions of sellers and B2B customers: short-lived signed tokens (JWT, HS256), carried in a cookie or a header.

A login answers with the token twice: in an ``HttpOnly; SameSite=Strict`` cookie for the storefront's own
pages, and in the body for API clients, which send it as ``Authorization: Bearer <token>``. A request that
rides on the cookie must also send ``X-CSRF-Token`` on every state-changing method (the token is an HMAC of
the session id, handed out at login), so a page on another site cannot act with the shopper's cookie. A bearer
token is never sent by a browser on its own, so it needs no CSRF token.

Signing keys live in one SSM SecureString (``SESSION_SIGNING_KEY_PARAMETER``): comma-separated, the first
signs, every one verifies (the ``kid`` header names it), so a key is rotated by putting a new one first and
dropping the old one after ``SESSION_MINUTES``. There is no server-side session store: logging out clears the
cookie, and a token expires after 30 minutes.

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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from vitrine.errors import Forbidden, SessionEnded
from vitrine.parameters import secure_parameter
from vitrine.settings import get_settings

SESSION_MINUTES = 30
COOKIE_NAME = "vitrine_session"
CSRF_HEADER = "x-csrf-token"
_ISSUER = "vitrine"
_AUDIENCE = "vitrine-storefront"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Role(StrEnum):
    SELLER = "seller"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Session:
    merchant_id: str
    role: Role
    subject_id: str
    session_id: str
    expires_at: datetime
    via_cookie: bool = False
    version: int = 0  # the person's session_version when the session began

    def require(self, role: Role) -> "Session":
        if self.role is not role:
            raise Forbidden(f"this needs a {role} session; you are signed in as a {self.role}")
        return self


def _signing_keys() -> list[tuple[str, bytes]]:
    value = secure_parameter(get_settings().require("session_signing_key_parameter"))
    keys = [part.strip().encode() for part in value.split(",") if part.strip()]
    return [(hashlib.sha256(key).hexdigest()[:12], key) for key in keys]


def issue_session(
    merchant_id: str, role: Role, subject_id: str, *, version: int = 0, now: datetime | None = None
) -> tuple[str, Session]:
    """A new session and its signed token; ``version`` is the person's ``session_version``."""
    import jwt

    now = now or datetime.now(UTC)
    session = Session(
        merchant_id=merchant_id,
        role=role,
        subject_id=subject_id,
        session_id=secrets.token_urlsafe(16),
        expires_at=(now + timedelta(minutes=SESSION_MINUTES)).replace(microsecond=0),
        version=version,
    )
    kid, key = _signing_keys()[0]
    claims = {
        "iss": _ISSUER,
        "aud": _AUDIENCE,
        "sub": subject_id,
        "mid": merchant_id,
        "role": role.value,
        "jti": session.session_id,
        "iat": int(now.timestamp()),
        "exp": int(session.expires_at.timestamp()),
        "ver": version,
    }
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid}), session


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
            options={"require": ["exp", "iat", "sub", "jti"]},
        )
        role = Role(claims["role"])
        version = claims.get("ver", 0)
        if type(version) is not int:
            raise ValueError("ver is not an integer")
    except jwt.ExpiredSignatureError as exc:
        raise SessionEnded("session expired; sign in again") from exc
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise SessionEnded("session not recognised; sign in again") from exc
    return Session(
        merchant_id=claims["mid"],
        role=role,
        subject_id=claims["sub"],
        session_id=claims["jti"],
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        via_cookie=via_cookie,
        version=version,
    )


def _csrf_for(key: bytes, session_id: str) -> str:
    digest = hmac.new(key, f"csrf:{session_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_token(session: Session) -> str:
    return _csrf_for(_signing_keys()[0][1], session.session_id)


def _csrf_matches(session: Session, presented: str) -> bool:
    # Any current signing key may have made it (a rotation must not log everyone's forms out).
    return any(hmac.compare_digest(_csrf_for(key, session.session_id), presented) for _, key in _signing_keys())


def _cookie(cookies: list[str], name: str) -> str | None:
    for cookie in cookies:
        key, _, value = cookie.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def session_from_request(method: str, headers: dict[str, str], cookies: list[str] | None) -> Session | None:
    """The caller's session, or None when there is none; a cookie without its CSRF token on a write is a 403."""
    scheme, _, credentials = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.count(".") == 2:
        return read_session(credentials.strip())
    token = _cookie(cookies or [], COOKIE_NAME)
    if not token:
        return None
    session = read_session(token, via_cookie=True)
    if method.upper() not in _SAFE_METHODS and not _csrf_matches(session, headers.get(CSRF_HEADER) or ""):
        raise Forbidden(f"send the session's CSRF token in the {CSRF_HEADER.title()} header")
    return session


def session_cookie(token: str | None) -> Cookie:
    """The cookie of a new session, or (``None``) one that clears it."""
    return Cookie(
        name=COOKIE_NAME,
        value=token or "",
        path="/",
        # Secure everywhere but the local stack, which serves plain http and says so (LOCAL_PLAIN_HTTP): never
        # guessed from PUBLIC_BASE_URL's scheme, which is empty on a deployment that links to its own domain.
        secure=not get_settings().local_plain_http,
        http_only=True,
        max_age=SESSION_MINUTES * 60 if token else 0,
        same_site=SameSite.STRICT_MODE,
    )
