"""Question wording for the intake's Oswestry and STarT Back steps, used by their forms
(intake/forms/). Scoring rules live in intake/scoring.py.

The statements below are our own plain-language wording of each level. The clinic holds the
licensed wording of the Oswestry Disability Index 2.1a and the STarT Back Tool; to use it,
replace the text here: the scoring depends only on the position (0–5, agree/disagree).
"""

ODI_STATEMENTS: list[tuple[str, list[str]]] = [
    (
        "Pain intensity",
        [
            "I have no pain at the moment.",
            "The pain is very mild at the moment.",
            "The pain is moderate at the moment.",
            "The pain is fairly severe at the moment.",
            "The pain is very severe at the moment.",
            "The pain is the worst imaginable at the moment.",
        ],
    ),
    (
        "Personal care (washing, dressing)",
        [
            "I look after myself normally without extra pain.",
            "I look after myself normally, but it is very painful.",
            "Looking after myself is painful, so I am slow and careful.",
            "I need some help but manage most of my personal care.",
            "I need help every day with most of my personal care.",
            "I do not get dressed, wash with difficulty and stay in bed.",
        ],
    ),
    (
        "Lifting",
        [
            "I can lift heavy things without extra pain.",
            "I can lift heavy things, but it gives me extra pain.",
            "Pain stops me lifting heavy things off the floor, but I manage if they are "
            "conveniently placed, e.g. on a table.",
            "Pain stops me lifting heavy things, but I manage light to medium things if they "
            "are conveniently placed.",
            "I can lift only very light things.",
            "I cannot lift or carry anything.",
        ],
    ),
    (
        "Walking",
        [
            "Pain does not stop me walking any distance.",
            "Pain stops me walking more than about 1 mile.",
            "Pain stops me walking more than about half a mile.",
            "Pain stops me walking more than about 100 yards.",
            "I can walk only with a stick or crutches.",
            "I am in bed most of the time.",
        ],
    ),
    (
        "Sitting",
        [
            "I can sit in any chair as long as I like.",
            "I can sit in my favourite chair as long as I like.",
            "Pain stops me sitting for more than 1 hour.",
            "Pain stops me sitting for more than 30 minutes.",
            "Pain stops me sitting for more than 10 minutes.",
            "Pain stops me sitting at all.",
        ],
    ),
    (
        "Standing",
        [
            "I can stand as long as I want without extra pain.",
            "I can stand as long as I want, but it gives me extra pain.",
            "Pain stops me standing for more than 1 hour.",
            "Pain stops me standing for more than 30 minutes.",
            "Pain stops me standing for more than 10 minutes.",
            "Pain stops me standing at all.",
        ],
    ),
    (
        "Sleeping",
        [
            "My sleep is never disturbed by pain.",
            "My sleep is occasionally disturbed by pain.",
            "Because of pain I sleep less than 6 hours.",
            "Because of pain I sleep less than 4 hours.",
            "Because of pain I sleep less than 2 hours.",
            "Pain stops me sleeping at all.",
        ],
    ),
    (
        "Sex life (you may skip this section)",
        [
            "My sex life is normal and causes no extra pain.",
            "My sex life is normal but causes some extra pain.",
            "My sex life is nearly normal but is very painful.",
            "My sex life is severely limited by pain.",
            "My sex life is nearly absent because of pain.",
            "Pain prevents any sex life at all.",
        ],
    ),
    (
        "Social life",
        [
            "My social life is normal and causes no extra pain.",
            "My social life is normal but increases the pain.",
            "Pain limits only my more energetic interests, such as sport.",
            "Pain has limited my social life; I do not go out as often.",
            "Pain has limited my social life to my home.",
            "I have no social life because of pain.",
        ],
    ),
    (
        "Travelling",
        [
            "I can travel anywhere without pain.",
            "I can travel anywhere, but it gives me extra pain.",
            "Pain is bad, but I manage journeys over 2 hours.",
            "Pain limits me to journeys of less than 1 hour.",
            "Pain limits me to short necessary journeys under 30 minutes.",
            "Pain prevents me from travelling except to receive treatment.",
        ],
    ),
]

# Items 1–8 of the STarT Back Tool, agree / disagree, thinking about the last 2 weeks.
START_BACK_ITEMS: list[str] = [
    "My back pain has spread down my leg(s) at some time in the last 2 weeks.",
    "I have had pain in the shoulder or neck at some time in the last 2 weeks.",
    "I have only walked short distances because of my back pain.",
    "In the last 2 weeks, I have dressed more slowly than usual because of back pain.",
    "It's not really safe for a person with a condition like mine to be physically active.",
    "Worrying thoughts have been going through my mind a lot of the time.",
    "I feel that my back pain is terrible and it's never going to get any better.",
    "In general I have not enjoyed all the things I used to enjoy.",
]
START_BACK_ITEM9 = "Overall, how bothersome has your back pain been in the last 2 weeks?"
