"""A pain flare-up between visits: the rule that spots one, and what the patient is told to do.

Pure values and functions, no database and no Django, like ``intake.scoring``. The rule is
``flare_check``; ``careplans.services_flares`` applies it to each session the patient logs
(with the thresholds from the settings ``PAIN_FLARE_THRESHOLD`` and ``PAIN_FLARE_RISE``), and
the patient's page after a flare shows the advice below.

The red-flag symptoms that mean urgent care are the intake's own questions, taken from
``intake.scoring`` so the two never say different things.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from intake import scoring

PAIN_MAX = 10
DEFAULT_THRESHOLD = 7  # PAIN_FLARE_THRESHOLD
DEFAULT_RISE = 2  # PAIN_FLARE_RISE
PREVIOUS_LOGS = 3  # how many earlier sessions the rise is measured against

THRESHOLD = "threshold"
RISE = "rise"
REASON_CHOICES: list[tuple[str, str]] = [
    (THRESHOLD, "High pain after a session"),
    (RISE, "Pain up on recent sessions"),
]
REASON_LABELS: dict[str, str] = dict(REASON_CHOICES)


@dataclass(frozen=True)
class FlareCheck:
    """What ``flare_check`` found: the reasons (none, one or both, threshold first)."""

    pain: int
    reasons: tuple[str, ...]
    previous_mean: Decimal | None  # of the sessions counted, to one decimal; None without any

    @property
    def is_flare(self) -> bool:
        return bool(self.reasons)

    @property
    def reason(self) -> str | None:
        """The reason recorded: ``threshold`` when the pain reached it, else ``rise``."""
        return self.reasons[0] if self.reasons else None


def _pain(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= PAIN_MAX:
        raise ValueError(f"{what} is a whole number from 0 to {PAIN_MAX}, not {value!r}.")
    return value


def flare_check(
    pain: int,
    previous: Sequence[int],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rise: int = DEFAULT_RISE,
) -> FlareCheck:
    """Whether a session's pain afterwards (0–10) is a flare-up, and why.

    ``previous`` is the pain after the patient's earlier sessions, most recent first; only the
    first ``PREVIOUS_LOGS`` (three) count. A session is a flare when either holds:

    - ``threshold``: the pain is at or above ``threshold`` (default 7): 6 is not, 7 is.
    - ``rise``: the pain is at least ``rise`` (default 2) points above the *mean* of the
      sessions counted: the patient's usual level lately, which one odd session does not move
      as much as it would the highest. 3, 4, 5 then 6 is a rise of exactly 2 (a flare); then 5
      is a rise of 1 (not). With fewer than three earlier sessions the mean is of those there
      are; with none, only the threshold applies. The comparison is exact (pain × n − sum ≥
      rise × n), never a rounded mean.

    Both may hold; ``reasons`` then lists ``threshold`` first.
    """
    pain = _pain(pain, "Pain")
    counted = [_pain(value, "An earlier pain score") for value in list(previous)[:PREVIOUS_LOGS]]
    reasons = []
    if pain >= threshold:
        reasons.append(THRESHOLD)
    mean = None
    if counted:
        n, total = len(counted), sum(counted)
        if pain * n - total >= rise * n:
            reasons.append(RISE)
        mean = (Decimal(total) / Decimal(n)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return FlareCheck(pain=pain, reasons=tuple(reasons), previous_mean=mean)


# --- What the patient is told --------------------------------------------------------------------

# Exercises of these library categories load the back the most (strengthening under load and
# running drills): they are paused after a flare. Gentle mobility, stretches, motor control
# (breathing, bracing, slow control work) and low-impact cardio are kept, at an easy dose.
PAUSE_CATEGORIES = frozenset({"strength", "running_drill"})

FLARE_HEADING = "Your back needs a lighter few days"
FLARE_INTRO = (
    "Flare-ups happen and usually settle within a few days. Easing off now, rather than "
    "pushing through, gets you back to running sooner."
)
EASE_OFF: tuple[str, ...] = (
    "Rest from the exercises listed under “Pause for now” for a day or two.",
    "When your pain is back to where it usually is, restart them at about half your sets and "
    "repetitions, and build back up over a week.",
    "Keep moving gently: short walks and the exercises under “Keep doing, gently” help more "
    "than staying in bed. Stop any exercise that makes your pain worse.",
    "Skip runs and hard workouts until your pain has settled.",
)
PAUSE_HEADING = "Pause for now"
PAUSE_NONE = "None of your exercises need pausing. Do them gently, at about half your sets."
KEEP_HEADING = "Keep doing, gently"
KEEP_NONE = "Rest from your exercises for a day or two, then call us before you start again."
CALL_HEADING = "When to call us"
CALL_WHEN = (
    "Call the clinic if your pain is not easing after two or three days, if it wakes you at "
    "night, or if you are not sure what to do. We have let your care team know about this "
    "session."
)
URGENT_HEADING = "Get urgent care"
URGENT_CARE = (
    "Go to an emergency department today, without waiting to call us, if the answer to any "
    "of these is yes. If you cannot get there safely, call 911."
)
PROMPT_CARE = (
    "See a doctor within the next few days, and tell us, if the answer to any of these is yes."
)

# The intake's red-flag questions: every sign of pressure on the nerves at the bottom of the
# spine (urgent), and the signs of a serious cause that can appear between visits (prompt). The
# others in that group are history (cancer, steroids, osteoporosis…), asked once at intake.
PROMPT_SIGN_CODES = ("fever_unwell", "night_pain", "weight_loss")


def urgent_signs() -> list[str]:
    """The questions whose yes means the emergency department today."""
    return [flag.question for flag in scoring.RED_FLAGS if flag.group == scoring.CAUDA_EQUINA]


def prompt_signs() -> list[str]:
    """The questions whose yes means seeing a doctor within a few days."""
    return [scoring.RED_FLAGS_BY_CODE[code].question for code in PROMPT_SIGN_CODES]


def is_paused(category: str) -> bool:
    """Whether an exercise of this library category is paused after a flare."""
    return category in PAUSE_CATEGORIES
