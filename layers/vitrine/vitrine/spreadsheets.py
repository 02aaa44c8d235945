"""CSV files that Excel in Brazil opens as they are: UTF-8 with a BOM, ``;``-separated, amounts as ``1234,56`` and
dates as ``dd/mm/aaaa``. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with ``'`` so a spreadsheet never runs it as a formula (a shopper's name or an ERP's text could start so);
amounts are written from integers, so a negative amount stays a number.

What the ledger's and the payouts' downloads (``vitrine.payouts.statements``) and the orders' export
(``vitrine.orders.search``) are written with.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def amount(centavos: int) -> str:
    """``123456`` -> ``1234,56``; ``-5`` -> ``-0,05``: what a spreadsheet in Portuguese reads as a number."""
    sign = "-" if centavos < 0 else ""
    whole, cents = divmod(abs(centavos), 100)
    return f"{sign}{whole},{cents:02d}"


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file: the BOM, the header, the rows (cells already written with ``amount``, ``day``, ``text``)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
