"""Route parity: everything the template wires up is served by a handler, and every handler is wired up."""

from pathlib import Path

import pytest

from local_stack.function_code import ROOT, import_handler_module, load_template, template_functions
from vitrine.http.routing import REGISTERED

TEMPLATE = load_template()
FUNCTIONS = template_functions(TEMPLATE)
MODULES = {fn.logical_id: import_handler_module(fn) for fn in FUNCTIONS}


def events_of(kind):
    return [
        (fn, name, event["Properties"])
        for fn in FUNCTIONS
        for name, event in fn.properties.get("Events", {}).items()
        if event["Type"] == kind
    ]


TEMPLATE_ROUTES = {(p["Method"].upper(), p["Path"], fn.logical_id) for fn, _, p in events_of("HttpApi")}
HANDLER_ROUTES = {(r.method.upper(), r.path, r.function) for r in REGISTERED}


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.logical_id)
def test_every_function_handler_exists_and_is_callable(function):
    assert function.module_file.is_file(), f"{function.module_file} missing"
    assert callable(getattr(MODULES[function.logical_id], function.attribute, None))


def test_every_template_route_is_declared_by_its_functions_handler():
    unserved = TEMPLATE_ROUTES - HANDLER_ROUTES
    assert not unserved, f"template routes no handler declares: {unserved}"


def test_every_handler_route_is_in_the_template():
    unrouted = HANDLER_ROUTES - TEMPLATE_ROUTES
    assert not unrouted, f"handler routes missing from the template: {unrouted}"


@pytest.mark.parametrize(("function", "event", "properties"), events_of("ScheduleV2"), ids=lambda v: str(v)[:40])
def test_every_schedule_names_a_job_its_function_runs(function, event, properties):
    import json

    job = json.loads(properties["Input"])["job"]
    assert job in MODULES[function.logical_id].JOBS, f"{event}: {function.logical_id} has no job {job!r}"


def test_every_job_a_function_runs_is_scheduled():
    scheduled = {(fn.logical_id, __import__("json").loads(p["Input"])["job"]) for fn, _, p in events_of("ScheduleV2")}
    runnable = {(fn.logical_id, job) for fn in FUNCTIONS for job in getattr(MODULES[fn.logical_id], "JOBS", {})}
    assert runnable == scheduled


def test_sqs_consumers_are_batch_handlers():
    for fn, name, _ in events_of("SQS"):
        module = MODULES[fn.logical_id]
        assert hasattr(module, "record_handler") and hasattr(module, "processor"), f"{name}: not a batch consumer"


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
    import json

    import build_openapi

    committed = build_openapi.OUTPUT.read_text()
    assert build_openapi.render_openapi() == committed, "run `make openapi` and commit the result"
    document = json.loads(committed)
    spec_routes = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    assert spec_routes == {(method, path) for method, path, _ in TEMPLATE_ROUTES}
