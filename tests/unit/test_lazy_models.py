"""The core's models build their validators at first use (``vitrine.lazy_models``): each must still build.

Deferring the build moves a broken model's error from import to its first use; building every model here brings
it back to a test run, whatever path uses the model first.
"""

import importlib
import pkgutil

import pytest

import vitrine
from vitrine.lazy_models import LazyModel


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _core_models() -> list[type[LazyModel]]:
    for module in pkgutil.walk_packages(vitrine.__path__, "vitrine."):
        importlib.import_module(module.name)
    return sorted(_subclasses(LazyModel), key=lambda model: f"{model.__module__}.{model.__qualname__}")


CORE_MODELS = _core_models()


@pytest.mark.parametrize("model", CORE_MODELS, ids=lambda model: f"{model.__module__}.{model.__qualname__}")
def test_given_a_core_model_when_first_used_then_its_validator_serializer_and_schema_build(model):
    assert model.model_rebuild(force=True, raise_errors=True) is True
    assert model.__pydantic_complete__
    assert model.model_json_schema()["title"]
