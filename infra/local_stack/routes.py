"""Route selection as API Gateway HTTP APIs do it, for the template's HttpApi routes.

API Gateway picks the most specific match: a full path match beats a path with ``{param}`` variables,
which beats a greedy ``{proxy+}``, which beats ``$default``; at the same path a method-specific route beats
``ANY``. Among variable paths, the one with literal segments earlier wins (``/a/b/{x}`` over ``/a/{y}/{x}``).
"""

import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from local_stack.template import HttpRoute

_LITERAL, _VARIABLE, _GREEDY = 0, 1, 2


@dataclass(frozen=True)
class RouteMatch:
    route: HttpRoute
    path_parameters: dict[str, str]


class RouteTable:
    def __init__(self, routes: Iterable[HttpRoute]) -> None:
        routes = list(routes)
        keys = [route.route_key for route in routes]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise ValueError(f"routes declared twice in the template: {sorted(duplicates)}")
        self.routes = sorted(routes, key=_priority)

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The route API Gateway would pick for ``method`` and ``path`` (the raw, percent-encoded path)."""
        method = method.upper()
        for route in self.routes:
            if route.method not in (method, "ANY"):
                continue
            parameters = _match_path(route.path, path)
            if parameters is not None:
                return RouteMatch(route, parameters)
        return None


def _segments(path: str) -> list[str]:
    # "/a/b" -> ["a", "b"]; a trailing slash is an empty last segment, as API Gateway tells them apart.
    return path.split("/")[1:]


def _kind(segment: str) -> int:
    if segment.startswith("{") and segment.endswith("+}"):
        return _GREEDY
    if segment.startswith("{") and segment.endswith("}"):
        return _VARIABLE
    return _LITERAL


def _priority(route: HttpRoute) -> tuple:
    if route.path == "$default":
        return (3, (), 1)
    kinds = tuple(_kind(segment) for segment in _segments(route.path))
    return (max(kinds, default=_LITERAL), kinds, 1 if route.method == "ANY" else 0)


def _match_path(template_path: str, path: str) -> dict[str, str] | None:
    if template_path == "$default":
        return {}
    pattern = _segments(template_path)
    actual = _segments(path)
    parameters: dict[str, str] = {}
    for index, segment in enumerate(pattern):
        kind = _kind(segment)
        if kind == _GREEDY:
            rest = "/".join(actual[index:])
            if not rest:
                return None
            parameters[segment[1:-2]] = urllib.parse.unquote(rest)
            return parameters
        if index >= len(actual):
            return None
        if kind == _VARIABLE:
            if not actual[index]:
                return None
            parameters[segment[1:-1]] = urllib.parse.unquote(actual[index])
        elif segment != actual[index]:
            return None
    return parameters if len(actual) == len(pattern) else None
