"""``LazyModel``: the base of Vitrine's pydantic models (core and handlers), built at first use, not at import.

A handler's cold start imports every model its modules name (route declarations, fields of other models, the
state machine's types), yet its first invocation validates or dumps only a few of them. pydantic builds a model's
core schema, validator and serializer when the class is created: ~1 ms a model, ~0.1 s for the models a
function like the catalog API imports. ``defer_build`` moves that work to the model's first validation, dump or
JSON schema, so a cold start pays only for the models it uses. The models behave the same (the same schema is
built, later); a model whose schema cannot be built fails at first use instead of at import, which
``tests/unit/test_lazy_models.py`` turns back into a test failure.
"""

from pydantic import BaseModel, ConfigDict


class LazyModel(BaseModel):
    # Merged into every subclass's own model_config (extra, frozen, ... stay theirs).
    model_config = ConfigDict(defer_build=True)
