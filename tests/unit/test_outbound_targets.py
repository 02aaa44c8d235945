"""The outbound URL rule (issue 13 item 1), for the two models a merchant gives a URL in: a webhook endpoint's
``url`` and an ERP connector's ``base_url``. Only a canonical, public host passes; every other spelling of an
address is refused, not interpreted (glibc's resolver reads ``2130706433``, ``0x7f000001``, ``0177.0.0.1``,
``127.1`` and ``0`` as 127.0.0.1 or 0.0.0.0), on a deployment and on the local stack alike. The local stack's
allowance of loopback is its own setting, not the stage's name."""

import pytest
from inside_spellings import INSIDE_SPELLINGS
from pydantic import ValidationError

from vitrine.erp.connector import ErpConnectorInput
from vitrine.settings import get_settings
from vitrine.webhooks.endpoints import NewWebhookEndpoint


@pytest.fixture
def environment(monkeypatch):
    def set_environment(**variables: str) -> None:
        for name in ("STAGE", "OUTBOUND_ALLOW_LOOPBACK"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_environment
    get_settings.cache_clear()


DEPLOYED = {"STAGE": "prod"}
LOCAL_STACK = {"STAGE": "local", "OUTBOUND_ALLOW_LOOPBACK": "true"}


def webhook_url(url: str) -> str:
    return NewWebhookEndpoint(url=url, event_types=["OrderPaid"]).url


def connector_url(url: str) -> str:
    return ErpConnectorInput(base_url=url, token="erp-token-0123456789").base_url


MODELS = [(webhook_url, "url"), (connector_url, "base_url")]

# Each is, to a resolver or a browser, an address inside (loopback, link-local, private, unspecified) or a name
# that resolves there; each spelling is refused whatever it would resolve to.
REFUSED_EVERYWHERE = [
    *(f"https://{host}/hooks" for host in INSIDE_SPELLINGS),
    "https://0x7f.0.0.1/",
    "https://127.0.0.01/",
    "https://1.2.3.4.5/",
    "https://erp.example.123/",  # a name ending in a number is an IPv4 address to a browser
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, mapped
    "https://[64:ff9b::a9fe:a9fe]/",  # NAT64
    "https://[2001:4860:4860:0:0:0:0:8888]/",  # public, but not canonical
    "https://[fe80::1%25eth0]/",
    "https://erp.example.com.br./",
    "https://127.0.0.1./",
    "https://api.localhost/",
    "https://erp.internal/",
    "https://printer.local/",
    "https://intranet/",  # one label: the VPC's search domain would complete it
    "https://169.254.169.254/latest/meta-data",
    "https://[fd00:ec2::254]/latest/meta-data",  # the instance metadata service over IPv6
    "https://10.0.0.7/",
    "https://172.16.0.1/",
    "https://192.168.0.10/",
    "https://100.64.0.1/",  # shared address space
    "https://0.0.0.0/",
    "https://[::]/",
    "https://224.0.0.1/",
    "https://[ff02::1]/",
    "https://255.255.255.255/",
    "https://erp.example.com\\@127.0.0.1/",  # parsers disagree on these
    "https://erp.example.com /",
    "https://%31%32%37.0.0.1/",
    "https://\uff45\uff52\uff50.example.com/",  # full-width letters, which IDNA maps to ASCII
    "https://erp.example.com:99999/",
    "https:///hooks",
    "https://user:pw@erp.example.com/",
    "ftp://erp.example.com/",
    "http://erp.example.com/",
    "http://10.0.0.7/",
]


@pytest.mark.parametrize("stage", [DEPLOYED, LOCAL_STACK], ids=["deployed", "local stack"])
@pytest.mark.parametrize("url", REFUSED_EVERYWHERE)
@pytest.mark.parametrize(("model", "field"), MODELS, ids=["webhook", "connector"])
def test_a_spelling_of_an_inside_address_is_refused_naming_the_field(environment, stage, url, model, field):
    environment(**stage)
    with pytest.raises(ValidationError) as refused:
        model(url)
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]


@pytest.mark.parametrize(
    "url",
    [
        "https://erp.example.com.br/hooks",
        "https://ERP.Example.com:8443/v",
        "https://123.example.com/x",
        "https://xn--lojao-3ra.com.br/x",
        "https://200.147.67.142/x",
        "https://[2001:4860:4860::8888]:8443/x",
    ],
)
@pytest.mark.parametrize(("model", "field"), MODELS, ids=["webhook", "connector"])
def test_a_canonical_public_host_is_accepted(environment, url, model, field):
    environment(**DEPLOYED)
    assert model(url) == url.rstrip("/")


LOOPBACK = [
    "http://127.0.0.1:9000/hooks",
    "http://localhost:9000/h",
    "http://[::1]:9000/h",
    "https://127.0.0.1/h",
    "https://localhost/h",
]


@pytest.mark.parametrize("url", LOOPBACK)
@pytest.mark.parametrize(("model", "field"), MODELS, ids=["webhook", "connector"])
def test_the_local_stack_may_target_loopback(environment, url, model, field):
    environment(**LOCAL_STACK)
    assert model(url) == url


@pytest.mark.parametrize("stage", [DEPLOYED, {"STAGE": "local"}], ids=["deployed", "a stage called local"])
@pytest.mark.parametrize("url", LOOPBACK)
@pytest.mark.parametrize(("model", "field"), MODELS, ids=["webhook", "connector"])
def test_loopback_needs_the_local_stacks_setting(environment, stage, url, model, field):
    environment(**stage)
    with pytest.raises(ValidationError):
        model(url)


def test_the_error_says_how_to_write_the_address(environment):
    environment(**DEPLOYED)
    with pytest.raises(ValidationError) as refused:
        webhook_url("https://0177.0.0.1/hooks")
    assert "four decimal numbers" in refused.value.errors()[0]["msg"]
    with pytest.raises(ValidationError) as refused:
        webhook_url("https://[2001:4860:4860:0:0:0:0:8888]/")
    assert "[2001:4860:4860::8888]" in refused.value.errors()[0]["msg"]


def test_no_deployment_allows_loopback_only_the_local_stack_does():
    from local_stack.deploy import LOCAL_ONLY_ENVIRONMENT
    from local_stack.template import INFRA_DIR
    from vitrine.settings import Settings

    assert "OUTBOUND_ALLOW_LOOPBACK" not in (INFRA_DIR / "template.yaml").read_text()
    assert Settings.from_environment({"STAGE": "local"}).outbound_allow_loopback is False
    assert Settings.from_environment(LOCAL_ONLY_ENVIRONMENT).outbound_allow_loopback is True
