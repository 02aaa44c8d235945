"""A resolver for tests of outbound calls: names answer what the test says (a list per lookup, so a name can
change its answer between two lookups, as DNS rebinding does), IP literals resolve as numbers, and any other name
fails to resolve, so no test asks a real DNS server. ``connects`` records every TCP connect of the process; one
to an address outside loopback is refused without leaving the machine."""

import _socket
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class FakeDns:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.connects: list[tuple[str, int]] = []
        real_getaddrinfo = socket.getaddrinfo

        def getaddrinfo(host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0):
            name = host.decode() if isinstance(host, bytes) else host
            if name not in self.answers:
                return real_getaddrinfo(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
            self.lookups.append(name)
            answers = self.answers[name]
            addresses = answers.pop(0) if len(answers) > 1 else answers[0]
            return [_entry(address, int(port)) for address in addresses]

        def connect(sock: socket.socket, address: Any) -> None:
            self.connects.append((address[0], address[1]))
            if address[0] not in ("127.0.0.1", "::1"):
                raise ConnectionRefusedError(f"the test refuses a connection to {address[0]} (off this machine)")
            _socket.socket.connect(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)

    def answer(self, name: str, *lookups: list[str]) -> None:
        """``name`` resolves to ``lookups[0]`` the first time, ``lookups[1]`` the next, the last one from then on."""
        self.answers[name] = [list(addresses) for addresses in lookups]


def _entry(address: str, port: int) -> tuple:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))


class UnansweredPort:
    """A port on 127.0.0.1 that listens and never accepts: where a call that slipped through the check would land."""

    def __init__(self, listener: socket.socket) -> None:
        self._listener = listener
        self.port: int = listener.getsockname()[1]

    def assert_untouched(self) -> None:
        with pytest.raises(BlockingIOError):
            self._listener.accept()


@contextmanager
def unanswered_port() -> Iterator[UnansweredPort]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        yield UnansweredPort(listener)
