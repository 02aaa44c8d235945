"""The CEP lookup: the street, district, city and state a CEP names, so the checkout fills the address for the
shopper. A port (``CepLookup``), its adapter for ViaCEP (``ViaCepLookup``), and a short cache in front of it.

**ViaCEP** (``GET {CEP_LOOKUP_BASE_URL}/{8 digits}/json/``, base ``https://viacep.com.br/ws``): a known CEP is 200
``{"cep": "01310-100", "logradouro", "complemento", "unidade", "bairro", "localidade", "uf", "estado", "regiao",
"ibge", "gia", "ddd", "siafi"}`` (the fields after ``uf`` vary between versions and are not read); an unknown one
is 200 ``{"erro": true}`` (older versions) or ``{"erro": "true"}`` (current); a malformed one is 400 with an HTML
page. Only 8 digits are ever sent, so a 400 means the base URL is not ViaCEP's and is a failure, not an answer. A
city-wide CEP (``37925-000``) has an empty street and district: the page fills what there is.

**Never an exception to the shopper**: a lookup that cannot say (no answer within the timeouts, a 5xx or 429, a
redirect, an answer that is not ViaCEP's shape or whose text would not fit an ``Address``, an address refused by the
public-only session) is ``UNKNOWN`` with its reason, logged; the route answers 503 and the page lets the shopper
type the address, which the checkout validates as it always did. The lookup only helps: nothing depends on it.

**Timeouts**: a shopper is waiting with the field focused, so 1.5 s to connect and 2.5 s to answer; a connection
that fails before an answer (or a 502/503/504) is retried once, a read timeout never (the service is slow, not
gone). The session is ``vitrine.http_client``'s, public-only: ViaCEP is on the internet, and the local stack's
sandbox is on loopback, which only ``OUTBOUND_ALLOW_LOOPBACK`` allows.

**The cache** (``CachedCepLookup``, one per container): the same CEPs come back all day (a shopper who edits the
field, a second order to the same building, a neighbourhood's shoppers), a CEP's street changes about never, and
ViaCEP is a free service that blocks clients that call it too often. So a found address is kept 6 hours and a
CEP not found 10 minutes (a new CEP shows up at ViaCEP soon after the Correios publish it); an ``UNKNOWN`` is never
kept, so the first request after an outage asks again. It holds at most 2,000 CEPs (a few hundred KB) and drops the
least recently used past that, so a client walking through every CEP cannot grow a container's memory. A Lambda
container serves one request at a time, so the cache needs no lock. The route's 200 also says
``Cache-Control: public, max-age=86400``: a browser or a CDN asks again at most daily.
"""

import functools
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vitrine.errors import ConfigurationError, InvalidInput, NotFound, VitrineError
from vitrine.http_client import RetryPolicy, pooled_session
from vitrine.inputs import Text
from vitrine.outbound_targets import check_outbound_url
from vitrine.settings import get_settings

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 1.5
READ_TIMEOUT_SECONDS = 2.5
MAX_ANSWER_BYTES = 16 * 1024
USER_AGENT = "Vitrine-CepLookup/1.0"
FOUND_TTL_SECONDS = 6 * 60 * 60
NOT_FOUND_TTL_SECONDS = 10 * 60
MAX_CACHED_CEPS = 2000
_CEP = re.compile(r"[0-9]{5}-?[0-9]{3}")


class CepNotFound(NotFound, code="cep_not_found"): ...


class CepLookupUnavailable(VitrineError, status=503, code="cep_lookup_unavailable"):
    """The lookup could not say (``UNKNOWN``): the shopper types the address."""


class CepStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"  # the lookup could not say; the shopper types the address


@dataclass(frozen=True)
class CepAddress:
    cep: str  # 00000-000
    street: str  # empty for a city-wide CEP
    district: str
    city: str
    state: str


@dataclass(frozen=True)
class CepLookupResult:
    status: CepStatus
    address: CepAddress | None = None
    reason: str = ""  # why UNKNOWN, for the log


class CepLookup(Protocol):
    def lookup(self, cep: str) -> CepLookupResult:
        """The address of ``cep`` (8 digits): found, not found, or unknown; never raises for the service's failures."""
        ...


def cep_digits(value: str) -> str | None:
    """``value``'s 8 digits if it is a CEP as people type it (``01310-100`` or ``01310100``), else ``None``."""
    return value.replace("-", "") if _CEP.fullmatch(value) else None


class _ViaCepAddress(BaseModel):
    """ViaCEP's answer for a known CEP; the fields not read are ignored. The text must fit the checkout's
    ``Address`` (its lengths, no control characters), or the answer is not used."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    cep: str = Field(pattern=r"^[0-9]{5}-?[0-9]{3}$")
    logradouro: Text = Field(default="", max_length=120)
    bairro: Text = Field(default="", max_length=60)
    localidade: Text = Field(min_length=1, max_length=60)
    uf: str = Field(pattern=r"^[A-Z]{2}$")


class ViaCepLookup:
    """The ``CepLookup`` of ViaCEP's JSON API at ``base_url`` (no trailing slash), over ``session``."""

    def __init__(self, base_url: str, session: Any) -> None:
        self.base_url = base_url
        self.session = session

    def lookup(self, cep: str) -> CepLookupResult:
        import requests

        from vitrine.public_connections import AddressRefused

        try:
            response = self.session.get(
                f"{self.base_url}/{cep}/json/",
                headers={"Accept": "application/json"},
                timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
                allow_redirects=False,
                stream=True,
            )
        except AddressRefused as exc:
            return _unknown(cep, f"not called: {exc}")
        except requests.Timeout as exc:
            return _unknown(cep, f"no answer in time ({type(exc).__name__})")
        except requests.RequestException as exc:
            return _unknown(cep, f"unreachable ({type(exc).__name__})")
        try:
            if response.status_code != 200:
                return _unknown(cep, f"HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(chunk_size=4096):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    return _unknown(cep, f"an answer over {MAX_ANSWER_BYTES} bytes")
        except requests.RequestException as exc:
            return _unknown(cep, f"the answer was cut short ({type(exc).__name__})")
        finally:
            response.close()
        return _read_answer(cep, body)


def _read_answer(cep: str, body: bytes) -> CepLookupResult:
    try:
        answer = json.loads(body)
    except ValueError:
        return _unknown(cep, "the answer is not JSON")
    if not isinstance(answer, dict):
        return _unknown(cep, "the answer is not a JSON object")
    if answer.get("erro") in (True, "true"):
        return CepLookupResult(CepStatus.NOT_FOUND)
    try:
        found = _ViaCepAddress.model_validate(answer)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return _unknown(cep, f"not ViaCEP's shape ({where}: {first['msg']})")
    if found.cep.replace("-", "") != cep:
        return _unknown(cep, f"the answer is for another CEP ({found.cep})")
    address = CepAddress(
        cep=f"{cep[:5]}-{cep[5:]}",
        street=found.logradouro,
        district=found.bairro,
        city=found.localidade,
        state=found.uf,
    )
    return CepLookupResult(CepStatus.FOUND, address)


def _unknown(cep: str, reason: str) -> CepLookupResult:
    logger.warning("CEP lookup of %s failed: %s", cep, reason)
    return CepLookupResult(CepStatus.UNKNOWN, reason=reason)


class CachedCepLookup:
    """``inner`` behind a bounded, least-recently-used cache of its answers (why and for how long: the module's
    docstring). ``clock`` is the time source in seconds; tests move it."""

    def __init__(
        self,
        inner: CepLookup,
        *,
        max_entries: int = MAX_CACHED_CEPS,
        found_ttl: float = FOUND_TTL_SECONDS,
        not_found_ttl: float = NOT_FOUND_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self.ttl = {CepStatus.FOUND: found_ttl, CepStatus.NOT_FOUND: not_found_ttl}
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, CepLookupResult]] = OrderedDict()

    def lookup(self, cep: str) -> CepLookupResult:
        now = self.clock()
        cached = self._entries.get(cep)
        if cached is not None and cached[0] > now:
            self._entries.move_to_end(cep)
            return cached[1]
        self._entries.pop(cep, None)
        result = self.inner.lookup(cep)
        ttl = self.ttl.get(result.status)
        if ttl is not None:
            self._entries[cep] = (now + ttl, result)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return result

    def __len__(self) -> int:
        return len(self._entries)


@functools.cache
def cep_lookup() -> CachedCepLookup:
    """The container's lookup: ViaCEP (or the service ``CEP_LOOKUP_BASE_URL`` names) behind the cache."""
    base_url = get_settings().cep_lookup_base_url.rstrip("/")
    try:
        check_outbound_url(base_url, authenticate_by="nothing: the lookup is public")
    except ValueError as exc:
        raise ConfigurationError(f"CEP_LOOKUP_BASE_URL is not a URL Vitrine may call: {exc}") from exc
    retry = RetryPolicy(
        retries=1, methods=frozenset({"GET"}), statuses=frozenset({502, 503, 504}), follow_redirects=False
    )
    session = pooled_session(retry, user_agent=USER_AGENT, pool_connections=2, pool_maxsize=2)
    return CachedCepLookup(ViaCepLookup(base_url, session))


def address_of(cep: str) -> CepAddress:
    """The address of ``cep`` as the shopper typed it, through the container's cached lookup: ``InvalidInput`` for
    a CEP that is not 8 digits, ``CepNotFound``, or ``CepLookupUnavailable`` when the service could not say."""
    digits = cep_digits(cep)
    if digits is None:
        details = [{"field": "path.cep", "reason": "a CEP is 8 digits: 00000-000 or 00000000"}]
        raise InvalidInput("the CEP is not valid", details=details)
    result = cep_lookup().lookup(digits)
    if result.status is CepStatus.NOT_FOUND:
        raise CepNotFound(f"no address has the CEP {digits[:5]}-{digits[5:]}")
    if result.address is None:
        raise CepLookupUnavailable("the CEP lookup is unavailable; type the address", headers={"Retry-After": "30"})
    return result.address
