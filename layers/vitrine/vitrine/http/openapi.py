"""Build the OpenAPI 3.1 document from the route declarations (``vitrine.http.routing``). Build time only:
handlers serve the generated file and never import this module.

Every schema the document holds is built in one pass, bodies, responses and query models together, so each
``$ref`` points into ``components/schemas`` (a query model's own enums included); a query model itself is spread
into its parameters and kept out of the components. A query parameter that may be left out is not nullable: a
query string has no null, only an absent parameter. Path parameters take the schema of the route function's
annotation (``order_id: OrderId``), plain strings otherwise.
"""

import re
import typing
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import models_json_schema

from vitrine.http.routing import Auth, RouteSpec, response_model

_PARAM = re.compile(r"\{(\w+)\+?\}")
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                # Invalid input lists each field, as a conflict does (its own schema, below); a declined payment
                # describes itself (its charge and reason).
                "details": {
                    "anyOf": [
                        {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
                            },
                        },
                        {"type": "object", "description": "What the conflict is about, e.g. from, to and why."},
                    ]
                },
            },
        }
    },
}
_DETAIL = {
    "type": "object",
    "required": ["field", "reason"],
    "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
    "description": "What clashes (`field`) and why; a clash may name itself further (an order move: `from`, `to`).",
}
# A 409 always lists what clashes (``vitrine.errors.Conflict`` checks it when raised).
_CONFLICT_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "array", "minItems": 1, "items": _DETAIL},
            },
        }
    },
}
_ERROR_SCHEMAS = {409: "Conflict"}
_ERROR_TEXT = {
    401: "Missing or unrecognised credentials",
    403: "The caller lacks the route's permission (`x-permission`; the error's `details[0].permission` names it)",
    404: "Not found",
    409: "Conflict",
    413: "Body too large",
    415: "Body is not of the media type the route takes",
    422: "Invalid input; details name each field and the reason",
    429: "Too many attempts; Retry-After says when to try again",
}
# Headers an error answer carries, by status.
_ERROR_HEADERS = {
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}
# What a successful answer to a request with a session carries when it renewed the session (sliding expiry).
_RENEWAL_HEADERS = {
    "X-Session-Expires-At": {
        "description": "The renewed session's expiry (only when this answer renewed it).",
        "schema": {"type": "string", "format": "date-time"},
    },
    "X-Session-Token": {
        "description": "The renewed token of a bearer session (only when this answer renewed it); a cookie session "
        "gets its cookie set again instead.",
        "schema": {"type": "string"},
    },
}
_SECURITY = {
    "merchant_api_key": {
        "type": "http",
        "scheme": "bearer",
        "description": "Merchant API key (vtr_...), holding permissions: each route needs the one its "
        "`x-permission` names.",
    },
    "erp_api_key": {
        "type": "http",
        "scheme": "bearer",
        "description": "The merchant's API key with the `erp` permission (vtr_...), held by its ERP integration.",
    },
    "console_session": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A member of staff's session from POST /merchant/v1/sessions (12 hours after its last "
        "renewal, 7 days at most): the member's permissions, read on each request, decide.",
    },
    "console_cookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "vitrine_console",
        "description": "The same console session as a cookie; writes must also send its X-CSRF-Token.",
    },
    "basic": {"type": "http", "scheme": "basic", "description": "Webhook credentials set at the gateway."},
    "operator_iam": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "The platform operator's AWS credentials: a SigV4-signed request (service execute-api), "
        "authorized by IAM (execute-api:Invoke on the route); `vitrine-operator` signs it.",
    },
    "session": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": (
            "A seller's or B2B customer's session token from POST /api/sessions: 12 hours after its last renewal, "
            "7 days at most after signing in. Past half its 12 hours, an answer carries the renewed token in "
            "X-Session-Token and its expiry in X-Session-Expires-At."
        ),
    },
    "session_cookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "vitrine_session",
        "description": (
            "The same session as a cookie; writes must also send the X-CSRF-Token given at sign-in. A renewal "
            "sets the cookie again (the CSRF token stays) and says the new expiry in X-Session-Expires-At."
        ),
    },
}
# Route ``auth`` values that are not a single scheme: the alternatives OpenAPI lists (``{}``: none needed).
_SECURITY_ALTERNATIVES = {
    Auth.MERCHANT_API_KEY: [{"merchant_api_key": []}, {"console_session": []}, {"console_cookie": []}],
    Auth.SESSION: [{"session": []}, {"session_cookie": []}],
    Auth.OPTIONAL_SESSION: [{}, {"session": []}, {"session_cookie": []}],
}


_REF_TEMPLATE = "#/components/schemas/{model}"


def _not_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``X | None`` as a query parameter: ``X`` (left out, it is ``None``)."""
    branches = [branch for branch in schema.get("anyOf", ()) if branch != {"type": "null"}]
    if "anyOf" not in schema or len(branches) != 1:
        return schema
    return {**{k: v for k, v in schema.items() if k not in ("anyOf", "default")}, **branches[0]}


def _query_parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": _not_nullable(prop)}
        for name, prop in schema.get("properties", {}).items()
    ]


def _path_parameters(spec: RouteSpec, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    hints = typing.get_type_hints(spec.handler, include_extras=True) if spec.handler is not None else {}
    parameters = []
    for name in _PARAM.findall(spec.path):
        schema = TypeAdapter(hints.get(name, str)).json_schema(ref_template=_REF_TEMPLATE)
        for def_name, definition in schema.pop("$defs", {}).items():
            if schemas.setdefault(def_name, definition) != definition:
                raise ValueError(f"{spec.path}: {name} names a schema {def_name} another model holds")
        schema.pop("title", None)
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return parameters


def _component_schemas(routes: list[RouteSpec]) -> tuple[dict, dict[str, Any]]:
    """The refs of every declared model and the components they point into (query models spread out)."""
    bodies = {m for r in routes for m in (r.body, r.query) if m is not None}
    responses = {r.response for r in routes if r.response is not None} - bodies
    keyed = [(m, "validation") for m in bodies] + [(m, "serialization") for m in responses]
    refs, defs = models_json_schema(sorted(keyed, key=lambda item: item[0].__name__), ref_template=_REF_TEMPLATE)
    return refs, dict(defs.get("$defs", {}))


def _error_content(spec: RouteSpec, status: int) -> dict[str, Any]:
    if spec.content_type == "text/html":  # a page's errors are pages too: the shopper's browser shows them
        return {spec.content_type: {"schema": {"type": "string"}}}
    schema = _ERROR_SCHEMAS.get(status, "Error")
    if spec.auth is Auth.OPERATOR_IAM and status == 403:
        # API Gateway answers an unsigned or unauthorized caller itself, before the function: its own message.
        gateway = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}
        return {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/Error"}, gateway]}}}
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def build_openapi(routes: Iterable[RouteSpec], *, title: str, version: str) -> dict[str, Any]:
    routes = sorted(
        (replace(r, response=response_model(r)) for r in routes if r.documented), key=lambda r: (r.path, r.method)
    )
    refs, schemas = _component_schemas(routes)
    queries = {
        model: schemas[refs[(model, "validation")]["$ref"].rsplit("/", 1)[1]]
        for model in {r.query for r in routes if r.query is not None}
    }
    for model in set(queries) - {m for r in routes for m in (r.body, r.response)}:
        del schemas[refs[(model, "validation")]["$ref"].rsplit("/", 1)[1]]
    schemas["Error"] = _ERROR_SCHEMA
    if any(409 in spec.errors for spec in routes):
        schemas["Conflict"] = _CONFLICT_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for spec in routes:
        operation: dict[str, Any] = {
            "operationId": re.sub(r"\W+", "_", f"{spec.method}_{spec.path}").strip("_").lower(),
            "summary": spec.summary,
            "tags": list(spec.tags),
            "x-function": spec.function,
        }
        if spec.permission is not None:
            operation["x-permission"] = str(spec.permission)
        parameters = _path_parameters(spec, schemas)
        if spec.query is not None:
            parameters += _query_parameters(queries[spec.query])
        if parameters:
            operation["parameters"] = parameters
        if spec.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(spec.body, "validation")]}},
            }
        elif spec.raw_body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {spec.raw_body: {"schema": {"type": "string", "maxLength": spec.max_body_bytes}}},
            }
        if spec.response is not None:
            mode = "validation" if (spec.response, "validation") in refs else "serialization"
            content = {spec.content_type: {"schema": refs[(spec.response, mode)]}}
        else:
            content = {spec.content_type: {"schema": {}}}
        success: dict[str, Any] = {"description": "Success"}
        if spec.auth in (Auth.SESSION, Auth.OPTIONAL_SESSION, Auth.MERCHANT_API_KEY):
            success["headers"] = _RENEWAL_HEADERS
        if spec.status != 204:  # No Content: no body, so no media type to promise
            success["content"] = content
        operation["responses"] = {str(status): success for status in sorted({spec.status, *spec.also})}
        notes = dict(spec.notes)
        for status in spec.errors:
            operation["responses"][str(status)] = {
                "description": notes.get(status, _ERROR_TEXT.get(status, "Error")),
                "content": _error_content(spec, status),
                **({"headers": _ERROR_HEADERS[status]} if status in _ERROR_HEADERS else {}),
            }
        if spec.auth is not Auth.PUBLIC:
            operation["security"] = _SECURITY_ALTERNATIVES.get(spec.auth, [{spec.auth.value: []}])
        paths.setdefault(spec.path, {})[spec.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": _SECURITY},
    }
