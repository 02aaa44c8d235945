"""Build the OpenAPI 3.1 document from the route declarations (``vitrine.http.routing``). Build time only:
handlers serve the generated file and never import this module."""

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from vitrine.http.routing import Auth, RouteSpec

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
                # Invalid input lists each field; a conflict describes itself (an illegal order transition names
                # from, to and why; a declined payment its charge and reason).
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
_ERROR_TEXT = {
    401: "Missing or unrecognised credentials",
    403: "Credentials lack the scope",
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
_SECURITY = {
    "merchant_api_key": {"type": "http", "scheme": "bearer", "description": "Merchant API key (vtr_...)."},
    "erp_api_key": {
        "type": "http",
        "scheme": "bearer",
        "description": "The merchant's API key with the `erp` scope (vtr_...), held by its ERP integration.",
    },
    "basic": {"type": "http", "scheme": "basic", "description": "Webhook credentials set at the gateway."},
    "session": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A seller's or B2B customer's session token from POST /api/sessions (30 minutes).",
    },
    "session_cookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "vitrine_session",
        "description": "The same session as a cookie; writes must also send the X-CSRF-Token given at sign-in.",
    },
}
# Route ``auth`` values that are not a single scheme: the alternatives OpenAPI lists (``{}``: none needed).
_SECURITY_ALTERNATIVES = {
    Auth.SESSION: [{"session": []}, {"session_cookie": []}],
    Auth.OPTIONAL_SESSION: [{}, {"session": []}, {"session_cookie": []}],
}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def build_openapi(routes: Iterable[RouteSpec], *, title: str, version: str) -> dict[str, Any]:
    routes = sorted(routes, key=lambda r: (r.path, r.method))
    models = {m for r in routes for m in (r.body, r.response) if m is not None}
    keyed = [(m, "validation" if any(r.body is m for r in routes) else "serialization") for m in models]
    refs, defs = models_json_schema(
        sorted(keyed, key=lambda item: item[0].__name__), ref_template="#/components/schemas/{model}"
    )
    schemas = dict(defs.get("$defs", {}))
    schemas["Error"] = _ERROR_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for spec in routes:
        operation: dict[str, Any] = {
            "operationId": re.sub(r"\W+", "_", f"{spec.method}_{spec.path}").strip("_").lower(),
            "summary": spec.summary,
            "tags": list(spec.tags),
            "x-function": spec.function,
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _PARAM.findall(spec.path)
        ]
        if spec.query is not None:
            parameters += _query_parameters(spec.query)
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
        if spec.status != 204:  # No Content: no body, so no media type to promise
            success["content"] = content
        operation["responses"] = {str(status): success for status in sorted({spec.status, *spec.also})}
        # A page's errors are pages too: the shopper's browser shows them.
        error_content = (
            {spec.content_type: {"schema": {"type": "string"}}}
            if spec.content_type == "text/html"
            else {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        )
        for status in spec.errors:
            operation["responses"][str(status)] = {
                "description": _ERROR_TEXT.get(status, "Error"),
                "content": error_content,
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
