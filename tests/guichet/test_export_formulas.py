"""Exports cannot carry formulas (issue #20, point 4): every text cell a spreadsheet would read as a formula
(starting with =, +, -, @, a tab or a carriage return) reaches the agent's file as plain text, through
portal_kit.exports.cell_safe; numbers given as numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from guichet.views.queue import CSV_HEADERS
from portal_kit.exports import SafeWriter, cell_safe, row_safe
from tests.guichet.factories import file_request

EXPORT = "/guichet/export.csv"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+33 3 21 00 00 00", "'+33 3 21 00 00 00"),  # a phone number as text: accepted practice
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Odette Lagache", "Odette Lagache"),
        ("a=b", "a=b"),  # only the first character counts
        ("", ""),
    ],
)
def test_text_cells_that_start_like_a_formula_get_a_quote(value, expected):
    assert cell_safe(value) == expected


@pytest.mark.parametrize("value", [-12, -1.5, Decimal("-3.20"), 0, None, datetime.date(2026, 3, 24)])
def test_values_that_are_not_text_stay_as_they_are(value):
    assert cell_safe(value) is value


def test_a_safe_writer_neutralises_every_cell_of_each_row():
    stream = io.StringIO()
    writer = SafeWriter(stream, delimiter=";")
    writer.writerow(["=1+1", "ok", -4])
    writer.writerows([["@x", "+y"]])
    assert stream.getvalue().splitlines() == ["'=1+1;ok;-4", "'@x;'+y"]
    assert row_safe(["-", 5]) == ["'-", 5]


@pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py
def test_a_resident_named_like_a_formula_reaches_the_agents_export_as_text(client, agent):
    request = file_request(
        contact_name='=HYPERLINK("http://x","y")',
        contact_email="formule@example.fr",
        contact_phone="+33 3 21 00 00 00",
    )
    client.force_login(agent)
    response = client.get(f"{EXPORT}?onglet=ouvertes")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    [row] = [row for row in rows[1:] if row[0] == request.reference]
    line = dict(zip(CSV_HEADERS, row, strict=True))
    assert line["Demandeur"] == '\'=HYPERLINK("http://x","y")'
    assert line["Téléphone"] == "'+33 3 21 00 00 00"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cells in rows for cell in cells)
