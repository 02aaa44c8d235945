"""Every input the API declares is strict: a bool is not a count, a string is not a number, a number is not a flag,
and text holds no control character (NUL, CR/LF, bidirectional overrides).

The inputs are found in the route table (the body and query models of every route the template wires up), so a
new route or field is walked without being listed here. Each model is walked through its own JSON schema (the
one the OpenAPI document publishes): every integer, boolean and string field it reaches, through nested objects,
lists and the branches of unions (a branch's tag filled in), is sent wrong alone, the way the route parses it
(``parse_body`` / ``parse_query``, or ``check_item`` for the items of an ERP batch), and must be refused naming
that field. The rest of the request may be missing: pydantic reports every field, so the one sent wrong must be
among those named.
"""

import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel

from local_stack.function_code import import_handler_module, template_functions
from vitrine.erp.jobs import check_item
from vitrine.erp.models import ItemStatus
from vitrine.errors import InvalidInput
from vitrine.http.routing import REGISTERED, RouteSpec, parse_body, parse_query
from vitrine.inputs import MultilineText

for _function in template_functions():
    import_handler_module(_function)

ROUTES = sorted(
    (spec for spec in REGISTERED if spec.body is not None or spec.query is not None),
    key=lambda spec: (spec.path, spec.method),
)
_MULTILINE_PATTERN = MultilineText.__metadata__[0].pattern
# Long enough for any length limit, so only the character is wrong.
_TEXT_VALUES = ["Rua\x00Um", "Rua \u202eUm", "Rua\r\nUm"]
# A query string is text: "10" is a number there, so only what is not one is refused.
_QUERY_VALUES = {"integer": ["true", "1.5"], "string": _TEXT_VALUES}
_BODY_VALUES = {"integer": [True, False, "1", 1.5], "boolean": [1, 0, "true"], "string": _TEXT_VALUES}

Path = tuple[str | int, ...]


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _wrong_values(schema: dict[str, Any], values: dict[str, list[Any]]) -> list[Any]:
    kind = schema.get("type")
    if kind != "string":
        return values.get(kind, [])
    if "enum" in schema or "const" in schema or schema.get("format") == "password":
        return []  # a choice is refused by its choices; a password is only ever hashed
    if schema.get("pattern") == _MULTILINE_PATTERN:
        return [value for value in values["string"] if "\n" not in value]
    return values["string"]


def _probes(schema: dict[str, Any], defs: dict[str, Any], values: dict, seen: frozenset = frozenset()) -> Iterator:
    """``(path, build, value)``: ``build(value)`` is a JSON document holding ``value`` at ``path``, and on the way
    there only the tags of union branches and nulls for the required fields."""
    if "$ref" in schema:
        name = schema["$ref"]
        if name in seen:
            return
        yield from _probes(_resolve(schema, defs), defs, values, seen | {name})
        return
    if "properties" in schema:
        # The required fields are there (null), so a union picks this branch by its keys; tags have their value.
        tags = dict.fromkeys(schema.get("required", ()))
        tags |= {
            name: _resolve(prop, defs)["const"]
            for name, prop in schema["properties"].items()
            if "const" in _resolve(prop, defs)
        }
        for name, prop in schema["properties"].items():
            for path, build, value in _probes(prop, defs, values, seen):
                yield (name, *path), (lambda v, name=name, build=build: {**tags, name: build(v)}), value
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            yield from _probes(branch, defs, values, seen)
    if schema.get("type") == "array" and "items" in schema:
        for path, build, value in _probes(schema["items"], defs, values, seen):
            yield (0, *path), (lambda v, build=build: [build(v)]), value
        return
    for value in _wrong_values(schema, values):
        yield (), (lambda v: v), value


def _body_refusals(model: type[BaseModel]) -> Callable[[Any], list[str]]:
    def refused(document: Any) -> list[str]:
        event = SimpleNamespace(
            body=json.dumps(document), is_base64_encoded=False, headers={"content-type": "application/json"}
        )
        return _fields_refused(parse_body, event, model)

    return refused


def _fields_refused(parse: Callable[[Any, Any], Any], event: Any, model: type[BaseModel]) -> list[str]:
    """The fields ``parse`` (the routes' body or query parser) names when it refuses ``event``; none: accepted."""
    try:
        parse(SimpleNamespace(current_event=event), model)
    except InvalidInput as exc:
        return [detail["field"] for detail in exc.details]
    return []


def _item_refusals(kind: Any) -> Callable[[Any], list[str]]:
    def refused(document: Any) -> list[str]:
        checked = check_item(kind, 0, document)
        if getattr(checked, "status", None) is not ItemStatus.REJECTED:
            return []
        return ["body.items.0." + error.field for error in checked.errors]

    return refused


def _query_refusals(model: type[BaseModel]) -> Callable[[Any], list[str]]:
    def refused(document: dict[str, Any]) -> list[str]:
        return _fields_refused(parse_query, SimpleNamespace(query_string_parameters=document), model)

    return refused


def _names(field: str, path: Path) -> bool:
    """Whether the refused ``field`` is ``path``: its parts in order, with the union branches pydantic names on
    the way (``fulfilment.delivery.address.street`` for ``fulfilment.address.street``)."""
    if field == ".".join(map(str, path)):  # a name with dots of its own (WhatsApp's ``hub.mode``)
        return True
    parts = iter(field.split("."))
    return all(str(part) in parts for part in path) and field.split(".")[-1] == str(path[-1])


def _walks(spec: RouteSpec) -> Iterator[tuple[str, Path, Callable, Any, Callable]]:
    """Each field of the route's inputs with a wrong value: (where, path, build, value, refusals)."""
    if spec.body is not None:
        kind = getattr(spec.body, "item_kind", None)
        if kind is not None:  # an ERP batch: the request takes the items as they come, each is checked alone
            from vitrine.erp.models import item_model

            model, prefix, refusals = item_model(kind), ("items", 0), _item_refusals(kind)
        else:
            model, prefix, refusals = spec.body, (), _body_refusals(spec.body)
        schema = model.model_json_schema(mode="validation")
        for path, build, value in _probes(schema, schema.get("$defs", {}), _BODY_VALUES):
            yield "body", (*prefix, *path), build, value, refusals
    if spec.query is not None:
        schema = spec.query.model_json_schema(mode="validation")
        for name, prop in schema["properties"].items():
            for _, _, value in _probes(prop, schema.get("$defs", {}), _QUERY_VALUES):
                yield "query", (name,), (lambda v, name=name: {name: v}), value, _query_refusals(spec.query)


@pytest.mark.parametrize("spec", ROUTES, ids=lambda spec: f"{spec.method} {spec.path}")
def test_every_count_flag_and_text_field_of_a_routes_inputs_refuses_what_it_is_not(spec):
    accepted = []
    walked = 0
    for where, path, build, value, refusals in _walks(spec):
        walked += 1
        if not any(_names(field, (where, *path)) for field in refusals(build(value))):
            accepted.append(f"{where}.{'.'.join(map(str, path))} = {value!r}")
    assert not accepted, "taken instead of refused:\n" + "\n".join(accepted)
    assert walked or spec.body is not None, "a query with nothing to walk"


def test_the_walk_reaches_nested_union_and_list_fields():
    """The walk itself: a checkout's quantity (in a list), its street (in a union branch) and a batch item's price."""
    walked = {(spec.method, spec.path, ".".join(map(str, path))) for spec in ROUTES for _, path, *_ in _walks(spec)}
    assert ("POST", "/api/checkout", "lines.0.quantity") in walked
    assert ("POST", "/api/checkout", "fulfilment.address.street") in walked
    assert ("POST", "/erp/v1/prices", "items.0.price") in walked
    assert ("PUT", "/merchant/v1/settings", "free_delivery_above") in walked
