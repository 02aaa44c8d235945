"""Domain events travel publisher -> bus -> rule -> queue -> journal consumer, and are journaled once."""

import json

from lambda_harness import handler_of, sqs_event

from local_stack.lambda_context import LambdaContext
from vitrine.events.envelope import CatalogPublished, new_event
from vitrine.events.publisher import publish
from vitrine.repository import journal

JOURNAL = "EventJournalFunction"


def route_bus_to_journal_queue(stack):
    events, sqs = stack.client("events"), stack.client("sqs")
    queue_arn = sqs.get_queue_attributes(QueueUrl=stack.journal_queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    pattern = json.dumps({"source": [{"prefix": "vitrine."}]})
    events.put_rule(Name="all", EventBusName=stack.bus_name, EventPattern=pattern)
    events.put_targets(Rule="all", EventBusName=stack.bus_name, Targets=[{"Id": "journal", "Arn": queue_arn}])


def drain(stack) -> list[str]:
    response = stack.client("sqs").receive_message(QueueUrl=stack.journal_queue_url, MaxNumberOfMessages=10)
    return [m["Body"] for m in response.get("Messages", [])]


def test_a_published_event_reaches_the_journal_once_even_when_delivered_twice(stack):
    route_bus_to_journal_queue(stack)
    event = new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"))
    publish([event], source="vitrine.catalog_api")
    bodies = drain(stack)
    assert len(bodies) == 1
    consume = handler_of(JOURNAL)
    assert consume(sqs_event(bodies + bodies), LambdaContext()) == {"batchItemFailures": []}
    page = journal.list_events("m1")
    assert [item["event"]["id"] for item in page.items] == [event.id]
    assert page.items[0]["event"]["data"]["slug"] == "demo"


def test_events_that_break_the_contract_fail_alone(stack):
    good = new_event("m1", CatalogPublished(catalog_id="c1", slug="demo", title="Demo"))
    envelope = good.model_dump(mode="json")

    def bus_event(detail, detail_type="CatalogPublished", source="vitrine.catalog_api"):
        return json.dumps({"id": "e", "source": source, "detail-type": detail_type, "detail": detail})

    event = sqs_event(
        [
            bus_event(envelope),
            bus_event({**envelope, "type": "OrderTeleported"}, detail_type="OrderTeleported"),
            bus_event(envelope, detail_type="CatalogUnpublished"),
            bus_event(envelope, source="someone.else"),
            bus_event({**envelope, "data": {"slug": "demo"}}),
        ]
    )
    result = handler_of(JOURNAL)(event, LambdaContext())
    assert [f["itemIdentifier"] for f in result["batchItemFailures"]] == ["m1", "m2", "m3", "m4"]
    assert len(journal.list_events("m1").items) == 1


def test_the_journal_lists_newest_first_and_pages(stack):
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 23, tzinfo=UTC)
    ids = []
    for minute in range(5):
        event = new_event(
            "m1",
            CatalogPublished(catalog_id="c", slug=f"s{minute}", title="t"),
            occurred_at=start + timedelta(minutes=minute),
        )
        journal.append_event(event)
        ids.append(event.id)
    first = journal.list_events("m1", limit=3)
    second = journal.list_events("m1", limit=3, cursor=first.cursor)
    assert [i["event"]["id"] for i in first.items + second.items] == ids[::-1]
