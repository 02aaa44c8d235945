"""Sessions slide while in use (issue 14 item 5): 12 hours after the last renewal, never past 7 days after signing
in, renewed only once past half the idle window (a new token, no write), on a clock the tests move."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import test_people_and_sessions as people_tests
from aws_requests import dynamodb_requests
from lambda_harness import http, json_body
from test_people_and_sessions import ORDER, bearer, sign_in

from vitrine.auth import sessions

shop = people_tests.shop  # the people fixture: catalog 'loja', sellers Ana and Bruno, customers Sul and Norte
HOUR = 3600
SIGNED_IN_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = SIGNED_IN_AT.timestamp()

    def __call__(self) -> float:
        return self.now

    def at(self, hours: float) -> "Clock":
        """Move to ``hours`` after the sign-in."""
        self.now = SIGNED_IN_AT.timestamp() + hours * HOUR
        return self


@pytest.fixture(autouse=True)
def _remembered_scrypt(remembered_scrypt):
    """Sessions, not hashing, are tested here: the real scrypt, each derivation once per process."""


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(sessions, "clock", fake)
    return fake


def session_cookie(response) -> str | None:
    """The session cookie the answer sets (its token and attributes), if any."""
    found = [c for c in response.get("cookies") or [] if c.startswith(f"{sessions.COOKIE_NAME}=")]
    return found[-1] if found else None


def cookie_token(response) -> str:
    return session_cookie(response).split(";")[0].split("=", 1)[1]


def as_cookie(token: str) -> dict[str, str]:
    return {"cookie": f"{sessions.COOKIE_NAME}={token}"}


def expiry(response) -> datetime:
    return datetime.fromisoformat(response["headers"]["X-Session-Expires-At"])


def test_a_session_in_use_is_renewed_once_past_half_its_idle_window_and_the_idle_one_ends(stack, shop, clock):
    # Given Ana signs in at 8:00: her cookie lasts 12 hours
    signed_in = sign_in("seller", "ana@loja.com.br")
    assert "Max-Age=43200" in session_cookie(signed_in)
    first = cookie_token(signed_in)
    # When she uses it an hour later, nothing is renewed: the answer sets no cookie
    clock.at(1)
    answer = http("GET", "/api/seller/customers", headers=as_cookie(first))
    assert answer["statusCode"] == 200 and session_cookie(answer) is None
    assert "X-Session-Expires-At" not in answer["headers"]
    # and past half the window (7 hours in) her cookie comes back with a token good until 12 hours from then
    clock.at(7)
    answer = http("GET", "/api/seller/customers", headers=as_cookie(first))
    assert answer["statusCode"] == 200 and "Max-Age=43200" in session_cookie(answer)
    assert expiry(answer) == SIGNED_IN_AT + timedelta(hours=19)
    renewed = cookie_token(answer)
    # Then at 13 hours the first token has ended and the renewed one stands
    clock.at(13)
    ended = http("GET", "/api/session", headers=as_cookie(first))
    assert ended["statusCode"] == 401 and "expired" in json_body(ended)["error"]["message"]
    assert http("GET", "/api/session", headers=as_cookie(renewed))["statusCode"] == 200
    # and left unused for 12 hours more, it ends too
    clock.at(19)
    assert http("GET", "/api/session", headers=as_cookie(renewed))["statusCode"] == 401


def test_a_renewal_keeps_the_session_and_its_csrf_token_and_writes_nothing(stack, shop, clock):
    # Given Loja Sul's cookie session, 8 hours in
    people_tests.enable_sul(shop)
    signed_in = sign_in("customer", "sul@lojas.com.br")
    csrf = json_body(signed_in)["csrf_token"]
    clock.at(8)
    with dynamodb_requests() as calls:
        answer = http("GET", "/api/session", headers=as_cookie(cookie_token(signed_in)))
    # Then the renewal cost the one read every session request makes, and no write
    assert answer["statusCode"] == 200 and session_cookie(answer) and calls == ["GetItem"]
    # and the same session goes on: its CSRF token places an order with the renewed cookie
    headers = {**as_cookie(cookie_token(answer)), "x-csrf-token": csrf, "idempotency-key": str(uuid.uuid4())}
    placed = http("POST", "/api/checkout", headers=headers, body=json.dumps(ORDER))
    assert placed["statusCode"] == 201, placed["body"]


def test_a_bearer_client_gets_its_renewed_token_in_a_header(stack, shop, clock):
    signed_in = sign_in("seller", "ana@loja.com.br")
    clock.at(6.5)
    answer = http("GET", "/api/session", headers=bearer(signed_in))
    token = answer["headers"]["X-Session-Token"]
    assert session_cookie(answer) is None and expiry(answer) == SIGNED_IN_AT + timedelta(hours=18.5)
    clock.at(13)
    assert http("GET", "/api/session", headers=bearer(signed_in))["statusCode"] == 401
    assert http("GET", "/api/session", headers={"authorization": f"Bearer {token}"})["statusCode"] == 200


def test_no_session_outlives_seven_days_after_signing_in_however_much_it_is_used(stack, shop, clock):
    # Given Ana uses her session every 7 hours, each answer renewing it
    token = cookie_token(sign_in("seller", "ana@loja.com.br"))
    for hours in range(7, 7 * 24, 7):
        clock.at(hours)
        answer = http("GET", "/api/session", headers=as_cookie(token))
        assert answer["statusCode"] == 200, hours
        token = cookie_token(answer) if session_cookie(answer) else token
    # Then the renewals stop at the week: the last token expires 7 days after she signed in
    assert expiry(answer) == SIGNED_IN_AT + timedelta(days=7)
    clock.at(7 * 24 - 0.5)
    assert session_cookie(http("GET", "/api/session", headers=as_cookie(token))) is None
    clock.at(7 * 24)
    assert http("GET", "/api/session", headers=as_cookie(token))["statusCode"] == 401
    # and she signs in again for another week
    assert sign_in("seller", "ana@loja.com.br")["statusCode"] == 201


def test_signing_out_when_a_renewal_is_due_clears_the_cookie_and_sets_no_other(stack, shop, clock):
    signed_in = sign_in("seller", "ana@loja.com.br")
    clock.at(11)
    headers = {**as_cookie(cookie_token(signed_in)), "x-csrf-token": json_body(signed_in)["csrf_token"]}
    answer = http("DELETE", "/api/sessions", headers=headers)
    assert answer["statusCode"] == 204
    (cookie,) = answer["cookies"]
    assert re.match(rf"{sessions.COOKIE_NAME}=;", cookie) and "Max-Age=0" in cookie
