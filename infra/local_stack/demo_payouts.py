"""The demo merchant registered for payouts, as a shop owner would do it through ``PUT
/merchant/v1/payout-settings``: its company, its managing partner and its account at the sandbox gateway, then the
identity check passed on the sandbox's KYC page, so the demo's charges are split and its recipient is ``active``.
"""

import requests

from local_stack.demo_data import DEMO_PROFILE
from vitrine.payments.pagarme import get_gateway
from vitrine.payments.recipients import BankAccount, CompanyRegistration, ManagingPartner
from vitrine.payouts.models import PayoutSchedule, PayoutSettingsInput
from vitrine.payouts.payout_settings import create_kyc_link, put_payout_settings

# The shop as its pages show it: the register the gateway gets is the same company at the same address.
_ADDRESS = DEMO_PROFILE.address
DEMO_PAYOUTS = PayoutSettingsInput(
    schedule=PayoutSchedule(cadence="daily", minimum_amount=10_00),
    bank_account=BankAccount(
        holder_name="Loja Demo Vitrine",
        holder_document="11222333000181",
        bank="341",
        branch_number="0932",
        branch_check_digit="5",
        account_number="58054",
        account_check_digit="1",
        type="checking",
    ),
    registration=CompanyRegistration(
        corporate_name=DEMO_PROFILE.corporate_name,
        trade_name=DEMO_PROFILE.trade_name,
        email="financeiro@lojademo.com.br",
        phone="11987654321",
        annual_revenue=120_000_000,
        cnae="4781400",
        main_address=_ADDRESS,
        managing_partners=(
            ManagingPartner(
                name="Ana Demo",
                email="ana@lojademo.com.br",
                document="52998224725",
                birthdate="1982-04-12",
                monthly_income=1_200_000,
                professional_occupation="Empresária",
                phone="11987654321",
                address=_ADDRESS,
            ),
        ),
    ),
)


def register_demo_for_payouts(merchant_id: str) -> str:
    """The demo's recipient at the sandbox, active; its id."""
    gateway = get_gateway()
    view = put_payout_settings(gateway, merchant_id, DEMO_PAYOUTS)
    link = create_kyc_link(gateway, merchant_id)
    requests.post(link.url, timeout=5).raise_for_status()  # the representative approves the identity check
    return view.recipient.recipient_id
