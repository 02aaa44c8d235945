"""Products, prices and image links from a CSV file, for merchants without an ERP integrator.

The file becomes items of the ERP's own kinds (products, prices, product images) and takes the same path as
a batch: one job, checked item by item, applied by the ingest consumer. Every error names its CSV line and
column, and a bad row rejects only the item it belongs to.

Format: UTF-8 (a BOM is fine), comma- or semicolon-separated (what a spreadsheet in Portuguese exports), a
header row naming the columns in any order; only ``sku`` is required. One row per variant of the size/colour
grid; the rows of one product share its ``sku`` and repeat (or leave empty) its product columns.

=================  ========================================================================================
column             meaning
=================  ========================================================================================
sku                the product's SKU (required on every row)
name               the product's name; a product's rows need it once, or the rows only link images or prices
short_name         shown to shoppers instead of the name
description        free text
brand              brand name
classifier_1..5    classifier levels, broadest first (no gaps)
variant_sku        the variant's SKU; leave it empty for a product without a grid (its SKU is the product's)
size, colour       the variant's size and colour
active_online      sim/não (yes/no, true/false, 1/0); empty: sim
delivery_days      estimated days to deliver
weight_grams       weight in grams
height_mm ...      ``height_mm``, ``width_mm``, ``length_mm``: the packed measures, all three or none
payment_methods    the only methods allowed, e.g. ``pix card``; empty: any
price_table        the price table of ``price`` (e.g. ``varejo``)
price              in reais, as a spreadsheet writes it: ``49,90``, ``R$ 1.234,56`` or ``1234``
image_url          an https link to an image you host (one per row; a product's images in row order)
image_width        the image's width and height in pixels, required with ``image_url``: Vitrine does not
image_height       download images, and pages reserve their space so nothing jumps as they load
=================  ========================================================================================

A product's rows with a ``name`` replace it (its images too when any row links one; otherwise it keeps
the images it has). Rows of a SKU without a ``name`` may only link images (replacing those of an existing
product) or set prices.

The merchant reads what is wrong in Portuguese, each reason naming its line and column (``csv_wording``); each
error's ``code`` and ``field`` (the column) stay English, as in every job report.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vitrine.catalogs.models import MAX_IMAGES_PER_PRODUCT
from vitrine.erp import csv_wording
from vitrine.erp.jobs import QueuedItem, check_item, rejection, start_job
from vitrine.erp.models import BatchKind, ItemError, ItemResult, JobAccepted, item_ref
from vitrine.errors import InvalidInput, PayloadTooLarge
from vitrine.money import parse_brl

MAX_BYTES = 4 * 1024 * 1024
MAX_ROWS = 20_000
CLASSIFIERS = tuple(f"classifier_{level}" for level in range(1, 6))
MEASURES = ("height_mm", "width_mm", "length_mm")
PRODUCT_COLUMNS = (
    "name",
    "short_name",
    "description",
    "brand",
    *CLASSIFIERS,
    "active_online",
    "delivery_days",
    "weight_grams",
    *MEASURES,
    "payment_methods",
)
COLUMNS = (
    "sku",
    *PRODUCT_COLUMNS,
    "variant_sku",
    "size",
    "colour",
    "price_table",
    "price",
    "image_url",
    "image_width",
    "image_height",
)
_INTEGER_COLUMNS = {"delivery_days", "weight_grams", *MEASURES, "image_width", "image_height"}
_YES = {"sim", "s", "yes", "y", "true", "1", "x"}
_NO = {"não", "nao", "n", "no", "false", "0"}
_METHOD_SEPARATORS = re.compile(r"[\s,;|/]+")
_GRID_COLUMNS = ("variant_sku", "size", "colour")


@dataclass
class _Row:
    line: int
    values: dict[str, str]


@dataclass
class _Group:
    """The rows of one SKU, and the errors found reading them (each with its line and column)."""

    sku: str
    rows: list[_Row] = field(default_factory=list)
    product_errors: list[ItemError] = field(default_factory=list)


def submit_products_csv(merchant_id: str, text: str) -> JobAccepted:
    """Read the CSV and start its job; a file that cannot be read as a whole is refused (4xx), queuing nothing."""
    checked = read_products_csv(text)
    return start_job(merchant_id, "products_csv", "csv", checked, nothing_valid=csv_wording.NOTHING_VALID)


def read_products_csv(text: str) -> list[QueuedItem | ItemResult]:
    """The file's items, each ready to queue or rejected with the lines and columns at fault (no I/O)."""
    groups, row_errors = _read_groups(text)
    checked: list[QueuedItem | ItemResult] = []
    for line, error in row_errors:
        checked.append(rejection(BatchKind.PRODUCTS, len(checked), None, [error], line=line))
    for group in groups:
        for kind, line, raw, locate, errors in _items_of(group):
            index = len(checked)
            outcome = check_item(kind, index, raw, line=line, explain=csv_wording.field_check)
            if isinstance(outcome, QueuedItem) and not errors:
                checked.append(outcome)
                continue
            # Every error of the item at once, by line: what reading the file found, then what the model adds.
            found = {(error.line, error.field) for error in errors}
            if isinstance(outcome, ItemResult):
                located = (_located(error, locate) for error in outcome.errors)
                errors = errors + [error for error in located if (error.line, error.field) not in found]
            errors = sorted(errors, key=lambda error: error.line or 0)
            checked.append(rejection(kind, index, item_ref(kind, raw), errors, line=line))
    return checked


def _located(error: ItemError, locate: Callable[[list[str]], tuple[int, str]]) -> ItemError:
    line, column = locate(error.field.split("."))
    return ItemError(field=column, reason=csv_wording.at(line, column, error.reason), code=error.code, line=line)


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput(f"{csv_wording.CANNOT_READ}: {reason}", details=[{"field": "body", "reason": reason}])


def _read_groups(text: str) -> tuple[list[_Group], list[tuple[int, ItemError]]]:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _refuse("o arquivo está vazio")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Strict: a quote left open would otherwise swallow the rest of the file into one field.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower().replace(" ", "_") for name in next(reader)]
    except csv.Error as exc:
        raise _refuse(f"linha 1: {_BROKEN_ROW}") from exc
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise _refuse(f"colunas desconhecidas: {', '.join(unknown)}; as colunas são {', '.join(COLUMNS)}")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise _refuse(f"colunas repetidas no cabeçalho: {', '.join(repeated)}")
    if "sku" not in header:
        raise _refuse("falta a coluna sku")
    groups: dict[str, _Group] = {}
    errors: list[tuple[int, ItemError]] = []
    rows = 0
    line = reader.line_num
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise PayloadTooLarge(f"mais de {MAX_ROWS} linhas: divida o arquivo")
            values = {name: cell.strip() for name, cell in zip(header, record, strict=False)}
            sku = values.get("sku", "")
            if not sku:
                errors.append((start, _error(start, "sku", "obrigatório em todas as linhas", "missing")))
                continue
            group = groups.setdefault(sku, _Group(sku))
            if len(record) != len(header):
                # The row's product is rejected with it: written without this row, it would lose a variant.
                reason = f"{len(record)} campos, mas o cabeçalho tem {len(header)}"
                group.product_errors.append(_error(start, "row", reason, "row_length"))
                continue
            group.rows.append(_Row(start, values))
    except csv.Error as exc:
        raise _refuse(f"linha {reader.line_num}: {_BROKEN_ROW}") from exc
    if not groups and not errors:
        raise _refuse("não há linhas abaixo do cabeçalho")
    return list(groups.values()), errors


def _items_of(group: _Group) -> list[tuple[BatchKind, int, dict[str, Any], Callable, list[ItemError]]]:
    """The group's items: ``(kind, line, raw item, locate(field path) -> (line, column), errors reading it)``."""
    if not group.rows:
        # Every row of this SKU was unreadable: one rejection, naming them.
        line = group.product_errors[0].line or 0
        return [(BatchKind.PRODUCTS, line, {"sku": group.sku}, lambda path: (line, path[0]), group.product_errors)]
    first_line = group.rows[0].line
    product, product_lines = _product_columns(group)
    variants, variant_lines = _variants(group, has_grid=any(row.values.get("variant_sku") for row in group.rows))
    images, image_lines = _images(group)

    def locate_product(path: list[str]) -> tuple[int, str]:
        head, rest = path[0], path[1:]
        if head == "variants" and rest and rest[0].isdigit():
            column = rest[1] if len(rest) > 1 else "variant_sku"
            return variant_lines[int(rest[0])], "variant_sku" if column == "sku" else column
        if head == "images" and rest and rest[0].isdigit():
            return image_lines[int(rest[0])], f"image_{rest[1]}" if len(rest) > 1 else "image_url"
        if head == "images" and len(image_lines) > MAX_IMAGES_PER_PRODUCT:
            return image_lines[MAX_IMAGES_PER_PRODUCT], "image_url"  # the first image too many
        if head == "classifiers" and rest and rest[0].isdigit():
            column = f"classifier_{int(rest[0]) + 1}"
            return product_lines.get(column, first_line), column
        column = rest[0] if head == "dimensions" and rest else head
        return product_lines.get(column, first_line), column

    items: list[tuple[BatchKind, int, dict[str, Any], Callable, list[ItemError]]] = []
    if "name" in product:
        raw = {"sku": group.sku, **product, "variants": variants}
        if images:
            raw["images"] = images
        items.append((BatchKind.PRODUCTS, first_line, raw, locate_product, group.product_errors))
    elif product or any(row.values.get(column) for row in group.rows for column in _GRID_COLUMNS):
        line, column = next(
            (row.line, column)
            for row in group.rows
            for column in (*PRODUCT_COLUMNS, *_GRID_COLUMNS)
            if row.values.get(column)
        )
        reason = f"as linhas do produto precisam de name para definir {column}"
        error = _error(line, "name", reason, "name_missing")
        items.append((BatchKind.PRODUCTS, line, {"sku": group.sku}, locate_product, [error]))
    elif images or any(error.field.startswith("image_") for error in group.product_errors):
        errors = [error for error in group.product_errors if error.field.startswith("image_")]
        raw = {"sku": group.sku, "images": images}
        items.append(
            (BatchKind.PRODUCT_IMAGES, image_lines[0] if image_lines else first_line, raw, locate_product, errors)
        )
    items += _prices(group)
    if not items:
        error = _error(first_line, "sku", _NOTHING, "nothing_to_import")
        items.append((BatchKind.PRODUCTS, first_line, {"sku": group.sku}, locate_product, [error]))
    return items


_NOTHING = "nada a importar: informe o name do produto, um image_url ou um price"
_BROKEN_ROW = "o arquivo não está no formato CSV (aspas abertas e não fechadas?)"
_DIGITS = "um número inteiro, só dígitos"


def _error(line: int, column: str, reason: str, code: str) -> ItemError:
    return ItemError(field=column, reason=csv_wording.at(line, column, reason), code=code, line=line)


def _product_columns(group: _Group) -> tuple[dict[str, Any], dict[str, int]]:
    """The product's own columns (the same on each of its rows), typed; and the line each was read from."""
    seen: dict[str, tuple[str, int]] = {}
    for row in group.rows:
        for column in PRODUCT_COLUMNS:
            value = row.values.get(column, "")
            if not value:
                continue
            if column not in seen:
                seen[column] = (value, row.line)
            elif seen[column][0] != value:
                first, first_line = seen[column]
                reason = f"difere da linha {first_line} ('{first}'); as linhas de um produto repetem suas colunas"
                group.product_errors.append(_error(row.line, column, reason, "inconsistent"))
    lines = {column: line for column, (_, line) in seen.items()}
    values: dict[str, Any] = {}
    for column in ("name", "short_name", "description", "brand"):
        if column in seen:
            values[column] = seen[column][0]
    levels = [seen.get(column, ("", 0))[0] for column in CLASSIFIERS]
    while levels and not levels[-1]:
        levels.pop()
    if "" in levels:
        gap = CLASSIFIERS[levels.index("")]
        reason = "os níveis de classificação vão do primeiro em diante, sem lacunas"
        group.product_errors.append(_error(group.rows[0].line, gap, reason, "classifier_gap"))
    if levels:
        values["classifiers"] = levels
    if "active_online" in seen:
        text, line = seen["active_online"]
        if text.lower() in _YES | _NO:
            values["active_online"] = text.lower() in _YES
        else:
            reason = "use sim ou não (ou yes/no, true/false, 1/0)"
            group.product_errors.append(_error(line, "active_online", reason, "invalid_flag"))
    for column in ("delivery_days", "weight_grams"):
        if column in seen:
            values[column] = _integer(group, seen[column], column)
    measures = [column for column in MEASURES if column in seen]
    if measures and len(measures) < len(MEASURES):
        missing = next(column for column in MEASURES if column not in seen)
        line = seen[measures[0]][1]
        reason = "informe height_mm, width_mm e length_mm juntos"
        group.product_errors.append(_error(line, missing, reason, "measures_incomplete"))
    elif measures:
        values["dimensions"] = {column: _integer(group, seen[column], column) for column in MEASURES}
    if "payment_methods" in seen:
        values["payment_methods"] = [m for m in _METHOD_SEPARATORS.split(seen["payment_methods"][0].lower()) if m]
    return values, lines


def _integer(group: _Group, value_and_line: tuple[str, int], column: str) -> int | None:
    value, line = value_and_line
    if value.isdigit():
        return int(value)
    group.product_errors.append(_error(line, column, _DIGITS, "invalid_integer"))
    return None


def _variants(group: _Group, *, has_grid: bool) -> tuple[list[dict[str, str]], list[int]]:
    """The grid from the rows' variant columns; a product without ``variant_sku`` is one variant, its own SKU."""
    variants: dict[str, tuple[dict[str, str], int]] = {}
    for row in group.rows:
        sku = row.values.get("variant_sku", "") if has_grid else group.sku
        grid = {name: row.values[name] for name in ("size", "colour") if row.values.get(name)}
        if not sku:
            if grid:
                reason = "informe o variant_sku de cada linha de tamanho/cor (outras linhas deste produto têm um)"
                group.product_errors.append(_error(row.line, "variant_sku", reason, "missing"))
            continue
        variant = {"sku": sku, **grid}
        if sku not in variants:
            variants[sku] = (variant, row.line)
        elif grid and variants[sku][0] != variant:
            first_line = variants[sku][1]
            reason = (
                f"difere da linha {first_line}; dê a cada tamanho/cor o seu próprio variant_sku"
                if has_grid
                else f"difere da linha {first_line}; uma grade precisa da coluna variant_sku"
            )
            column = "size" if "size" in grid else "colour"
            group.product_errors.append(_error(row.line, column, reason, "inconsistent"))
    return [variant for variant, _ in variants.values()], [line for _, line in variants.values()]


def _images(group: _Group) -> tuple[list[dict[str, Any]], list[int]]:
    images: list[dict[str, Any]] = []
    lines: list[int] = []
    for row in group.rows:
        url = row.values.get("image_url", "")
        if not url or any(image["url"] == url for image in images):
            continue
        sides = {}
        for side in ("width", "height"):
            text = row.values.get(f"image_{side}", "")
            if not text.isdigit():
                reason = "obrigatório com image_url, em pixels (a Vitrine não baixa as imagens)"
                error = _error(row.line, f"image_{side}", _DIGITS, "invalid_integer")
                group.product_errors.append(_error(row.line, f"image_{side}", reason, "missing") if not text else error)
            else:
                sides[side] = int(text)
        if len(sides) == 2:
            images.append({"url": url, **sides})
            lines.append(row.line)
    return images, lines


def _prices(group: _Group) -> list[tuple[BatchKind, int, dict[str, Any], Callable, list[ItemError]]]:
    """One price item per table the rows price the product at; a table priced twice differently is an error."""
    found: dict[str, tuple[dict[str, Any], int, list[ItemError]]] = {}
    loose: list[tuple[BatchKind, int, dict[str, Any], Callable, list[ItemError]]] = []
    for row in group.rows:
        table_id, text = row.values.get("price_table", ""), row.values.get("price", "")
        if not table_id and not text:
            continue

        def locate(path: list[str], line: int = row.line) -> tuple[int, str]:
            return line, {"table_id": "price_table"}.get(path[0], path[0])

        errors = []
        if not table_id or not text:
            missing = "price_table" if not table_id else "price"
            errors.append(_error(row.line, missing, "price e price_table vão juntos", "missing"))
        try:
            price: int | None = parse_brl(text) if text else None
        except ValueError:
            price = None
            reason = f"preço inválido ('{text}'): um valor em reais, como 49,90 ou R$ 1.234,56"
            errors.append(_error(row.line, "price", reason, "invalid_price"))
        raw = {"table_id": table_id, "sku": group.sku, "price": price}
        if errors:
            loose.append((BatchKind.PRICES, row.line, raw, locate, errors))
        elif table_id not in found:
            found[table_id] = (raw, row.line, [])
        elif found[table_id][0]["price"] != price:
            reason = f"difere da linha {found[table_id][1]}: um preço por produto e tabela"
            error = _error(row.line, "price", reason, "inconsistent")
            loose.append((BatchKind.PRICES, row.line, raw, locate, [error]))
    priced = []
    for raw, line, errors in found.values():

        def locate(path: list[str], line: int = line) -> tuple[int, str]:
            return line, {"table_id": "price_table"}.get(path[0], path[0])

        priced.append((BatchKind.PRICES, line, raw, locate, errors))
    return priced + loose
