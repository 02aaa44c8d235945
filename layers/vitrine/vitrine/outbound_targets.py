"""Where Vitrine may send a request on a merchant's say-so (an outbound webhook endpoint, an ERP connector's base
URL): the rule for the URL a merchant gives, and the rule for the addresses its host resolves to.

Two checks, because one is not enough. At input, ``check_outbound_url`` takes only a URL whose host has one
meaning: a DNS name, or an IPv4 address written as a canonical dotted quad, or a bracketed IPv6 address in its
canonical form, and never one that names the inside (loopback, private, link-local, ``localhost``). Resolvers
accept far more than that (``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``, ``0`` are all 127.0.0.1 or
0.0.0.0 to glibc's ``inet_aton``; ``[::ffff:127.0.0.1]`` is loopback inside IPv6; ``localhost.`` is ``localhost``),
so a check of the host as written lets them by: those spellings are refused (a 422 naming the field), not
interpreted. Then at every connection (``vitrine.public_connections``), the name is resolved once, every address
it resolves to must pass ``address_allowed``, and the connection goes to one of those very addresses: a name
that resolves inside, now or after a DNS change (rebinding), is refused before a byte is sent.

What is public: ``ipaddress``'s own flags are not enough in Python 3.11 (``224.0.0.1`` and ``::127.0.0.1`` are
"global" to it), so an address passes only if it is global and none of loopback, private, link-local, multicast,
reserved, unspecified or site-local, and not in the shared address space 100.64.0.0/10 (carrier-grade NAT, which
can route to internal workloads) nor the other ranges listed below; an IPv6 address that carries an IPv4 one
(IPv4-mapped, IPv4-compatible, NAT64, 6to4) must pass with that IPv4 address too. The AWS instance metadata
addresses (169.254.169.254, fd00:ec2::254) are link-local and private, so they never pass.

The local stack: ``OUTBOUND_ALLOW_LOOPBACK=true`` (``Settings.outbound_allow_loopback``, false unless set; only
``infra/local_stack`` sets it, the template never does) also allows loopback addresses, and plain ``http`` to a
loopback host, so the sandbox ERP and a receiver on the developer's machine can be targets. It allows loopback
only: a private or link-local address is refused there too. It is a setting of its own, not inferred from the
stage's name, so no deployment gets it by what it is called.

Host names are ASCII: an internationalised name is given in its ``xn--`` form, because the IDNA mapping a client
applies (full-width digits and dots become ASCII ones) would otherwise turn a name that passed into a number.
"""

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

from vitrine.settings import get_settings

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges that are not public, some of which Python 3.11's is_private/is_global do not flag (3.13's lists do).
_NOT_PUBLIC_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "100.64.0.0/10",  # shared address space (RFC 6598)
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "2001::/23",  # IETF protocol assignments (Teredo, ORCHID, ...)
        "5f00::/16",  # SRv6 SIDs
    )
)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Special-use names that resolve inside by definition (RFC 6761, 6762, 8375; ICANN's .internal).
_INSIDE_SUFFIXES = ("localhost", "local", "internal", "home.arpa")
_LOOPBACK_HOSTS = ("localhost",)
# RFC 3986's characters: anything else (spaces, backslashes, control or non-ASCII characters) is read differently
# by different URL parsers, so the host this module checks could differ from the one a client connects to.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DNS_NAME = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# WHATWG URL: a host whose last label is a number (decimal, or 0x hex) is an IPv4 address to browsers and resolvers.
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")


def loopback_allowed() -> bool:
    """True on the local stack only (``OUTBOUND_ALLOW_LOOPBACK``), read at each use so a test can set it."""
    return get_settings().outbound_allow_loopback


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _IPV4_COMPATIBLE or address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def _public_alone(address: IpAddress) -> bool:
    flagged = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )
    return address.is_global and not flagged and not any(address in net for net in _NOT_PUBLIC_NETWORKS)


def is_public_address(address: IpAddress) -> bool:
    """An address of the public internet; an IPv6 address carrying an IPv4 one must be public as both."""
    inner = _embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else None
    return _public_alone(address) and (inner is None or _public_alone(inner))


def is_loopback_address(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def address_allowed(address: IpAddress, *, allow_loopback: bool) -> bool:
    """Whether Vitrine may connect to ``address``: public, or loopback where loopback is allowed."""
    return is_public_address(address) or (allow_loopback and is_loopback_address(address))


def check_outbound_url(url: str, *, authenticate_by: str) -> str:
    """``url`` if Vitrine may call it on a merchant's say-so, else ``ValueError`` saying why (a pydantic validator
    turns it into a 422 naming the field). ``authenticate_by`` names what replaces credentials in the URL, e.g.
    "the signature" or "the token"."""
    parts = _split(
        url, credentials=f"credentials in the URL would be logged with it; authenticate by {authenticate_by} instead"
    )
    allow_loopback = loopback_allowed()
    loopback = _check_host(parts, allow_loopback=allow_loopback)
    if parts.scheme == "https" or (parts.scheme == "http" and loopback):
        return url
    allowed = "https, or http to a loopback host on the local stack" if allow_loopback else "https"
    raise ValueError(f"the URL must be {allowed}")


def check_public_link(url: str) -> str:
    """``url`` if a page may show it to shoppers as a link (a merchant's return policy), else ``ValueError``: https
    to a public host written canonically, by the rule of outbound URLs, and never loopback, not even on the local
    stack (a shopper's browser would open its own machine)."""
    parts = _split(url, credentials="a link must not carry a user name or password")
    _check_host(parts, allow_loopback=False)
    if parts.scheme != "https":
        raise ValueError("the link must be https")
    return url


def _split(url: str, *, credentials: str) -> SplitResult:
    """``url``'s parts once its characters and port are a URL's and it carries no credentials (``credentials``: the
    reason given when it does)."""
    if not _URL_CHARACTERS.fullmatch(url):
        raise ValueError("the URL has characters a URL does not (spaces, backslashes, non-ASCII): percent-encode them")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit only checks the port when it is read
    except ValueError as exc:
        raise ValueError("not a URL with a host and a port from 1 to 65535") from exc
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError(credentials)
    return parts


def _check_host(parts: SplitResult, *, allow_loopback: bool) -> bool:
    """Refuses a host that is not canonical or not public; True when it is a loopback host (allowed only where
    ``allow_loopback``)."""
    written = parts.netloc.lower()
    if written.startswith("["):
        literal, _, rest = written[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError("nothing but a port may follow the IPv6 address in brackets")
        return _check_ipv6_literal(literal, allow_loopback=allow_loopback)
    host = written.rsplit(":", 1)[0] if ":" in written else written
    if not host:
        raise ValueError("the URL names no host")
    if host.endswith("."):
        raise ValueError("the host ends with a dot; write the name without it")
    if _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]):
        return _check_ipv4_literal(host, allow_loopback=allow_loopback)
    if host in _LOOPBACK_HOSTS and allow_loopback:
        return True
    if not _DNS_NAME.fullmatch(host) or len(host) > 253:
        raise ValueError(
            "the host must be a DNS name with a dot (erp.example.com.br; an internationalised name in its xn-- "
            "form), an IPv4 address as four decimal numbers (a.b.c.d) or an IPv6 address in brackets"
        )
    if any(host == suffix or host.endswith(f".{suffix}") for suffix in _INSIDE_SUFFIXES):
        raise ValueError("the URL must point to a public host")
    return False


def _check_ipv4_literal(host: str, *, allow_loopback: bool) -> bool:
    if not _DOTTED_QUAD.fullmatch(host):
        raise ValueError(
            "the host ends in a number, so it is an IPv4 address: write it as four decimal numbers from 0 to 255 "
            "without leading zeros (a.b.c.d), not in decimal, hex, octal or short form"
        )
    return _check_address(ipaddress.IPv4Address(host), allow_loopback=allow_loopback)


def _check_ipv6_literal(written: str, *, allow_loopback: bool) -> bool:
    try:
        address = ipaddress.IPv6Address(written)
    except ValueError as exc:
        raise ValueError("the host in brackets is not an IPv6 address (zone ids are not allowed)") from exc
    if address.ipv4_mapped is not None or (address in _IPV4_COMPATIBLE and int(address) > 1):
        raise ValueError("the host is an IPv4 address inside IPv6: write the IPv4 address as a.b.c.d")
    if address.compressed != written:
        raise ValueError(f"write the IPv6 address in its canonical form: [{address.compressed}]")
    return _check_address(address, allow_loopback=allow_loopback)


def _check_address(address: IpAddress, *, allow_loopback: bool) -> bool:
    if allow_loopback and is_loopback_address(address):
        return True
    if not is_public_address(address):
        raise ValueError("the URL must point to a public host")
    return False
