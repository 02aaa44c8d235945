"""Which entries a money movement books, for how much, and from which day they are payable.

A capture books the sale (credit) and both fees (debits), computed once on the captured amount and rounded half
up. A card capture in n instalments books each of the three in n slices, slice k payable ``settlement_days * k``
after the capture day. The slices are cut as the gateway cuts the charge's split: the merchant's share (sale less
both fees) in n equal parts, the last absorbing the rounding, and the fees likewise, so that each slice's net is
exactly the merchant's payable for that instalment at the gateway (``instalment_slices``); the two fees share each
slice's fee in proportion. Pix and boleto settle in one slice. A refund or chargeback is a debit payable on the
day it happens: it comes out of the next payout. Fees are not returned by refunds or chargebacks (the gateway keeps
its fee), so an order's entries always add up to ``captured - refunded - charged_back - fees(captured)``. An
anticipation moves card slices to an earlier day as a pair of entries (out on the slice's day, in on the
anticipation's) and books its fee (``vitrine.payouts.anticipations``).
"""

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from vitrine.ledger.models import LedgerEntry, Movement
from vitrine.payments.methods import PaymentMethod

if TYPE_CHECKING:  # a payout's run reads only the business day here: not the merchants' models (~5 ms cold)
    from vitrine.merchants import SettlementTerms

# Settlement days are counted in Brasília time, where the gateways count them; Brazil has kept UTC-3 all year
# since 2019, so a fixed offset is exact and needs no time zone database in the Lambda runtime.
BRASILIA = timezone(timedelta(hours=-3), "BRT")


def fee(amount: int, basis_points: int) -> int:
    """``amount * basis_points / 10_000``, rounded half up, in integer arithmetic."""
    return (amount * basis_points + 5_000) // 10_000


def split(amount: int, parts: int) -> list[int]:
    """``amount`` in ``parts`` equal slices; the last one absorbs the rounding."""
    base = amount // parts
    return [base] * (parts - 1) + [amount - base * (parts - 1)]


def split_shares(amount: int, method: PaymentMethod, terms: "SettlementTerms") -> tuple[int, int]:
    """``(merchant, platform)`` shares of a charge of ``amount``: the platform's is both fees, computed as
    ``capture_entries`` computes them, so the merchant's share at the gateway is exactly what the ledger credits it
    (sale less fees); the platform pays the gateway's real processing fee out of its share."""
    method_terms = terms.for_method(method)
    platform = fee(amount, method_terms.gateway_fee_bps) + fee(amount, method_terms.platform_fee_bps)
    return amount - platform, platform


def instalment_slices(
    amount: int, gateway_fee: int, platform_fee: int, parts: int
) -> tuple[list[int], list[int], list[int]]:
    """``amount`` and its two fees cut into ``parts`` instalments as the gateway cuts the split charge: the merchant's
    share ``split`` in parts, the fees together likewise, the sale being their sum; the gateway's fee takes its
    proportional part of each slice's fee (cumulative rounding down, so no part is negative and every total is
    exact), the platform's the rest."""
    fees = split(gateway_fee + platform_fee, parts)
    nets = split(amount - gateway_fee - platform_fee, parts)
    gateway: list[int] = []
    so_far = 0
    for fee_part in fees:
        so_far += fee_part
        through = gateway_fee * so_far // (gateway_fee + platform_fee) if gateway_fee else 0
        gateway.append(through - sum(gateway))
    return (
        [n + f for n, f in zip(nets, fees, strict=True)],
        gateway,
        [f - g for f, g in zip(fees, gateway, strict=True)],
    )


def business_day(moment: datetime) -> date:
    return moment.astimezone(BRASILIA).date()


def capture_entries(
    *,
    merchant_id: str,
    order_id: str,
    amount: int,
    method: PaymentMethod,
    installments: int,
    terms: "SettlementTerms",
    captured_at: datetime,
    first_sequence: int,
) -> list[LedgerEntry]:
    """The sale and its fees for ``amount`` centavos captured at ``captured_at``, numbered from ``first_sequence``."""
    method_terms = terms.for_method(method)
    slices = installments if method is PaymentMethod.CARD else 1
    day = business_day(captured_at)
    due = [day + timedelta(days=method_terms.settlement_days * k) for k in range(1, slices + 1)]
    sales, gateway_fees, platform_fees = instalment_slices(
        amount, fee(amount, method_terms.gateway_fee_bps), fee(amount, method_terms.platform_fee_bps), slices
    )
    movements = (
        (Movement.SALE, sales, 1),
        (Movement.GATEWAY_FEE, gateway_fees, -1),
        (Movement.PLATFORM_FEE, platform_fees, -1),
    )
    entries: list[LedgerEntry] = []
    for movement, parts, sign in movements:
        for installment, (part, available_on) in enumerate(zip(parts, due, strict=True), start=1):
            if part == 0:
                continue
            entries.append(
                LedgerEntry(
                    merchant_id=merchant_id,
                    order_id=order_id,
                    movement=movement,
                    sequence=first_sequence + len(entries),
                    amount=sign * part,
                    method=method,
                    installment=installment if slices > 1 else None,
                    available_on=available_on,
                    booked_at=captured_at,
                )
            )
    return entries


def debit_entry(
    *,
    merchant_id: str,
    order_id: str,
    movement: Movement,
    amount: int,
    method: PaymentMethod,
    at: datetime,
    sequence: int,
) -> LedgerEntry:
    """A refund or chargeback of ``amount`` centavos (positive), taken from the payout of the day it happens."""
    if movement not in (Movement.REFUND, Movement.CHARGEBACK):
        raise ValueError(f"{movement} is booked with its capture")
    return LedgerEntry(
        merchant_id=merchant_id,
        order_id=order_id,
        movement=movement,
        sequence=sequence,
        amount=-amount,
        method=method,
        available_on=business_day(at),
        booked_at=at,
    )
