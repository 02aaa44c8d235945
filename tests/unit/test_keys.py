"""Every key the repository writes to DynamoDB, pinned to its exact string: a key builder may be rewritten,
never what it stores (items written before must still be found)."""

import hashlib

from vitrine.repository import keys


def test_merchant_scoped_keys_keep_their_exact_strings():
    assert keys.merchant_pk("m1") == "M#m1"
    assert keys.prices_pk("m1", "VAREJO") == "M#m1#PRICES#VAREJO"
    assert keys.stock_pk("m1", "LJ01") == "M#m1#STOCK#LJ01"
    assert keys.events_pk("m1") == "M#m1#EVENTS"
    assert keys.job_results_pk("m1", "j1") == "M#m1#JOB#j1"
    assert keys.customer_orders_pk("m1", "c1") == "M#m1#CUSTOMER#c1"
    assert keys.ledger_pk("m1") == "M#m1#LEDGER"
    assert keys.erp_feed_pk("m1") == "M#m1#ERPFEED"
    assert keys.outbox_pk("m1") == "M#m1#OUTBOX"
    assert keys.webhook_delivery_pk("m1", "d1") == "M#m1#WEBHOOKDELIVERY#d1"
    assert keys.webhook_deliveries_gsi1_pk("m1", "e1") == "M#m1#WEBHOOKENDPOINT#e1"
    assert keys.webhook_deliveries_by_status_gsi2_pk("m1", "e1", "failed") == "M#m1#WEBHOOKENDPOINT#e1#failed"
    assert keys.sign_in_address_pk("m1", "203.0.113.7") == "M#m1#SIGNIN#ADDRESS#203.0.113.7"
    assert keys.sign_in_login_pk("m1", "seller", "ab12") == "M#m1#SIGNIN#LOGIN#seller#ab12"


def test_prefixed_keys_keep_their_exact_strings():
    assert keys.store_sk("LJ01") == "STORE#LJ01"
    assert keys.product_sk("CAM-1") == "PRODUCT#CAM-1"
    assert keys.price_table_sk("VAREJO") == "PRICETABLE#VAREJO"
    assert keys.catalog_sk("c1") == "CATALOG#c1"
    assert keys.merchant_api_key_sk("k1") == "APIKEY#k1"
    assert keys.job_sk("j1") == "JOB#j1"
    assert keys.slug_pk("loja") == "SLUG#loja"
    assert keys.api_key_lookup_pk("h1") == "APIKEY#h1"
    assert keys.webhook_pk("pagarme", "w1") == "WEBHOOK#pagarme#w1"
    assert keys.schedule_run_pk("payout") == "SCHEDULE#payout"
    assert keys.schedule_run_sk("2026-01-01T00:00:00Z") == "RUN#2026-01-01T00:00:00Z"
    assert keys.order_sk("o1") == "ORDER#o1"
    assert keys.idempotency_sk("k1") == "IDEMPOTENCY#k1"
    assert keys.order_code_sk("K7M2QXA") == "ORDERCODE#K7M2QXA"
    assert keys.order_pointer_pk("o1") == "ORDER#o1"
    assert keys.seller_sk("s1") == "SELLER#s1"
    assert keys.seller_customer_sk("s1", "c1") == "ASSIGNED#s1#c1"
    assert keys.customer_sk("c1") == "CUSTOMER#c1"
    assert keys.login_sk("customer", "a@b.com") == "LOGIN#customer#a@b.com"
    assert keys.customer_order_sk("2026-01-01", "o1") == "ORDER#2026-01-01#o1"
    assert keys.webhook_endpoint_sk("e1") == "WEBHOOKENDPOINT#e1"
    assert keys.webhook_endpoint_prefix() == "WEBHOOKENDPOINT#"


def test_fixed_and_composite_sort_keys_keep_their_exact_strings():
    assert keys.merchant_sk() == "MERCHANT"
    assert keys.settings_sk() == "SETTINGS"
    assert keys.settlement_sk() == "SETTLEMENT"
    assert keys.webhook_endpoint_count_sk() == "WEBHOOKENDPOINTS"
    assert keys.webhook_delivery_sk() == "DELIVERY"
    assert keys.erp_connector_sk() == "ERPCONNECTOR"
    assert keys.sign_in_throttle_sk() == "THROTTLE"
    assert keys.event_sk("2026-01-01T00:00:00Z", "e1") == "2026-01-01T00:00:00Z#e1"
    assert keys.job_result_sk(7) == "000007"
    assert keys.ledger_sk("2026-01-31", "o1", 2, "sale") == "2026-01-31#o1#002#sale"
    assert keys.erp_feed_sk("2026-01-01T10:00:00Z", "o1") == "2026-01-01T10:00:00Z#o1"
    assert keys.outbox_sk("2026-01-01T10:00:00Z", "e1") == "2026-01-01T10:00:00Z#e1"


def test_index_keys_keep_their_exact_strings():
    assert keys.orders_by_status_gsi1("m1", "paid", "2026-01-01") == {
        "GSI1PK": "M#m1#ORDERS",
        "GSI1SK": "paid#2026-01-01",
    }
    assert keys.reservation_expiry_gsi2("2026-01-01T10:15:00Z", "m1", "o1") == {
        "GSI2PK": "EXPIRES#2026-01-01T10",
        "GSI2SK": "2026-01-01T10:15:00Z#m1#o1",
    }
    shard = hashlib.sha256(b"e1").hexdigest()[0]
    assert keys.outbox_gsi2("2026-01-01T10:00:00Z", "m1", "e1") == {
        "GSI2PK": f"OUTBOX#{shard}",
        "GSI2SK": "2026-01-01T10:00:00Z#m1#e1",
    }
    assert keys.outbox_shard_pks() == [f"OUTBOX#{s}" for s in "0123456789abcdef"]
    assert keys.webhook_delivery_indexes("m1", "e1", "failed", "2026-01-01", "d1") == {
        "GSI1PK": "M#m1#WEBHOOKENDPOINT#e1",
        "GSI1SK": "2026-01-01#d1",
        "GSI2PK": "M#m1#WEBHOOKENDPOINT#e1#failed",
        "GSI2SK": "2026-01-01#d1",
    }
    connector_shard = int(hashlib.sha256(b"m1").hexdigest(), 16) % 4
    assert keys.erp_connector_due_gsi2("m1", "2026-01-01T10:00:00Z") == {
        "GSI2PK": f"ERPCONNECTOR#{connector_shard}",
        "GSI2SK": "2026-01-01T10:00:00Z#m1",
    }
    assert keys.erp_connector_shard_pks() == ["ERPCONNECTOR#0", "ERPCONNECTOR#1", "ERPCONNECTOR#2", "ERPCONNECTOR#3"]
