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
merchant               M#<mid>                           MERCHANT                            name, CNPJ (operator)
shop profile           M#<mid>                           PROFILE                             the pages' identity
store                  M#<mid>                           STORE#<store_code>                  e.g. 9900 = online
product                M#<mid>                           PRODUCT#<sku>                       variants; content_hash
variant -> product     M#<mid>                           VARIANT#<variant_sku>               product_sku
price table            M#<mid>                           PRICETABLE#<table_id>               name, default flag
price                  M#<mid>#PRICES#<table_id>         <sku>                               one table's prices
stock                  M#<mid>#STOCK#<store_code>        <variant_sku>                       on_hand, reserved, seq
ERP job                M#<mid>                           JOB#<job_id>                        counts, chunks, TTL
ERP job item result    M#<mid>#JOB#<job_id>              <index, 6 digits>                   not applied; TTL
catalog                M#<mid>                           CATALOG#<catalog_id>                incl. slug, status
store settings         M#<mid>                           SETTINGS                            delivery, card, expiry
order                  M#<mid>                           ORDER#<order_id>                    GSI1: by status; GSI2
checkout idempotency   M#<mid>                           IDEMPOTENCY#<key>                   TTL 24 h
order code             M#<mid>                           ORDERCODE#<code>                    unique short code
api key (merchant)     M#<mid>                           APIKEY#<key_id>                     hash, scopes, name
seller                 M#<mid>                           SELLER#<seller_id>                  pw hash, session ver.
seller's customer      M#<mid>                           ASSIGNED#<seller_id>#<customer_id>  assignment
customer (B2B)         M#<mid>                           CUSTOMER#<customer_id>              prices, access, ver.
login -> person        M#<mid>                           LOGIN#<role>#<login>                unique login per role
staff member           M#<mid>                           STAFF#<staff_id>                    groups, pw hash, ver.
permission group       M#<mid>                           PERMGROUP#<group_id>                permissions, stores
customer's orders      M#<mid>#CUSTOMER#<cid>            ORDER#<created_at>#<order_id>       summary, "my orders"
event journal          M#<mid>#EVENTS                    <occurred_at>#<event_id>            TTL 400 days
settlement terms       M#<mid>                           SETTLEMENT                          fees, settlement days
payout settings        M#<mid>                           PAYOUTSETTINGS                      GSI2: due by schedule
payout cursor          M#<mid>                           PAYOUTSTATE                         paid_through, carried
payout                 M#<mid>#PAYOUTS                   <scheduled_on>#<payout_id>          transfer, status
reconciliation         M#<mid>#RECONCILIATION            <day>                               ledger vs gateway
anticipation           M#<mid>#ANTICIPATIONS             <created_at>#<anticipation_id>      asked, moved, fee
recipient registration M#<mid>                           RECIPIENTREGISTRATION               gateway register info
ledger entry           M#<mid>#LEDGER                    <available_on>#<oid>#<seq>#<mvmt>   one per money movement
event outbox           M#<mid>#OUTBOX                    <occurred_at>#<event_id>            GSI2: unpublished
webhook endpoint       M#<mid>                           WEBHOOKENDPOINT#<endpoint_id>       url, types, secrets
webhook endpoint count M#<mid>                           WEBHOOKENDPOINTS                    caps endpoints at 10
webhook delivery       M#<mid>#WEBHOOKDELIVERY#<dlv_id>  DELIVERY                            GSI1, GSI2; TTL 30 d
ERP order feed         M#<mid>#ERPFEED                   <paid_at>#<order_id>                paid, not yet acked
ERP connector          M#<mid>                           ERPCONNECTOR                        GSI2: due; token
throttle (address)     M#<mid>#SIGNIN#ADDRESS#<address>  THROTTLE                            counter, lock; TTL
throttle (login)       M#<mid>#SIGNIN#LOGIN#<kind>#<h>   THROTTLE                            h: hash of login; TTL
loyalty settings       M#<mid>                           LOYALTYSETTINGS                     rules; partner key
loyalty ledger         M#<mid>#LOYALTY                   <order_id>                          accrued, reversed
catalog view head      M#<mid>#VIEW#<catalog_id>         HEAD                                version, first page
catalog view page      M#<mid>#VIEW#<catalog_id>         PAGE#<page_id>                      entries (read model)
catalog view product   M#<mid>#VIEW#<catalog_id>         ITEM#<sku>                          one entry
catalog view bounds    M#<mid>#VIEW#<catalog_id>         BOUNDS                              pages' first keys
catalog view search    M#<mid>#VIEW#<catalog_id>         FIND#<shard>                        search records
message                M#<mid>#MESSAGES#<order_id>       <event_id>#<audience>#<channel>     one send; TTL 400 d
suppressed address     M#<mid>#SUPPRESSED                <channel>#<h>                       h: hash of address
message templates      M#<mid>                           MESSAGETEMPLATES                    the merchant's texts
consent record (copy)  M#<mid>#CONSENT#<subject_hash>    <purpose>#<channel>#<at>#<rec_id>   append-only; per hash
consent record id      M#<mid>#CONSENTIDS                <record_id>                         taken once (ERP resend)
data-subject request   M#<mid>#SUBJECTREQUESTS           REQUEST#<request_id>                kind, outcome, counts
data-subject export    M#<mid>#SUBJECTREQUESTS           EXPORT#<request_id>                 zlib JSON; TTL 7 days
---------------------  --------------------------------  ----------------------------------  ---------------------
slug -> catalog        SLUG#<slug>                       SLUG                                global uniqueness
api key hash -> mid    APIKEY#<sha256(key)>              APIKEY                              lookup at auth time
staff login -> staff   STAFFLOGIN#<login>                STAFFLOGIN                          unique on the platform
invitation -> staff    INVITATION#<sha256(token)>        INVITATION                          one use; TTL 7 days
gateway webhook        WEBHOOK#<provider>#<webhook_id>   WEBHOOK                             inbox, TTL 30 days
schedule run           SCHEDULE#<job>                    RUN#<scheduled_time>                once per period, TTL
order -> merchant      ORDER#<order_id>                  ORDER                               shopper's token hash
provider message       MSGID#<provider>#<message id>     MSGID                               -> message; TTL 30 d
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
GSI2SK), re-keyed at each status change, so "what ended in the DLQ" is one query of the ``failed`` partition. A delivery
joins both indexes when its message is queued (the fan-out's second write sets GSI1PK, GSI1SK and GSI2SK; the first
writes only GSI2PK, which alone indexes nothing): a write to an item in both indexes is paid three times, and one
recorded but never queued (a fan-out that stopped midway, queued by its retry) is not a delivery to list yet.

Ledger entries sort by the day they become payable (then by order, and in the order they were booked), so a
payout reads what is due with one query; the entry's order, sequence and movement make its key the same on every
retry, and it is written only if that key is free.
Payouts (``vitrine.payouts.runs``): the payout settings item is also in GSI2 under ``PAYOUTDUE#<schedule>``
(``daily``, ``weekly#<1-5>``, ``monthly#<1-28>``) with GSI2SK the merchant id, so a run finds the merchants due on
a day by querying the two or three partitions of that day's schedules, never by a scan. A merchant's payout
cursor (``PAYOUTSTATE``) says that every ledger entry payable on or before ``paid_through`` is accounted for, in a
payout or in ``carried``: a payout reads the ledger from the day after the cursor (one query page per ~3,000
entries) and records itself with one transaction of two writes (the payout, and the cursor moved on the condition
that it is still the version read), however many entries it covers.
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

The variant index answers "is this a variant of the merchant's?" for SKUs the ERP counts stock of, in a
``BatchGetItem`` (100 a request) without reading products: one ``VARIANT#<variant_sku>`` item per variant, holding
its ``product_sku``. It is kept by every product write (``repository.assortment``): the product stores
``indexed_variants``, the SKUs it was indexed under, so a write adds the items of its new variants (in the same
``BatchWriteItem`` requests, ahead of the product) and removes those of the variants it dropped (before it), and a
product whose variants did not change costs the index nothing. A sync delivery that failed midway is retried and
finds its products written: it reads their index and writes what is missing. A removal is conditioned on the item
still naming that product, so a variant that moved to another product keeps the other's item whichever write
lands first. A product stored before the index (no ``indexed_variants``) is rewritten, with its index, by the next
sync that sends it. No path deletes a product today; one that does must delete its index items with it.

Sellers and customers carry ``session_version`` ("ver."), the version their sessions are issued at; so do members
of the merchant's staff (``vitrine.people.staff``), whose login is unique across the platform (one console, signed
in to with an e-mail and a password, finds the merchant from the login) and whose invitation to set a password is
a pointer by the hash of its one-time token.
Sign-in throttling (``vitrine.auth.sign_in_throttle``) counts failed sign-ins per client address and per login in
items of their own partitions, so a password-guessing burst writes nowhere near the merchant's main partition. The
login is stored only as a hash (``<h>``, SHA-256 of the normalised login, 32 hex digits): what a stranger typed is
never kept, and the key's length is bounded whatever they typed.

Consent records (``vitrine.consents``, LGPD art. 8) are append-only: a record is written once under each hash of
the person it names (``<subject_hash>``: HMAC-SHA256 of the normalised CPF/CNPJ, e-mail or phone, keyed with the
merchant id), every copy on a fresh key with ``attribute_not_exists``, with its id's item and its event's outbox
item in the same transaction; nothing ever updates or deletes one (an erase leaves them: they hold hashes, and are
the controller's proof). What is in force for a purpose and channel is the newest record under the prefix
``<purpose>#<channel>#`` of any of the person's partitions, read consistently. Data-subject requests
(``vitrine.consents.subject_requests``) are a small partition per merchant; an export's JSON is kept a week.

A published catalog's read model (what its views read, ``vitrine.catalogs.read_model``) is a partition of its own
per catalog, so a viral link's reads never land on the merchant's main partition, where checkout and the ERP
sync write.

Loyalty (``vitrine.loyalty``): the settings item holds the scoring rules and the partner's API key (the table is
encrypted at rest, as for webhook secrets). Each order's loyalty ledger is an item of the merchant's loyalty
partition, keyed by the order id, so a merchant's loyalty is one query and the consumer's writes never land on the
order item; every write is conditioned on the version read, and the one that records the accrual also checks the
order's ``professional_cpf`` (a ``ConditionCheck`` in the same transaction); a CPF change checks the ledger's
``cpf_locked`` the same way.

Price and stock items get partitions of their own (per price table, per store) so that a big ERP sync or
a flash sale on one store does not heat the merchant's main partition, and a checkout's reads of N lines
are one ``BatchGetItem``.
"""

import hashlib
import string


class KeyTemplate:
    """A key's exact format with its fields named, called like the builder it replaces: positional values fill the
    fields in order (``KeyTemplate("STORE#{store_code}")("LJ01") == "STORE#LJ01"``), keywords name them."""

    __slots__ = ("fields", "template")

    def __init__(self, template: str) -> None:
        self.template = template
        self.fields = tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)

    def __call__(self, *values: object, **named: object) -> str:
        if len(values) + len(named) != len(self.fields):
            raise TypeError(f"key {self.template!r} takes {len(self.fields)} values ({', '.join(self.fields)})")
        return self.template.format_map(dict(zip(self.fields, values, strict=False), **named))

    def __repr__(self) -> str:
        return f"KeyTemplate({self.template!r})"


MERCHANT_PARTITION = "M#{merchant_id}"

merchant_pk = KeyTemplate(MERCHANT_PARTITION)
merchant_sk = KeyTemplate("MERCHANT")
store_sk = KeyTemplate("STORE#{store_code}")
product_sk = KeyTemplate("PRODUCT#{sku}")
variant_sk = KeyTemplate("VARIANT#{sku}")
price_table_sk = KeyTemplate("PRICETABLE#{table_id}")
prices_pk = KeyTemplate(MERCHANT_PARTITION + "#PRICES#{table_id}")
stock_pk = KeyTemplate(MERCHANT_PARTITION + "#STOCK#{store_code}")
catalog_sk = KeyTemplate("CATALOG#{catalog_id}")
merchant_api_key_sk = KeyTemplate("APIKEY#{key_id}")
events_pk = KeyTemplate(MERCHANT_PARTITION + "#EVENTS")
event_sk = KeyTemplate("{occurred_at}#{event_id}")
job_sk = KeyTemplate("JOB#{job_id}")
job_results_pk = KeyTemplate(MERCHANT_PARTITION + "#JOB#{job_id}")
# Zero-padded so the report pages in item order.
job_result_sk = KeyTemplate("{index:06d}")
slug_pk = KeyTemplate("SLUG#{slug}")
api_key_lookup_pk = KeyTemplate("APIKEY#{key_hash}")
webhook_pk = KeyTemplate("WEBHOOK#{provider}#{webhook_id}")
schedule_run_pk = KeyTemplate("SCHEDULE#{job}")
schedule_run_sk = KeyTemplate("RUN#{scheduled_time}")
settings_sk = KeyTemplate("SETTINGS")
profile_sk = KeyTemplate("PROFILE")
order_sk = KeyTemplate("ORDER#{order_id}")
idempotency_sk = KeyTemplate("IDEMPOTENCY#{key}")
order_code_sk = KeyTemplate("ORDERCODE#{code}")
order_pointer_pk = KeyTemplate("ORDER#{order_id}")
seller_sk = KeyTemplate("SELLER#{seller_id}")
staff_sk = KeyTemplate("STAFF#{staff_id}")
permission_group_sk = KeyTemplate("PERMGROUP#{group_id}")
staff_login_pk = KeyTemplate("STAFFLOGIN#{login}")
invitation_pk = KeyTemplate("INVITATION#{token_hash}")
seller_customer_sk = KeyTemplate("ASSIGNED#{seller_id}#{customer_id}")
customer_sk = KeyTemplate("CUSTOMER#{customer_id}")
login_sk = KeyTemplate("LOGIN#{role}#{login}")
customer_orders_pk = KeyTemplate(MERCHANT_PARTITION + "#CUSTOMER#{customer_id}")
customer_order_sk = KeyTemplate("ORDER#{created_at}#{order_id}")
settlement_sk = KeyTemplate("SETTLEMENT")
payout_settings_sk = KeyTemplate("PAYOUTSETTINGS")
payout_state_sk = KeyTemplate("PAYOUTSTATE")
payouts_pk = KeyTemplate(MERCHANT_PARTITION + "#PAYOUTS")
payout_sk = KeyTemplate("{scheduled_on}#{payout_id}")
payout_due_gsi2_pk = KeyTemplate("PAYOUTDUE#{schedule_key}")
reconciliations_pk = KeyTemplate(MERCHANT_PARTITION + "#RECONCILIATION")
anticipations_pk = KeyTemplate(MERCHANT_PARTITION + "#ANTICIPATIONS")
anticipation_sk = KeyTemplate("{created_at}#{anticipation_id}")
recipient_registration_sk = KeyTemplate("RECIPIENTREGISTRATION")
ledger_pk = KeyTemplate(MERCHANT_PARTITION + "#LEDGER")
ledger_sk = KeyTemplate("{available_on}#{order_id}#{sequence:03d}#{movement}")
erp_feed_pk = KeyTemplate(MERCHANT_PARTITION + "#ERPFEED")
erp_feed_sk = KeyTemplate("{paid_at}#{order_id}")
outbox_pk = KeyTemplate(MERCHANT_PARTITION + "#OUTBOX")
outbox_sk = KeyTemplate("{occurred_at}#{event_id}")
webhook_endpoint_sk = KeyTemplate("WEBHOOKENDPOINT#{endpoint_id}")
webhook_endpoint_prefix = KeyTemplate("WEBHOOKENDPOINT#")
webhook_endpoint_count_sk = KeyTemplate("WEBHOOKENDPOINTS")
webhook_delivery_pk = KeyTemplate(MERCHANT_PARTITION + "#WEBHOOKDELIVERY#{delivery_id}")
webhook_delivery_sk = KeyTemplate("DELIVERY")
webhook_deliveries_gsi1_pk = KeyTemplate(MERCHANT_PARTITION + "#WEBHOOKENDPOINT#{endpoint_id}")
webhook_deliveries_by_status_gsi2_pk = KeyTemplate(MERCHANT_PARTITION + "#WEBHOOKENDPOINT#{endpoint_id}#{status}")
erp_connector_sk = KeyTemplate("ERPCONNECTOR")
sign_in_address_pk = KeyTemplate(MERCHANT_PARTITION + "#SIGNIN#ADDRESS#{address}")
sign_in_login_pk = KeyTemplate(MERCHANT_PARTITION + "#SIGNIN#LOGIN#{kind}#{login_hash}")
sign_in_throttle_sk = KeyTemplate("THROTTLE")
loyalty_settings_sk = KeyTemplate("LOYALTYSETTINGS")
loyalty_ledger_pk = KeyTemplate(MERCHANT_PARTITION + "#LOYALTY")
loyalty_ledger_sk = KeyTemplate("{order_id}")
catalog_view_pk = KeyTemplate(MERCHANT_PARTITION + "#VIEW#{catalog_id}")
catalog_view_page_sk = KeyTemplate("PAGE#{page_id}")
catalog_view_item_sk = KeyTemplate("ITEM#{sku}")
catalog_view_find_sk = KeyTemplate("FIND#{shard}")
consent_subject_pk = KeyTemplate(MERCHANT_PARTITION + "#CONSENT#{subject_hash}")
consent_record_sk = KeyTemplate("{purpose}#{channel}#{recorded_at}#{record_id}")
consent_ids_pk = KeyTemplate(MERCHANT_PARTITION + "#CONSENTIDS")
subject_requests_pk = KeyTemplate(MERCHANT_PARTITION + "#SUBJECTREQUESTS")
subject_request_sk = KeyTemplate("REQUEST#{request_id}")
subject_export_sk = KeyTemplate("EXPORT#{request_id}")


def orders_by_status_gsi1(merchant_id: str, status: str, created_at: str) -> dict[str, str]:
    return {"GSI1PK": f"{merchant_pk(merchant_id)}#ORDERS", "GSI1SK": f"{status}#{created_at}"}


def reservation_expiry_gsi2(expires_at: str, merchant_id: str, order_id: str) -> dict[str, str]:
    return {"GSI2PK": f"EXPIRES#{expires_at[:13]}", "GSI2SK": f"{expires_at}#{merchant_id}#{order_id}"}


OUTBOX_SHARDS = "0123456789abcdef"


def outbox_gsi2(occurred_at: str, merchant_id: str, event_id: str) -> dict[str, str]:
    shard = hashlib.sha256(event_id.encode()).hexdigest()[0]
    return {"GSI2PK": f"OUTBOX#{shard}", "GSI2SK": f"{occurred_at}#{merchant_id}#{event_id}"}


def outbox_shard_pks() -> list[str]:
    return [f"OUTBOX#{shard}" for shard in OUTBOX_SHARDS]


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


ERP_CONNECTOR_SHARDS = 4


def erp_connector_due_gsi2(merchant_id: str, next_poll_at: str) -> dict[str, str]:
    shard = int(hashlib.sha256(merchant_id.encode()).hexdigest(), 16) % ERP_CONNECTOR_SHARDS
    return {"GSI2PK": f"ERPCONNECTOR#{shard}", "GSI2SK": f"{next_poll_at}#{merchant_id}"}


def erp_connector_shard_pks() -> list[str]:
    return [f"ERPCONNECTOR#{shard}" for shard in range(ERP_CONNECTOR_SHARDS)]


def messages_pk(merchant_id: str, order_id: str | None) -> str:
    """One order's messages (``None``: the merchant's own, e.g. a payout's)."""
    return f"{merchant_pk(merchant_id)}#MESSAGES#{order_id or 'MERCHANT'}"


def message_sk(event_id: str, audience: str, channel: str) -> str:
    return f"{event_id}#{audience}#{channel}"


def provider_message_pointer(provider: str, provider_message_id: str) -> tuple[str, str]:
    return f"MSGID#{provider}#{provider_message_id}", "MSGID"


def suppressed_pk(merchant_id: str) -> str:
    return f"{merchant_pk(merchant_id)}#SUPPRESSED"


def suppressed_sk(channel: str, address_hash: str) -> str:
    return f"{channel}#{address_hash}"


MESSAGE_TEMPLATES_SK = "MESSAGETEMPLATES"
