"""What the local stack reads from infra/template.yaml, and the SAM transform it deploys."""

from pathlib import Path

import pytest

from local_stack.template import (
    INFRA_DIR,
    TemplateError,
    load_template,
    parameter_values,
    parse_rate,
    read_functions,
    transform,
)


@pytest.fixture(scope="module")
def template() -> dict:
    return load_template()


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [("rate(1 minute)", 60), ("rate(3 minutes)", 180), ("rate(2 hours)", 7200), ("rate(1 day)", 86400)],
)
def test_rate_expressions_become_periods(expression, seconds):
    assert parse_rate(expression) == seconds


@pytest.mark.parametrize("expression", ["cron(0 12 * * ? *)", "at(2026-01-01T00:00:00)", "rate(0 minutes)", "daily"])
def test_other_schedule_expressions_fail_clearly(expression):
    with pytest.raises(TemplateError, match="schedule expression"):
        parse_rate(expression)


def test_short_tags_load_as_long_form_intrinsics(template):
    table_name = template["Resources"]["Table"]["Properties"]["TableName"]
    assert table_name == {"Fn::Sub": "vitrine-${Stage}"}
    dims = template["Resources"]["EventJournalDLQAlarm"]["Properties"]["Dimensions"]
    assert dims[0]["Value"] == {"Fn::GetAtt": ["EventJournalDLQ", "QueueName"]}


def test_functions_get_globals_and_their_own_settings(template):
    functions = read_functions(template)
    webhook = functions["OrderWebhookFunction"]
    assert webhook.code_dir == (INFRA_DIR / "../functions/order_webhook").resolve()
    assert (webhook.module, webhook.function_name) == ("app", "handler")
    assert (webhook.timeout, webhook.memory) == (5, 256)
    assert webhook.environment["TABLE_NAME"] == {"Ref": "Table"}
    assert webhook.environment["POWERTOOLS_SERVICE_NAME"] == "order_webhook"
    assert webhook.environment["GATEWAY_WEBHOOK_QUEUE_URL"] == {"Ref": "GatewayWebhookQueue"}
    assert [Path(d).name for d in webhook.layer_dirs] == ["vitrine"]
    consumer = functions["OrderWebhookConsumerFunction"]
    assert (consumer.handler, consumer.timeout, consumer.memory) == ("consumer.handler", 30, 256)


def test_event_sources_routes_and_schedules_are_read(template):
    functions = read_functions(template)
    (source,) = functions["EventJournalFunction"].queues
    assert (source.queue, source.batch_size, source.report_batch_item_failures) == ("EventJournalQueue", 10, True)
    keys = {r.route_key for r in functions["CatalogApiFunction"].routes}
    assert {"GET /health", "GET /api/catalogs/{slug}", "GET /c/{slug}"} <= keys
    schedules = {s.event: s for s in functions["StockSyncFunction"].schedules}
    release = schedules["ReleaseExpiredReservations"]
    assert release.period_seconds == 60
    assert release.logical_id == "StockSyncFunctionReleaseExpiredReservations"
    assert "<aws.scheduler.scheduled-time>" in release.input


def test_the_transform_stubs_code_and_keeps_resource_names(template):
    transformed = transform(template, parameter_values(template, {"Stage": "local"}))
    resources = transformed["Resources"]
    assert resources["CatalogApiFunction"]["Type"] == "AWS::Lambda::Function"
    assert "ZipFile" in resources["CatalogApiFunction"]["Properties"]["Code"]
    assert resources["EventJournalFunctionDomainEvents"]["Type"] == "AWS::Lambda::EventSourceMapping"
    assert resources["PayoutFunctionDailyPayoutRun"]["Type"] == "AWS::Scheduler::Schedule"
    assert {"Table", "VitrineBus", "GatewayWebhookQueue", "EventJournalDLQ"} <= resources.keys()
