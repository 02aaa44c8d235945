"""The event envelope is a contract: every published event validates against its type's data model."""

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from vitrine.events.envelope import (
    EVENT_TYPE_MODULES,
    CatalogPublished,
    EventData,
    EventEnvelope,
    OrderPaid,
    OrderStatusName,
    PaymentMethodName,
    event_model,
    new_event,
)
from vitrine.orders.models import OrderStatus
from vitrine.orders.state import STATUS_EVENTS
from vitrine.payments.port import PaymentMethod

PAST_TENSE_IRREGULAR = {"Paid", "Sent", "Held"}


def test_a_new_event_carries_the_envelope_fields_and_its_type_name():
    event = new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"))
    assert event.type == "CatalogPublished"
    assert event.merchant_id == "m1"
    assert event.data == {"catalog_id": "c1", "slug": "demo", "title": "Demo"}
    assert event.model_dump(mode="json")["occurred_at"].endswith("Z")


def test_event_ids_are_unique():
    data = CatalogPublished(catalog_id="c1", slug="demo", title="Demo")
    assert len({new_event("m1", data).id for _ in range(100)}) == 100


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ValidationError, match="unknown event type"):
        EventEnvelope(id="1", type="OrderTeleported", merchant_id="m1", occurred_at=datetime.now(UTC), data={})


def test_data_that_does_not_match_its_type_is_refused():
    with pytest.raises(ValidationError):
        EventEnvelope(
            id="1", type="CatalogPublished", merchant_id="m1", occurred_at=datetime.now(UTC), data={"catalog_id": "c1"}
        )


def test_naive_timestamps_are_refused():
    with pytest.raises(ValidationError):
        new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"), occurred_at=datetime.now())


@pytest.mark.parametrize("name", sorted(EVENT_TYPE_MODULES))
def test_every_event_type_is_named_resource_past_tense_and_has_a_strict_model(name):
    model = event_model(name)
    assert issubclass(model, EventData)
    resource, *rest = re.findall(r"[A-Z][a-z]*", name)
    assert "".join([resource, *rest]) == name and rest
    # [Resource][PastTenseVerb], optionally completed: OrderPaid, OrderReadiedForPickup.
    assert any(word.endswith("ed") or word in PAST_TENSE_IRREGULAR for word in rest)
    assert model.model_config.get("extra") == "forbid"


def test_every_order_status_but_the_first_has_its_event_in_the_catalogue():
    assert set(STATUS_EVENTS) == set(OrderStatus) - {OrderStatus.PENDING_PAYMENT}
    assert all(event_model(model.__name__) is model for model in STATUS_EVENTS.values())


def test_the_events_spell_statuses_and_methods_as_the_order_models_do():
    assert set(get_args(OrderStatusName)) == {status.value for status in OrderStatus}
    assert set(get_args(PaymentMethodName)) == {method.value for method in PaymentMethod}


def test_an_order_event_refuses_a_status_or_method_the_orders_do_not_have():
    paid = {"order_id": "o1", "version": 2, "previous_status": "pending_payment", "reason": "charge_paid"}
    assert OrderPaid(**paid, amount=100, method="pix", installments=1).method == "pix"
    with pytest.raises(ValidationError):
        OrderPaid(**paid, amount=100, method="cash", installments=1)
    with pytest.raises(ValidationError):
        OrderPaid(**{**paid, "previous_status": "lost"}, amount=100, method="pix", installments=1)


def test_an_event_id_derived_from_the_business_fact_is_kept():
    event = new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"), event_id="o1.2.0")
    assert event.id == "o1.2.0"


def test_envelope_survives_the_json_round_trip_a_consumer_does():
    event = new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"))
    assert EventEnvelope.model_validate_json(event.model_dump_json()) == event


def test_every_event_model_of_the_package_is_registered_under_its_own_module():
    # Given every module of vitrine.events and the event models each defines
    import vitrine.events
    from vitrine.events import order_events

    defined = {}
    for info in pkgutil.iter_modules(vitrine.events.__path__):
        module = importlib.import_module(f"vitrine.events.{info.name}")
        for value in vars(module).values():
            ours = isinstance(value, type) and issubclass(value, EventData) and value.__module__ == module.__name__
            # OrderStatusChange is the status events' base, not a type of its own
            if ours and value not in (EventData, order_events.OrderStatusChange):
                defined[value.__name__] = info.name

    # Then the registry names each, in its module, and nothing else
    assert defined == EVENT_TYPE_MODULES
    assert event_model("OrderShipped") is None


def test_an_envelope_loads_only_its_types_module():
    # Given a fresh interpreter that validates an OrderPaid envelope
    script = (
        "import json, sys\n"
        "from vitrine.events.envelope import EventEnvelope\n"
        "EventEnvelope.model_validate({'id': 'e1', 'type': 'OrderPaid', 'merchant_id': 'm1',\n"
        "    'occurred_at': '2026-12-03T10:00:00.000Z', 'data': {'order_id': 'o1', 'version': 2,\n"
        "    'previous_status': 'pending_payment', 'reason': 'charge_paid', 'amount': 100, 'method': 'pix',\n"
        "    'installments': 1}})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('vitrine.events.'))))\n"
    )
    layer = Path(__file__).resolve().parents[2] / "layers" / "vitrine"
    result = subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(layer)}, capture_output=True, text=True
    )

    # Then it imported the order events' module and no other type's
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["vitrine.events.envelope", "vitrine.events.order_events"]


def test_a_name_the_events_do_not_have_is_an_attribute_error():
    import vitrine.events.envelope as envelope

    with pytest.raises(AttributeError):
        envelope.OrderShipped  # noqa: B018
    assert envelope.StockDelta.__module__ == "vitrine.events.assortment_events"
