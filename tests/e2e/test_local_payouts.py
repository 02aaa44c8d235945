"""A payout minutes after a sale, on a stack of its own (its money clock moves, so no other module shares it): a
shopper pays a Pix, then ``vitrine-local fire DailyPayoutRun --as-of`` two days on moves the stack's money clock
there, the run transfers the sale (less its fees) to the demo merchant's bank account at the sandbox gateway, and
the transfer's webhook marks the payout paid, as the merchant reads it in its portal."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from stack_harness import start_stack, wait_until
from test_local_stack import checkout_on_the_stack

from vitrine.ledger.rules import business_day
from vitrine.payouts.models import PayoutSchedule
from vitrine.repository import keys

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]


@pytest.fixture(scope="module")
def payout_stack(tmp_path_factory):
    yield from start_stack(tmp_path_factory.mktemp("local_payouts"))


def test_make_dev_shows_a_payout_minutes_after_a_sale(payout_stack):
    stack = payout_stack
    headers = {"Authorization": f"Bearer {stack.settings['seed']['api_key']}"}
    placed = checkout_on_the_stack(stack)
    order_id, token = placed["order"]["order_id"], placed["access_token"]
    item = stack.client("dynamodb").get_item(
        TableName=stack.settings["table_name"],
        Key={"PK": {"S": keys.merchant_pk("demo-merchant")}, "SK": {"S": keys.order_sk(order_id)}},
    )["Item"]
    sandbox = stack.settings["payment_gateway"]
    requests.post(f"{sandbox['url']}/sandbox/charges/{item['charge']['M']['charge_id']['S']}/pay", timeout=10)
    wait_until(
        lambda: stack.request("GET", f"/api/orders/{order_id}?token={token}").json()["status"] == "paid",
        timeout=30,
        message="the order turning paid",
    )
    owed = stack.request("GET", "/merchant/v1/receivables", headers=headers).json()
    assert owed["available_now"] == 0 and owed["waiting"], owed  # a Pix is payable tomorrow

    # Two days on (the first weekday a run pays tomorrow's money), as if the schedule fired then.
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(datetime.now(UTC)) + timedelta(days=2))
    fired = stack.cli("fire", "DailyPayoutRun", "--as-of", day.isoformat())
    assert fired.returncode == 0, fired.stdout + fired.stderr
    assert json.loads(fired.stdout)["result"]["merchants_queued"] == 1

    def paid_payout():
        payouts = stack.request("GET", "/merchant/v1/payouts", headers=headers).json()["payouts"]
        return payouts[0] if payouts and payouts[0]["status"] == "paid" else None

    payout = wait_until(paid_payout, timeout=60, message="the payout transferred and its webhook applied")
    expected = sum(row["amount"] for row in owed["waiting"])
    assert payout["scheduled_on"] == day.isoformat() and payout["amount"] == expected > 0
    after = stack.request("GET", "/merchant/v1/receivables", headers=headers).json()
    assert after["available_now"] == 0 and after["waiting"] == []

    # The clock stays where it went: a run of a day already paid is the same payout, never a second transfer.
    again = stack.cli("fire", "DailyPayoutRun", "--as-of", day.isoformat())
    assert again.returncode == 0, again.stdout + again.stderr
    payouts = stack.request("GET", "/merchant/v1/payouts", headers=headers).json()["payouts"]
    assert [p["payout_id"] for p in payouts] == [payout["payout_id"]]
