"""Serve each request with the one route module that declares its route, imported at the first request it serves.

API Gateway has matched the route before the function runs: an HTTP API payload's ``routeKey`` names it
(``"GET /c/{slug}"``). A function whose routes span several ``*_routes`` modules maps every routeKey it serves to
its module (``ROUTE_MODULES`` beside the handler), and a cold start imports only the module, models and rules of the
route it was started for, not every module's. Each module gets a resolver of its own (``vitrine.http.resolver``), with
the shared error handlers, built at first use and kept for the container's life. A routeKey the table does not know
(``$default``) is answered by a resolver with no routes: the same JSON 404 as a path no route matches.

The table is checked against what the modules declare (``tests/unit/test_route_parity.py``), and the OpenAPI build
and the tests import every module it names (``local_stack.function_code.import_handler_module``).
"""

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from vitrine.http.errors import register_error_handlers
from vitrine.http.resolver import HttpApiResolver


def resolver_for_router(router: Any | None, logger: Any) -> HttpApiResolver:
    """A resolver with the shared error handlers, serving ``router``'s routes (none: every request is a 404).

    What a function whose routes are all in one module serves with; a ``RouteTable`` builds one per module."""
    resolver = HttpApiResolver()
    register_error_handlers(resolver, logger)
    if router is not None:
        resolver.include_router(router)
    return resolver


def api_handler(router: Any = None, *, route_modules: Mapping[str, str] | None = None) -> Callable[[dict, Any], dict]:
    """The whole Lambda handler of an API function: its routes (``router``'s, or a ``RouteTable`` of
    ``route_modules``), the structured logger (correlation id from the request) and the metrics flushed after each
    request."""
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.logging import correlation_paths

    logger = Logger()
    metrics = Metrics()
    app = RouteTable(route_modules, logger) if route_modules is not None else resolver_for_router(router, logger)

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @metrics.log_metrics
    def handler(event: dict, context: Any) -> dict:
        return app.resolve(event, context)

    return handler


class RouteTable:
    def __init__(self, route_modules: Mapping[str, str], logger: Any) -> None:
        self.route_modules = route_modules
        self._logger = logger
        self._resolvers: dict[str | None, HttpApiResolver] = {}

    def resolver_for(self, route_key: str | None) -> HttpApiResolver:
        """The resolver of the module serving ``route_key``; one with no routes for a routeKey not in the table."""
        module_name = self.route_modules.get(route_key) if route_key else None
        resolver = self._resolvers.get(module_name)
        if resolver is None:
            router = importlib.import_module(module_name).router if module_name is not None else None
            resolver = self._resolvers[module_name] = resolver_for_router(router, self._logger)
        return resolver

    def resolve(self, event: dict, context: Any) -> dict:
        return self.resolver_for(event.get("routeKey")).resolve(event, context)
