"""The ERP ingest's pure rules: what counts as a change, how items are checked and chunked, how a CSV is read."""

import secrets
import time
import uuid

import pytest

from vitrine.erp import delta
from vitrine.erp.csv_products import read_products_csv
from vitrine.erp.jobs import (
    CHUNK_BYTES,
    QueuedItem,
    check_item,
    chunk_items,
    new_job_id,
    unpack,
    without_repeats,
)
from vitrine.erp.models import BatchKind, ItemResult, ItemStatus, item_ref
from vitrine.errors import InvalidInput, PayloadTooLarge

# ---------------------------------------------------------------- delta


def test_the_content_hash_ignores_field_order_and_sees_any_change():
    assert delta.content_hash({"a": 1, "b": [1, 2]}) == delta.content_hash({"b": [1, 2], "a": 1})
    assert delta.content_hash({"a": 1, "b": [1, 2]}) != delta.content_hash({"a": 1, "b": [2, 1]})
    assert delta.content_hash({"name": "Camiseta"}) != delta.content_hash({"name": "Camiseta "})


def test_an_item_is_written_only_when_its_hash_differs_and_a_redelivery_reports_its_own_write():
    digest = delta.content_hash({"price": 4990})
    assert delta.known_outcome(None, digest, "j2") is None
    assert delta.known_outcome({"content_hash": "other", "sync_job": "j1"}, digest, "j2") is None
    assert delta.known_outcome({"content_hash": digest, "sync_job": "j1"}, digest, "j2") is ItemStatus.UNCHANGED
    assert delta.known_outcome({"content_hash": digest, "sync_job": "j2"}, digest, "j2") is ItemStatus.APPLIED


def test_job_ids_are_uuid7s_that_sort_in_the_order_they_were_made():
    ids = [new_job_id() for _ in range(2000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for job_id in ids[:5]:
        parsed = uuid.UUID(job_id)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and len(job_id) == 32
        assert abs(int(job_id[:12], 16) / 1000 - time.time()) < 60


def test_an_item_a_later_job_wrote_is_not_overwritten_by_an_earlier_one():
    earlier, later = new_job_id(), new_job_id()
    assert delta.written_by_newer_job({"sync_job": later}, earlier) == later
    assert delta.written_by_newer_job({"sync_job": earlier}, later) is None
    assert delta.written_by_newer_job({"sync_job": later}, later) is None
    assert delta.written_by_newer_job({"content_hash": "x"}, earlier) is None
    assert delta.written_by_newer_job(None, earlier) is None
    # Ids that carry no time (random UUIDs, written before job ids were ordered) never stop a write.
    assert delta.written_by_newer_job({"sync_job": "f" * 32}, earlier) is None
    assert delta.written_by_newer_job({"sync_job": later}, uuid.uuid4().hex) is None


def test_defaults_sent_or_omitted_hash_the_same():
    sent = check_item(
        BatchKind.PRODUCTS, 0, {"sku": "A", "name": "A", "variants": [{"sku": "A"}], "active_online": True}
    )
    omitted = check_item(BatchKind.PRODUCTS, 0, {"variants": [{"sku": "A"}], "name": "A", "sku": "A"})
    assert delta.content_hash(sent.item) == delta.content_hash(omitted.item)


# ---------------------------------------------------------------- items


def test_a_bad_item_is_rejected_naming_its_index_id_and_each_field():
    result = check_item(BatchKind.PRICES, 7, {"table_id": "varejo", "sku": "CAM", "price": 49.9})
    assert isinstance(result, ItemResult)
    assert (result.index, result.ref, result.status) == (7, "varejo/CAM", ItemStatus.REJECTED)
    assert [e.field for e in result.errors] == ["price"]


def test_money_is_integer_centavos_only():
    assert isinstance(check_item(BatchKind.PRICES, 0, {"table_id": "t", "sku": "A", "price": 4990}), QueuedItem)
    for price in (49.9, 4990.0, -1, "49,90", "4990", True):
        assert isinstance(check_item(BatchKind.PRICES, 0, {"table_id": "t", "sku": "A", "price": price}), ItemResult)


@pytest.mark.parametrize(
    ("ordering", "valid"),
    [
        ({"sequence": 3}, True),
        ({"counted_at": "2026-11-23T10:00:00-03:00"}, True),
        ({}, False),
        ({"sequence": 3, "counted_at": "2026-11-23T10:00:00Z"}, False),
        ({"counted_at": "2026-11-23T10:00:00"}, False),
        ({"sequence": "3"}, False),
    ],
    ids=["sequence", "counted_at", "neither", "both", "naive-time", "sequence-as-text"],
)
def test_a_stock_count_carries_exactly_one_ordering(ordering, valid):
    result = check_item(BatchKind.STOCK, 0, {"store_code": "9900", "sku": "A-P", "on_hand": 1, **ordering})
    assert isinstance(result, QueuedItem) is valid


def test_counts_by_time_order_to_the_microsecond_across_time_zones():
    from vitrine.erp.models import ErpStockLevel

    def order(counted_at):
        return ErpStockLevel(store_code="1", sku="A", on_hand=0, counted_at=counted_at).order

    assert order("2026-11-23T10:00:00.000001-03:00") == order("2026-11-23T13:00:00Z") + 1
    assert order("1970-01-01T00:00:01Z") == 1_000_000


def test_the_id_of_an_invalid_item_is_reported_when_it_can_be_read():
    assert item_ref(BatchKind.STOCK, {"store_code": "9900", "sku": 5}) == "9900/?"
    assert item_ref(BatchKind.CUSTOMERS, {"customer_id": "C1"}) == "C1"
    assert item_ref(BatchKind.PRODUCTS, ["not", "an", "object"]) is None


def test_a_repeated_id_is_rejected_after_its_first_appearance():
    items = [check_item(BatchKind.PRICES, i, {"table_id": "t", "sku": sku, "price": 1}) for i, sku in enumerate("ABA")]
    kept = without_repeats(items)
    assert [type(entry).__name__ for entry in kept] == ["QueuedItem", "QueuedItem", "ItemResult"]
    assert "first at item 0" in kept[2].errors[0].reason


def test_chunks_hold_one_kind_within_the_message_size_and_the_kinds_item_count():
    # Random descriptions do not compress: 200 of them cannot share one message.
    products = [
        QueuedItem(i, BatchKind.PRODUCTS, {"sku": f"P{i}", "note": secrets.token_hex(1500)}) for i in range(200)
    ]
    customers = [QueuedItem(200 + i, BatchKind.CUSTOMERS, {"customer_id": f"C{i}"}) for i in range(45)]
    chunks = chunk_items(products + customers)
    assert len([kind for kind, _, _ in chunks if kind is BatchKind.PRODUCTS]) > 1
    assert all(len(packed) <= CHUNK_BYTES for _, _, packed in chunks)
    assert all(unpack(packed) == [i.entry() for i in items] for _, items, packed in chunks)
    assert all(len({item.kind for item in items}) == 1 for _, items, _ in chunks)
    assert [len(items) for kind, items, _ in chunks if kind is BatchKind.CUSTOMERS] == [20, 20, 5]
    assert [i.index for _, items, _ in chunks for i in items] == list(range(245))


def test_items_that_compress_share_one_message():
    products = [QueuedItem(i, BatchKind.PRODUCTS, {"sku": f"P{i:04d}", "name": "Camiseta Básica"}) for i in range(1000)]
    assert len(chunk_items(products)) == 1


# ---------------------------------------------------------------- CSV


def queued(items):
    return [item for item in items if isinstance(item, QueuedItem)]


def rejected(items):
    return [item for item in items if isinstance(item, ItemResult)]


def test_a_spreadsheet_export_with_semicolons_a_bom_and_brl_prices_is_read():
    text = (
        "\ufeffsku;name;variant_sku;size;colour;price_table;price;classifier_1;active_online\r\n"
        "CAM;Camiseta;CAM-P;P;Azul;varejo;R$ 1.049,90;Roupas;não\r\n"
        "CAM;Camiseta;CAM-M;M;Azul;;;;\r\n"
    )
    items = read_products_csv(text)
    assert rejected(items) == []
    product, price = queued(items)
    assert (product.kind, product.line, price.line) == (BatchKind.PRODUCTS, 2, 2)
    assert product.item["variants"] == [
        {"sku": "CAM-P", "size": "P", "colour": "Azul"},
        {"sku": "CAM-M", "size": "M", "colour": "Azul"},
    ]
    assert (product.item["classifiers"], product.item["active_online"]) == (["Roupas"], False)
    assert price.item == {"table_id": "varejo", "sku": "CAM", "price": 104990}


def test_a_product_without_a_grid_is_one_variant_with_its_own_sku():
    (product,) = queued(read_products_csv("sku,name,size\nCANECA,Caneca,U\n"))
    assert product.item["variants"] == [{"sku": "CANECA", "size": "U"}]


def test_each_error_names_its_line_and_column_and_rejects_only_its_item():
    text = (
        "sku,name,variant_sku,size,price_table,price,image_url,image_width,image_height,height_mm,width_mm\n"
        "CAM,Camiseta,CAM-P,P,varejo,49,http://x.com/a.jpg,10,10,5,5\n"
        "CAM,Camiseta Azul,CAM M,M,,,,,,,\n"
        "TEN,Tênis,,,varejo,1.2.3,,,,,\n"
    )
    items = read_products_csv(text)
    errors = {(e.line, e.field) for result in rejected(items) for e in result.errors}
    assert errors == {
        (2, "image_url"),
        (2, "length_mm"),
        (3, "name"),
        (3, "variant_sku"),
        (4, "price"),
    }
    assert [item.item["sku"] for item in queued(items)] == ["CAM", "TEN"]  # CAM's price, TEN itself


def test_rows_that_only_link_images_become_an_images_update():
    (images,) = queued(read_products_csv("sku,image_url,image_width,image_height\nCAM,https://c.dn/a.jpg,640,480\n"))
    assert images.kind is BatchKind.PRODUCT_IMAGES
    assert images.item["images"] == [
        {"url": "https://c.dn/a.jpg", "width": 640, "height": 480, "content_type": "image/jpeg"}
    ]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("A,,,,https://c.dn/a.jpg,,", "image_width"),
        ("A,Nome,,Segunda,,,", "classifier_1"),
        ("A,,,,,,", "sku"),
        ("A,,,Roupas,,,", "name"),
    ],
    ids=["image-without-size", "classifier-gap", "nothing-to-import", "product-column-without-name"],
)
def test_rows_that_say_too_little_are_rejected_on_their_line(row, column):
    text = "sku,name,classifier_1,classifier_2,image_url,image_width,image_height\n" + row + "\n"
    (result,) = read_products_csv(text)
    assert isinstance(result, ItemResult)
    assert (result.errors[0].line, result.errors[0].field) == (2, column)


@pytest.mark.parametrize("rows", ["A,Nome,A-1\nA,Nome\n", "A,Nome\nB,Outro,B-1\n"], ids=["one-of-two", "only-row"])
def test_a_row_with_the_wrong_number_of_fields_rejects_its_product(rows):
    result = read_products_csv("sku,name,variant_sku\n" + rows)[0]
    assert isinstance(result, ItemResult) and result.ref == "A"
    assert result.errors[0].field == "row" and result.errors[0].line in (2, 3)


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "sku,nome\nA,B\n", "name\nA\n", "sku,sku\nA,A\n", "sku,name\n", 'sku,name\n"A,B\n'],
    ids=["empty", "blank", "unknown-column", "no-sku", "repeated-column", "no-rows", "open-quote"],
)
def test_a_file_that_cannot_be_read_is_refused_whole(text):
    with pytest.raises(InvalidInput):
        read_products_csv(text)


def test_a_file_over_the_row_limit_is_too_large():
    with pytest.raises(PayloadTooLarge):
        read_products_csv("sku\n" + "A\n" * 20_001)


def test_a_csv_row_failing_the_product_checks_is_worded_in_portuguese_with_the_check_as_its_code():
    text = (
        "sku,name,variant_sku,classifier_1,payment_methods,weight_grams,image_url,image_width,image_height\n"
        f"CAM,Camiseta,CAM P,{'R' * 61},pix dinheiro,0,http://cdn.loja.com.br/a.jpg,800,9000\n"
    )
    (result,) = read_products_csv(text)
    assert isinstance(result, ItemResult)
    worded = {(error.field, error.code): error.reason for error in result.errors}
    assert worded == {
        ("variant_sku", "string_pattern_mismatch"): "linha 2, coluna variant_sku: formato inválido: só letras sem "
        "acento, números, ponto, hífen e sublinhado, sem espaços",
        ("classifier_1", "too_long"): "linha 2, coluna classifier_1: no máximo 60 caracteres",
        ("payment_methods", "enum"): "linha 2, coluna payment_methods: use um destes: pix, card, boleto",
        ("weight_grams", "greater_than_equal"): "linha 2, coluna weight_grams: no mínimo 1",
        ("image_url", "value_error"): "linha 2, coluna image_url: um link https:// com o endereço da imagem, sem "
        "espaços, aspas ou < >",
        ("image_height", "less_than_equal"): "linha 2, coluna image_height: no máximo 8000",
    }
    assert {error.line for error in result.errors} == {2}
