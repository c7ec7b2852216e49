import datetime

import pytest
from django.utils import timezone

from careplans import charts, selectors
from careplans.models import CarePlan
from careplans.selectors import adherence_for
from tests.factories.careplans import CarePlanFactory, PrescribedExerciseFactory, SessionLogFactory
from tests.factories.clinic import PatientFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)


def days_ago(*days):
    return [TODAY - datetime.timedelta(days=d) for d in days]


@pytest.mark.parametrize(
    ("per_week", "since_days_ago", "logged", "window", "expected"),
    [
        (4, 60, days_ago(0, 2, 4), 7, (3, 4, 75)),
        (4, 60, days_ago(0, 2, 4, 10, 20, 27, 28), 28, (6, 16, 38)),
        # Started 3 days ago (today counts): 4 × 3 / 7 = 1.7 → 2.
        (4, 2, days_ago(0, 1), 7, (2, 2, 100)),
        # Started 10 days ago, 28-day window: 3 × 10 / 7 = 4.3 → 4; a fifth session is extra.
        (3, 9, days_ago(0, 1, 2, 3, 4, 12), 28, (5, 4, 100)),
        # Day one of a daily plan with two sessions logged: 1 of 1, one extra, never 200%.
        (7, 0, days_ago(0, 0), 7, (2, 1, 100)),
        # Day one of a plan three times a week: 3 / 7 rounds to 0, but day one asks for one.
        (3, 0, days_ago(0), 28, (1, 1, 100)),
        # Starts tomorrow: nothing prescribed yet.
        (4, -1, [], 7, (0, 0, None)),
    ],
)
def test_adherence_rule(per_week, since_days_ago, logged, window, expected):
    since = TODAY - datetime.timedelta(days=since_days_ago)
    result = adherence_for(
        per_week=per_week, since=since, log_days=logged, today=TODAY, days=window
    )
    assert (result.logged, result.prescribed, result.percent) == expected
    assert result.bar_percent == (expected[2] or 0)
    assert result.bar_percent <= 100
    assert result.counted + result.extra == result.logged


def test_overview_counts_sessions_against_the_most_frequent_exercise(
    django_assert_max_num_queries,
):
    today = timezone.localdate()
    plan = CarePlanFactory(
        status=CarePlan.Status.ACTIVE, start_date=today - datetime.timedelta(days=40)
    )
    PrescribedExerciseFactory(plan=plan, times_per_week=2)
    PrescribedExerciseFactory(plan=plan, times_per_week=4)
    for days, pain in [(0, 2), (0, 5), (1, 4), (9, 6), (30, 7)]:
        SessionLogFactory(
            plan=plan, performed_on=today - datetime.timedelta(days=days), pain_after=pain
        )
    idle = PatientFactory()
    with django_assert_max_num_queries(3):
        row, empty = selectors.care_overview(patients=[plan.patient, idle], today=today)

    assert row.active_plan == plan
    assert [(a.days, a.logged, a.prescribed) for a in row.adherence] == [(7, 3, 4), (28, 4, 16)]
    # One point a day, the worst pain of the day, inside the 28-day window.
    assert row.pain == [
        (today - datetime.timedelta(days=9), 6),
        (today - datetime.timedelta(days=1), 4),
        (today, 5),
    ]
    assert row.last_session == today
    assert empty.active_plan is None and empty.adherence == [] and empty.pain == []


def test_a_revision_does_not_reset_adherence():
    today = timezone.localdate()
    first = CarePlanFactory(
        status=CarePlan.Status.COMPLETED, start_date=today - datetime.timedelta(days=20)
    )
    second = CarePlanFactory(
        patient=first.patient,
        status=CarePlan.Status.ACTIVE,
        lineage=first.lineage,
        version=2,
        previous=first,
        start_date=today,
    )
    PrescribedExerciseFactory(plan=second, times_per_week=7)
    SessionLogFactory(plan=first, performed_on=today - datetime.timedelta(days=3))
    (row,) = selectors.care_overview(patients=[first.patient], today=today)
    assert [(a.logged, a.prescribed) for a in row.adherence] == [(1, 7), (1, 21)]


def test_pain_chart_is_escaped_and_has_a_point_per_day():
    svg = charts.pain_chart(
        chart_id='x"><script>',
        points=[(TODAY - datetime.timedelta(days=3), 4), (TODAY, 2)],
        start=TODAY - datetime.timedelta(days=27),
        end=TODAY,
        axes=True,
    )
    assert "<script>" not in svg
    assert svg.count("<circle") == 2
    assert "Nov 21: pain 2/10" in svg


def test_empty_pain_chart_says_so():
    assert "No sessions" in charts.pain_chart(chart_id="p", points=[], start=TODAY, end=TODAY)


def test_flare_days_are_marked_on_the_chart():
    flared = TODAY - datetime.timedelta(days=3)
    svg = charts.pain_chart(
        chart_id="p",
        points=[(flared, 8), (TODAY, 2)],
        start=TODAY - datetime.timedelta(days=27),
        end=TODAY,
        flare_days=[flared],
    )
    assert svg.count('class="flare"') == 1
    assert "Nov 18: pain 8/10, a flare-up" in svg and "Nov 18: 8 (flare-up)" in svg
    assert "Nov 21: pain 2/10</title>" in svg


def test_the_adherence_bar_never_reads_more_than_prescribed():
    from django.template.loader import render_to_string

    day_one = adherence_for(per_week=7, since=TODAY, log_days=days_ago(0, 0), today=TODAY, days=7)
    html = render_to_string("careplans/_adherence.html", {"adherence": [day_one]})
    assert "1 of 1 · 100% · 1 extra" in html
    assert "200%" not in html and "2 of 1" not in html
    assert "{#" not in html
