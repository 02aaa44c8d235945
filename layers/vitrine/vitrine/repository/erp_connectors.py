"""Access patterns: a merchant's ERP connector (keys and the due index in ``repository.keys``).

One item per merchant holds the configuration (URL, token, interval, resources), the per-resource cursors and
the last poll's outcome. Every write after a configuration change is conditioned, so that a poll racing a
``PUT`` or a ``DELETE`` can neither resurrect a deleted connector nor store a cursor of the old ERP:

- a configuration write bumps ``config_version`` and drops ``claim_id``;
- a claim moves ``next_poll_at`` past a lease only if it still holds the value the poller read from the index;
- a cursor or an outcome is stored only while ``claim_id`` is the poll's own.
"""

from typing import Any

from vitrine.repository import keys, table
from vitrine.repository.table import ConditionFailed

CONNECTOR_TYPE = "erp_connector"


class TokenMissing(Exception):
    """A new connector was configured without a token (an existing one keeps its token when none is sent)."""


def save_config(
    merchant_id: str,
    config: dict[str, Any],
    *,
    token: str | None,
    enabled: bool,
    reset_cursors: bool,
    now: str,
) -> dict[str, Any]:
    """Create or change the connector; due at once while enabled. ``TokenMissing`` when creating without token."""
    values: dict[str, Any] = {f":c{i}": value for i, value in enumerate(config.values())}
    names = {f"#c{i}": name for i, name in enumerate(config)}
    sets = [f"#c{i} = :c{i}" for i in range(len(config))]
    sets += [
        "#type = :type",
        "merchant_id = :mid",
        "enabled = :enabled",
        "updated_at = :now",
        "created_at = if_not_exists(created_at, :now)",
        "config_version = if_not_exists(config_version, :zero) + :one",
        "next_poll_at = :now",
        "consecutive_failures = if_not_exists(consecutive_failures, :zero)",
        "job_ids = if_not_exists(job_ids, :none)",
        "cursors = :empty" if reset_cursors else "cursors = if_not_exists(cursors, :empty)",
    ]
    names["#type"] = "type"
    values |= {
        ":type": CONNECTOR_TYPE,
        ":mid": merchant_id,
        ":enabled": enabled,
        ":now": now,
        ":zero": 0,
        ":one": 1,
        ":empty": {},
        ":none": [],
    }
    removes = ["claim_id"]
    names["#token"] = "token"
    if token is not None:
        sets += ["#token = :token", "token_updated_at = :now"]
        values[":token"] = token
    if enabled:
        due = keys.erp_connector_due_gsi2(merchant_id, now)
        sets += ["GSI2PK = :gsi2pk", "GSI2SK = :gsi2sk"]
        values |= {":gsi2pk": due["GSI2PK"], ":gsi2sk": due["GSI2SK"]}
    else:
        removes += ["GSI2PK", "GSI2SK"]
    try:
        return table.update(
            keys.merchant_pk(merchant_id),
            keys.erp_connector_sk(),
            expression="SET " + ", ".join(sets) + " REMOVE " + ", ".join(removes),
            names=names,
            values=values,
            condition=None if token is not None else "attribute_exists(#token)",
        )
    except ConditionFailed as exc:
        raise TokenMissing from exc


def get_connector(merchant_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.erp_connector_sk(), consistent=True)


def delete_connector(merchant_id: str) -> bool:
    """``False`` when the merchant has no connector. A poll running meanwhile stores nothing more."""
    return table.delete_existing(keys.merchant_pk(merchant_id), keys.erp_connector_sk())


def due_connectors(now: str, *, limit: int) -> list[tuple[str, str]]:
    """``(merchant_id, next_poll_at)`` of enabled connectors due by ``now``, oldest due first, at most ``limit``:
    one query per shard of the due index, never a scan."""
    found: list[dict[str, Any]] = []
    for pk in keys.erp_connector_shard_pks():
        found += table.query_until(pk, f"{now}#\uffff", index="GSI2", limit=limit)
    found.sort(key=lambda item: item["GSI2SK"])
    return [(item["merchant_id"], item["next_poll_at"]) for item in found[:limit]]


def claim(merchant_id: str, seen_next_poll_at: str, claim_id: str, lease_until: str) -> dict[str, Any] | None:
    """Take the connector for one poll: its ``next_poll_at`` moves to ``lease_until`` (out of the due range, and
    due again then if the poll dies). The whole item, or ``None`` when another run took it first or it changed."""
    due = keys.erp_connector_due_gsi2(merchant_id, lease_until)
    try:
        return table.update(
            keys.merchant_pk(merchant_id),
            keys.erp_connector_sk(),
            expression="SET next_poll_at = :lease, GSI2SK = :gsi2sk, claim_id = :claim, job_ids = :none",
            values={
                ":lease": lease_until,
                ":gsi2sk": due["GSI2SK"],
                ":claim": claim_id,
                ":none": [],
                ":seen": seen_next_poll_at,
                ":true": True,
            },
            condition="next_poll_at = :seen AND enabled = :true",
        )
    except ConditionFailed:
        return None


def save_cursor(merchant_id: str, claim_id: str, resource: str, cursor: str, job_id: str | None) -> bool:
    """Store where ``resource`` resumes (and the job its page started); ``False`` when the poll lost its claim
    (the connector was changed or deleted meanwhile)."""
    expression = "SET cursors.#resource = :cursor"
    values: dict[str, Any] = {":cursor": cursor, ":claim": claim_id}
    if job_id is not None:
        expression += ", job_ids = list_append(job_ids, :job)"
        values[":job"] = [job_id]
    try:
        table.update(
            keys.merchant_pk(merchant_id),
            keys.erp_connector_sk(),
            expression=expression,
            names={"#resource": resource},
            values=values,
            condition="claim_id = :claim",
        )
    except ConditionFailed:
        return False
    return True


def finish_poll(merchant_id: str, claim_id: str, outcome: dict[str, Any], next_poll_at: str) -> bool:
    """Record the poll's outcome and when the connector is due next, releasing the claim; ``False`` when the
    poll had lost its claim."""
    names = {f"#o{i}": name for i, name in enumerate(outcome)}
    values: dict[str, Any] = {f":o{i}": value for i, value in enumerate(outcome.values())}
    sets = [f"#o{i} = :o{i}" for i in range(len(outcome))]
    due = keys.erp_connector_due_gsi2(merchant_id, next_poll_at)
    sets += ["next_poll_at = :next", "GSI2SK = :gsi2sk"]
    values |= {":next": next_poll_at, ":gsi2sk": due["GSI2SK"], ":claim": claim_id}
    try:
        table.update(
            keys.merchant_pk(merchant_id),
            keys.erp_connector_sk(),
            expression="SET " + ", ".join(sets) + " REMOVE claim_id",
            names=names,
            values=values,
            condition="claim_id = :claim",
        )
    except ConditionFailed:
        return False
    return True
