"""``IntakeError``: an intake rule said no.

Every intake service raises it. Its ``code`` (one of the constants below) says which rule,
and is what callers branch on; its ``message`` is the text the patient or clinician reads,
and may change without breaking anyone.
"""

LOCKED = "locked"  # the questionnaire was sent, so it can't be changed online
INCOMPLETE = "incomplete"  # sending the questionnaire before every step is answered
UNKNOWN_STEP = "unknown_step"  # a step the questionnaire does not have
NOT_SUBMITTED = "not_submitted"  # reviewing an intake the patient has not sent
ALREADY_ANSWERED = "already_answered"  # a re-assessment is answered once
INVALID_ANSWERS = "invalid_answers"  # re-assessment answers that don't fit the questions
NOT_URGENT = "not_urgent"  # acknowledging an intake that has no red flag
ALREADY_ACKNOWLEDGED = "already_acknowledged"  # someone acknowledged it first

CODES = frozenset(
    {
        LOCKED,
        INCOMPLETE,
        UNKNOWN_STEP,
        NOT_SUBMITTED,
        ALREADY_ANSWERED,
        INVALID_ANSWERS,
        NOT_URGENT,
        ALREADY_ACKNOWLEDGED,
    }
)


class IntakeError(Exception):
    def __init__(self, code: str, message: str):
        if code not in CODES:
            raise ValueError(f"Unknown intake error code {code!r}.")
        super().__init__(message)
        self.code = code
        self.message = message
