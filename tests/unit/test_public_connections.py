"""The connect-time check of every outbound session (issue 13 item 1): the host is resolved once, refused unless
every address is public, and the socket goes to the address that was checked, while the Host header, TLS SNI and
the certificate's verification keep the name.

The resolver is ``tests/fake_dns.py``; servers are on 127.0.0.1 and reached by a made-up name with the local
stack's loopback allowance on; a connection to any other address is refused by the test before it leaves the
machine. The TLS test's certificates are made with ``cryptography`` (pinned in requirements/dev.txt for moto).
"""

import datetime
import http.server
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fake_dns import FakeDns
from fake_http import JsonHandler

from vitrine.http_client import pooled_session
from vitrine.outbound_targets import address_allowed
from vitrine.public_connections import AddressRefused

NAME = "erp.loja-um.com.br"
PUBLIC = "200.147.67.142"


@pytest.fixture
def dns(monkeypatch) -> FakeDns:
    return FakeDns(monkeypatch)


class Server(http.server.ThreadingHTTPServer):
    """Answers every GET 200 with the Host header it got, or a redirect to ``redirect_to``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hosts: list[str] = []
        self.redirect_to: str | None = None
        self.server_names: list[str | None] = []

    @property
    def port(self) -> int:
        return self.server_address[1]


class _Handler(JsonHandler):
    server: Server
    protocol_version = "HTTP/1.1"  # keep-alive, so a second request can reuse the connection

    def do_GET(self) -> None:
        self.server.hosts.append(self.headers["Host"])
        if self.server.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, {"host": self.headers["Host"]})


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def session() -> requests.Session:
    return pooled_session(user_agent="Vitrine-Test/1.0")


# ---------------------------------------------------------------- which addresses


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.254", "0.0.0.0", "224.0.0.251", "240.0.0.1", "255.255.255.255", "192.0.0.8", "198.18.0.1",
        "::1", "::", "::ffff:127.0.0.1", "::127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1",
        "2002:a9fe:a9fe::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "fec0::1", "2001:db8::1",
    ],
)  # fmt: skip
def test_addresses_inside_are_never_connected_to(address):
    assert not address_allowed(ipaddress.ip_address(address), allow_loopback=False)


@pytest.mark.parametrize("address", ["200.147.67.142", "8.8.8.8", "2001:4860:4860::8888", "2002:c893:438e::1"])
def test_public_addresses_are_connected_to(address):
    assert address_allowed(ipaddress.ip_address(address), allow_loopback=False)


@pytest.mark.parametrize(("address", "allowed"), [("127.0.0.1", True), ("::1", True), ("::ffff:127.0.0.1", True),
                                                  ("10.0.0.1", False), ("169.254.169.254", False)])  # fmt: skip
def test_the_local_stacks_allowance_adds_loopback_only(address, allowed):
    assert address_allowed(ipaddress.ip_address(address), allow_loopback=True) is allowed


# ---------------------------------------------------------------- refused before any connection


@pytest.mark.parametrize(
    "inside",
    ["127.0.0.1", "10.0.0.5", "169.254.169.254", "100.64.0.9", "0.0.0.0", "::1", "::ffff:127.0.0.1", "fd00:ec2::254"],
)
def test_a_name_that_resolves_inside_is_refused_without_a_connection(outbound_deployed, dns, inside):
    dns.answer(NAME, [inside])

    with pytest.raises(AddressRefused) as refused:
        session().get(f"https://{NAME}/products", headers={"Authorization": "Bearer erp-token"}, timeout=2)

    assert dns.connects == []
    assert f"{NAME} resolves to {inside}" in str(refused.value)
    assert isinstance(refused.value, requests.ConnectionError)  # callers that catch RequestException still do


def test_every_address_a_name_resolves_to_is_checked(outbound_deployed, dns):
    dns.answer(NAME, [PUBLIC, "127.0.0.1"])

    with pytest.raises(AddressRefused):
        session().get(f"https://{NAME}/", timeout=2)

    assert dns.connects == []


def test_an_address_literal_stored_before_the_input_rule_is_refused_too(outbound_deployed, dns):
    with pytest.raises(AddressRefused):
        session().post("https://2130706433/hooks", data=b"{}", timeout=2)
    with pytest.raises(AddressRefused):
        session().post("https://[::ffff:127.0.0.1]/hooks", data=b"{}", timeout=2)
    assert dns.connects == []


def test_the_connection_goes_to_the_address_checked_with_no_second_lookup(outbound_deployed, dns):
    # Rebinding: public for the first lookup, loopback for any later one. One lookup, and its address is used.
    dns.answer(NAME, [PUBLIC], ["127.0.0.1"])

    with pytest.raises(requests.ConnectionError) as failed:
        session().get(f"https://{NAME}/", timeout=2)

    assert not isinstance(failed.value, AddressRefused)  # refused by the test's network, at the public address
    assert dns.lookups == [NAME]
    assert dns.connects == [(PUBLIC, 443)]


def test_a_redirect_to_a_name_that_resolves_inside_is_refused(outbound_local_stack, dns, server):
    dns.answer(NAME, ["127.0.0.1"])
    dns.answer("cache.loja-um.com.br", ["10.0.0.5"])
    server.redirect_to = f"http://cache.loja-um.com.br:{server.port}/"

    with pytest.raises(AddressRefused):
        session().get(f"http://{NAME}:{server.port}/", timeout=2)  # allow_redirects defaults to True

    assert dns.connects == [("127.0.0.1", server.port)]


def test_on_the_local_stack_a_name_that_resolves_to_a_private_address_is_refused(outbound_local_stack, dns):
    dns.answer(NAME, ["10.0.0.5"])

    with pytest.raises(AddressRefused):
        session().get(f"https://{NAME}/", timeout=2)


# ---------------------------------------------------------------- what a connection keeps of the name


def test_the_host_header_keeps_the_name_while_the_socket_goes_to_the_checked_address(outbound_local_stack, dns, server):
    dns.answer(NAME, ["127.0.0.1"], [PUBLIC])
    pooled = session()

    first = pooled.get(f"http://{NAME}:{server.port}/a", timeout=2)
    second = pooled.get(f"http://{NAME}:{server.port}/b", timeout=2)  # the kept-alive connection: no new lookup

    assert (first.status_code, second.status_code) == (200, 200)
    assert server.hosts == [f"{NAME}:{server.port}"] * 2
    assert dns.lookups == [NAME]
    assert dns.connects == [("127.0.0.1", server.port)]


def test_a_proxy_is_never_used(outbound_local_stack, dns, server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.loja-um.com.br:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.loja-um.com.br:3128")
    dns.answer(NAME, ["127.0.0.1"])

    assert session().get(f"http://{NAME}:{server.port}/", timeout=2).status_code == 200
    assert dns.lookups == [NAME]
    with pytest.raises(AddressRefused):
        session().get(f"http://{NAME}:{server.port}/", timeout=2, proxies={"http": f"http://127.0.0.1:{server.port}"})


def test_the_gateways_session_is_not_restricted(dns, server):
    gateway = pooled_session(public_only=False)
    assert gateway.get(f"http://127.0.0.1:{server.port}/", timeout=2).status_code == 200


# ---------------------------------------------------------------- TLS: SNI and verification against the name


@pytest.fixture
def tls_server(server, tmp_path) -> tuple[Server, Path]:
    """``server`` over TLS with a certificate for ``NAME`` only, from a CA the test trusts; records the SNI."""
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Vitrine Test CA")])
    now = datetime.datetime.now(datetime.UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.pem").write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "leaf.pem")
    context.sni_callback = lambda _socket, name, _context: server.server_names.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server, tmp_path / "ca.pem"


def test_tls_is_verified_against_the_name_with_its_sni_while_connecting_to_the_checked_address(
    outbound_local_stack, dns, tls_server
):
    server, ca = tls_server
    dns.answer(NAME, ["127.0.0.1"])
    dns.answer("outro.loja-um.com.br", ["127.0.0.1"])

    answer = session().get(f"https://{NAME}:{server.port}/", timeout=5, verify=str(ca))

    assert answer.status_code == 200 and answer.json() == {"host": f"{NAME}:{server.port}"}
    assert server.server_names == [NAME]
    assert dns.connects == [("127.0.0.1", server.port)]
    # The same address under a name the certificate does not carry: verification fails, so it is the name checked.
    with pytest.raises(requests.exceptions.SSLError):
        session().get(f"https://outro.loja-um.com.br:{server.port}/", timeout=5, verify=str(ca))
