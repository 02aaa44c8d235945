"""The single-table key design: every item's keys are built here and nowhere else.

Table ``vitrine-<stage>``: PK (S) / SK (S); GSI1 (GSI1PK/GSI1SK) and GSI2 (GSI2PK/GSI2SK), both projecting
ALL; TTL attribute ``expires_at`` (epoch seconds). On-demand, PITR on.

Tenancy: every item a merchant owns lives under a partition key that starts with ``M#<merchant_id>``,
so a query can only ever read the partition of the merchant resolved from the caller's credentials.
A few kinds of item cannot start with a merchant id, because the merchant is what they resolve; they hold
nothing but the pointer (or, for schedule runs, no merchant data at all):

=====================  ================================  ==================================  =====================
entity                 PK                                SK                                  notes
=====================  ================================  ==================================  =====================
merchant               M#<mid>                           MERCHANT                            profile, settings
store                  M#<mid>                           STORE#<store_code>                  e.g. 9900 = online
product                M#<mid>                           PRODUCT#<sku>                       variants; content_hash
price table            M#<mid>                           PRICETABLE#<table_id>               name, default flag
price                  M#<mid>#PRICES#<table_id>         <sku>                               one table's prices
stock                  M#<mid>#STOCK#<store_code>        <variant_sku>                       on_hand, reserved, seq
ERP job                M#<mid>                           JOB#<job_id>                        counts, chunks, TTL
ERP job item result    M#<mid>#JOB#<job_id>              <index, 6 digits>                   not applied; TTL
catalog                M#<mid>                           CATALOG#<catalog_id>                incl. slug, status
store settings         M#<mid>                           SETTINGS                            delivery, card, expiry
order                  M#<mid>                           ORDER#<order_id>                    GSI1: by status; GSI2
checkout idempotency   M#<mid>                           IDEMPOTENCY#<key>                   TTL 24 h
api key (merchant)     M#<mid>                           APIKEY#<key_id>                     hash, scopes, name
seller                 M#<mid>                           SELLER#<seller_id>                  password hash
seller's customer      M#<mid>                           ASSIGNED#<seller_id>#<customer_id>  assignment
customer (B2B)         M#<mid>                           CUSTOMER#<customer_id>              price table, access
login -> person        M#<mid>                           LOGIN#<role>#<login>                unique login per role
customer's orders      M#<mid>#CUSTOMER#<cid>            ORDER#<created_at>#<order_id>       summary, "my orders"
event journal          M#<mid>#EVENTS                    <occurred_at>#<event_id>            TTL 400 days
settlement terms       M#<mid>                           SETTLEMENT                          fees, settlement days
ledger entry           M#<mid>#LEDGER                    <available_on>#<oid>#<seq>#<mvmt>   one per money movement
event outbox           M#<mid>#OUTBOX                    <occurred_at>#<event_id>            GSI2: unpublished
webhook endpoint       M#<mid>                           WEBHOOKENDPOINT#<endpoint_id>       url, types, secrets
webhook endpoint count M#<mid>                           WEBHOOKENDPOINTS                    caps endpoints at 10
webhook delivery       M#<mid>#WEBHOOKDELIVERY#<dlv_id>  DELIVERY                            GSI1, GSI2; TTL 30 d
ERP order feed         M#<mid>#ERPFEED                   <paid_at>#<order_id>                paid, not yet acked
ERP connector          M#<mid>                           ERPCONNECTOR                        GSI2: due; token
---------------------  --------------------------------  ----------------------------------  ---------------------
slug -> catalog        SLUG#<slug>                       SLUG                                global uniqueness
api key hash -> mid    APIKEY#<sha256(key)>              APIKEY                              lookup at auth time
gateway webhook        WEBHOOK#<provider>#<webhook_id>   WEBHOOK                             inbox, TTL 30 days
schedule run           SCHEDULE#<job>                    RUN#<scheduled_time>                once per period, TTL
order -> merchant      ORDER#<order_id>                  ORDER                               shopper's token hash
=====================  ================================  ==================================  =====================

Indexes: GSI1 lists a merchant's orders by status and time (GSI1PK ``M#<mid>#ORDERS``, GSI1SK
``<status>#<created_at>``); GSI2 finds unpaid orders whose reservation expires, across merchants, in hourly
buckets (GSI2PK ``EXPIRES#<yyyy-mm-ddThh>``, GSI2SK ``<expires_at>#<mid>#<order_id>``) so a sweep reads only
the buckets that can hold expired orders. GSI2 also lists the outbox across merchants (GSI2PK ``OUTBOX#<0-f>``,
GSI2SK ``<occurred_at>#<mid>#<event_id>``): 16 shards by a hash of the event id, so that the write and delete of
every event do not all land on one index partition, and a sweep for unpublished events reads 16 small partitions.

Outbound webhooks: a merchant has a handful of endpoints (at most 10, kept by a counter item written in the same
transaction as each endpoint), read together with one query of the merchant partition. Each delivery (one event to
one endpoint; its id, ``msg_<hash of event id and endpoint id>``, is the ``webhook-id`` receivers deduplicate by)
is a partition of its own, so a burst of order events to many endpoints never heats the merchant's main partition.
GSI1 lists an endpoint's deliveries newest first (GSI1PK ``M#<mid>#WEBHOOKENDPOINT#<eid>``, GSI1SK
``<created_at>#<dlv_id>``); GSI2 lists them by status (GSI2PK ``M#<mid>#WEBHOOKENDPOINT#<eid>#<status>``, same
GSI2SK), re-keyed at each status change, so "what ended in the DLQ" is one query of the ``failed`` partition.

Ledger entries sort by the day they become payable (then by order, and in the order they were booked), so a
payout reads what is due with one query; the entry's order, sequence and movement make its key the same on every
retry, and it is written only if that key is free.
An outbox item is written in the same transaction as the change its event reports, and deleted once published.

The ERP order feed is a sparse partition of pointers to the orders the ERP has not taken yet: the transition that
makes an order paid writes its pointer in the same transaction (a paid order cannot be missed), the ERP's
acknowledgement deletes it (an acknowledged order is never served again), and nothing else touches it, so an order
cancelled after payment stays in the feed, with its status, until the ERP acknowledges it. Sorted by the time of
payment, the feed serves the oldest sale first; its own partition keeps the ERP's polling off the orders index.

An ERP connector (the merchant's ERP that Vitrine polls, one per merchant) holds its URL, token, cursors and last
outcome. While enabled it is also in GSI2 under ``ERPCONNECTOR#<0-3>`` (4 shards by a hash of the merchant id) with
GSI2SK ``<next_poll_at>#<mid>``, so the poller reads only the connectors due by now (``GSI2SK <= now``), oldest
first, without a scan; a disabled connector leaves the index (the attributes are removed). A poll claims one by
moving ``next_poll_at`` (and so its GSI2SK) past a lease, on the condition that it still holds the value read.

Items the ERP writes (products, price tables, prices, customers, sellers) carry ``content_hash``, a hash of
what the ERP sent, and ``sync_job``, the job that last wrote them: a sync reads them in ``BatchGetItem`` and
rewrites only those whose hash changed (``vitrine.erp``). An edit through the merchant API drops the hash, so
the ERP's next sync of that item writes it again. Stock levels carry ``sequence`` (and ``sync_job``) instead.
A job's item results get a partition of their own so one job's report pages without touching the merchant's.

Price and stock items get partitions of their own (per price table, per store) so that a big ERP sync or
a flash sale on one store does not heat the merchant's main partition, and a checkout's reads of N lines
are one ``BatchGetItem``.
"""

import hashlib

MERCHANT_PREFIX = "M#"


def merchant_pk(merchant_id: str) -> str:
    return f"{MERCHANT_PREFIX}{merchant_id}"


def merchant_sk() -> str:
    return "MERCHANT"


def store_sk(store_code: str) -> str:
    return f"STORE#{store_code}"


def product_sk(sku: str) -> str:
    return f"PRODUCT#{sku}"


def price_table_sk(table_id: str) -> str:
    return f"PRICETABLE#{table_id}"


def prices_pk(merchant_id: str, table_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#PRICES#{table_id}"


def stock_pk(merchant_id: str, store_code: str) -> str:
    return f"{merchant_pk(merchant_id)}#STOCK#{store_code}"


def catalog_sk(catalog_id: str) -> str:
    return f"CATALOG#{catalog_id}"


def merchant_api_key_sk(key_id: str) -> str:
    return f"APIKEY#{key_id}"


def events_pk(merchant_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#EVENTS"


def event_sk(occurred_at: str, event_id: str) -> str:
    return f"{occurred_at}#{event_id}"


def job_sk(job_id: str) -> str:
    return f"JOB#{job_id}"


def job_results_pk(merchant_id: str, job_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#JOB#{job_id}"


def job_result_sk(index: int) -> str:
    # Zero-padded so the report pages in item order.
    return f"{index:06d}"


def slug_pk(slug: str) -> str:
    return f"SLUG#{slug}"


def api_key_lookup_pk(key_hash: str) -> str:
    return f"APIKEY#{key_hash}"


def webhook_pk(provider: str, webhook_id: str) -> str:
    return f"WEBHOOK#{provider}#{webhook_id}"


def schedule_run_pk(job: str) -> str:
    return f"SCHEDULE#{job}"


def schedule_run_sk(scheduled_time: str) -> str:
    return f"RUN#{scheduled_time}"


def settings_sk() -> str:
    return "SETTINGS"


def order_sk(order_id: str) -> str:
    return f"ORDER#{order_id}"


def idempotency_sk(key: str) -> str:
    return f"IDEMPOTENCY#{key}"


def order_pointer_pk(order_id: str) -> str:
    return f"ORDER#{order_id}"


def orders_by_status_gsi1(merchant_id: str, status: str, created_at: str) -> dict[str, str]:
    return {"GSI1PK": f"{merchant_pk(merchant_id)}#ORDERS", "GSI1SK": f"{status}#{created_at}"}


def reservation_expiry_gsi2(expires_at: str, merchant_id: str, order_id: str) -> dict[str, str]:
    return {"GSI2PK": f"EXPIRES#{expires_at[:13]}", "GSI2SK": f"{expires_at}#{merchant_id}#{order_id}"}


def seller_sk(seller_id: str) -> str:
    return f"SELLER#{seller_id}"


def seller_customer_sk(seller_id: str, customer_id: str) -> str:
    return f"ASSIGNED#{seller_id}#{customer_id}"


def customer_sk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def login_sk(role: str, login: str) -> str:
    return f"LOGIN#{role}#{login}"


def customer_orders_pk(merchant_id: str, customer_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#CUSTOMER#{customer_id}"


def customer_order_sk(created_at: str, order_id: str) -> str:
    return f"ORDER#{created_at}#{order_id}"


def settlement_sk() -> str:
    return "SETTLEMENT"


def ledger_pk(merchant_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#LEDGER"


def ledger_sk(available_on: str, order_id: str, sequence: int, movement: str) -> str:
    return f"{available_on}#{order_id}#{sequence:03d}#{movement}"


def erp_feed_pk(merchant_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#ERPFEED"


def erp_feed_sk(paid_at: str, order_id: str) -> str:
    return f"{paid_at}#{order_id}"


def outbox_pk(merchant_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#OUTBOX"


def outbox_sk(occurred_at: str, event_id: str) -> str:
    return f"{occurred_at}#{event_id}"


OUTBOX_SHARDS = "0123456789abcdef"


def outbox_gsi2(occurred_at: str, merchant_id: str, event_id: str) -> dict[str, str]:
    shard = hashlib.sha256(event_id.encode()).hexdigest()[0]
    return {"GSI2PK": f"OUTBOX#{shard}", "GSI2SK": f"{occurred_at}#{merchant_id}#{event_id}"}


def outbox_shard_pks() -> list[str]:
    return [f"OUTBOX#{shard}" for shard in OUTBOX_SHARDS]


def webhook_endpoint_sk(endpoint_id: str) -> str:
    return f"WEBHOOKENDPOINT#{endpoint_id}"


def webhook_endpoint_prefix() -> str:
    return "WEBHOOKENDPOINT#"


def webhook_endpoint_count_sk() -> str:
    return "WEBHOOKENDPOINTS"


def webhook_delivery_pk(merchant_id: str, delivery_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#WEBHOOKDELIVERY#{delivery_id}"


def webhook_delivery_sk() -> str:
    return "DELIVERY"


def webhook_deliveries_gsi1_pk(merchant_id: str, endpoint_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#WEBHOOKENDPOINT#{endpoint_id}"


def webhook_deliveries_by_status_gsi2_pk(merchant_id: str, endpoint_id: str, status: str) -> str:
    return f"{webhook_deliveries_gsi1_pk(merchant_id, endpoint_id)}#{status}"


def webhook_delivery_indexes(
    merchant_id: str, endpoint_id: str, status: str, created_at: str, delivery_id: str
) -> dict[str, str]:
    sort_key = f"{created_at}#{delivery_id}"
    return {
        "GSI1PK": webhook_deliveries_gsi1_pk(merchant_id, endpoint_id),
        "GSI1SK": sort_key,
        "GSI2PK": webhook_deliveries_by_status_gsi2_pk(merchant_id, endpoint_id, status),
        "GSI2SK": sort_key,
    }


def erp_connector_sk() -> str:
    return "ERPCONNECTOR"


ERP_CONNECTOR_SHARDS = 4


def erp_connector_due_gsi2(merchant_id: str, next_poll_at: str) -> dict[str, str]:
    shard = int(hashlib.sha256(merchant_id.encode()).hexdigest(), 16) % ERP_CONNECTOR_SHARDS
    return {"GSI2PK": f"ERPCONNECTOR#{shard}", "GSI2SK": f"{next_poll_at}#{merchant_id}"}


def erp_connector_shard_pks() -> list[str]:
    return [f"ERPCONNECTOR#{shard}" for shard in range(ERP_CONNECTOR_SHARDS)]
