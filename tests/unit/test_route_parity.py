"""Route parity: everything the template wires up is served by a handler, and every handler is wired up."""

import ast
import json
import re
from pathlib import Path

import pytest

from local_stack.function_code import ROOT, import_handler_module, module_file, template_functions
from vitrine.http.routing import REGISTERED

FUNCTIONS = template_functions()
MODULES = {fn.logical_id: import_handler_module(fn) for fn in FUNCTIONS}
SCHEDULES = [schedule for fn in FUNCTIONS for schedule in fn.schedules]

TEMPLATE_ROUTES = {(route.method, route.path, fn.logical_id) for fn in FUNCTIONS for route in fn.routes}
HANDLER_ROUTES = {(r.method.upper(), r.path, r.function) for r in REGISTERED}
# Handlers that import a route's module at its first request (vitrine.http.route_table): routeKey -> module.
ROUTE_TABLES = {name: module.ROUTE_MODULES for name, module in MODULES.items() if hasattr(module, "ROUTE_MODULES")}


def job_of(schedule) -> str:
    return json.loads(schedule.input)["job"]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.logical_id)
def test_every_function_handler_exists_and_is_callable(function):
    assert module_file(function).is_file(), f"{module_file(function)} missing"
    assert callable(getattr(MODULES[function.logical_id], function.function_name, None))


def test_every_template_route_is_declared_by_its_functions_handler():
    unserved = TEMPLATE_ROUTES - HANDLER_ROUTES
    assert not unserved, f"template routes no handler declares: {unserved}"


def test_every_handler_route_is_in_the_template():
    unrouted = HANDLER_ROUTES - TEMPLATE_ROUTES
    assert not unrouted, f"handler routes missing from the template: {unrouted}"


@pytest.mark.parametrize("function", sorted(ROUTE_TABLES))
def test_a_route_table_names_every_route_of_its_function_and_the_module_declaring_it(function):
    """A route whose line is missing from the table would be a 404 in production: the table must not drift."""
    declared = {f"{r.method.upper()} {r.path}": r.module for r in REGISTERED if r.function == function}
    assert ROUTE_TABLES[function] == declared


@pytest.mark.parametrize("function", sorted(ROUTE_TABLES))
def test_a_handler_with_a_route_table_imports_none_of_its_route_modules_itself(function):
    """Its cold start imports the one module its first request needs (the table does), not all of them."""
    source = module_file(next(fn for fn in FUNCTIONS if fn.logical_id == function)).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not imported & set(ROUTE_TABLES[function].values())


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: s.event)
def test_every_schedule_names_a_job_its_function_runs(schedule):
    assert job_of(schedule) in MODULES[schedule.function].JOBS, f"{schedule.function} cannot run {job_of(schedule)}"


def test_every_job_a_function_runs_is_scheduled():
    scheduled = {(schedule.function, job_of(schedule)) for schedule in SCHEDULES}
    runnable = {(fn.logical_id, job) for fn in FUNCTIONS for job in getattr(MODULES[fn.logical_id], "JOBS", {})}
    assert runnable == scheduled


def test_sqs_consumers_report_partial_batches():
    sources = [source for fn in FUNCTIONS for source in fn.queues]
    assert sources
    for source in sources:
        module = MODULES[source.function]
        assert source.report_batch_item_failures, f"{source.event}: no ReportBatchItemFailures"
        assert callable(getattr(module, "record_handler", None)), f"{source.event}: no record_handler"


def test_function_modules_beside_handlers_have_unique_names():
    """Lambda loads each function alone; one test process loads them all, so sibling names must not clash."""
    seen: dict[str, Path] = {}
    handler_modules = {fn.module for fn in FUNCTIONS}
    for code_dir in sorted({fn.code_dir for fn in FUNCTIONS}):
        for path in code_dir.glob("*.py"):
            if path.stem in handler_modules:
                continue
            assert path.stem not in seen, f"{path.relative_to(ROOT)} clashes with {seen[path.stem].relative_to(ROOT)}"
            seen[path.stem] = path


def test_openapi_document_is_current_and_matches_the_template():
    import build_openapi

    committed = build_openapi.OUTPUT.read_text()
    assert build_openapi.render_openapi() == committed, "run `make openapi` and commit the result"
    document = json.loads(committed)
    spec_routes = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    undocumented = {(r.method.upper(), r.path) for r in REGISTERED if not r.documented}
    # The pages' image URL and their script (see storefront_routes): what pages load, not API resources.
    assert undocumented == {("GET", "/img/{key+}"), ("GET", "/s/{name}"), ("GET", "/painel/s/{name}")}
    assert spec_routes == {(method, path) for method, path, _ in TEMPLATE_ROUTES} - undocumented


OPENAPI = json.loads((ROOT / "functions" / "catalog_api" / "openapi.json").read_text())


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_every_reference_in_the_openapi_document_resolves():
    """Query parameters pointed at ``#/$defs/OrderStatus``: a fuzzer skipped them as unresolvable."""
    refs = _refs(OPENAPI)
    assert refs
    for ref in set(refs):
        node = OPENAPI
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_every_path_parameter_is_one_segment_named_in_its_path():
    for path, operations in OPENAPI["paths"].items():
        assert "+}" not in path, f"{path}: OpenAPI has no greedy parameter"
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"\{(\w+)\}", path)), path


def _parameter(path: str, method: str, name: str) -> dict:
    return next(p for p in OPENAPI["paths"][path][method]["parameters"] if p["name"] == name)["schema"]


def test_the_openapi_document_states_the_rules_the_api_enforces():
    """What a fuzzer's schema-valid request used to break: each rule the API checks is in the schema, or in the
    route's documented answer when it depends on what is stored."""
    schemas = OPENAPI["components"]["schemas"]
    modes = [branch["required"] for branch in schemas["SelectionInput"]["oneOf"]]
    assert modes == [["skus"], ["classifier_path"], ["all_active_online"]]
    assert [branch["required"] for branch in schemas["ErpStockLevel"]["oneOf"]] == [["sequence"], ["counted_at"]]
    buyer = schemas["vitrine__orders__models__CustomerInput"]
    assert [branch["required"] for branch in buyer["oneOf"]] == [["document"], ["cpf"]]
    document = buyer["properties"]["document"]["anyOf"][0]["pattern"]
    assert re.fullmatch(document, "529.982.247-25") and re.fullmatch(document, "11.222.333/0001-81")
    assert not re.fullmatch(document, "")
    assert _parameter("/merchant/v1/orders", "get", "cursor")["pattern"] == "^[A-Za-z0-9_-]+$"
    assert _parameter("/merchant/v1/orders/{order_id}", "get", "order_id")["pattern"] == "^[0-9a-f]{32}$"
    assert _parameter("/merchant/v1/webhook-endpoints/{endpoint_id}", "delete", "endpoint_id")["pattern"]
    assert _parameter("/merchant/v1/orders", "get", "status")["$ref"] == "#/components/schemas/OrderStatus"
    connector_422 = OPENAPI["paths"]["/merchant/v1/erp-connector"]["put"]["responses"]["422"]["description"]
    assert "token" in connector_422
