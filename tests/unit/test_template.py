"""The SAM template keeps the rules of the house: DLQs with alarms, partial batches, retention, least privilege."""

import pytest

from local_stack.function_code import template_functions
from local_stack.template import load_template

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]


def of_type(kind):
    return {name: r for name, r in RESOURCES.items() if r["Type"] == kind}


def ref_name(value):
    """The logical id behind !Ref X or !GetAtt X.Attr."""
    if "Ref" in value:
        return value["Ref"]
    return value["Fn::GetAtt"][0] if isinstance(value["Fn::GetAtt"], list) else value["Fn::GetAtt"].split(".")[0]


FUNCTIONS = {fn.logical_id: fn for fn in template_functions()}
EVENTS = [
    (logical_id, name, event)
    for logical_id in FUNCTIONS
    for name, event in RESOURCES[logical_id]["Properties"].get("Events", {}).items()
]
SQS_EVENTS = [
    (logical_id, name, event["Properties"], FUNCTIONS[logical_id].timeout)
    for logical_id, name, event in EVENTS
    if event["Type"] == "SQS"
]


@pytest.mark.parametrize(("function", "event", "properties", "timeout"), SQS_EVENTS)
def test_queue_consumers_report_partial_failures_and_outlive_their_function(function, event, properties, timeout):
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = RESOURCES[ref_name(properties["Queue"])]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * timeout, f"{event}: visibility < 6x the {function} timeout"


def test_every_work_queue_has_a_dlq_and_every_dlq_an_alarm():
    queues = of_type("AWS::SQS::Queue")
    dlqs = {
        ref_name(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    work_queues = {name for name, q in queues.items() if "RedrivePolicy" in q["Properties"]}
    assert work_queues, "no work queues"
    assert set(queues) == work_queues | dlqs | {"SchedulerDLQ"}
    alarmed = set()
    for alarm in of_type("AWS::CloudWatch::Alarm").values():
        if alarm["Properties"]["Namespace"] != "AWS/SQS":
            continue  # an alarm on the functions' own metrics (e.g. the ledger out of balance)
        for dimension in alarm["Properties"]["Dimensions"]:
            alarmed.add(ref_name(dimension["Value"]))
    assert dlqs | {"SchedulerDLQ"} <= alarmed


def test_table_is_on_demand_with_pitr_ttl_and_retained():
    table = RESOURCES["Table"]
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["DeletionPolicy"] == "Retain"
    assert [g["IndexName"] for g in props["GlobalSecondaryIndexes"]] == ["GSI1", "GSI2"]


def test_bus_rules_deliver_to_queues_with_a_dead_letter_target():
    for name, rule in of_type("AWS::Events::Rule").items():
        for target in rule["Properties"]["Targets"]:
            assert RESOURCES[ref_name(target["Arn"])]["Type"] == "AWS::SQS::Queue", name
            assert "DeadLetterConfig" in target, name


def test_every_schedule_retries_into_a_dlq():
    schedules = [event["Properties"] for _, _, event in EVENTS if event["Type"] == "ScheduleV2"]
    assert schedules
    for schedule in schedules:
        assert schedule["ScheduleExpression"].startswith("rate(")
        assert "RetryPolicy" in schedule and "DeadLetterConfig" in schedule


def test_functions_share_the_core_layer_and_active_tracing():
    function_globals = TEMPLATE["Globals"]["Function"]
    assert function_globals["Tracing"] == "Active"
    assert function_globals["Layers"] == [{"Ref": "CoreLayer"}]
    assert RESOURCES["CoreLayer"]["Metadata"]["BuildMethod"] == function_globals["Runtime"]


def test_no_function_gets_a_wildcard_or_admin_policy():
    for logical_id in FUNCTIONS:
        policies = RESOURCES[logical_id]["Properties"].get("Policies", [])
        assert policies, f"{logical_id} has no policies"
        text = repr(policies)
        assert "AdministratorAccess" not in text and "'Action': '*'" not in text and "'Resource': '*'" not in text


def test_no_deployed_function_has_the_local_money_clock():
    # vitrine.clock moves only where the local stack points it at a file: in AWS, every "now" is the machine's.
    from vitrine.clock import CLOCK_FILE_VARIABLE

    globals_env = TEMPLATE.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    assert CLOCK_FILE_VARIABLE not in globals_env
    for name, function in of_type("AWS::Serverless::Function").items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        assert CLOCK_FILE_VARIABLE not in variables, name


def test_pydantic_plugins_are_off_and_there_are_none_to_lose():
    # Given every function's environment: pydantic skips looking for plugins at a cold start's first model
    import importlib.metadata

    globals_env = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert globals_env["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    # A plugin installed later (this venv holds every runtime dependency) would be ignored: turn the variable off.
    assert not list(importlib.metadata.entry_points(group="pydantic"))
