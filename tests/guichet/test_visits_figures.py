"""The weekly footfall and waiting-time figures of the walk-in visits, against hand-computed values."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from guichet.selectors_visits import visits_weekly_figures
from guichet.services.visits import visit_call_next, visit_mark_left, visit_register
from requests_app.models import Espace, Site
from tests.accounts.factories import supervisor

PARIS = ZoneInfo("Europe/Paris")
WEEK = datetime.date(2026, 3, 2)  # a Monday


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def week_of_visits(db):
    """hdv: Monday two Tranquillité visitors (waits 10 and 20 min) and a Famille one who left; Tuesday a
    Famille one (4 min); Thursday a Citoyen one (30 min). Victor Hugo: Tuesday a Famille one (6 min).
    The next Monday, one more (50 min) outside the week."""
    boss = supervisor(email="chef@bethune.fr")
    hdv, vh = Site.objects.get(code="hdv"), Site.objects.get(code="victor-hugo")
    espaces = {e.code: e for e in Espace.objects.all()}
    monday, tuesday, thursday = WEEK, WEEK + datetime.timedelta(days=1), WEEK + datetime.timedelta(days=3)
    # (site, espace, arrival, call time or None for someone who left)
    script = [
        (hdv, "tranquillite", at(monday, 9, 0), at(monday, 9, 10)),
        (hdv, "tranquillite", at(monday, 9, 5), at(monday, 9, 25)),
        (hdv, "famille", at(monday, 9, 30), None),
        (hdv, "famille", at(tuesday, 14, 0), at(tuesday, 14, 4)),
        (vh, "famille", at(tuesday, 9, 0), at(tuesday, 9, 6)),
        (hdv, "citoyen", at(thursday, 10, 0), at(thursday, 10, 30)),
        (
            hdv,
            "tranquillite",
            at(WEEK + datetime.timedelta(days=7), 9, 0),
            at(WEEK + datetime.timedelta(days=7), 9, 50),
        ),
    ]
    events = []
    for site, code, arrival, call in script:
        events.append((arrival, "arrive", site, code))
        events.append(
            (call or arrival + datetime.timedelta(minutes=45), "call" if call else "leave", site, code)
        )
    visits = {}
    for moment, action, site, code in sorted(events, key=lambda e: (e[0], e[1])):
        with time_machine.travel(moment, tick=False):
            if action == "arrive":
                visit = visit_register(site=site, espace=espaces[code], reason="Motif", registered_by=boss)
                visits.setdefault((site.pk, code), []).append(visit)
            elif action == "call":
                assert visit_call_next(site=site, espace=espaces[code], agent=boss) is not None
            else:
                visit_mark_left(visit=visits[(site.pk, code)][-1], agent=boss)
    return hdv


def test_weekly_figures_of_one_site(week_of_visits, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        figures = visits_weekly_figures(site=week_of_visits, week_start=WEEK)

    assert figures.days[0] == WEEK and figures.days[-1] == datetime.date(2026, 3, 8)
    rows = {row.espace.code: row.per_day for row in figures.rows}
    assert rows["tranquillite"] == [2, 0, 0, 0, 0, 0, 0]
    assert rows["famille"] == [1, 1, 0, 0, 0, 0, 0]
    assert rows["citoyen"] == [0, 0, 0, 1, 0, 0, 0]
    assert rows["numerique"] == [0] * 7  # every espace is listed, even without visitors
    assert figures.per_day == [3, 1, 0, 1, 0, 0, 0]
    assert figures.total == 5
    assert figures.left == 1
    assert figures.received == 4
    # Waits 10, 20, 4, 30 minutes: median (10 + 20) / 2, mean 64 / 4.
    assert figures.median_wait_minutes == 15.0
    assert figures.mean_wait_minutes == 16.0
    famille = next(row.espace for row in figures.rows if row.espace.code == "famille")
    assert figures.footfall(WEEK + datetime.timedelta(days=1), famille) == 1


def test_weekly_figures_of_every_site(week_of_visits):
    figures = visits_weekly_figures(week_start=WEEK)

    assert figures.total == 6
    assert figures.per_day == [3, 2, 0, 1, 0, 0, 0]
    # Waits 4, 6, 10, 20, 30 minutes: median 10, mean 70 / 5.
    assert figures.median_wait_minutes == 10.0
    assert figures.mean_wait_minutes == 14.0


def test_an_empty_week_has_no_waiting_time(db):
    figures = visits_weekly_figures(week_start=datetime.date(2025, 1, 6))

    assert figures.total == 0
    assert figures.median_wait_minutes is None
    assert figures.mean_wait_minutes is None
