"""The outcomes dashboard's figures: per month, location and therapist, computed in the database.

Every figure is defined once, in ``DEFINITIONS`` (shown under it on the page and in the CSV's
notes), and computed here. Months are calendar months in the clinic's zone (``TIME_ZONE``).
The query count does not grow with the data: one aggregate over appointments (its first
visits found once, in one windowed pass, not probed per visit), one read of the working hours,
one of care-plan episodes with their logged sessions, one of the episodes' visits, one of who
treated the patients last measured in the period and one of their measures (for one therapist
or location, only the measures of the patients they treated).

Attribution: a visit belongs to its own month, location and therapist. An episode of care (one
care plan, all its versions) belongs to the month its first version starts, its author, and the
location of the patient's latest attended visit in it. A patient's outcome belongs to the month
of their last measure and the therapist and location of their latest attended visit before the
end of the period shown.
"""

import datetime
import functools
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from careplans.models import CarePlan, PrescribedExercise, SessionLog
from clinic.models import Appointment, Patient, WorkingHours
from intake import presentation, scoring
from intake import selectors as intake_selectors
from intake.models import OutcomeMeasure

ATTENDED = (Appointment.Status.ARRIVED, Appointment.Status.COMPLETED)
EPISODE_LEAD_DAYS = 14  # the evaluation before a plan starts belongs to its episode
BANDS = (("Under 50%", 0, 50), ("50–79%", 50, 80), ("80% or more", 80, None))

DEFINITIONS = {
    "visits": "Visits attended (arrived or completed) that started in the month.",
    "new_patients": "Patients whose first visit that was not cancelled started in the month.",
    "no_show_rate": (
        "No-shows ÷ visits due. Visits due: every visit that started in the month and was not "
        "cancelled, plus those cancelled late (less than BOOKING_LATE_CHANGE_HOURS before)."
    ),
    "late_cancel_rate": "Late cancellations ÷ visits due (as above).",
    "utilisation": (
        "Booked hours ÷ working hours. Booked: the length of every visit not cancelled "
        "(no-shows too: the time was held). Working: each weekly block of working hours × "
        "the number of its weekday in the month. Time off is not taken away."
    ),
    "visits_per_episode": (
        "An episode of care is one care plan with all its versions, counted in the month its "
        "first version starts. Its visits: the patient's attended visits from "
        f"{EPISODE_LEAD_DAYS} days before that start until the plan ended (or today)."
    ),
    "odi_improved": (
        "Patients whose last Oswestry score is at least 10 points below their first, ÷ patients "
        "with two or more Oswestry scores; counted in the month of the last measure."
    ),
    "nprs_improved": (
        "Patients whose last pain rating (0–10) is at least 2 points below their first, ÷ "
        "patients with two or more pain ratings; counted in the month of the last measure."
    ),
    "adherence": (
        "Home sessions logged ÷ sessions prescribed over each episode: prescribed is the "
        "plan's most frequent exercise's times a week × the days from its start to its end "
        "(or today) ÷ 7."
    ),
    "by_adherence": (
        "Patients with an episode and two Oswestry scores, by their adherence over all their "
        "episodes: the share whose Oswestry score improved by 10 points or more."
    ),
}


def _ratio(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """The counts behind one row of the dashboard; rates are computed from them."""

    visits: int = 0
    new_patients: int = 0
    no_shows: int = 0
    late_cancels: int = 0
    due: int = 0
    booked_minutes: float = 0
    working_minutes: float = 0
    episodes: int = 0
    episode_visits: int = 0
    odi_measured: int = 0
    odi_improved: int = 0
    nprs_measured: int = 0
    nprs_improved: int = 0
    logged: int = 0
    prescribed: int = 0

    def add(self, other: "Figures") -> None:
        mine, theirs = self.__dict__, other.__dict__
        for name in _FIGURE_NAMES:
            mine[name] += theirs[name]

    @property
    def no_show_rate(self):
        return _ratio(self.no_shows, self.due)

    @property
    def late_cancel_rate(self):
        return _ratio(self.late_cancels, self.due)

    @property
    def utilisation(self):
        return _ratio(self.booked_minutes, self.working_minutes)

    @property
    def visits_per_episode(self):
        return round(self.episode_visits / self.episodes, 1) if self.episodes else None

    @property
    def odi_improved_share(self):
        return _ratio(self.odi_improved, self.odi_measured)

    @property
    def nprs_improved_share(self):
        return _ratio(self.nprs_improved, self.nprs_measured)

    @property
    def adherence(self):
        return _ratio(self.logged, self.prescribed)


_FIGURE_NAMES = tuple(Figures.__dataclass_fields__)


@dataclass
class Band:
    label: str
    patients: int = 0
    improved: int = 0

    @property
    def share(self):
        return _ratio(self.improved, self.patients)


@dataclass
class Dashboard:
    months: list[datetime.date]
    cells: dict[tuple[datetime.date, int | None, int | None], Figures]
    by_month: dict[datetime.date, Figures]
    total: Figures
    bands: list[Band] = field(default_factory=list)


def month_starts(last: datetime.date, count: int) -> list[datetime.date]:
    """The first days of ``count`` months ending with ``last``'s, oldest first."""
    year, month = last.year, last.month
    months = []
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_of(moment) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    return moment.replace(day=1)


@functools.lru_cache(maxsize=512)
def _weekday_count(month: datetime.date, weekday: int) -> int:
    days = (_next_month(month) - month).days
    return sum(1 for n in range(days) if (month + datetime.timedelta(days=n)).weekday() == weekday)


def dashboard(
    *,
    months: int = 6,
    location_id: int | None = None,
    therapist_id: int | None = None,
    today: datetime.date | None = None,
) -> Dashboard:
    """The figures for the ``months`` months up to ``today``'s, optionally for one location or
    one therapist (a therapist's own dashboard passes their id)."""
    today = today or timezone.localdate()
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    month_list = month_starts(today, months)
    start = datetime.datetime.combine(month_list[0], datetime.time.min, zone)
    end = datetime.datetime.combine(_next_month(month_list[-1]), datetime.time.min, zone)
    cells: dict = defaultdict(Figures)

    def scoped(queryset, therapist="therapist_id", location="location_id"):
        if therapist_id is not None:
            queryset = queryset.filter(**{therapist: therapist_id})
        if location_id is not None and location:
            queryset = queryset.filter(**{location: location_id})
        return queryset

    _visit_figures(
        cells,
        scoped(Appointment.objects.all()),
        start,
        end,
        zone,
        whole_chain=therapist_id is None and location_id is None,
    )
    _working_figures(cells, scoped(WorkingHours.objects.all()), month_list)
    plan_patients = _episode_figures(cells, therapist_id, location_id, month_list, today, zone)
    _outcome_figures(cells, therapist_id, location_id, start, end, zone, plan_patients)
    bands = _bands(plan_patients)
    by_month: dict = {month: Figures() for month in month_list}
    total = Figures()
    for (month, _, _), figures in cells.items():
        if month in by_month:
            by_month[month].add(figures)
            total.add(figures)
    return Dashboard(month_list, dict(cells), by_month, total, bands)


def _visit_figures(cells, appointments, start, end, zone, *, whole_chain) -> None:
    late = datetime.timedelta(hours=settings.BOOKING_LATE_CHANGE_HOURS)
    # First visits, found once for the period (a hashed set, not a probe per visit): each
    # patient's earliest visit not cancelled in the period, unless one came before the period.
    # A patient's condition drops whole patients only, so their earliest in the rest is the same.
    active_visits = Appointment.objects.filter(status__in=Appointment.ACTIVE_STATUSES)
    in_period = appointments.filter(start__gte=start, start__lt=end)
    first_visits = active_visits.filter(start__gte=start, start__lt=end)
    if not whole_chain:  # only the patients seen by this therapist or at this location
        first_visits = first_visits.filter(patient_id__in=in_period.values("patient_id"))
    first_visits = (
        first_visits.exclude(
            Exists(active_visits.filter(patient=OuterRef("patient"), start__lt=start))
        )
        .annotate(first=Window(Min("start"), partition_by=[F("patient_id")]))
        .filter(start=F("first"))
        .values("pk")
    )
    late_cancel = Q(status=Appointment.Status.CANCELLED, cancelled_at__gt=F("start") - late)
    active = Q(status__in=Appointment.ACTIVE_STATUSES)
    rows = (
        in_period.annotate(month=TruncMonth("start", tzinfo=zone))
        .values("month", "location_id", "therapist_id")
        .annotate(
            visits=Count("pk", filter=Q(status__in=ATTENDED)),
            no_shows=Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
            late_cancels=Count("pk", filter=late_cancel),
            due=Count("pk", filter=active | late_cancel),
            new_patients=Count("pk", filter=active & Q(pk__in=first_visits)),
            booked=Sum(
                ExpressionWrapper(F("end") - F("start"), output_field=DurationField()),
                filter=active,
            ),
        )
        .order_by()
    )
    for row in rows:
        figures = cells[(_month_of(row["month"]), row["location_id"], row["therapist_id"])]
        figures.visits += row["visits"]
        figures.no_shows += row["no_shows"]
        figures.late_cancels += row["late_cancels"]
        figures.due += row["due"]
        figures.new_patients += row["new_patients"]
        figures.booked_minutes += (row["booked"] or datetime.timedelta()).total_seconds() / 60


def _working_figures(cells, hours, month_list) -> None:
    for block in hours.filter(therapist__is_active=True).values(
        "therapist_id", "location_id", "weekday", "start_time", "end_time"
    ):
        minutes = (
            block["end_time"].hour * 60
            + block["end_time"].minute
            - block["start_time"].hour * 60
            - block["start_time"].minute
        )
        for month in month_list:
            key = (month, block["location_id"], block["therapist_id"])
            cells[key].working_minutes += minutes * _weekday_count(month, block["weekday"])


@dataclass
class _PatientPlans:
    logged: int = 0
    prescribed: int = 0
    odi: tuple[float, float] | None = None


def _prescribed(per_week: int, first: datetime.date, last: datetime.date) -> int:
    days = max(0, (last - first).days + 1)
    return (2 * per_week * days + 7) // 14


def _episode_figures(cells, therapist_id, location_id, month_list, today, zone) -> dict:
    """Episodes starting in the months: count, visits, adherence. Returns every patient's
    adherence over all their published episodes up to today (for the bands)."""
    lineages = (
        CarePlan.objects.exclude(status=CarePlan.Status.DRAFT)
        .values("lineage")
        .annotate(
            who=Min("patient_id"),
            started=Min("start_date"),
            ended=Max("completed_at", filter=Q(status=CarePlan.Status.COMPLETED)),
            still_active=Count("pk", filter=Q(status=CarePlan.Status.ACTIVE)),
            first_author=Subquery(
                CarePlan.objects.filter(lineage=OuterRef("lineage"))
                .order_by("version")
                .values("author_id")[:1]
            ),
            per_week=Subquery(
                PrescribedExercise.objects.filter(plan__lineage=OuterRef("lineage"))
                .values("plan__lineage")
                .annotate(m=Max("times_per_week"))
                .values("m")[:1]
            ),
            logged=Subquery(
                SessionLog.objects.filter(plan__lineage=OuterRef("lineage"))
                .values("plan__lineage")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by()
    )
    if therapist_id is not None:
        lineages = lineages.filter(first_author=therapist_id)
    lineages = list(lineages)
    first, after = month_list[0], _next_month(month_list[-1])
    in_range = [row for row in lineages if first <= row["started"] < after]
    visits = defaultdict(list)
    patient_ids = {row["who"] for row in in_range}
    since = datetime.datetime.combine(first, datetime.time.min, zone) - datetime.timedelta(
        days=EPISODE_LEAD_DAYS
    )
    for patient_id, day, location in (
        Appointment.objects.filter(
            patient_id__in=patient_ids, status__in=ATTENDED, start__gte=since
        )
        .annotate(day=TruncDate("start", tzinfo=zone))
        .order_by("start")
        .values_list("patient_id", "day", "location_id")
    ):
        visits[patient_id].append((day, location))
    patients: dict[int, _PatientPlans] = defaultdict(_PatientPlans)
    for row in lineages:
        end = today if row["still_active"] or row["ended"] is None else row["ended"].date()
        end = min(end, today)
        prescribed = _prescribed(row["per_week"] or 0, row["started"], end)
        patients[row["who"]].logged += row["logged"] or 0
        patients[row["who"]].prescribed += prescribed
        if not first <= row["started"] < after:
            continue
        lead = row["started"] - datetime.timedelta(days=EPISODE_LEAD_DAYS)
        seen = [(day, loc) for day, loc in visits[row["who"]] if lead <= day <= end]
        location = seen[-1][1] if seen else None
        if location_id is not None and location != location_id:
            continue
        figures = cells[(row["started"].replace(day=1), location, row["first_author"])]
        figures.episodes += 1
        figures.episode_visits += len(seen)
        figures.logged += row["logged"] or 0
        figures.prescribed += prescribed
    return patients


def _outcome_figures(cells, therapist_id, location_id, start, end, zone, plan_patients) -> None:
    """Patients whose last measure falls in the period: their first and last Oswestry and pain
    scores (one read of their measures) and who treated them (one query, two index probes per
    patient)."""
    in_period = (
        OutcomeMeasure.objects.values("patient_id")
        .annotate(last=Max("measured_at"))
        .filter(last__gte=start, last__lt=end)
        .values("patient_id")
    )
    latest_visit = Appointment.objects.filter(
        patient=OuterRef("pk"), status__in=ATTENDED, start__lt=end
    ).order_by("-start")
    patients = Patient.objects.filter(pk__in=in_period).annotate(
        therapist=Subquery(latest_visit.values("therapist_id")[:1]),
        location=Subquery(latest_visit.values("location_id")[:1]),
    )
    if therapist_id is not None:
        patients = patients.filter(therapist=therapist_id)
    if location_id is not None:
        patients = patients.filter(location=location_id)
    treated = {
        pk: (location, therapist)
        for pk, therapist, location in patients.values_list("pk", "therapist", "location")
    }
    # The whole chain reads the measures of everyone in the period; one therapist or location
    # reads only those of the patients it treated (found above).
    measured = in_period
    if therapist_id is not None or location_id is not None:
        measured = list(treated) if len(treated) <= 10_000 else patients.values("pk")
    series: dict[int, dict] = {}
    for patient_id, measured_at, odi, nprs in (
        OutcomeMeasure.objects.filter(patient_id__in=measured)
        .order_by("patient_id", "measured_at", "pk")
        .annotate(month=TruncMonth("measured_at", tzinfo=zone, output_field=DateField()))
        .values_list("patient_id", "month", "odi_percent", "nprs")
    ):
        row = series.setdefault(patient_id, {"odi": [], "nprs": [], "last_at": measured_at})
        row["last_at"] = measured_at
        if odi is not None:
            row["odi"].append(odi)
        if nprs is not None:
            row["nprs"].append(nprs)
    for patient_id, row in series.items():
        location, therapist = treated.get(patient_id, (None, None))
        if therapist_id is not None and therapist != therapist_id:
            continue
        if location_id is not None and location != location_id:
            continue
        figures = cells[(_month_of(row["last_at"]), location, therapist)]
        if len(row["odi"]) >= 2:
            first, last = row["odi"][0], row["odi"][-1]
            figures.odi_measured += 1
            figures.odi_improved += _important_improvement("odi", first, last)
            if patient_id in plan_patients:
                plan_patients[patient_id].odi = (first, last)
        if len(row["nprs"]) >= 2:
            figures.nprs_measured += 1
            figures.nprs_improved += _important_improvement("nprs", row["nprs"][0], row["nprs"][-1])


@functools.lru_cache(maxsize=4096)  # scores take few values: judged once per pair, not per patient
def _important_improvement(measure: str, first: float, last: float) -> bool:
    return scoring.improved(measure, first, last) and scoring.change_is_important(
        measure, first, last
    )


def _bands(plan_patients: dict[int, _PatientPlans]) -> list[Band]:
    bands = [Band(label) for label, _, _ in BANDS]
    for patient in plan_patients.values():
        if patient.odi is None or not patient.prescribed:
            continue
        percent = 100 * patient.logged / patient.prescribed
        for band, (_, low, high) in zip(bands, BANDS, strict=True):
            if percent >= low and (high is None or percent < high):
                band.patients += 1
                band.improved += _important_improvement("odi", *patient.odi)
    return bands


CSV_COLUMNS = (
    ("visits", "Visits"),
    ("new_patients", "New patients"),
    ("no_show_rate", "No-show rate %"),
    ("late_cancel_rate", "Late-cancel rate %"),
    ("utilisation", "Utilisation %"),
    ("visits_per_episode", "Visits per episode"),
    ("odi_improved_share", "Oswestry improved ≥10 %"),
    ("nprs_improved_share", "Pain improved ≥2 %"),
    ("adherence", "Adherence %"),
)


def csv_rows(board: Dashboard, names: dict, therapists: dict) -> Iterable[list]:
    """The CSV: a header, one row per month, location and therapist, the totals, then the
    definitions."""
    yield ["Month", "Location", "Therapist", *(label for _, label in CSV_COLUMNS)]
    for (month, location, therapist), figures in sorted(
        board.cells.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2] or 0)
    ):
        yield [
            f"{month:%Y-%m}",
            names.get(location, "—"),
            therapists.get(therapist, "—"),
            *(_blank(getattr(figures, name)) for name, _ in CSV_COLUMNS),
        ]
    yield ["All", "", "", *(_blank(getattr(board.total, name)) for name, _ in CSV_COLUMNS)]
    yield []
    for name, text in DEFINITIONS.items():
        yield [f"# {name}", text]


def _blank(value):
    return "" if value is None else value


# --- The patient's own progress ("My care") -------------------------------------------------------


@dataclass
class Progress:
    """What the patient sees of their progress: Oswestry and pain over time, sessions done."""

    charts: list[dict]
    sessions_done: int
    sessions_prescribed: int  # so far, over the current plan (all its versions)

    @property
    def any(self) -> bool:
        return bool(self.charts or self.sessions_done)


PROGRESS_MEASURES = ("odi", "nprs")


def patient_progress(*, patient, plan: CarePlan | None, today: datetime.date | None = None):
    """The patient's charts (each point judged against the first by ``intake.scoring``, drawn by
    ``intake.presentation``) and their sessions on the current plan. Two queries."""
    today = today or timezone.localdate()
    history = intake_selectors.outcome_history(patient=patient)
    charts = [
        chart
        for chart in presentation.outcomes(history).charts
        if chart["key"] in PROGRESS_MEASURES and chart["count"]
    ]
    done = prescribed = 0
    if plan is not None:
        row = (
            CarePlan.objects.filter(lineage=plan.lineage)
            .exclude(status=CarePlan.Status.DRAFT)
            .aggregate(
                started=Min("start_date"),
                logged=Count("session_logs", distinct=True),
                per_week=Max("items__times_per_week", filter=Q(pk=plan.pk)),
            )
        )
        done = row["logged"] or 0
        prescribed = _prescribed(row["per_week"] or 0, row["started"] or plan.start_date, today)
    return Progress(charts=charts, sessions_done=done, sessions_prescribed=prescribed)
