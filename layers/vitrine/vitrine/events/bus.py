"""An EventBridge event as a rule's SQS target receives it: the bus's fields around Vitrine's envelope."""

from pydantic import ConfigDict, Field, model_validator

from vitrine.events.envelope import EventEnvelope
from vitrine.lazy_models import LazyModel


class BusEvent(LazyModel):
    """``detail`` is the envelope; its ``type`` must be the event's ``detail-type`` (what rules match on)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str
    source: str = Field(pattern=r"^vitrine\.")
    detail_type: str = Field(alias="detail-type")
    detail: EventEnvelope

    @model_validator(mode="after")
    def _type_matches(self) -> "BusEvent":
        if self.detail_type != self.detail.type:
            raise ValueError(f"detail-type {self.detail_type!r} does not match the envelope's {self.detail.type!r}")
        return self
