"""Care plans' part of the patient's records (the right of access, ``clinic.selectors.records``,
through ``CareplansConfig.patient_records``): the plans given to the patient (not drafts),
their exercises, the session logs and pain flare-ups."""

from django.db.models import Prefetch

from careplans.models import CarePlan, PainFlare, PrescribedExercise, SessionLog
from clinic.models import Patient
from clinic.selectors.records import section, when


def _plans(patient: Patient) -> list[dict]:
    items = PrescribedExercise.objects.select_related("exercise").order_by("position")
    rows = (
        CarePlan.objects.filter(patient=patient)
        .exclude(status=CarePlan.Status.DRAFT)
        .select_related("author__user")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("start_date", "version", "pk")
    )
    return [
        {
            "title": p.title,
            "version": p.version,
            "status": p.get_status_display(),
            "goals": p.goals,
            "start_date": when(p.start_date),
            "review_date": when(p.review_date),
            "published_at": when(p.published_at),
            "therapist": p.author.user.get_full_name() if p.author else "",
            "exercises": [
                {
                    "exercise": item.exercise.name,
                    "sets": item.sets,
                    "reps": item.reps,
                    "hold_seconds": item.hold_seconds,
                    "times_per_week": item.times_per_week,
                    "load": item.load,
                    "notes": item.notes,
                }
                for item in p.items.all()
            ],
        }
        for p in rows
    ]


def _sessions(patient: Patient) -> list[dict]:
    rows = (
        SessionLog.objects.filter(patient=patient)
        .select_related("plan")
        .prefetch_related("exercises_done__exercise")
        .order_by("performed_on", "pk")
    )
    return [
        {
            "performed_on": when(s.performed_on),
            "plan": s.plan.title,
            "pain_after_0_10": s.pain_after,
            "note": s.note,
            "exercises_done": [done.exercise.name for done in s.exercises_done.all()],
        }
        for s in rows
    ]


def _flares(patient: Patient) -> list[dict]:
    rows = PainFlare.objects.filter(patient=patient).order_by("created_at", "pk")
    return [
        {
            "at": when(f.created_at),
            "reason": f.get_reason_display(),
            "previous_mean_pain": float(f.previous_mean) if f.previous_mean is not None else None,
            "handled_at": when(f.handled_at),
            "what_was_done": f.handled_note,
        }
        for f in rows
    ]


def patient_records(*, patient: Patient) -> list[dict]:
    return [
        section("plans", "Exercise plans", _plans(patient)),
        section("session_logs", "Session logs", _sessions(patient)),
        section("flares", "Pain flare-ups", _flares(patient)),
    ]
