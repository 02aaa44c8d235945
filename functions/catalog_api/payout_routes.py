"""Merchant routes for payouts (API key with the ``merchant`` scope): when and where the merchant's money goes, and
its standing as the gateway's recipient. The rules live in ``vitrine.payouts.payout_settings``.

``PUT /merchant/v1/payout-settings`` replaces the schedule and the bank account; the first one also carries the
register information that makes the merchant a recipient. ``POST .../kyc-link`` answers a fresh link to the
gateway's identity check while the recipient waits on it.
"""

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from vitrine.http.routing import Auth, Routes
from vitrine.payments.recipients import KycLink
from vitrine.payouts import payout_settings
from vitrine.payouts.models import PayoutSettingsInput, PayoutSettingsView

router = APIGatewayHttpRouter()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("merchant", "payouts"))
PATH = "/merchant/v1/payout-settings"


def _gateway():
    from vitrine.payments.pagarme import get_gateway

    return get_gateway()


@routes.get(
    PATH,
    summary="The payout schedule, the bank account and the recipient's status at the gateway (with what it means)",
    response=PayoutSettingsView,
    errors=(404, 503),
    notes={404: "No payout settings yet: the first PUT registers the merchant."},
)
def get_payout_settings() -> PayoutSettingsView:
    return payout_settings.get_payout_settings(_gateway(), routes.merchant_id())


@routes.put(
    PATH,
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
    summary="A fresh link (and QR code) to the gateway's identity check, while the recipient waits on it",
    response=KycLink,
    errors=(404, 409, 503),
    notes={409: "The recipient is not waiting on an identity check (its status says why)."},
)
def create_kyc_link() -> KycLink:
    return payout_settings.create_kyc_link(_gateway(), routes.merchant_id())
