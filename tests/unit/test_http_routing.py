"""The shared route machinery: bodies and queries are validated once, errors come back as JSON 4xx."""

import base64
import json

import pytest
from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict, Field

from vitrine.documents import Cpf
from vitrine.errors import Conflict
from vitrine.http.errors import register_error_handlers
from vitrine.http.resolver import HttpApiResolver
from vitrine.http.routing import MAX_BODY_BYTES, route
from vitrine.money import Centavos


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: str
    quantity: int = Field(ge=1, le=999)


class Order(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cpf: Cpf
    lines: list[Line] = Field(min_length=1)


class Created(BaseModel):
    total: Centavos


registry: list = []
app = HttpApiResolver()
register_error_handlers(app, Logger(service="test"))


@route(
    app,
    "POST",
    "/orders/{store}",
    summary="t",
    function="T",
    body=Order,
    response=Created,
    status=201,
    registry=registry,
)
def create(store: str, body: Order) -> Created:
    if store == "busy":
        raise Conflict("store is busy", details=[{"field": "store", "reason": "busy"}])
    return Created(total=sum(line.quantity for line in body.lines) * 1000)


def post(
    path: str, body: str | None, content_type: str = "application/json", *, base64_encoded: bool = False
) -> tuple[int, dict]:
    event = {
        "version": "2.0",
        "routeKey": "POST /orders/{store}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": content_type} if content_type else {},
        "requestContext": {
            "http": {"method": "POST", "path": path, "sourceIp": "127.0.0.1"},
            "stage": "$default",
            "requestId": "r",
            "routeKey": "POST /orders/{store}",
        },
        "pathParameters": {"store": path.rsplit("/", 1)[1]},
        "body": body,
        "isBase64Encoded": base64_encoded,
    }
    response = app.resolve(event, None)
    return response["statusCode"], json.loads(response["body"])


VALID = {"cpf": "529.982.247-25", "lines": [{"sku": "A", "quantity": 2}]}


def test_a_valid_body_reaches_the_route_and_the_response_model_is_sent():
    assert post("/orders/9900", json.dumps(VALID)) == (201, {"total": 2000})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID, "cpf": "111.111.111-11"}, "body.cpf"),
        ({**VALID, "lines": []}, "body.lines"),
        ({**VALID, "lines": [{"sku": "A", "quantity": 0}]}, "body.lines.0.quantity"),
        ({**VALID, "lines": [{"sku": "A", "quantity": -1}]}, "body.lines.0.quantity"),
        ({**VALID, "lines": [{"sku": "A", "quantity": 10**9}]}, "body.lines.0.quantity"),
        ({**VALID, "lines": [{"sku": "A", "quantity": "two"}]}, "body.lines.0.quantity"),
        ({**VALID, "lines": [{"sku": "A", "quantity": 1, "price": 1}]}, "body.lines.0.price"),
        ({"lines": VALID["lines"]}, "body.cpf"),
        ({**VALID, "total": 1}, "body.total"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(body, field):
    status, payload = post("/orders/9900", json.dumps(body))
    assert status == 422
    assert payload["error"]["code"] == "validation_error"
    assert field in [d["field"] for d in payload["error"]["details"]]


@pytest.mark.parametrize("raw", ["", "not json", "[]", '{"cpf": '])
def test_bodies_that_are_not_a_json_object_are_422(raw):
    status, payload = post("/orders/9900", raw)
    assert status == 422 and payload["error"]["code"] == "validation_error"


def test_a_body_that_is_not_utf8_is_422_not_a_server_error():
    # API Gateway passes bytes that are not UTF-8 text base64-encoded.
    raw = base64.b64encode(b'{"cpf": "\xff\xfe"}').decode()
    status, payload = post("/orders/9900", raw, base64_encoded=True)
    assert status == 422
    assert payload["error"]["details"] == [{"field": "body", "reason": "not UTF-8 (byte 9)"}]


def test_a_base64_encoded_utf8_body_is_read_as_text():
    raw = base64.b64encode(json.dumps(VALID).encode()).decode()
    assert post("/orders/9900", raw, base64_encoded=True) == (201, {"total": 2000})


def test_a_body_that_is_not_declared_json_is_415():
    status, payload = post("/orders/9900", json.dumps(VALID), content_type="text/plain")
    assert (status, payload["error"]["code"]) == (415, "unsupported_media_type")


def test_an_oversized_body_is_413():
    status, payload = post("/orders/9900", json.dumps({**VALID, "pad": "x" * MAX_BODY_BYTES}))
    assert (status, payload["error"]["code"]) == (413, "payload_too_large")


def test_domain_errors_keep_their_status_code_and_details():
    status, payload = post("/orders/busy", json.dumps(VALID))
    assert status == 409
    assert payload["error"] == {
        "code": "conflict",
        "message": "store is busy",
        "details": [{"field": "store", "reason": "busy"}],
    }


def test_an_undeclared_route_is_a_json_404():
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/nope",
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": "GET", "path": "/nope", "sourceIp": "127.0.0.1"},
            "stage": "$default",
            "requestId": "r",
            "routeKey": "$default",
        },
        "isBase64Encoded": False,
    }
    response = app.resolve(event, None)
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


def test_routes_declared_here_stay_out_of_the_api_registry():
    from vitrine.http.routing import REGISTERED

    assert [spec.path for spec in registry] == ["/orders/{store}"]
    assert all(spec.function != "T" for spec in REGISTERED)


def test_the_openapi_document_promises_what_the_routes_answer():
    from vitrine.http.openapi import build_openapi

    declared: list = []
    for path, options in (
        ("/things/{id}", {"response": Created, "also": (201,)}),  # an upsert: 200 replaced, 201 created
        ("/gone", {"status": 204}),
        ("/page", {"content_type": "text/html"}),
    ):
        route(app, "PUT", path, summary="t", function="T", errors=(404,), registry=declared, **options)(lambda: None)
    document = build_openapi(declared, title="t", version="0")
    upsert, gone, page = (document["paths"][path]["put"]["responses"] for path in ("/things/{id}", "/gone", "/page"))

    assert set(upsert) == {"200", "201", "404"} and upsert["201"] == upsert["200"]
    assert "content" not in gone["204"]
    assert list(page["404"]["content"]) == ["text/html"]  # a page's error is a page
    error_details = document["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["details"]
    assert {option["type"] for option in error_details["anyOf"]} == {"array", "object"}


def test_a_response_named_by_reference_is_documented_as_its_model_and_imported_only_by_the_build():
    from vitrine.http.openapi import build_openapi

    by_model: list = []
    by_reference: list = []
    route(app, "GET", "/feed-model", summary="t", function="T", response=Created, registry=by_model)(lambda: None)
    reference = f"{Created.__module__}:Created"
    route(app, "GET", "/feed-ref", summary="t", function="T", response=reference, registry=by_reference)(lambda: None)

    assert by_reference[0].response == reference  # declared without importing it
    documented = build_openapi(by_reference, title="t", version="0")
    assert documented["paths"]["/feed-ref"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Created"
    }
    assert documented["components"] == build_openapi(by_model, title="t", version="0")["components"]
    for wrong in ("Created", "tests.unit:created", "a b:Created"):
        with pytest.raises(ValueError, match=r"package\.module:Model"):
            route(app, "GET", "/x", summary="t", function="T", response=wrong, registry=[])


@pytest.mark.parametrize(
    "details",
    [
        None,
        {"from": "paid", "to": "paid", "why": "a dict"},
        "a string",
        [],
        [{"from": "paid"}],
        [{"field": "status", "reason": 409}],
    ],
    ids=["none", "dict", "string", "empty", "no-field", "reason-not-text"],
)
def test_a_conflict_with_details_other_than_the_documented_list_cannot_be_raised(details):
    with pytest.raises(TypeError):
        Conflict("clash", details=details)
    assert Conflict("clash", details=[{"field": "status", "reason": "why", "from": "paid"}]).status == 409


def test_every_409_of_the_api_document_promises_the_list_of_field_and_reason():
    from pathlib import Path

    document = json.loads((Path(__file__).parents[2] / "functions/catalog_api/openapi.json").read_text())
    conflicts = [
        (path, method, operation["responses"]["409"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "409" in operation["responses"]
    ]
    assert ("/erp/v1/orders/{order_id}/events", "post") in {(path, method) for path, method, _ in conflicts}
    for path, _method, response in conflicts:
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Conflict"}, path
    details = document["components"]["schemas"]["Conflict"]["properties"]["error"]["properties"]["details"]
    assert details["type"] == "array" and details["items"]["required"] == ["field", "reason"]
    assert "details" in document["components"]["schemas"]["Conflict"]["properties"]["error"]["required"]


def test_every_auth_value_names_a_check_and_anything_else_is_refused_at_declaration():
    from vitrine.http.routing import _CHECKS, Auth

    assert set(_CHECKS) == set(Auth) - {Auth.PUBLIC}
    for refused in ("merchant_api_key", "basic", None):
        with pytest.raises(TypeError):
            route(app, "GET", "/refused", summary="t", function="T", auth=refused, registry=[])


def test_module_defaults_apply_to_each_route_unless_it_says_otherwise():
    from vitrine.auth.permissions import Permission
    from vitrine.http.routing import Auth, Routes

    declared: list = []
    routes = Routes(app, function="T", auth=Auth.MERCHANT_API_KEY, tags=("merchant",), permission=Permission.CATALOGS)
    routes.get("/defaults", summary="t", registry=declared)(lambda: None)
    routes.post("/own", summary="t", permission=Permission.STAFF, registry=declared)(lambda: None)
    routes.put("/public", summary="t", auth=Auth.PUBLIC, tags=("other",), registry=declared)(lambda: None)

    assert [(s.method, s.function, s.auth, s.tags, s.permission) for s in declared] == [
        ("GET", "T", Auth.MERCHANT_API_KEY, ("merchant",), Permission.CATALOGS),
        ("POST", "T", Auth.MERCHANT_API_KEY, ("merchant",), Permission.STAFF),
        ("PUT", "T", Auth.PUBLIC, ("other",), None),
    ]


def test_a_merchant_route_must_declare_its_permission_and_only_merchant_and_erp_routes_check_one():
    from vitrine.auth.permissions import Permission
    from vitrine.http.routing import Auth

    with pytest.raises(ValueError, match="declares the permission"):
        route(app, "GET", "/undeclared", summary="t", function="T", auth=Auth.MERCHANT_API_KEY, registry=[])
    with pytest.raises(ValueError, match="declares the permission"):
        kwargs = {"auth": Auth.MERCHANT_API_KEY, "permission": Permission.ERP}
        route(app, "GET", "/erp-on-merchant", summary="t", function="T", registry=[], **kwargs)
    with pytest.raises(ValueError, match="erp permission"):
        kwargs = {"auth": Auth.ERP_API_KEY, "permission": Permission.CATALOGS}
        route(app, "GET", "/catalogs-on-erp", summary="t", function="T", registry=[], **kwargs)
    with pytest.raises(ValueError, match="only merchant and ERP"):
        route(app, "GET", "/public", summary="t", function="T", permission=Permission.STAFF, registry=[])
    with pytest.raises(TypeError):
        kwargs = {"auth": Auth.MERCHANT_API_KEY, "permission": "catalogs"}
        route(app, "GET", "/a-string", summary="t", function="T", registry=[], **kwargs)
    declared: list = []
    route(app, "GET", "/erp", summary="t", function="T", auth=Auth.ERP_API_KEY, registry=declared)(lambda: None)
    assert declared[0].permission is Permission.ERP


def test_a_route_documents_the_errors_its_declaration_implies_beside_its_own():
    from vitrine.auth.permissions import Permission
    from vitrine.http.routing import Auth, Routes

    declared: list = []
    routes = Routes(app, function="T", auth=Auth.MERCHANT_API_KEY, permission=Permission.CATALOGS)
    routes.put("/keyed", summary="t", body=Created, errors=(404, 409), registry=declared)(lambda body: None)
    routes.get("/public", summary="t", auth=Auth.PUBLIC, registry=declared)(lambda: None)
    routes.get("/sessions", summary="t", auth=Auth.SESSION, query=Created, registry=declared)(lambda query: None)

    # A key that is missing or lacks the permission, a body too large, not JSON or not valid; a query not valid.
    assert [s.errors for s in declared] == [(401, 403, 404, 409, 413, 415, 422), (), (401, 422)]


def test_a_greedy_path_must_stay_out_of_the_openapi_document_and_notes_name_answered_statuses():
    with pytest.raises(ValueError, match="documented=False"):
        route(app, "GET", "/files/{key+}", summary="t", function="T", registry=[])
    with pytest.raises(ValueError, match="does not answer"):
        route(app, "GET", "/noted", summary="t", function="T", notes={409: "taken"}, registry=[])


def test_the_openapi_document_types_path_and_query_parameters_from_the_declarations():
    from typing import Annotated

    from vitrine.http.openapi import build_openapi
    from vitrine.inputs import Cursor

    class Page(BaseModel):
        cursor: Cursor | None = None

    declared: list = []
    Code = Annotated[str, Field(pattern=r"^[a-z]+$")]

    @route(app, "GET", "/codes/{code}", summary="t", function="T", query=Page, notes={422: "a bad cursor"},
           registry=declared)  # fmt: skip
    def by_code(code: Code, query: Page) -> None: ...

    route(app, "GET", "/files/{key+}", summary="t", function="T", documented=False, registry=declared)(lambda key: 0)
    document = build_openapi(declared, title="t", version="0")

    assert list(document["paths"]) == ["/codes/{code}"]
    operation = document["paths"]["/codes/{code}"]["get"]
    code, cursor = operation["parameters"]
    assert code["schema"] == {"type": "string", "pattern": "^[a-z]+$"}
    # A query string has no null: an optional parameter is left out, not sent as null.
    assert cursor["required"] is False and cursor["schema"]["pattern"] == "^[A-Za-z0-9_-]+$"
    assert "anyOf" not in cursor["schema"]
    assert operation["responses"]["422"]["description"] == "a bad cursor"
    assert "Page" not in document["components"]["schemas"]
