"""Access patterns: merchant API keys. Each key is two items written together: the merchant's record of it and the
global lookup by the key's hash, which every request with a key reads (one ``GetItem``). Apart from
``merchants``, whose models (stores, settings, the shop's profile) an API-key request does not need at cold start.
"""

from vitrine.repository import keys, table


def put_api_key(merchant_id: str, key_id: str, key_hash: str, scopes: list[str], name: str) -> None:
    """The merchant-side record and the global hash lookup, written together or not at all."""
    record = {
        "merchant_id": merchant_id,
        "key_id": key_id,
        "key_hash": key_hash,
        "scopes": scopes,
        "name": name,
    }
    table.transact_write(
        [
            table.put_operation(
                {
                    "PK": keys.merchant_pk(merchant_id),
                    "SK": keys.merchant_api_key_sk(key_id),
                    "type": "api_key",
                    **record,
                },
                condition="attribute_not_exists(PK)",
            ),
            table.put_operation(
                {"PK": keys.api_key_lookup_pk(key_hash), "SK": "APIKEY", "type": "api_key_lookup", **record},
                condition="attribute_not_exists(PK)",
            ),
        ]
    )


def find_api_key(key_hash: str) -> dict | None:
    return table.get(keys.api_key_lookup_pk(key_hash), "APIKEY")
