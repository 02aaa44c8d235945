"""The event envelope is a contract: every published event validates against its type's data model."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from vitrine.events.envelope import EVENT_TYPES, CatalogPublished, EventData, EventEnvelope, new_event


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


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_every_event_type_is_named_resource_past_tense_and_has_a_strict_model(name):
    model = EVENT_TYPES[name]
    assert issubclass(model, EventData)
    assert name[0].isupper() and name.endswith(("ed", "Paid", "Sent"))
    assert model.model_config.get("extra") == "forbid"


def test_envelope_survives_the_json_round_trip_a_consumer_does():
    event = new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"))
    assert EventEnvelope.model_validate_json(event.model_dump_json()) == event
