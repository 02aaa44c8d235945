"""The connect-time half of ``vitrine.outbound_targets``: a ``requests`` adapter whose connections resolve the host
once, refuse it unless every address it resolves to is allowed, and connect to one of those checked addresses.

Why here, at the socket. urllib3 resolves and connects in one step (``create_connection``), so a check made before
it (of the URL, or by resolving the name separately) can be answered differently by the resolver a moment later:
a name with a short TTL that resolves to a public address for the check and to 127.0.0.1 for the connection
(DNS rebinding). ``_PublicOnlyConnection._new_conn`` replaces that step: one ``getaddrinfo``, every answer
checked, then a socket to each checked address in turn (as ``create_connection`` tries them) and to no other.
Nothing else of the connection changes: ``self.host`` stays the name, so the ``Host`` header, TLS SNI and the
certificate's host-name verification are all against the name the merchant gave, while the socket goes to the
address that was checked. A kept-alive connection is reused without a new lookup: its address was checked when
it was opened.

Redirects go through the adapter again, so each hop is checked the same way (the callers do not follow them
anyway). Proxies are not used: a proxy would connect to the target itself, unchecked, so the sessions ignore the
environment (``trust_env = False``: its proxy variables, and with them ``REQUESTS_CA_BUNDLE`` and ``.netrc``, which
no Lambda sets) and the adapter refuses an explicit proxy.

Libraries considered: ``advocate``'s last release (2020) predates urllib3 2; ``requests-hardened`` (Saleor's) checks
only the first resolved address and needs its own session class. This is ~100 lines over
urllib3's documented extension points (``ConnectionCls``, ``pool_classes_by_scheme``, ``init_poolmanager``).

This module imports ``requests`` and ``urllib3`` at import: only ``vitrine.http_client.pooled_session`` and the
callers' error handling import it, at the first outbound call, never at cold start.
"""

import ipaddress
import socket
import sys
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NameResolutionError, NewConnectionError
from urllib3.util.connection import allowed_gai_family
from urllib3.util.timeout import _DEFAULT_TIMEOUT

from vitrine.outbound_targets import address_allowed, loopback_allowed


class AddressRefused(requests.ConnectionError):
    """The host resolves to an address Vitrine does not call; no connection was opened, nothing was sent."""


class _Refused(HTTPError):
    """Raised inside urllib3 (not an ``OSError``, so urllib3 neither wraps nor retries it) and turned into
    ``AddressRefused`` by the adapter."""


class _PublicOnlyConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        try:
            answers = socket.getaddrinfo(self._dns_host, self.port, allowed_gai_family(), socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        allow_loopback = loopback_allowed()
        for *_, address in answers:
            if not address_allowed(ipaddress.ip_address(address[0]), allow_loopback=allow_loopback):
                raise _Refused(f"{self.host} resolves to {address[0]}, which is not a public address")
        try:
            sock = self._connect_to_one_of(answers)
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc
        sys.audit("http.client.connect", self, self.host, self.port)
        return sock

    def _connect_to_one_of(self, answers: list[Any]) -> socket.socket:
        """The first of the checked addresses that accepts, as urllib3's ``create_connection`` would."""
        error: OSError = OSError(f"{self.host} resolves to no address")
        for family, kind, protocol, _, address in answers:
            sock = socket.socket(family, kind, protocol)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if self.timeout is not _DEFAULT_TIMEOUT:
                    sock.settimeout(self.timeout)
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(address)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error


class _PublicOnlyHTTPSConnection(_PublicOnlyConnection, HTTPSConnection):
    pass


class _PublicOnlyPool(HTTPConnectionPool):
    ConnectionCls = _PublicOnlyConnection


class _PublicOnlyHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """``HTTPAdapter`` whose every connection is checked (see the module docstring); retries as it is told."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicOnlyPool, "https": _PublicOnlyHTTPSPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        raise AddressRefused("outbound calls to merchants' targets go direct, never through a proxy")

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().send(request, *args, **kwargs)
        except _Refused as exc:
            raise AddressRefused(str(exc), request=request) from exc
