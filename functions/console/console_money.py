"""The console's Recebíveis: what is available now, what is released by day (a bar chart drawn here, as SVG), the
next payout, the payouts with their entries and CSVs, the ledger's CSV, anticipation and the payout settings.

The page reads through the core as the member (``receivables``); anticipation and the settings' edits are the
merchant API's, from the page's script (``assets/money.js``), and are offered only with ``payouts.manage``. The
chart needs no script: its bars are ``<rect>``s computed below, with a ``<title>``/``<desc>``, and the same figures
are a table beside it for screen readers.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

PAYOUT_STATUS = {
    "transferring": "Transferindo",
    "pending": "Enviado ao banco",
    "paid": "Pago",
    "failed": "Falhou (o valor volta no próximo repasse)",
}
MOVEMENTS = {
    "sale": "Venda",
    "gateway_fee": "Tarifa do meio de pagamento",
    "platform_fee": "Tarifa da plataforma",
    "refund": "Estorno",
    "chargeback": "Chargeback",
    "anticipation": "Antecipação",
    "anticipation_fee": "Tarifa de antecipação",
}
CADENCES = {"daily": "Diário", "weekly": "Semanal", "monthly": "Mensal"}
WEEKDAYS = {1: "segunda-feira", 2: "terça-feira", 3: "quarta-feira", 4: "quinta-feira", 5: "sexta-feira"}

# The chart's drawing box (SVG user units; the stylesheet scales it to the page's width).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 360, 170, 12, 24


@dataclass(frozen=True)
class Bar:
    day: date
    amount: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    baseline: float
    total: int
    first: date | None
    last: date | None
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def tallest(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.amount, default=None)

    def anchor(self, bar: Bar) -> str:
        """Where a label under or over ``bar`` is anchored, so that it stays inside the drawing near its edges."""
        if bar.centre < 30:
            return "start"
        return "end" if bar.centre > self.width - 30 else "middle"

    def label_x(self, bar: Bar) -> float:
        return {"start": bar.x, "end": bar.x + bar.width, "middle": bar.centre}[self.anchor(bar)]


def release_chart(waiting: list[Any]) -> Chart:
    """One bar per day with money released, its height proportional to the day's amount (signed: a day that takes
    money back, a refund's, hangs below the baseline)."""
    days = [(row.day, row.amount) for row in waiting]
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    highest = max([amount for _, amount in days if amount > 0], default=0)
    lowest = min([amount for _, amount in days if amount < 0], default=0)
    span = (highest - lowest) or 1
    baseline = CHART_TOP + plot * highest / span
    slot = CHART_WIDTH / max(len(days), 1)
    width = max(min(slot * 0.7, 40), 2)
    bars = []
    for n, (day, amount) in enumerate(days):
        height = max(plot * abs(amount) / span, 1)
        y = baseline - height if amount > 0 else baseline
        bars.append(
            Bar(day, amount, round(n * slot + (slot - width) / 2, 1), round(y, 1), round(width, 1), round(height, 1))
        )
    return Chart(
        bars=bars,
        baseline=round(baseline, 1),
        total=sum(amount for _, amount in days),
        first=days[0][0] if days else None,
        last=days[-1][0] if days else None,
    )


@routes.get(
    "/painel/recebiveis",
    summary="Console: Recebíveis, what is owed by day (a chart), the payouts, CSVs, anticipation and settings",
    content_type="text/html",
)
@page(Permission.RECEIVABLES)
def receivables_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine import clock
    from vitrine.ledger.rules import business_day
    from vitrine.payouts.payout_settings import stored_payout_settings
    from vitrine.payouts.statements import list_payouts, receivables

    owed = receivables(me.merchant_id)
    today = business_day(clock.now())
    return render(
        "recebiveis.html",
        base=base,
        owed=owed,
        chart=release_chart(owed.waiting),
        payouts=list_payouts(me.merchant_id, limit=20, cursor=None).payouts,
        settings=stored_payout_settings(me.merchant_id),
        today=today,
        month_ago=today - timedelta(days=30),
        in_a_week=today + timedelta(days=7),
        payout_status=PAYOUT_STATUS,
        cadences=CADENCES,
        weekdays=WEEKDAYS,
    )


@routes.get(
    "/painel/recebiveis/repasses/{payout_id}",
    summary="Console: one payout, its transfer and the ledger entries it covers",
    content_type="text/html",
)
@page(Permission.RECEIVABLES)
def payout_page(me: StaffPrincipal, base: dict[str, Any], payout_id: str) -> Response:
    from vitrine.errors import InvalidInput, NotFound
    from vitrine.payouts.statements import payout_detail

    cursor = router.current_event.query_string_parameters.get("cursor") or None
    if len(payout_id) > 60:
        raise NotFound("no such payout")
    try:
        detail = payout_detail(me.merchant_id, payout_id, limit=100, cursor=cursor)
    except InvalidInput:  # a mistyped cursor: the first page
        detail = payout_detail(me.merchant_id, payout_id, limit=100, cursor=None)
    return render(
        "repasse.html",
        base=base,
        detail=detail,
        payout_status=PAYOUT_STATUS,
        movements=MOVEMENTS,
    )
