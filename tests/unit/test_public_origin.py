"""The public origin links start with: PUBLIC_BASE_URL is an https origin (the local stack's http loopback origin
only with LOCAL_PLAIN_HTTP), checked when the settings are read and by the template's AllowedPattern alike; without
it, links start with the domain API Gateway served the request on, never with a request header."""

import re
from types import SimpleNamespace

import pytest

from local_stack.template import load_template
from vitrine.errors import ConfigurationError
from vitrine.http import origins
from vitrine.settings import Settings

PATTERN = load_template()["Parameters"]["PublicBaseUrl"]["AllowedPattern"]
ORIGINS = ["https://loja.example.com", "https://loja.example.com:8443", "https://vitrine-loja.com.br"]
NOT_ORIGINS = [
    "http://loja.example.com",
    "javascript:alert(1)",
    "javascript://loja.example.com",
    "https://loja.example.com/vitrine",
    "https://loja.example.com?x=1",
    "https://loja.example.com#x",
    "https://user:pw@loja.example.com",
    "https://loja.example.com:x",
    "https://",
    "https://-loja.example.com",
    'https://loja.example.com"><script>',
    "//loja.example.com",
    "loja.example.com",
    "http://127.0.0.1:3000",
]


@pytest.mark.parametrize("value", ["", *ORIGINS, *(f"{origin}/" for origin in ORIGINS)])
def test_an_https_origin_is_taken_without_its_trailing_slash(value):
    settings = Settings.from_environment({"PUBLIC_BASE_URL": value})
    assert settings.public_base_url == value.rstrip("/")
    assert re.fullmatch(PATTERN, value), "the template's AllowedPattern takes it too"


@pytest.mark.parametrize("value", NOT_ORIGINS)
def test_anything_but_an_https_origin_is_refused_when_the_settings_are_read(value):
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL must be an https origin"):
        Settings.from_environment({"PUBLIC_BASE_URL": value})
    assert not re.fullmatch(PATTERN, value), "the template's AllowedPattern refuses it too"


@pytest.mark.parametrize("value", ["http://127.0.0.1:3000", "http://localhost:3000/", "https://loja.example.com"])
def test_the_local_stack_may_name_its_plain_http_loopback_origin(value):
    settings = Settings.from_environment({"PUBLIC_BASE_URL": value, "LOCAL_PLAIN_HTTP": "true"})
    assert settings.public_base_url == value.rstrip("/")


@pytest.mark.parametrize("value", ["http://loja.example.com", "http://10.0.0.1:3000", "javascript:alert(1)"])
def test_even_the_local_stack_names_no_other_plain_http_origin(value):
    with pytest.raises(ConfigurationError):
        Settings.from_environment({"PUBLIC_BASE_URL": value, "LOCAL_PLAIN_HTTP": "true"})


def event(domain_name: str, **headers: str) -> SimpleNamespace:
    return SimpleNamespace(headers=headers, request_context=SimpleNamespace(domain_name=domain_name))


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "https://abc123.execute-api.us-east-1.amazonaws.com"),
        ({"PUBLIC_BASE_URL": "https://loja.example.com/"}, "https://loja.example.com"),
        ({"LOCAL_PLAIN_HTTP": "true"}, "http://abc123.execute-api.us-east-1.amazonaws.com"),
    ],
)
def test_the_origin_is_configured_or_api_gateways_domain_never_a_header(monkeypatch, environment, expected):
    monkeypatch.setattr(origins, "get_settings", lambda: Settings.from_environment(environment))
    hostile = event(
        "abc123.execute-api.us-east-1.amazonaws.com", host="evil.example", **{"x-forwarded-proto": "javascript"}
    )
    assert origins.public_origin(hostile) == expected
