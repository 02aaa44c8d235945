"""The CEP lookup: ViaCEP's adapter against its recorded answers (``responses``, tests/fixtures/viacep), the route
the checkout calls (``GET /api/cep/{cep}``), and the local stack's sandbox over real HTTP on loopback."""

import json
from pathlib import Path

import pytest
import requests
import responses
from lambda_harness import http, json_body
from responses import registries

from local_stack.sandbox_cep import SandboxCep
from vitrine.cep_lookup import CepAddress, CepStatus, cep_lookup
from vitrine.errors import ConfigurationError
from vitrine.settings import get_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "viacep"
VIACEP = "https://viacep.com.br/ws"
PAULISTA = CepAddress(cep="01310-100", street="Avenida Paulista", district="Bela Vista", city="São Paulo", state="SP")


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def lookup():
    """The container's lookup built afresh (settings read now, empty cache) and dropped after the test."""
    cep_lookup.cache_clear()
    get_settings.cache_clear()
    yield cep_lookup
    cep_lookup.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def viacep(lookup):
    with responses.RequestsMock(registry=registries.OrderedRegistry) as mock:
        yield mock


# ---- the adapter, against ViaCEP's answers


@pytest.mark.parametrize(
    ("cep", "fixture", "expected"),
    [
        ("01310100", "found_01310100.json", PAULISTA),
        (
            "01001000",
            "found_01001000_before_2024.json",
            CepAddress(cep="01001-000", street="Praça da Sé", district="Sé", city="São Paulo", state="SP"),
        ),
        # A CEP that covers a whole town: the page fills the city and state, the shopper the street.
        ("37925000", "found_37925000_city_wide.json", CepAddress("37925-000", "", "", "Piumhi", "MG")),
    ],
)
def test_a_known_cep_is_its_street_district_city_and_state(viacep, cep, fixture, expected):
    viacep.get(f"{VIACEP}/{cep}/json/", json=recorded(fixture))
    result = cep_lookup().lookup(cep)
    assert (result.status, result.address) == (CepStatus.FOUND, expected)
    (call,) = viacep.calls
    assert call.request.headers["User-Agent"] == "Vitrine-CepLookup/1.0"


@pytest.mark.parametrize("fixture", ["not_found.json", "not_found_before_2024.json"])
def test_an_unknown_cep_is_not_found_whichever_way_viacep_says_erro(viacep, fixture):
    viacep.get(f"{VIACEP}/99999999/json/", json=recorded(fixture))
    assert cep_lookup().lookup("99999999").status is CepStatus.NOT_FOUND


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"status": 400, "body": (FIXTURES / "bad_request_400.html").read_text()}, id="400-html"),
        pytest.param({"status": 500, "body": "<h1>Erro 500</h1>"}, id="500"),
        pytest.param({"status": 429, "body": ""}, id="429-throttled"),
        pytest.param({"status": 301, "headers": {"Location": "https://example.com/"}}, id="redirect-not-followed"),
        pytest.param({"status": 200, "body": "<html>manutenção</html>"}, id="not-json"),
        pytest.param({"status": 200, "json": ["01310-100"]}, id="not-an-object"),
        pytest.param({"status": 200, "json": {**recorded("found_01310100.json"), "uf": "São Paulo"}}, id="bad-uf"),
        pytest.param({"status": 200, "json": recorded("found_01001000_before_2024.json")}, id="another-cep"),
        pytest.param(
            {"status": 200, "json": {**recorded("found_01310100.json"), "logradouro": "Av.\u202eatsiluaP"}},
            id="bidi-override-in-the-street",
        ),
        pytest.param({"status": 200, "body": "{" + " " * 20_000 + "}"}, id="too-large"),
        pytest.param({"body": requests.exceptions.ReadTimeout("slow")}, id="read-timeout"),
        pytest.param({"body": requests.exceptions.ConnectionError("refused")}, id="unreachable"),
    ],
)
def test_whatever_goes_wrong_the_lookup_is_unknown_never_an_exception(viacep, answer):
    viacep.get(f"{VIACEP}/01310100/json/", **answer)
    result = cep_lookup().lookup("01310100")
    assert result.status is CepStatus.UNKNOWN and result.address is None
    assert result.reason
    assert len(viacep.calls) == 1  # a redirect is not followed, a read timeout not retried
    # and what could not say is never kept: the next lookup asks ViaCEP again
    viacep.get(f"{VIACEP}/01310100/json/", json=recorded("found_01310100.json"))
    assert cep_lookup().lookup("01310100").address == PAULISTA


def test_a_bad_gateway_is_asked_once_more_and_then_answers(viacep, monkeypatch):
    from urllib3.util.retry import Retry

    monkeypatch.setattr(Retry, "get_backoff_time", lambda self: 0)
    viacep.get(f"{VIACEP}/01310100/json/", status=503)
    viacep.get(f"{VIACEP}/01310100/json/", json=recorded("found_01310100.json"))
    assert cep_lookup().lookup("01310100").address == PAULISTA
    assert len(viacep.calls) == 2


def test_a_base_url_vitrine_may_not_call_fails_at_first_use_naming_the_setting(lookup, monkeypatch, outbound_deployed):
    monkeypatch.setenv("CEP_LOOKUP_BASE_URL", "http://viacep.com.br/ws")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="CEP_LOOKUP_BASE_URL"):
        cep_lookup()


# ---- the route the checkout calls


def test_the_route_answers_the_address_cacheable_for_a_day_and_asks_viacep_once(stack, viacep):
    viacep.get(f"{VIACEP}/01310100/json/", json=recorded("found_01310100.json"))
    first = http("GET", "/api/cep/01310-100")
    assert first["statusCode"] == 200
    assert json_body(first) == {
        "cep": "01310-100",
        "street": "Avenida Paulista",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
    }
    assert first["headers"]["Cache-Control"] == "public, max-age=86400"
    # the same CEP typed without its hyphen, a moment later, comes from the container's cache
    assert json_body(http("GET", "/api/cep/01310100")) == json_body(first)
    assert len(viacep.calls) == 1


def test_the_route_says_cep_not_found_and_does_not_let_it_be_cached_for_a_day(stack, viacep):
    viacep.get(f"{VIACEP}/99999999/json/", json=recorded("not_found.json"))
    response = http("GET", "/api/cep/99999-999")
    assert response["statusCode"] == 404
    assert json_body(response)["error"]["code"] == "cep_not_found"
    assert response["headers"]["Cache-Control"] == "no-store"


@pytest.mark.parametrize("cep", ["0131010", "013101000", "01310_100", "abcdefgh", "0131-0100", "١٢٣٤٥٦٧٨"])
def test_a_cep_that_is_not_8_digits_is_a_422_and_viacep_is_not_asked(stack, viacep, cep):
    response = http("GET", f"/api/cep/{cep}")
    assert response["statusCode"] == 422
    error = json_body(response)["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "path.cep"
    assert len(viacep.calls) == 0


def test_when_viacep_fails_the_route_is_a_503_the_page_can_read(stack, viacep):
    viacep.get(f"{VIACEP}/01310100/json/", status=500)
    response = http("GET", "/api/cep/01310100")
    assert response["statusCode"] == 503
    assert json_body(response)["error"]["code"] == "cep_lookup_unavailable"
    assert response["headers"]["Retry-After"] == "30"
    assert response["headers"]["Cache-Control"] == "no-store"


# ---- the local stack's sandbox, over real HTTP through the real adapter


@pytest.fixture
def sandbox(lookup, monkeypatch):
    server = SandboxCep()
    server.start()
    for name, value in server.environment().items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield server
    server.stop()


def test_the_sandbox_answers_in_viacep_shapes_through_the_real_adapter(sandbox, outbound_local_stack):
    lookup = cep_lookup()
    assert lookup.lookup("01310100").address == PAULISTA
    assert lookup.lookup("37925000").address == CepAddress("37925-000", "", "", "Piumhi", "MG")
    assert lookup.lookup("12345678").status is CepStatus.NOT_FOUND
    assert lookup.lookup("99999500").status is CepStatus.UNKNOWN  # the sandbox's failing CEP: HTTP 500
    assert lookup.lookup("01310100").address == PAULISTA  # cached: not asked again
    assert sandbox.status()["asked"] == ["01310100", "37925000", "12345678", "99999500"]
    # Its answers are ViaCEP's: a known CEP has ViaCEP's current fields, a malformed one is the 400 HTML page
    known = requests.get(f"{sandbox.api_url}/01310-100/json/", timeout=5)
    assert set(known.json()) == set(recorded("found_01310100.json"))
    malformed = requests.get(f"{sandbox.api_url}/0131/json/", timeout=5)
    assert malformed.status_code == 400 and malformed.headers["Content-Type"].startswith("text/html")


def test_as_deployed_the_lookup_never_reaches_a_loopback_service(sandbox, outbound_deployed):
    # Given CEP_LOOKUP_BASE_URL points at loopback where loopback is not allowed, the setting itself is refused
    with pytest.raises(ConfigurationError):
        cep_lookup()
    assert sandbox.status()["asked"] == []
