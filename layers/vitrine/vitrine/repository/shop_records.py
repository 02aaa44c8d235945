"""The two records a shop's identity is made of, the operator's merchant record and the merchant's own profile, read
as stored in one ``BatchGetItem``: each was validated by its model when it was written, and what a page shows of
them (``vitrine.catalogs.shop_identity``) needs neither model."""

from typing import Any

from vitrine.repository import keys, table


def merchant_and_profile(merchant_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    pk = keys.merchant_pk(merchant_id)
    found = {item["SK"]: item for item in table.batch_get([(pk, keys.merchant_sk()), (pk, keys.profile_sk())])}
    return found.get(keys.merchant_sk()), found.get(keys.profile_sk())
