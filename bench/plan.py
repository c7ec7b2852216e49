"""The availability benchmark's schedule as plain data, identical for Stride and the peer.

Standard library only: the peer's driver imports this module from its own virtualenv, so both
sides build the same therapists, hours and visits from the same seed.

Times are local wall-clock times in ``TIME_ZONE``; each side converts them its own way (Stride
stores UTC instants, the peer stores a naive date and times). The window is in June, far from a
daylight-saving change, so the two representations describe the same instants.
"""

import datetime
import random
from dataclasses import dataclass

SEED = 20300603
TIME_ZONE = "America/Chicago"

# A Monday years ahead: every slot is in the future, whatever day the benchmark runs.
WINDOW_START = datetime.date(2030, 6, 3)
WINDOW_DAYS = 28
# Visits that already happened: twenty working weeks starting on a Monday.
PAST_START = datetime.date(2025, 6, 2)
PAST_DAYS = 140

WORK_WEEKDAYS = (0, 1, 2, 3, 4)  # Monday to Friday, Python's numbering
DAY_START_MIN = 8 * 60  # 08:00
DAY_END_MIN = 17 * 60  # 17:00
DURATION_MIN = 45
BUFFER_MIN = 15  # kept free after each visit; the peer calls it "slot gap time"
STEP_MIN = 15  # the slot grid

THERAPISTS = 20
WINDOW_APPOINTMENTS = 2000
PAST_APPOINTMENTS = 3000
PATIENTS = 500


@dataclass(frozen=True)
class Visit:
    therapist: int  # index into the therapists, 0-based
    patient: int  # index into the patients, 0-based
    day: datetime.date
    start_min: int  # minutes after local midnight

    @property
    def start_time(self) -> datetime.time:
        return datetime.time(self.start_min // 60, self.start_min % 60)

    @property
    def end_time(self) -> datetime.time:
        end = self.start_min + DURATION_MIN
        return datetime.time(end // 60, end % 60)


def grid_starts() -> list[int]:
    """Every start on the grid where a whole visit fits inside the working day."""
    return list(range(DAY_START_MIN, DAY_END_MIN - DURATION_MIN + 1, STEP_MIN))


def working_days(first: datetime.date, count: int) -> list[datetime.date]:
    days = (first + datetime.timedelta(days=n) for n in range(count))
    return [day for day in days if day.weekday() in WORK_WEEKDAYS]


def _place(
    rng: random.Random, *, therapists: int, days: list[datetime.date], count: int
) -> list[Visit]:
    """``count`` visits on random therapist-days, never overlapping (visit plus buffer)."""
    blocked = DURATION_MIN + BUFFER_MIN
    starts = grid_starts()
    taken: dict[tuple[int, datetime.date], list[int]] = {}
    open_days = [(t, day) for t in range(therapists) for day in days]
    visits: list[Visit] = []
    while len(visits) < count:
        if not open_days:
            raise ValueError(f"{count} visits do not fit in {therapists} therapists' days")
        i = rng.randrange(len(open_days))
        key = open_days[i]
        booked = taken.setdefault(key, [])
        free = [s for s in starts if all(s + blocked <= b or b + blocked <= s for b in booked)]
        if not free:
            open_days.pop(i)
            continue
        start = rng.choice(free)
        booked.append(start)
        visits.append(Visit(key[0], rng.randrange(PATIENTS), key[1], start))
    return visits


def schedule(
    *,
    therapists: int = THERAPISTS,
    window_appointments: int = WINDOW_APPOINTMENTS,
    past_appointments: int = PAST_APPOINTMENTS,
    seed: int = SEED,
) -> tuple[list[Visit], list[Visit]]:
    """The visits inside the benchmark window and the visits in the past, deterministically."""
    rng = random.Random(seed)
    upcoming = _place(
        rng,
        therapists=therapists,
        days=working_days(WINDOW_START, WINDOW_DAYS),
        count=window_appointments,
    )
    past = _place(
        rng,
        therapists=therapists,
        days=working_days(PAST_START, PAST_DAYS),
        count=past_appointments,
    )
    return upcoming, past


# The cases that show the work does not grow: each changes one factor from another row.
# (therapists, days asked for, appointments in the window)
SCALING_CASES = (
    (20, 28, 2000),
    (20, 7, 2000),
    (20, 28, 500),
    (5, 28, 500),
    (5, 7, 500),
)
