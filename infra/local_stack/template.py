"""What the local stack reads from ``infra/template.yaml``: the functions, their routes, queues and schedules.

The template is the single source of truth. This module loads it (CloudFormation short tags become the
long-form intrinsic dicts), runs the SAM transform the way ``sam deploy`` does, and describes every function
in plain dataclasses the rest of the local stack works from. Values that only CloudFormation can compute
(``!Ref Table``, ``!GetAtt Queue.QueueName``) stay intrinsic dicts here; ``local_stack.deploy`` resolves them
against the stack created in the emulator.
"""

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

INFRA_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = INFRA_DIR / "template.yaml"
REGION = "us-east-1"

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
SERVERLESS_LAYER = "AWS::Serverless::LayerVersion"

# The emulator cannot run code from local paths; the local stack runs the code itself (local_stack.workers).
_STUB_CODE = "def handler(event, context):\n    raise RuntimeError('the local stack runs this code')\n"
_STUB_LAYER_CONTENT = {"Bucket": "vitrine-local-artifacts", "Key": "core-layer.zip"}

_SHORT_TAGS = (
    "Base64",
    "Cidr",
    "Equals",
    "FindInMap",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "And",
    "Or",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "GetAtt",
    "Ref",
    "Condition",
)

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class TemplateError(ValueError):
    """The template uses something the local stack cannot emulate faithfully."""


@dataclass(frozen=True)
class HttpRoute:
    """One HttpApi event: ``method`` is upper case or ``ANY``; ``path`` is ``$default`` for the catch-all."""

    function: str
    event: str
    method: str
    path: str
    iam: bool = False  # ``Auth: {Authorizer: AWS_IAM}``: only SigV4-signed requests reach the function

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass(frozen=True)
class QueueSource:
    """One SQS event source mapping, as the template declares it."""

    function: str
    event: str
    queue: str
    batch_size: int = 10
    batching_window_seconds: int = 0
    report_batch_item_failures: bool = False


@dataclass(frozen=True)
class Schedule:
    """One ScheduleV2 event. ``name`` may still be an intrinsic (``!Sub vitrine-${Stage}-...``)."""

    function: str
    event: str
    name: Any
    expression: str
    period_seconds: int
    input: str | None

    @property
    def logical_id(self) -> str:
        """The AWS::Scheduler::Schedule resource SAM generates for this event."""
        return f"{self.function}{self.event}"


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str
    runtime: str
    timeout: int
    memory: int
    environment: dict[str, Any]
    routes: tuple[HttpRoute, ...] = field(default_factory=tuple)
    queues: tuple[QueueSource, ...] = field(default_factory=tuple)
    schedules: tuple[Schedule, ...] = field(default_factory=tuple)
    layer_dirs: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def function_name(self) -> str:
        return self.handler.rsplit(".", 1)[1]


class _CloudFormationLoader(yaml.SafeLoader):
    """A safe YAML loader that understands CloudFormation's short-form intrinsic tags."""


def _short_tag(tag: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if tag == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        key = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"
        return {key: value}

    return construct


for _tag in _SHORT_TAGS:
    _CloudFormationLoader.add_constructor(f"!{_tag}", _short_tag(_tag))


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as CloudFormation sees it: short tags expanded to ``{"Ref": ...}``/``{"Fn::...": ...}``."""
    return yaml.load(path.read_text(), Loader=_CloudFormationLoader)  # noqa: S506 - a SafeLoader subclass


def parameter_values(template: dict[str, Any], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Every template parameter's value: its default unless overridden."""
    values = {name: str(spec["Default"]) for name, spec in template.get("Parameters", {}).items() if "Default" in spec}
    values.update(overrides or {})
    return values


def transform(template: dict[str, Any], parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """The SAM transform, as ``sam deploy`` runs it, with code locations stubbed for the emulator."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam_template = copy.deepcopy(template)
    for resource in sam_template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == SERVERLESS_FUNCTION:
            properties.pop("CodeUri", None)
            properties["InlineCode"] = _STUB_CODE
        elif resource.get("Type") == SERVERLESS_LAYER:
            properties["ContentUri"] = dict(_STUB_LAYER_CONTENT)
    # The translator asks a boto3 session for the region; an explicit one keeps it off the host's AWS config.
    session = boto3.session.Session(region_name=REGION, aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    translator = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=session)
    return translator.translate(sam_template, parameter_values=dict(parameters or {}))


def parse_rate(expression: str) -> int:
    """The period of a ``rate(...)`` schedule expression, in seconds."""
    match = _RATE.match(expression.strip())
    if match is None:
        if expression.strip().startswith(("cron(", "at(")):
            raise TemplateError(
                f"schedule expression {expression!r}: the local stack only runs rate(...) schedules; "
                "add cron(...)/at(...) support to local_stack.template before using one in the template"
            )
        raise TemplateError(f"schedule expression {expression!r} is not a valid rate(N unit) expression")
    count, unit = int(match.group(1)), match.group(2).rstrip("s")
    if count <= 0:
        raise TemplateError(f"schedule expression {expression!r}: the rate must be positive")
    return count * _UNIT_SECONDS[unit]


def read_functions(template: dict[str, Any], infra_dir: Path = INFRA_DIR) -> dict[str, FunctionSpec]:
    """Every ``AWS::Serverless::Function`` with ``Globals.Function`` applied, keyed by logical id."""
    defaults = template.get("Globals", {}).get("Function", {})
    functions = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != SERVERLESS_FUNCTION:
            continue
        properties = resource.get("Properties", {})
        merged = {**defaults, **properties}
        code_uri = merged.get("CodeUri")
        if not isinstance(code_uri, str):
            raise TemplateError(f"{logical_id}: CodeUri must be a local path for the local stack")
        environment = {
            **defaults.get("Environment", {}).get("Variables", {}),
            **properties.get("Environment", {}).get("Variables", {}),
        }
        events = properties.get("Events", {})
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            code_dir=(infra_dir / code_uri).resolve(),
            handler=merged["Handler"],
            runtime=merged.get("Runtime", ""),
            timeout=int(merged.get("Timeout", 3)),
            memory=int(merged.get("MemorySize", 128)),
            environment=environment,
            routes=tuple(_routes(logical_id, events)),
            queues=tuple(_queue_sources(logical_id, events)),
            schedules=tuple(_schedules(logical_id, events)),
            layer_dirs=tuple(_layer_dirs(template, merged.get("Layers", []), infra_dir)),
        )
    return functions


def _layer_dirs(template: dict[str, Any], layers: list[Any], infra_dir: Path):
    """The local source directories of the function's own layers (the workers import them installed)."""
    resources = template.get("Resources", {})
    for layer in layers:
        resource = resources.get(layer.get("Ref")) if isinstance(layer, dict) else None
        if resource and resource.get("Type") == SERVERLESS_LAYER:
            content = resource.get("Properties", {}).get("ContentUri")
            if isinstance(content, str):
                yield (infra_dir / content).resolve()


def _events_of_type(events: dict[str, Any], event_type: str):
    for name, event in events.items():
        if event.get("Type") == event_type:
            yield name, event.get("Properties", {})


def _routes(function: str, events: dict[str, Any]):
    for name, properties in _events_of_type(events, "HttpApi"):
        method = str(properties.get("Method", "ANY")).upper()
        if method == "X-AMAZON-APIGATEWAY-ANY-METHOD":
            method = "ANY"
        # An HttpApi event without Path and Method is the API's $default route.
        path = properties.get("Path", "$default")
        iam = (properties.get("Auth") or {}).get("Authorizer") == "AWS_IAM"
        yield HttpRoute(function=function, event=name, method=method, path=path, iam=iam)


def _queue_sources(function: str, events: dict[str, Any]):
    for name, properties in _events_of_type(events, "SQS"):
        queue = properties["Queue"]
        if not (isinstance(queue, dict) and "Fn::GetAtt" in queue):
            raise TemplateError(f"{function}.{name}: the local stack expects Queue: !GetAtt <Queue>.Arn")
        yield QueueSource(
            function=function,
            event=name,
            queue=queue["Fn::GetAtt"][0],
            batch_size=int(properties.get("BatchSize", 10)),
            batching_window_seconds=int(properties.get("MaximumBatchingWindowInSeconds", 0)),
            report_batch_item_failures="ReportBatchItemFailures" in properties.get("FunctionResponseTypes", []),
        )


def _schedules(function: str, events: dict[str, Any]):
    for name, properties in _events_of_type(events, "ScheduleV2"):
        expression = properties["ScheduleExpression"]
        payload = properties.get("Input")
        if payload is not None:
            # Fail at startup, not at the first firing, when the Input is not JSON.
            json.loads(re.sub(r"<aws\.scheduler\.[a-z-]+>", "x", payload))
        yield Schedule(
            function=function,
            event=name,
            name=properties.get("Name", f"{function}{name}"),
            expression=expression,
            period_seconds=parse_rate(expression),
            input=payload,
        )
