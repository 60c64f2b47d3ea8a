"""The one place that cleans input (issue #20, point 3): portal_kit.input_cleaning refuses a NUL byte in a
path, a query string or a form with a short French 400 page; portal_kit.dates parses typed dates within
1900–2100, so no date arithmetic overflows."""

import datetime
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal_kit.dates import EARLIEST, LATEST, parse_date
from portal_kit.input_cleaning import InputCleaningMiddleware, refused_input

factory = RequestFactory()


def _through_middleware(request):
    return InputCleaningMiddleware(lambda request: HttpResponse("vue atteinte"))(request)


# The middleware


@pytest.mark.parametrize(
    ("request_", "where"),
    [
        (factory.get("/demarches/", {"q": "trou\x00"}), "query"),
        (factory.get("/demarches/", {"q\x00": "trou"}), "query"),
        (factory.get("/demarches/voies/?street=rue%00Hoche"), "query"),
        (factory.get("/mes-demandes/BET-2026-000001%00/"), "path"),
        (factory.post("/demarches/nid-de-poule/", {"description": "trou\x00"}), "form"),
        (factory.get("/demarches/", {"q": ["ok", "pas\x00ok"]}), "query"),
    ],
    ids=["value", "name", "encoded", "path", "form", "second-value"],
)
def test_a_nul_byte_anywhere_is_refused_with_a_french_400(request_, where, caplog):
    assert refused_input(request_) == where
    with caplog.at_level(logging.INFO, logger="portal_kit.input_cleaning"):
        response = _through_middleware(request_)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'lang="fr"' in body
    assert "vue atteinte" not in body
    assert "NUL" in caplog.text


@pytest.mark.parametrize(
    "request_",
    [
        factory.get("/demarches/", {"q": "Trou rue d'Arras — éclairage ❄️", "page": "-1"}),
        factory.get("/guichet/", {"au": "9999-12-31", "q": "x" * 10_000}),
        factory.post("/demarches/nid-de-poule/", {"description": "Un trou\r\nprofond\t."}),
    ],
)
def test_other_input_reaches_the_view_untouched(request_):
    assert refused_input(request_) is None
    assert _through_middleware(request_).content == b"vue atteinte"


def test_the_middleware_is_installed_for_every_page(client, db):
    response = client.get("/demarches/?q=a%00")
    assert response.status_code == 400
    assert client.post("/demarches/?x=1", {"q": "\x00"}).status_code == 400
    assert client.get("/demarches/?q=trou").status_code == 200


# Dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-24", datetime.date(2026, 3, 24)),
        (" 2026-03-24 ", datetime.date(2026, 3, 24)),
        ("24/03/2026", datetime.date(2026, 3, 24)),
        ("24-03-2026", datetime.date(2026, 3, 24)),
        ("24.03.2026", datetime.date(2026, 3, 24)),
        ("1900-01-01", EARLIEST),
        ("2100-12-31", LATEST),
    ],
)
def test_dates_are_read_in_iso_or_french_spelling(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31",
        "0001-01-01",
        "1899-12-31",
        "2101-01-01",
        "31/12/9999",
        "2026-02-30",
        "demain",
        "",
        None,
        "2026-03-24" + "0" * 10_000,
        "２０２６-０３-２４",
        "-1",
    ],
)
def test_malformed_or_out_of_bounds_dates_are_none(value):
    assert parse_date(value) is None


def test_the_bounds_can_be_narrowed_by_the_caller():
    today = datetime.date(2026, 3, 24)
    assert parse_date("2026-03-25", latest=today) is None
    assert parse_date("2026-03-24", earliest=today, latest=today) == today
