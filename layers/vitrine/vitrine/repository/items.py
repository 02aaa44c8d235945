"""Python values <-> DynamoDB attribute values, without boto3 (see ``vitrine.aws``).

Numbers are integers (money is centavos, quantities are units); a float is refused so that no
binary fraction ever reaches a price. Decimal numbers read back from the table become ``Decimal``.
"""

from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


def to_attribute(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, dict):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(v) for v in value]}
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value) and value:
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB (floats are refused: use integers)")


def from_attribute(attribute: dict[str, Any]) -> Any:
    ((kind, value),) = attribute.items()
    if kind == "S":
        return value
    if kind == "N":
        return int(value) if value.lstrip("-").isdigit() else Decimal(value)
    if kind == "BOOL":
        return value
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: from_attribute(v) for k, v in value.items()}
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "B":
        return bytes(value)
    if kind == "SS":
        return set(value)
    if kind == "NS":
        return {from_attribute({"N": v}) for v in value}
    raise TypeError(f"unsupported DynamoDB attribute type {kind}")


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: to_attribute(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: from_attribute(v) for k, v in item.items()}


def model_item(model: BaseModel, *, pk: str, sk: str, item_type: str, exclude_none: bool = False) -> dict[str, Any]:
    """The item that stores a domain model: its keys, its type and the model's fields (``to_model`` reads it)."""
    return {"PK": pk, "SK": sk, "type": item_type, **model.model_dump(mode="json", exclude_none=exclude_none)}


def to_model(model: type[T], item: dict[str, Any]) -> T:
    """A domain model from a stored item: the model's own fields, leaving keys and bookkeeping behind."""
    return model.model_validate({name: item[name] for name in model.model_fields if name in item})
