"""The template's functions as code: where each one's code lives and how to import its handler as Lambda does.

Lambda puts the function's code directory first on ``sys.path`` and imports ``module`` from ``module.handler``.
In one Python process (tests, the OpenAPI build) several functions' ``app.py`` must coexist, so each handler
module is loaded under a unique name (``<code_dir>.<module>``); their sibling modules keep their plain names,
which is why sibling module names are unique across functions (a test checks it).
"""

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"


@dataclass(frozen=True)
class FunctionCode:
    logical_id: str
    code_dir: Path
    module: str
    attribute: str
    properties: dict[str, Any]

    @property
    def module_file(self) -> Path:
        return self.code_dir / f"{self.module.replace('.', '/')}.py"


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The SAM template as plain dicts, CloudFormation short tags in long form (cfn-lint's own decoder)."""
    from cfnlint.decode import decode

    template, matches = decode(str(path))
    if matches or template is None:
        raise ValueError(f"cannot read {path}: {matches}")
    return template


def template_functions(template: dict[str, Any] | None = None, template_path: Path = TEMPLATE) -> list[FunctionCode]:
    template = template if template is not None else load_template(template_path)
    functions = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        module, _, attribute = properties["Handler"].rpartition(".")
        code_dir = (template_path.parent / properties["CodeUri"]).resolve()
        functions.append(FunctionCode(logical_id, code_dir, module, attribute, properties))
    return functions


def import_handler_module(function: FunctionCode) -> ModuleType:
    unique_name = f"{function.code_dir.name}.{function.module}"
    if unique_name in sys.modules:
        return sys.modules[unique_name]
    if str(function.code_dir) not in sys.path:
        sys.path.insert(0, str(function.code_dir))
    spec = importlib.util.spec_from_file_location(unique_name, function.module_file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {function.module_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique_name] = module
    spec.loader.exec_module(module)
    return module


def load_handler(function: FunctionCode) -> Any:
    return getattr(import_handler_module(function), function.attribute)
