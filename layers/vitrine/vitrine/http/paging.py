"""The query a page of a merchant's list is asked with: where to go on from, and how many."""

from pydantic import ConfigDict, Field

from vitrine.inputs import Cursor
from vitrine.lazy_models import LazyModel


class PageQuery(LazyModel):
    """``?cursor=&limit=``: the page after ``cursor`` (as the previous page answered it), of up to ``limit``."""

    model_config = ConfigDict(extra="forbid")

    cursor: Cursor | None = None
    limit: int = Field(default=50, ge=1, le=200)
