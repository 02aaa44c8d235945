"""Access patterns: the merchant's payout settings and the register information its gateway recipient was made with."""

from pydantic import TypeAdapter

from vitrine.merchants import SettlementTerms
from vitrine.payments.recipients import Registration
from vitrine.payouts.models import PayoutSettings
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model

_REGISTRATION = TypeAdapter(Registration)


def put_payout_settings(merchant_id: str, settings: PayoutSettings) -> None:
    pk, sk = keys.merchant_pk(merchant_id), keys.payout_settings_sk()
    table.put(model_item(settings, pk=pk, sk=sk, item_type="payout_settings"))


def get_payout_settings(merchant_id: str) -> PayoutSettings | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.payout_settings_sk())
    return to_model(PayoutSettings, item) if item else None


def put_registration(merchant_id: str, registration: Registration) -> None:
    # Nested: the registration's own ``type`` (corporation or individual) is not the item's.
    table.put(
        {
            "PK": keys.merchant_pk(merchant_id),
            "SK": keys.recipient_registration_sk(),
            "type": "recipient_registration",
            "registration": _REGISTRATION.dump_python(registration, mode="json"),
        }
    )


def get_registration(merchant_id: str) -> Registration | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.recipient_registration_sk())
    if not item:
        return None
    return _REGISTRATION.validate_python(item["registration"])


def get_split_inputs(merchant_id: str) -> tuple[SettlementTerms, PayoutSettings | None]:
    """What splitting a charge needs, in one ``BatchGetItem``: the merchant's fees and its recipient."""
    pk = keys.merchant_pk(merchant_id)
    found = {
        item["SK"]: item for item in table.batch_get([(pk, keys.settlement_sk()), (pk, keys.payout_settings_sk())])
    }
    terms, settings = found.get(keys.settlement_sk()), found.get(keys.payout_settings_sk())
    return (
        to_model(SettlementTerms, terms) if terms else SettlementTerms(),
        to_model(PayoutSettings, settings) if settings else None,
    )
