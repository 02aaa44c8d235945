"""The catalog read model's pure rules (``vitrine.catalogs.read_model``) and its wiring in the template."""

import json

from local_stack.template import load_template
from vitrine.catalogs.models import Catalog, CatalogSelection, Product, Variant
from vitrine.catalogs.read_model import (
    FIRST_PAGE,
    PAGE_MAX,
    PAGE_MAX_BYTES,
    PageSet,
    ProductChange,
    apply_changes,
    entry_for,
    new_head,
)
from vitrine.catalogs.read_model_events import HANDLED_EVENTS
from vitrine.catalogs.stores import Fulfilments

RESOURCES = load_template()["Resources"]
WHERE = Fulfilments(delivery="9900", pickup=())
CATALOG = Catalog(
    catalog_id="c1",
    merchant_id="m1",
    slug="loja",
    title="Loja",
    price_table_id="varejo",
    store_codes=["9900"],
    selection=CatalogSelection(all_active_online=True),
    display_order=["Z9"],
)


def product(sku: str, name: str, description: str = "") -> Product:
    return Product(sku=sku, name=name, description=description, variants=[Variant(sku=f"{sku}-U")])


def entry(sku: str, name: str, units: int = 1, description: str = ""):
    return entry_for(CATALOG, product(sku, name, description), 1000, {("9900", f"{sku}-U"): units}, WHERE)


def empty_view() -> PageSet:
    head = new_head(1, [], WHERE, None, "")
    return PageSet(head, {FIRST_PAGE: ""}, {FIRST_PAGE: []})


def test_the_display_order_comes_first_then_names_folded():
    view = empty_view()
    changes = [ProductChange(s, None, entry(s, n)) for s, n in [("A1", "banana"), ("Z9", "zebra"), ("B2", "Abacate")]]
    apply_changes(view, changes)
    assert [e[2]["sku"] for e in view.head.first] == ["Z9", "B2", "A1"]
    assert view.head.count == 3 and view.head.version == 2


def test_a_sold_out_product_stays_in_its_page_hidden_and_leaves_the_count_and_facets():
    view = empty_view()
    apply_changes(view, [ProductChange("A1", None, entry("A1", "a"))])
    before = view.head.first[0]
    apply_changes(view, [ProductChange("A1", before, entry("A1", "a", units=0))])
    assert [e[1] for e in view.head.first] == [False] and view.head.count == 0


def test_a_page_that_grows_past_its_bounds_splits_in_order_and_keeps_every_entry_once():
    view = empty_view()
    inserts = [ProductChange(f"P{i:03d}", None, entry(f"P{i:03d}", f"produto {i:03d}")) for i in range(0, 200, 2)]
    for change in inserts:
        apply_changes(view, [change])
    pages = [view.pages[page_id] for page_id in view.head.order]
    assert all(len(page) <= PAGE_MAX for page in pages) and len(pages) > 2
    keys = [e[0] for page in pages for e in page]
    assert keys == sorted(keys) and len(keys) == 100
    # every page's entries fall in its range: from its bound to the next page's
    bounds = [view.bounds[page_id] for page_id in view.head.order]
    assert all(bounds[i] <= page[0][0] for i, page in enumerate(pages))
    assert all(page[-1][0] < bounds[i + 1] for i, page in enumerate(pages[:-1]))


def test_a_page_of_long_descriptions_splits_by_its_bytes_under_the_item_limit():
    view = empty_view()
    view.head.order.append(1)
    view.bounds[1] = "0"
    view.pages[1] = []
    long = "á" * 4000
    for i in range(40):
        apply_changes(view, [ProductChange(f"L{i:02d}", None, entry(f"L{i:02d}", f"longo {i:02d}", description=long))])
    sizes = [len(json.dumps(view.pages[p], ensure_ascii=False).encode()) for p in view.head.order if p != FIRST_PAGE]
    assert max(sizes) <= PAGE_MAX_BYTES < 400_000


def test_the_template_routes_every_event_the_consumer_handles_to_its_queue_with_a_dlq():
    pattern = RESOURCES["CatalogViewEventsRule"]["Properties"]["EventPattern"]
    assert sorted(pattern["detail-type"]) == sorted(HANDLED_EVENTS)
    queue = RESOURCES["CatalogViewQueue"]["Properties"]
    assert "RedrivePolicy" in queue
    function = RESOURCES["CatalogViewFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]


def test_the_entry_format_names_the_products_shape_as_it_is():
    # A change to CatalogProduct's fields changes its JSON schema: ENTRY_FORMAT must change with it, so that the
    # JSON views stop serving entries written in the old shape as they are (they go through the models instead).
    import hashlib

    from vitrine.catalogs.models import CatalogProduct
    from vitrine.catalogs.read_model import ENTRY_FORMAT

    schema = json.dumps(CatalogProduct.model_json_schema(), sort_keys=True).encode()
    assert hashlib.sha256(schema).hexdigest()[:12] == ENTRY_FORMAT
    assert new_head(1, [], WHERE, None, "").format == ENTRY_FORMAT


def test_the_views_spell_status_and_fulfilments_as_the_models_do():
    from vitrine.catalogs import storefront, stores
    from vitrine.catalogs.models import CatalogStatus, FulfilmentKind

    assert CatalogStatus.PUBLISHED.value == storefront.PUBLISHED
    assert (FulfilmentKind.DELIVERY.value, FulfilmentKind.PICKUP.value) == (stores.DELIVERY, stores.PICKUP)
