"""Cells of the spreadsheets the portal hands out (CSV today; an XLSX writer must use the same helper).

Spreadsheet programs read a cell that starts with `=`, `+`, `-` or `@` as a formula, and a leading tab or
carriage return can hide one (OWASP "CSV injection"): a resident named `=HYPERLINK("http://x";"y")` would
reach the agent's spreadsheet as a live link. Every text cell is neutralised by prefixing it with a single
quote, which the spreadsheet shows as plain text.

Accepted practice, and a known cost: a text that merely *looks* like a formula is prefixed too, so a phone
number typed "+33 3 21 …" is exported as "'+33 3 21 …", and "-" or "-- rien --" gains a quote. Numbers
given as numbers (int, float, Decimal) are not text and stay numbers, negative ones included: only strings
are neutralised, so the caller keeps numeric columns numeric by passing numbers, not their spelling.
"""

import csv
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """The value as a spreadsheet must receive it: strings starting like a formula get a leading `'`;
    anything else (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row_safe(values: Iterable) -> list:
    """A whole row through cell_safe, for csv.writer.writerow or an XLSX writer's append."""
    return [cell_safe(value) for value in values]


class SafeWriter:
    """A csv.writer whose rows are neutralised cell by cell: use it instead of csv.writer for any export."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, values: Iterable):
        return self._writer.writerow(row_safe(values))

    def writerows(self, rows: Iterable[Iterable]):
        return self._writer.writerows(row_safe(values) for values in rows)
