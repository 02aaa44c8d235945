"""The query a page of a merchant's list is asked with: where to go on from, and how many."""

from pydantic import ConfigDict, Field

from vitrine.lazy_models import LazyModel


class PageQuery(LazyModel):
    """``?cursor=&limit=``: the page after ``cursor`` (as the previous page answered it), of up to ``limit``."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)
