"""Merchant routes for payouts (API key with the ``merchant`` scope): when and where the merchant's money goes, its
standing as the gateway's recipient, and the receivables portal (what is owed, by day; the payouts and the entries
each covers; the ledger as CSV). The rules live in ``vitrine.payouts.payout_settings`` and ``.statements``.

``PUT /merchant/v1/payout-settings`` replaces the schedule and the bank account; the first one also carries the
register information that makes the merchant a recipient. ``POST .../kyc-link`` answers a fresh link to the
gateway's identity check while the recipient waits on it.
"""

from datetime import date
from typing import Annotated

from pydantic import ConfigDict, Field

from vitrine.auth.permissions import Permission
from vitrine.http.paging import PageQuery
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes
from vitrine.lazy_models import LazyModel
from vitrine.payments.anticipations import Timeframe
from vitrine.payments.recipients import KycLink
from vitrine.payouts import anticipations, payout_settings, statements
from vitrine.payouts.models import AnticipationInput, AnticipationRecord, PayoutSettingsInput, PayoutSettingsView

PayoutId = Annotated[
    str, Field(pattern=r"^po-[a-z0-9-]{1,40}-[0-9]{8}$", description="A payout's id: po-<merchant>-<yyyymmdd>.")
]
CSV = "text/csv; charset=utf-8"


class LedgerQuery(LazyModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: date = Field(alias="from", description="First payable day (aaaa-mm-dd).")
    to: date = Field(description="Last payable day, at most 366 days after `from`.")


class LimitsQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    payment_date: date = Field(description="The day the anticipated money would be payable (aaaa-mm-dd).")
    timeframe: Timeframe = Field(
        default=Timeframe.START, description="start: nearest receivables first; end: farthest."
    )


def _csv(text: str, filename: str) -> Response:
    return Response(
        status_code=200,
        content_type=CSV,
        body=text,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("merchant", "payouts"))
PATH = "/merchant/v1/payout-settings"


def _gateway():
    from vitrine.payments.pagarme import get_gateway

    return get_gateway()


@routes.get(
    PATH,
    permission=Permission.RECEIVABLES,
    summary="The payout schedule, the bank account and the recipient's status at the gateway (with what it means)",
    response=PayoutSettingsView,
    errors=(404, 503),
    notes={404: "No payout settings yet: the first PUT registers the merchant."},
)
def get_payout_settings() -> PayoutSettingsView:
    return payout_settings.get_payout_settings(_gateway(), routes.merchant_id())


@routes.put(
    PATH,
    permission=Permission.PAYOUTS_MANAGE,
    summary=(
        "Replace the payout schedule (daily, weekly on a weekday, monthly on a day; minimum) and the bank account; "
        "the first time, `registration` registers the merchant as the gateway's recipient"
    ),
    body=PayoutSettingsInput,
    response=PayoutSettingsView,
    errors=(404, 409, 503),
    notes={
        409: "`registration` sent again: the recipient is registered; its register is changed through support.",
        422: "Invalid input; details name each field. The account's holder must be the merchant (its CNPJ, or "
        "its owner's or a managing partner's CPF); the first PUT needs `registration`.",
        503: "The gateway did not answer; nothing was stored. Send the same request again.",
    },
)
def put_payout_settings(body: PayoutSettingsInput) -> PayoutSettingsView:
    return payout_settings.put_payout_settings(_gateway(), routes.merchant_id(), body)


@routes.post(
    f"{PATH}/kyc-link",
    permission=Permission.PAYOUTS_MANAGE,
    summary="A fresh link (and QR code) to the gateway's identity check, while the recipient waits on it",
    response=KycLink,
    errors=(404, 409, 503),
    notes={409: "The recipient is not waiting on an identity check (its status says why)."},
)
def create_kyc_link() -> KycLink:
    return payout_settings.create_kyc_link(_gateway(), routes.merchant_id())


@routes.get(
    "/merchant/v1/receivables",
    permission=Permission.RECEIVABLES,
    summary="Receivables: available now, waiting by day for the next 90 days, the next payout's day and estimate",
    response=statements.Receivables,
)
def get_receivables() -> statements.Receivables:
    return statements.receivables(routes.merchant_id())


@routes.get(
    "/merchant/v1/payouts",
    permission=Permission.RECEIVABLES,
    summary="The merchant's payouts, newest first",
    query=PageQuery,
    response=statements.PayoutsPage,
)
def list_payouts(query: PageQuery) -> statements.PayoutsPage:
    return statements.list_payouts(routes.merchant_id(), limit=query.limit, cursor=query.cursor)


@routes.get(
    "/merchant/v1/payouts/{payout_id}",
    permission=Permission.RECEIVABLES,
    summary="A payout: its status, amount and transfer, and the ledger entries it covers (paged)",
    query=PageQuery,
    response=statements.PayoutDetail,
    errors=(404,),
)
def get_payout(payout_id: PayoutId, query: PageQuery) -> statements.PayoutDetail:
    return statements.payout_detail(routes.merchant_id(), payout_id, limit=query.limit, cursor=query.cursor)


@routes.get(
    "/merchant/v1/payouts/{payout_id}/entries.csv",
    permission=Permission.RECEIVABLES,
    summary="The entries a payout covers, as a CSV for Excel (UTF-8 with BOM, `;`, `1234,56`, `dd/mm/aaaa`)",
    content_type="text/csv",
    errors=(404,),
)
def get_payout_csv(payout_id: PayoutId) -> Response:
    return _csv(statements.payout_csv(routes.merchant_id(), payout_id), f"repasse-{payout_id}.csv")


@routes.get(
    "/merchant/v1/ledger.csv",
    permission=Permission.RECEIVABLES,
    summary="The ledger's entries payable from `from` to `to`, as a CSV for Excel (UTF-8 with BOM, `;`, `1234,56`)",
    query=LedgerQuery,
    content_type="text/csv",
    notes={422: "`to` before `from`, or more than 366 days after it."},
)
def get_ledger_csv(query: LedgerQuery) -> Response:
    text = statements.ledger_csv(routes.merchant_id(), query.from_, query.to)
    return _csv(text, f"extrato-{query.from_:%Y%m%d}-{query.to:%Y%m%d}.csv")


@routes.get(
    "/merchant/v1/anticipations/limits",
    permission=Permission.RECEIVABLES,
    summary="Simulate an anticipation of card receivables to a payment day: the most and the least, fee and net",
    query=LimitsQuery,
    response=anticipations.AnticipationSimulation,
    errors=(404, 409, 503),
    notes={
        409: "The recipient is not active at the gateway yet.",
        422: "`payment_date` before today, on or before the last payout's day, or more than 31 days ahead.",
    },
)
def simulate_anticipation(query: LimitsQuery) -> anticipations.AnticipationSimulation:
    return anticipations.simulate(_gateway(), routes.merchant_id(), query.payment_date, query.timeframe)


@routes.post(
    "/merchant/v1/anticipations",
    permission=Permission.PAYOUTS_MANAGE,
    summary=(
        "Anticipate card receivables: the gateway takes whole receivables within `amount`, moves them to "
        "`payment_date` and charges its fee; the ledger books the moves and the fee"
    ),
    body=AnticipationInput,
    response=AnticipationRecord,
    status=201,
    errors=(404, 409, 503),
    notes={
        409: "The recipient is not active at the gateway yet.",
        422: "Invalid input, a `payment_date` out of range, or an amount below the smallest receivable.",
        503: "The gateway did not answer. The same request the same day is the same anticipation: send it again.",
    },
)
def request_anticipation(body: AnticipationInput) -> AnticipationRecord:
    return anticipations.request(_gateway(), routes.merchant_id(), body)


@routes.get(
    "/merchant/v1/anticipations",
    permission=Permission.RECEIVABLES,
    summary="The merchant's anticipations, newest first (a pending one is asked again at the gateway)",
    query=PageQuery,
    response=anticipations.AnticipationsPage,
    errors=(503,),
)
def list_anticipations(query: PageQuery) -> anticipations.AnticipationsPage:
    return anticipations.list_anticipations(_gateway(), routes.merchant_id(), limit=query.limit, cursor=query.cursor)
