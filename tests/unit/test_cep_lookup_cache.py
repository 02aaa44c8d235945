"""The CEP lookup's cache: found addresses for hours, unknown CEPs for minutes, failures never; bounded, least
recently used out first."""

from vitrine.cep_lookup import (
    FOUND_TTL_SECONDS,
    NOT_FOUND_TTL_SECONDS,
    CachedCepLookup,
    CepAddress,
    CepLookupResult,
    CepStatus,
    cep_digits,
)

PAULISTA = CepLookupResult(
    CepStatus.FOUND, CepAddress("01310-100", "Avenida Paulista", "Bela Vista", "São Paulo", "SP")
)
NOT_FOUND = CepLookupResult(CepStatus.NOT_FOUND)
UNKNOWN = CepLookupResult(CepStatus.UNKNOWN, reason="HTTP 500")


class Service:
    """A lookup that answers from ``answers`` (the last one from then on) and counts what it was asked."""

    def __init__(self, *answers: CepLookupResult) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def lookup(self, cep: str) -> CepLookupResult:
        self.asked.append(cep)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cached(service: Service, **options) -> tuple[CachedCepLookup, Clock]:
    clock = Clock()
    return CachedCepLookup(service, clock=clock, **options), clock


def test_a_found_address_is_kept_for_hours_then_asked_again():
    service = Service(PAULISTA)
    lookup, clock = cached(service)
    assert lookup.lookup("01310100") == PAULISTA
    clock.now += FOUND_TTL_SECONDS - 1
    assert lookup.lookup("01310100") == PAULISTA
    assert service.asked == ["01310100"]
    clock.now += 2
    assert lookup.lookup("01310100") == PAULISTA
    assert service.asked == ["01310100", "01310100"]


def test_a_cep_not_found_is_kept_minutes_only_so_a_new_cep_shows_up_soon():
    service = Service(NOT_FOUND, PAULISTA)
    lookup, clock = cached(service)
    assert lookup.lookup("01310100") == NOT_FOUND
    assert lookup.lookup("01310100") == NOT_FOUND
    clock.now += NOT_FOUND_TTL_SECONDS + 1
    assert lookup.lookup("01310100") == PAULISTA
    assert len(service.asked) == 2


def test_a_failure_is_never_kept_so_the_first_request_after_an_outage_asks_again():
    service = Service(UNKNOWN, PAULISTA)
    lookup, _clock = cached(service)
    assert lookup.lookup("01310100") == UNKNOWN
    assert lookup.lookup("01310100") == PAULISTA
    assert len(lookup) == 1


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    service = Service(PAULISTA)
    lookup, _clock = cached(service, max_entries=2)
    lookup.lookup("00000001")
    lookup.lookup("00000002")
    lookup.lookup("00000001")  # used again: now the most recent
    lookup.lookup("00000003")  # over the bound: 00000002 goes
    assert len(lookup) == 2
    service.asked.clear()
    lookup.lookup("00000001")
    lookup.lookup("00000002")
    assert service.asked == ["00000002"]


def test_a_cep_is_8_digits_with_or_without_its_hyphen():
    assert cep_digits("01310-100") == cep_digits("01310100") == "01310100"
    for typed in ("0131010", "01310-1000", "01 310100", "٠١٣١٠١٠٠", "01310\u2013100", ""):
        assert cep_digits(typed) is None
