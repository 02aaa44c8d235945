"""Deploying the template into the emulator, and the resolved names the local stack runs with.

``deploy(emulator_url)`` transforms ``infra/template.yaml`` as SAM does, adapts the result to what moto's
CloudFormation can create, creates the stack, and returns a ``Stack``: every function with the environment
the template gives it (intrinsics resolved by the emulator's CloudFormation), every queue, every schedule,
and the gateway webhook credentials it stored in SSM.

Resolving the environment: each intrinsic value (``!Ref Table``, ``!GetAtt Queue.QueueName``) becomes an
Output of the deployed template, so CloudFormation itself computes it, exactly as it would in AWS.
"""

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from local_stack import emulator
from local_stack.template import (
    REGION,
    FunctionSpec,
    QueueSource,
    Schedule,
    load_template,
    parameter_values,
    read_functions,
    transform,
)

STACK_NAME = "vitrine-local"
LOCAL_PARAMETERS = {
    "Stage": "local",
    "GatewayWebhookCredentialsParameter": "/vitrine/local/gateway-webhook-credentials",
    "SessionSigningKeyParameter": "/vitrine/local/session-signing-keys",
    "MessagingCredentialsParameter": "/vitrine/local/messaging-credentials",
    # No CDN on loopback: views reach the functions, images the /img/ route (README "Local differences").
    "Cdn": "disabled",
}
# What the local stack sets in every function's environment beyond the template: settings a deployment never has
# (the template declares none of them, so they are off in AWS):
# - outbound webhooks and ERP connectors may target loopback, where the sandbox ERP and a developer's receiver
#   listen (vitrine.outbound_targets);
# - the front serves plain http on 127.0.0.1: links start with http:// and session cookies go without Secure,
#   which browsers would not send back over http.
LOCAL_ONLY_ENVIRONMENT = {"OUTBOUND_ALLOW_LOOPBACK": "true", "LOCAL_PLAIN_HTTP": "true"}
WEBHOOK_USER = "vitrine"
STACK_TIMEOUT_SECONDS = 60.0

_QUEUE = "AWS::SQS::Queue"
_FUNCTION = "AWS::Lambda::Function"
# Resources the local stack plays itself: moto's event source mappings would receive and delete messages
# without running any code (it needs Docker for that), and the layer's code is installed editable instead.
_PLAYED_LOCALLY = {"AWS::Lambda::EventSourceMapping", "AWS::Lambda::LayerVersion"}


class DeployError(RuntimeError):
    pass


@dataclass(frozen=True)
class DeployedQueue:
    logical_id: str
    name: str
    arn: str
    url: str


@dataclass(frozen=True)
class DeployedFunction:
    spec: FunctionSpec
    name: str
    arn: str
    environment: dict[str, str]

    @property
    def logical_id(self) -> str:
        return self.spec.logical_id


@dataclass(frozen=True)
class DeployedSchedule:
    spec: Schedule
    name: str
    arn: str

    @property
    def function(self) -> str:
        return self.spec.function


@dataclass(frozen=True)
class WebhookCredentials:
    parameter: str
    user: str
    password: str

    @property
    def basic(self) -> str:
        """The ``user:password`` pair, as the payment gateway sends it."""
        return f"{self.user}:{self.password}"


@dataclass
class Stack:
    name: str
    emulator_url: str
    region: str
    account_id: str
    parameters: dict[str, str]
    outputs: dict[str, str]
    resources: dict[str, str]
    functions: dict[str, DeployedFunction]
    queues: dict[str, DeployedQueue]
    schedules: dict[str, DeployedSchedule]
    webhook_credentials: WebhookCredentials
    queue_sources: tuple[QueueSource, ...] = field(default_factory=tuple)

    @property
    def table_name(self) -> str:
        return self.outputs["TableName"]

    @property
    def event_bus_name(self) -> str:
        return self.outputs["EventBusName"]

    def client(self, service: str) -> Any:
        """A boto3 client for the emulator."""
        return emulator.client(self.emulator_url, service)


def deploy(
    emulator_url: str,
    parameters: dict[str, str] | None = None,
    webhook_password: str | None = None,
    stack_name: str = STACK_NAME,
) -> Stack:
    """Create the template's stack in the emulator and resolve everything the local stack runs with."""
    template = load_template()
    values = parameter_values(template, {**LOCAL_PARAMETERS, **(parameters or {})})
    functions = read_functions(template)
    queue_ids = [logical_id for logical_id, r in template["Resources"].items() if r["Type"] == _QUEUE]
    wanted = _Outputs(functions, queue_ids)

    transformed = transform(template, values)
    transformed.setdefault("Outputs", {}).update(wanted.declarations())
    cloudformation = emulator.client(emulator_url, "cloudformation")
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(_for_the_emulator(transformed)),
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    outputs = _wait_for_stack(cloudformation, stack_name)
    resources = _physical_ids(cloudformation, stack_name)
    account_id = emulator.client(emulator_url, "sts").get_caller_identity()["Account"]
    credentials = WebhookCredentials(
        parameter=values["GatewayWebhookCredentialsParameter"],
        user=WEBHOOK_USER,
        password=webhook_password or secrets.token_urlsafe(18),
    )
    ssm = emulator.client(emulator_url, "ssm")
    ssm.put_parameter(Name=credentials.parameter, Type="SecureString", Value=credentials.basic, Overwrite=True)
    ssm.put_parameter(
        Name=values["SessionSigningKeyParameter"], Type="SecureString", Value=secrets.token_urlsafe(32), Overwrite=True
    )
    deployed_functions = {
        logical_id: _deployed_function(spec, resources[logical_id], account_id, emulator_url, outputs, wanted)
        for logical_id, spec in functions.items()
    }
    return Stack(
        name=stack_name,
        emulator_url=emulator_url,
        region=REGION,
        account_id=account_id,
        parameters=values,
        # Outputs moto cannot compute (the HTTP API's URL: the front plays that API) are left out.
        outputs={
            key: value for key, value in outputs.items() if not key.startswith(_Outputs.PREFIX) and "${" not in value
        },
        resources=resources,
        functions=deployed_functions,
        queues=_deployed_queues(emulator_url, queue_ids, outputs, wanted),
        schedules=_deployed_schedules(functions, account_id, outputs, wanted),
        webhook_credentials=credentials,
        queue_sources=tuple(source for spec in functions.values() for source in spec.queues),
    )


def _deployed_function(
    spec: FunctionSpec, name: str, account_id: str, emulator_url: str, outputs: dict[str, str], wanted: "_Outputs"
) -> DeployedFunction:
    template_environment = {
        variable: outputs[key] if key else _literal(spec.environment[variable])
        for variable, key in wanted.environment[spec.logical_id].items()
    }
    return DeployedFunction(
        spec=spec,
        name=name,
        arn=f"arn:aws:lambda:{REGION}:{account_id}:function:{name}",
        environment={**template_environment, **LOCAL_ONLY_ENVIRONMENT, **runtime_environment(spec, name, emulator_url)},
    )


def _deployed_queues(
    emulator_url: str, queue_ids: list[str], outputs: dict[str, str], wanted: "_Outputs"
) -> dict[str, DeployedQueue]:
    sqs = emulator.client(emulator_url, "sqs")
    queues = {}
    for logical_id in queue_ids:
        name = outputs[wanted.queue_name[logical_id]]
        queues[logical_id] = DeployedQueue(
            logical_id=logical_id,
            name=name,
            arn=outputs[wanted.queue_arn[logical_id]],
            # The emulator's own URL for the queue (Ref gives the AWS-style one, which moto also accepts).
            url=sqs.get_queue_url(QueueName=name)["QueueUrl"],
        )
    return queues


def _deployed_schedules(
    functions: dict[str, FunctionSpec], account_id: str, outputs: dict[str, str], wanted: "_Outputs"
) -> dict[str, DeployedSchedule]:
    schedules = {}
    for spec in functions.values():
        for schedule in spec.schedules:
            key = wanted.schedule_name[schedule.logical_id]
            name = outputs[key] if key else str(schedule.name)
            schedules[schedule.logical_id] = DeployedSchedule(
                spec=schedule, name=name, arn=f"arn:aws:scheduler:{REGION}:{account_id}:schedule/default/{name}"
            )
    return schedules


def runtime_environment(spec: FunctionSpec, function_name: str, emulator_url: str) -> dict[str, str]:
    """The variables the Lambda runtime sets, plus what points the SDK at the emulator."""
    return {
        "AWS_ENDPOINT_URL": emulator_url,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": emulator.CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": emulator.CREDENTIALS["aws_secret_access_key"],
        # Nothing from the developer's ~/.aws may steer a handler towards a real account.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}" if spec.runtime else "AWS_Lambda_python",
        "LAMBDA_TASK_ROOT": str(spec.code_dir),
        "_HANDLER": spec.handler,
        "TZ": ":UTC",
        # There is no X-Ray daemon locally; Powertools' Tracer would otherwise try to reach one.
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


class _Outputs:
    """The extra Outputs through which the emulator's CloudFormation resolves intrinsic values for us."""

    PREFIX = "LocalStack"

    def __init__(self, functions: dict[str, FunctionSpec], queue_ids: list[str]) -> None:
        self._values: dict[str, Any] = {}
        self.queue_name = {q: self._add({"Fn::GetAtt": [q, "QueueName"]}) for q in queue_ids}
        self.queue_arn = {q: self._add({"Fn::GetAtt": [q, "Arn"]}) for q in queue_ids}
        # variable -> output key, or None for a literal value that needs no resolving.
        self.environment = {
            logical_id: {
                variable: self._add(value) if isinstance(value, dict) else None
                for variable, value in spec.environment.items()
            }
            for logical_id, spec in functions.items()
        }
        self.schedule_name = {
            schedule.logical_id: self._add(schedule.name) if isinstance(schedule.name, dict) else None
            for spec in functions.values()
            for schedule in spec.schedules
        }

    def _add(self, value: Any) -> str:
        key = f"{self.PREFIX}{len(self._values)}"
        self._values[key] = value
        return key

    def declarations(self) -> dict[str, Any]:
        return {key: {"Value": value} for key, value in self._values.items()}


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _for_the_emulator(transformed: dict[str, Any]) -> dict[str, Any]:
    """The transformed template, minus what the local stack plays itself and with moto's gaps bridged."""
    resources = transformed["Resources"]
    for logical_id in [k for k, r in resources.items() if r["Type"] in _PLAYED_LOCALLY]:
        del resources[logical_id]
    for resource in resources.values():
        if resource["Type"] == _FUNCTION:
            resource["Properties"].pop("Layers", None)
    # AWS's Ref of an event bus is its name; moto's EventBus has no physical id, so Ref yields an object.
    buses = {k for k, r in resources.items() if r["Type"] == "AWS::Events::EventBus"}
    return _replace_refs(transformed, {bus: {"Fn::GetAtt": [bus, "Name"]} for bus in buses})


def _replace_refs(node: Any, replacements: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in replacements:
            return replacements[node["Ref"]]
        return {key: _replace_refs(value, replacements) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_refs(value, replacements) for value in node]
    return node


def _wait_for_stack(cloudformation: Any, stack_name: str) -> dict[str, str]:
    deadline = time.monotonic() + STACK_TIMEOUT_SECONDS
    while True:
        stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return {output["OutputKey"]: output.get("OutputValue", "") for output in stack.get("Outputs", [])}
        if not status.endswith("_IN_PROGRESS"):
            raise DeployError(f"stack {stack_name} ended in {status}: {stack.get('StackStatusReason', '')}")
        if time.monotonic() > deadline:
            raise DeployError(f"stack {stack_name} still {status} after {STACK_TIMEOUT_SECONDS} s")
        time.sleep(0.1)


def _physical_ids(cloudformation: Any, stack_name: str) -> dict[str, str]:
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources if r.get("PhysicalResourceId")}
