"""Import several of the template's functions into one Python process (tests, the OpenAPI build).

Lambda (and the local stack's workers, ``local_stack.runtime``) runs one function per process, with its code
directory first on ``sys.path``. Here several functions' ``app.py`` must coexist, so each handler module is
loaded under a unique name (``<code_dir>.<module>``); their sibling modules keep their plain names, which is
why sibling module names are unique across functions (a test checks it). A handler that imports its route
modules at first use (a ``ROUTE_MODULES`` table, ``vitrine.http.route_table``) has every module of its table
imported here, so the tests and the OpenAPI build see all its routes.
"""

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from local_stack.template import FunctionSpec, load_template, read_functions

ROOT = Path(__file__).resolve().parents[2]


def template_functions() -> list[FunctionSpec]:
    return list(read_functions(load_template()).values())


def module_file(function: FunctionSpec) -> Path:
    return function.code_dir / f"{function.module.replace('.', '/')}.py"


def import_handler_module(function: FunctionSpec) -> ModuleType:
    unique_name = f"{function.code_dir.name}.{function.module}"
    if unique_name in sys.modules:
        return sys.modules[unique_name]
    if str(function.code_dir) not in sys.path:
        sys.path.insert(0, str(function.code_dir))
    spec = importlib.util.spec_from_file_location(unique_name, module_file(function))
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {module_file(function)}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique_name] = module
    spec.loader.exec_module(module)
    for route_module in sorted(set(getattr(module, "ROUTE_MODULES", {}).values())):
        importlib.import_module(route_module)
    return module


def load_handler(function: FunctionSpec) -> Any:
    return getattr(import_handler_module(function), function.function_name)
