"""Sign-in throttling: password guessing is refused with a 429 before any scrypt runs, per client address first and
per login, alike for logins that exist and logins that do not, without locking the real person out for long."""

import json
import time

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body

from vitrine.auth import passwords, sign_in_throttle
from vitrine.people import accounts
from vitrine.people.models import CustomerInput, SellerInput

PASSWORD = "segredo-forte-123"
WRONG = "errada-12345"
ATTACKER, OFFICE = "203.0.113.7", "198.51.100.20"


def sign_in(email, password=PASSWORD, *, role="seller", address=OFFICE, headers=None):
    body = {"catalog": "loja", "role": role, "email": email, "password": password}
    return http("POST", "/api/sessions", body=json.dumps(body), source_ip=address, headers=headers)


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


@pytest.fixture
def people(stack):
    """Catalog 'loja' of merchant m1 with seller Ana and customer Loja Sul (web access), both with PASSWORD."""
    publish_small_catalog()
    accounts.save_seller("m1", "ana", SellerInput(name="Ana", email="ana@loja.com.br", password=PASSWORD))
    customer = CustomerInput(name="Loja Sul", document="11.222.333/0001-81", email="sul@lojas.com.br")
    accounts.save_customer("m1", "sul", customer, password=PASSWORD)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(sign_in_throttle, "clock", fake)
    return fake


@pytest.fixture
def scrypt_runs(monkeypatch):
    """How many times a password was hashed (a sign-in's check, or the dummy one for an unknown login)."""
    runs = []
    derive = passwords._derive
    monkeypatch.setattr(passwords, "_derive", lambda *args: runs.append(1) or derive(*args))
    return runs


def emitted_metrics(captured: str) -> list[tuple[str, dict]]:
    """(metric name, dimensions) of every EMF line printed."""
    found = []
    for line in captured.splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        for directive in record.get("_aws", {}).get("CloudWatchMetrics", []):
            dimensions = {name: record[name] for names in directive["Dimensions"] for name in names}
            found += [(metric["Name"], dimensions) for metric in directive["Metrics"]]
    return found


def test_thirty_wrong_passwords_then_the_right_one_is_throttled_and_costs_no_scrypt(stack, people, scrypt_runs, clock):
    # Given 30 wrong passwords for Ana from one address
    answers = [sign_in("ana@loja.com.br", WRONG, address=ATTACKER)["statusCode"] for _ in range(30)]
    # Then only the first 5 were checked; the rest were refused before hashing anything
    assert answers == [401] * 5 + [429] * 25
    assert len(scrypt_runs) == 5
    # And the 31st, with the right password, is refused as well, with a Retry-After and the project's error shape
    right = sign_in("ana@loja.com.br", address=ATTACKER)
    assert right["statusCode"] == 429 and not right.get("cookies")
    assert 1 <= int(right["headers"]["Retry-After"]) <= 30
    assert json_body(right)["error"]["code"] == "too_many_attempts"
    assert len(scrypt_runs) == 5


def test_an_unknown_login_is_counted_and_throttled_exactly_like_a_real_one(stack, people, scrypt_runs, clock):
    real = [sign_in("ana@loja.com.br", WRONG, address=ATTACKER) for _ in range(6)]
    unknown = [sign_in("ninguem@loja.com.br", WRONG, address="192.0.2.1") for _ in range(6)]
    for answers in (real, unknown):
        assert [a["statusCode"] for a in answers] == [401] * 5 + [429]
    # The same answers, word for word and second for second; the unknown login's 401s hashed too (dummy scrypt)
    assert json_body(real[-1]) == json_body(unknown[-1])
    assert real[-1]["headers"]["Retry-After"] == unknown[-1]["headers"]["Retry-After"]
    assert {json_body(a)["error"]["message"] for a in real[:5] + unknown[:5]} == {"e-mail or password not recognised"}
    assert len(scrypt_runs) == 10


def test_the_real_person_signs_in_from_another_address_while_the_guessers_address_is_locked(stack, people):
    for _ in range(8):
        sign_in("ana@loja.com.br", WRONG, address=ATTACKER)
    assert sign_in("ana@loja.com.br", address=ATTACKER)["statusCode"] == 429
    assert sign_in("ana@loja.com.br", address=OFFICE)["statusCode"] == 201
    # A forwarded header is the client's own words: it does not move the guesser to another address
    spoofed = sign_in("ana@loja.com.br", address=ATTACKER, headers={"x-forwarded-for": OFFICE})
    assert spoofed["statusCode"] == 429


def test_the_address_lock_expires_and_grows_with_each_failure_after_it(stack, people, clock):
    for _ in range(5):
        assert sign_in("ana@loja.com.br", WRONG, address=ATTACKER)["statusCode"] == 401
    assert sign_in("ana@loja.com.br", address=ATTACKER)["headers"]["Retry-After"] == "30"

    clock.now += 31
    assert sign_in("ana@loja.com.br", WRONG, address=ATTACKER)["statusCode"] == 401
    # The 6th failure locks twice as long
    assert 59 <= int(sign_in("ana@loja.com.br", address=ATTACKER)["headers"]["Retry-After"]) <= 60

    clock.now += 61
    assert sign_in("ana@loja.com.br", address=ATTACKER)["statusCode"] == 201
    # A success forgets the failures: the next mistake is a plain 401 again, and unlocked
    assert sign_in("ana@loja.com.br", WRONG, address=ATTACKER)["statusCode"] == 401
    assert sign_in("ana@loja.com.br", address=ATTACKER)["statusCode"] == 201


def test_guessing_from_many_addresses_delays_the_login_only_briefly(stack, people, clock):
    # Given 20 failures for Ana, each from a different address (no address lock)
    for n in range(20):
        assert sign_in("ana@loja.com.br", WRONG, address=f"192.0.2.{n + 1}")["statusCode"] == 401
    # Then Ana herself waits, from her own address, half a minute at most
    delayed = sign_in("ana@loja.com.br", address=OFFICE)
    assert delayed["statusCode"] == 429 and int(delayed["headers"]["Retry-After"]) <= 30
    # And not for longer
    clock.now += 30
    assert sign_in("ana@loja.com.br", address=OFFICE)["statusCode"] == 201


def test_b2b_customers_are_throttled_too_and_an_ipv6_client_counts_by_its_64(stack, people):
    addresses = [f"2001:db8:0:1::{n}" for n in range(1, 7)]
    answers = [sign_in("sul@lojas.com.br", WRONG, role="customer", address=a)["statusCode"] for a in addresses]
    assert answers == [401] * 5 + [429]
    assert sign_in("sul@lojas.com.br", role="customer", address="2001:db8:0:2::1")["statusCode"] == 201


def test_failed_and_throttled_sign_ins_are_metrics_by_kind_of_person(stack, people, capsys):
    capsys.readouterr()
    for _ in range(6):
        sign_in("ana@loja.com.br", WRONG, address=ATTACKER)
    sign_in("sul@lojas.com.br", WRONG, role="customer", address=OFFICE)
    metrics = emitted_metrics(capsys.readouterr().out)
    seller = [name for name, dims in metrics if dims.get("PersonKind") == "seller"]
    customer = [name for name, dims in metrics if dims.get("PersonKind") == "customer"]
    assert sorted(seller) == ["SignInFailed"] * 5 + ["SignInThrottled"]
    assert customer == ["SignInFailed"]


def test_a_guess_that_races_another_to_the_fifth_failure_is_throttled_without_scrypt(stack, people, monkeypatch):
    """Concurrent guesses cannot all pass a count of 4: the counters are written on the condition that they still
    hold what the attempt read."""
    for _ in range(4):
        sign_in("ana@loja.com.br", WRONG, address=ATTACKER)
    from vitrine.repository import sign_in_throttle as counters

    write = counters.write_counters
    raced = []

    def another_guess_lands_first(writes):
        if not raced:
            raced.append("racing")
            raced.append(sign_in("ana@loja.com.br", WRONG, address=ATTACKER)["statusCode"])
        return write(writes)

    monkeypatch.setattr(counters, "write_counters", another_guess_lands_first)
    checked = []
    monkeypatch.setattr(accounts, "verify_password", lambda *args: checked.append(1) or False)
    late = sign_in("ana@loja.com.br", WRONG, address=ATTACKER)
    # The guess that landed first was the 5th; the late one, read at 4, was counted against the lock it set
    assert raced == ["racing", 401] and late["statusCode"] == 429
    assert checked == [1]
