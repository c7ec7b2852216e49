"""The intake's words when a guardian answers it about someone they care for: the one place.

The questionnaire's forms are worded for patients answering about themselves. A dependent's
intake link goes to their guardian (``clinic.guardians``), who answers about a child ("your
child's pain") or an adult in their care ("their pain"): ``clinic.guardians.voice`` says which.
``form_worded`` rewords a step's form from the table below (its title, introduction and main
questions) and adds a line naming whom the answers are about. The instruments' own items
(the red-flag questions, Oswestry, STarT Back) keep their published first-person wording: the
guardian answers them as the patient would (a proxy report).
"""

from clinic.guardians import CARED_FOR, CHILD, SELF
from intake import schema

# The words that change with whom the answers are about, per voice.
WORDS = {
    CHILD: {
        "whose": "your child's",
        "Whose": "Your child's",
        "who": "your child",
        "does": "does your child",
        "Has": "Has your child",
        "would": "would your child",
    },
    CARED_FOR: {
        "whose": "their",
        "Whose": "Their",
        "who": "they",
        "does": "do they",
        "Has": "Have they",
        "would": "would they",
    },
}

ANSWERING_FOR = "You are answering for {name}. Where a question says “you”, answer as {name} would."

# Per step: the title, the introduction and field labels, worded about the dependent.
STEPS = {
    schema.PAIN: {
        "title": "{Whose} pain",
        "intro": "0 means no pain and 10 the worst pain imaginable.",
        "nprs_now": "How bad is {whose} pain right now?",
        "areas": "Where {does} feel it?",
        "legs": "Does it go into {whose} legs?",
        "times": "When {does} notice it?",
    },
    schema.HISTORY: {
        "title": "{Whose} history",
        "previous_episodes": "{Has} had back pain like this before?",
        "imaging": "Any scans of {whose} back?",
        "medication": "{Whose} medicines now",
    },
    schema.RUNNING: {
        "title": "{Whose} running",
        "shoe_model": "{Whose} running shoes",
        "surfaces": "Where {does} usually run?",
    },
    schema.OSWESTRY: {
        "title": "How {whose} back affects daily life",
        "intro": "For each section, choose the one statement that best describes how things "
        "are for {who} today. You may skip the section on sex life.",
    },
    schema.START_BACK: {
        "intro": "Tick whether {who} would agree or disagree with each statement.",
    },
    schema.GOALS: {
        "title": "{Whose} goals",
        "intro": "Name up to five activities made hard by {whose} back — for example “run 5 km” "
        "or “sit through a class” — and rate how well {who} can do each today: 0 = unable, "
        "10 = as well as before.",
        "get_back_to": "What {would} most like to get back to?",
    },
}


def _say(text: str, voice: str) -> str:
    return text.format(**WORDS[voice])


def step_title(step: str, title: str, *, voice: str) -> str:
    """A step's title (``title`` is the patient's own wording) for ``voice``."""
    if voice == SELF or "title" not in STEPS.get(step, {}):
        return title
    return _say(STEPS[step]["title"], voice)


def form_worded(form, *, step: str, voice: str, name: str):
    """``form`` (a step's form) reworded about a dependent named ``name``; as it is for
    ``SELF``. Returns the form."""
    if voice == SELF:
        return form
    words = STEPS.get(step, {})
    form.title = step_title(step, form.title, voice=voice)
    intro = _say(words["intro"], voice) if "intro" in words else form.intro
    form.intro = " ".join(filter(None, [ANSWERING_FOR.format(name=name), intro]))
    for field_name, label in words.items():
        if field_name in form.fields:
            form.fields[field_name].label = _say(label, voice)
    return form
