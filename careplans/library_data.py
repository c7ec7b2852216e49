"""The exercise library and care-plan templates, as plain Python data (no Django).

Content for runners with lower back pain. It covers every exercise named in the clinics'
articles (``shared/domain/clinic-articles/``, summarised in ``shared/domain/
clinical-instruments.md``): plank, side plank (with knee drive), glute bridge, single-leg
bridge, bird dog, (weighted) superman, forward lunge with rotation, single-leg Romanian
deadlift, hamstring, hip-flexor and lower-back stretches, foam rolling, mobility drills, and
swimming and cycling as cross-training. To these it adds the staples a physical therapist
would expect to prescribe. All wording is our own; only facts were taken from sources.

Conventions for each exercise:

* ``default_reps`` and ``default_hold_seconds``: exactly one is set. Reps for movements;
  seconds for anything done for time: static holds, foam rolling, and continuous cardio or
  run intervals (then it is the time for one set, e.g. one run-plus-walk round).
* ``per_side``: the sets and reps or seconds are done on each side.
* ``muscles_primary`` may be empty for positions and nerve glides that train no muscle (the
  prone press-up, the sciatic nerve glides).
* ``contraindications``: tags from ``CONTRAINDICATION_TAGS`` describing the load the
  exercise puts on the spine or body, so a care-plan builder can warn when that load meets a
  working hypothesis (``HYPOTHESIS_CAUTIONS``) or a red flag (``RED_FLAG_CAUTION_TAGS``). A
  tag is a reason to check, not a ban.
* ``easier`` / ``harder``: slugs of neighbouring variations in this list, or "".
* ``video_url`` is left empty until the clinic records its own videos.

Template items use the same reps-or-seconds rule, and ``times_per_week`` says how often.
"""

CATEGORIES: dict[str, str] = {
    "strength": "Strength",
    "motor_control": "Motor control",
    "mobility": "Mobility",
    "stretch": "Stretch",
    "running_drill": "Running drill",
    "cardio_alternative": "Cardio alternative",
}

BODY_REGIONS: dict[str, str] = {
    "core": "Core",
    "lumbar_spine": "Lower back (lumbar spine)",
    "hips": "Hips and thighs",
    "thoracic_spine": "Upper back (thoracic spine)",
    "lower_leg": "Lower leg and foot",
    "full_body": "Full body",
}

EQUIPMENT: dict[str, str] = {
    "none": "No equipment",
    "mat": "Mat",
    "band": "Resistance band",
    "foam_roller": "Foam roller",
    "dumbbell": "Dumbbell",
    "kettlebell": "Kettlebell",
    "bench": "Bench",
    "dowel": "Dowel or broomstick",
    "step": "Step or low box",
    "wall": "Wall or sturdy support",
    "pool": "Swimming pool",
    "bike": "Bike (road, stationary or recumbent)",
    "metronome": "Metronome or metronome app",
    "towel": "Towel or strap",
}

CONTRAINDICATION_TAGS: dict[str, str] = {
    # Bending the lumbar spine forward against a load (sit-up-like work): raises disc pressure.
    "loaded_lumbar_flexion": "Loaded lumbar flexion",
    # Holding the lower back rounded at or near the end of its range, unloaded (knees to chest,
    # child's pose) or for a long time (a rounded posture on a bike).
    "sustained_lumbar_flexion": "Sustained or end-range lumbar flexion",
    # Arching the lower back toward the end of its range: compresses the facet joints and the
    # pars interarticularis.
    "end_range_extension": "End-range lumbar extension",
    # Turning the trunk while it carries a weight.
    "rotation_under_load": "Rotation under load",
    # Running, skipping and hopping: repeated landing forces through the spine and pelvis.
    "high_impact": "High impact",
    # Movements that lengthen the sciatic nerve's path (nerve glides, straight-leg stretches).
    "neural_tension": "Neural tension (nerve stretch)",
    # Lying on the stomach for a minute or more (pregnancy, breathing or reflux problems).
    "prolonged_prone": "Lying face down for long",
}

EXERCISES: list[dict] = [
    {
        "slug": "abdominal-brace",
        "name": "Breathing with deep core and pelvic-floor activation",
        "category": "motor_control",
        "body_region": "core",
        "muscles_primary": ["transversus abdominis", "pelvic floor", "diaphragm"],
        "muscles_secondary": ["multifidus"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back with knees bent, one hand on your chest and one on your belly.",
            (
                "Breathe in through your nose so your belly and lower ribs widen while your chest "
                "stays quiet."
            ),
            (
                "As you breathe out, gently draw the pelvic floor up as if holding in wind, and "
                "let your lower stomach firm up slightly."
            ),
            (
                "Keep that light tension for about five seconds while breathing normally, then "
                "relax fully."
            ),
        ],
        "cues": [
            "About a third of your maximum effort",
            "Keep breathing the whole time",
            "The pelvis does not move",
        ],
        "common_mistakes": [
            "Sucking the stomach in hard",
            "Holding the breath",
            "Pressing the back flat into the floor with force",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "supine-march",
    },
    {
        "slug": "supine-march",
        "name": "Supine march",
        "category": "motor_control",
        "body_region": "core",
        "muscles_primary": ["transversus abdominis"],
        "muscles_secondary": ["iliopsoas", "obliques"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Lie on your back with knees bent and feet flat, and set a light brace in your "
                "stomach."
            ),
            "Lift one foot a few centimetres and bring that knee up until it is above the hip.",
            "Lower it slowly, then repeat with the other leg.",
            "Keep your pelvis completely still throughout.",
        ],
        "cues": [
            "Pelvis stays level, like a bowl of water",
            "Slow and quiet feet",
            "Breathe out as the leg lifts",
        ],
        "common_mistakes": [
            "Rocking the hips from side to side",
            "Back arching as the foot comes down",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "abdominal-brace",
        "harder": "dead-bug",
    },
    {
        "slug": "dead-bug",
        "name": "Dead bug",
        "category": "motor_control",
        "body_region": "core",
        "muscles_primary": ["transversus abdominis", "rectus abdominis"],
        "muscles_secondary": ["obliques", "iliopsoas"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            (
                "Lie on your back with arms pointing at the ceiling and hips and knees bent to 90 "
                "degrees."
            ),
            "Brace gently so your lower back rests lightly on the floor.",
            (
                "Slowly lower one arm overhead and straighten the opposite leg toward the floor "
                "without letting your back lift."
            ),
            "Bring both back to the start and repeat on the other side.",
        ],
        "cues": [
            "Lower back stays quietly on the floor",
            "Breathe out as you reach",
            "Only go as low as you can control",
        ],
        "common_mistakes": [
            "Back arching away from the floor",
            "Moving the arm and leg on the same side",
            "Holding the breath",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "supine-march",
        "harder": "hollow-body-hold",
    },
    {
        "slug": "hollow-body-hold",
        "name": "Hollow body hold",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["rectus abdominis", "transversus abdominis"],
        "muscles_secondary": ["iliopsoas", "obliques"],
        "equipment": ["mat"],
        "difficulty": 3,
        "instructions": [
            "Lie on your back and press your lower back gently into the floor.",
            (
                "Lift your head and shoulders, reach your arms past your ears, and raise your "
                "straight legs a little off the floor."
            ),
            "Keep your lower back in contact with the floor for the whole hold.",
            "Bend your knees or bring your arms forward if the back starts to lift.",
        ],
        "cues": ["Lower back stays down", "Higher legs make it easier", "Steady breathing"],
        "common_mistakes": [
            "Back peeling away from the floor",
            "Straining through the neck",
            "Holding on after form has gone",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 20,
        "per_side": False,
        "contraindications": ["loaded_lumbar_flexion"],
        "video_url": "",
        "easier": "dead-bug",
        "harder": "",
    },
    {
        "slug": "mcgill-curl-up",
        "name": "McGill curl-up",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["rectus abdominis"],
        "muscles_secondary": ["obliques"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Lie on your back with one knee bent and the other leg straight, and slide your "
                "hands under the small of your back."
            ),
            (
                "Brace gently and lift your head and shoulders just off the floor as one unit, "
                "without bending your neck."
            ),
            "Hold for about eight seconds while breathing, then lower slowly.",
            "Swap which knee is bent halfway through the set.",
        ],
        "cues": [
            "Lift the chest a little; the head just comes along",
            "Keep the natural curve of your back over your hands",
            "Lift the elbows slightly for a harder version",
        ],
        "common_mistakes": [
            "Tucking the chin and curling up like a sit-up",
            "Flattening the back into your hands",
            "Holding the breath",
        ],
        "default_sets": 3,
        "default_reps": 6,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "plank",
        "name": "Plank",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["transversus abdominis", "rectus abdominis"],
        "muscles_secondary": ["obliques", "gluteus maximus", "deltoids"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            (
                "Lie face down, then prop yourself up on your forearms with elbows under your "
                "shoulders."
            ),
            (
                "Tuck your toes under and lift your hips so your body makes a straight line from "
                "head to heels."
            ),
            "Tighten your stomach as if expecting a light poke, and squeeze your buttocks.",
            "Breathe steadily through the hold, then lower your knees to rest.",
        ],
        "cues": [
            "Long line from ears to ankles",
            "Push the floor away with your forearms",
            "Keep breathing",
        ],
        "common_mistakes": [
            "Hips sagging so the lower back arches",
            "Hips piked up high to make it easier",
            "Holding on after form has gone",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "side-plank-knees",
        "name": "Side plank on knees",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["obliques", "quadratus lumborum"],
        "muscles_secondary": ["gluteus medius", "transversus abdominis"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Lie on your side with knees bent to about 90 degrees and your elbow under your "
                "shoulder."
            ),
            "Stack your hips and shoulders so you are not rolling forward or back.",
            "Lift your hips off the floor so your body is straight from head to knees.",
            "Hold, lower with control, and repeat on the other side.",
        ],
        "cues": [
            "Elbow under shoulder",
            "Lift the bottom hip toward the ceiling",
            "Chest faces straight ahead",
        ],
        "common_mistakes": [
            "Hips drifting back toward the floor",
            "Top shoulder rolling forward",
            "Sinking into the supporting shoulder",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 20,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "side-plank",
    },
    {
        "slug": "side-plank",
        "name": "Side plank",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["obliques", "quadratus lumborum"],
        "muscles_secondary": ["gluteus medius", "transversus abdominis"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            (
                "Lie on your side with legs straight and feet stacked, or the top foot just in "
                "front of the bottom one."
            ),
            "Place your elbow directly under your shoulder and your top hand on your hip.",
            "Lift your hips so your body forms a straight line from head to feet.",
            "Hold for the set time, lower gently, then switch sides.",
        ],
        "cues": [
            "Straight line from head to feet",
            "Push the floor away with your forearm",
            "Neck long, eyes looking ahead",
        ],
        "common_mistakes": [
            "Hips sagging toward the floor",
            "Bending at the hips so the bottom sticks out behind",
            "Holding the breath",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "side-plank-knees",
        "harder": "side-plank-knee-drive",
    },
    {
        "slug": "side-plank-knee-drive",
        "name": "Side plank with knee drive",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["obliques", "quadratus lumborum", "iliopsoas"],
        "muscles_secondary": ["gluteus medius", "transversus abdominis"],
        "equipment": ["mat"],
        "difficulty": 3,
        "instructions": [
            "Set up in a full side plank on your forearm with your feet stacked.",
            (
                "Keeping the bottom leg straight and your hips high, bring the top knee forward "
                "toward your chest."
            ),
            "Pause briefly, then straighten the leg again without letting the hips dip.",
            "Finish the reps, rest, and repeat on the other side.",
        ],
        "cues": [
            "Hips stay high the whole time",
            "Drive the knee as in a running stride",
            "Slow enough to stay steady",
        ],
        "common_mistakes": [
            "Hips dropping as the knee comes forward",
            "Rounding the back to bring the knee higher",
            "Rushing the reps",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "side-plank",
        "harder": "",
    },
    {
        "slug": "pallof-press",
        "name": "Pallof press",
        "category": "strength",
        "body_region": "core",
        "muscles_primary": ["obliques", "transversus abdominis"],
        "muscles_secondary": ["gluteus medius", "rectus abdominis"],
        "equipment": ["band"],
        "difficulty": 2,
        "instructions": [
            (
                "Anchor a band at chest height and stand side-on to it, holding the band against "
                "the middle of your chest with both hands."
            ),
            "Step away until the band is taut, with feet hip-width apart and knees soft.",
            "Press your hands straight out in front of you, refusing to let the band turn you.",
            (
                "Hold for two seconds, bring your hands back to your chest, and after the set turn "
                "to face the other way."
            ),
        ],
        "cues": ["Don't let the band twist you", "Ribs down, hips square", "Slow out, slow back"],
        "common_mistakes": [
            "Turning toward the anchor",
            "Leaning away from the band",
            "Shrugging the shoulders",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "bird-dog",
        "name": "Bird dog",
        "category": "motor_control",
        "body_region": "core",
        "muscles_primary": ["multifidus", "transversus abdominis"],
        "muscles_secondary": ["gluteus maximus", "erector spinae", "deltoids"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Start on hands and knees with hands under shoulders and knees under hips.",
            "Brace your stomach gently so your back stays flat.",
            "Reach one arm forward and the opposite leg back until both are level with your body.",
            "Hold for a slow count of five, return with control, then switch sides.",
        ],
        "cues": [
            "Imagine a cup of water resting on your lower back",
            "Reach long rather than high",
            "Move slowly",
        ],
        "common_mistakes": [
            "Lifting the leg so high that the back arches",
            "Hips turning open as the leg lifts",
            "Rushing from side to side",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "superman",
        "name": "Superman",
        "category": "strength",
        "body_region": "lumbar_spine",
        "muscles_primary": ["erector spinae", "multifidus"],
        "muscles_secondary": ["gluteus maximus", "hamstrings"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            "Lie face down with arms stretched overhead and legs straight.",
            (
                "Gently squeeze your buttocks and lift your arms, chest and legs a few centimetres "
                "off the floor."
            ),
            "Keep looking at the floor so your neck stays in line with your back.",
            "Hold for two to three seconds, then lower slowly.",
        ],
        "cues": ["Lift long, not high", "Eyes on the floor", "Buttocks share the work"],
        "common_mistakes": [
            "Throwing the head and neck back",
            "Lifting as high as possible into a deep arch",
            "Jerking up with momentum",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": ["end_range_extension"],
        "video_url": "",
        "easier": "",
        "harder": "weighted-superman",
    },
    {
        "slug": "weighted-superman",
        "name": "Weighted superman",
        "category": "strength",
        "body_region": "lumbar_spine",
        "muscles_primary": ["erector spinae", "multifidus"],
        "muscles_secondary": ["gluteus maximus", "deltoids", "hamstrings"],
        "equipment": ["mat", "dumbbell"],
        "difficulty": 3,
        "instructions": [
            "Lie face down holding a light dumbbell in both hands, arms stretched out in front.",
            "Brace your stomach and squeeze your buttocks.",
            (
                "Lift the weight, your chest and your legs just off the floor, keeping your neck "
                "in line."
            ),
            (
                "Hold briefly, lower under control, and rest the weight on the floor between reps "
                "if needed."
            ),
        ],
        "cues": [
            "Start light; control matters more than height",
            "Neck stays long",
            "Arms and legs lift evenly",
        ],
        "common_mistakes": [
            "Picking a weight that needs a jerk to lift",
            "Arching hard at the top",
            "Shoulders creeping up to the ears",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": ["end_range_extension"],
        "video_url": "",
        "easier": "superman",
        "harder": "",
    },
    {
        "slug": "glute-bridge",
        "name": "Glute bridge",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus maximus"],
        "muscles_secondary": ["hamstrings", "transversus abdominis"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back with knees bent, feet flat and hip-width apart, arms by your sides.",
            "Gently tighten your stomach and press down through your heels.",
            (
                "Squeeze your buttocks to lift your hips until your body is in line from shoulders "
                "to knees."
            ),
            "Pause for two seconds at the top, then lower slowly.",
        ],
        "cues": [
            "Squeeze the buttocks before you lift",
            "Ribs stay down",
            "Push through the heels",
        ],
        "common_mistakes": [
            "Arching the lower back to get higher",
            "Feet too far away, so the hamstrings cramp and do the work",
            "Knees falling in or out",
        ],
        "default_sets": 3,
        "default_reps": 12,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "single-leg-bridge",
    },
    {
        "slug": "single-leg-bridge",
        "name": "Single-leg bridge",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus maximus"],
        "muscles_secondary": ["hamstrings", "gluteus medius", "transversus abdominis"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            (
                "Lie on your back with knees bent and feet flat, then straighten one leg so both "
                "thighs stay level."
            ),
            (
                "Press through the heel of the bent leg and lift your hips until they line up with "
                "your shoulders and knee."
            ),
            "Keep the pelvis square so neither side drops.",
            "Lower slowly, finish the set, then switch legs.",
        ],
        "cues": ["Hips level like a tray", "Push through the heel", "Slow on the way down"],
        "common_mistakes": [
            "One hip dropping lower than the other",
            "Arching the back instead of using the buttock",
            "Kicking up with the straight leg",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "glute-bridge",
        "harder": "",
    },
    {
        "slug": "clamshell",
        "name": "Clamshell",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus medius"],
        "muscles_secondary": ["deep hip rotators", "gluteus minimus"],
        "equipment": ["mat", "band"],
        "difficulty": 1,
        "instructions": [
            (
                "Lie on your side with hips and knees bent, heels in line with your buttocks, and "
                "your head resting on your arm."
            ),
            "Keep your feet together and roll your top hip slightly forward.",
            "Open the top knee as far as you can without the pelvis rolling back.",
            "Close it slowly and repeat, adding a loop band above the knees once it feels easy.",
        ],
        "cues": [
            "Top hip stays rolled slightly forward",
            "Feel it at the side of the buttock",
            "Slow on the way down",
        ],
        "common_mistakes": [
            "Rolling the pelvis back to open further",
            "Feeling it mostly at the front of the hip",
        ],
        "default_sets": 3,
        "default_reps": 15,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "side-lying-hip-abduction",
    },
    {
        "slug": "side-lying-hip-abduction",
        "name": "Side-lying hip abduction",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus medius"],
        "muscles_secondary": ["gluteus minimus", "tensor fasciae latae"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            (
                "Lie on your side with the bottom knee bent for balance and the top leg straight, "
                "in line with your body."
            ),
            "Turn the top toes slightly toward the floor and keep the hips stacked.",
            (
                "Lift the top leg toward the ceiling, leading with the heel, to about 30 to 40 "
                "degrees."
            ),
            "Lower slowly and repeat, then switch sides.",
        ],
        "cues": [
            "Heel leads, leg slightly behind the body",
            "Hips stacked, not rolled back",
            "Slow on the way down",
        ],
        "common_mistakes": [
            "Leg drifting forward so the front of the hip takes over",
            "Pelvis rolling back",
            "Swinging the leg",
        ],
        "default_sets": 3,
        "default_reps": 12,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "clamshell",
        "harder": "banded-lateral-walk",
    },
    {
        "slug": "banded-lateral-walk",
        "name": "Banded lateral walk",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus medius"],
        "muscles_secondary": ["gluteus maximus", "tensor fasciae latae"],
        "equipment": ["band"],
        "difficulty": 2,
        "instructions": [
            (
                "Put a loop band just above your knees or around your ankles and stand with feet "
                "hip-width apart."
            ),
            "Bend your knees and hips slightly into a quarter squat with your chest up.",
            "Step sideways with one foot, then bring the other after it, keeping the band taut.",
            "Take the set number of steps one way, then come back leading with the other leg.",
        ],
        "cues": ["Toes point forward", "Stay low and level", "Feet never touch"],
        "common_mistakes": [
            "Knees collapsing inward",
            "Bobbing up and down",
            "Leaning the trunk into each step",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "side-lying-hip-abduction",
        "harder": "",
    },
    {
        "slug": "copenhagen-plank-short-lever",
        "name": "Copenhagen plank (short lever)",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["hip adductors"],
        "muscles_secondary": ["obliques", "quadratus lumborum"],
        "equipment": ["mat", "bench"],
        "difficulty": 2,
        "instructions": [
            "Lie on your side next to a bench with your forearm on the floor under your shoulder.",
            "Rest the inside of your top knee on the bench, with the bottom leg underneath.",
            (
                "Press down through the top knee and your forearm to lift your hips until your "
                "body is straight."
            ),
            "Hold, lower gently, and switch sides.",
        ],
        "cues": [
            "Squeeze the top knee into the bench",
            "Hips in line with shoulders",
            "Keep breathing",
        ],
        "common_mistakes": [
            "Hips sagging",
            "Rolling forward onto the chest",
            "Using a bench too high to start with control",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 15,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "copenhagen-plank",
    },
    {
        "slug": "copenhagen-plank",
        "name": "Copenhagen plank",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["hip adductors"],
        "muscles_secondary": ["obliques", "quadratus lumborum"],
        "equipment": ["mat", "bench"],
        "difficulty": 3,
        "instructions": [
            "Lie on your side next to a bench with your forearm on the floor under your shoulder.",
            "Rest the inside of your top foot and ankle on the bench with that leg straight.",
            (
                "Lift your hips so your body forms a straight line, letting the bottom leg hang or "
                "rise to meet the bench."
            ),
            "Hold, lower gently, and switch sides.",
        ],
        "cues": [
            "Straight line from head to feet",
            "Press the top leg down into the bench",
            "Stop before the groin complains",
        ],
        "common_mistakes": [
            "Starting here before the short-lever version is easy",
            "Hips piking or sagging",
            "Holding on through groin pain",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 20,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "copenhagen-plank-short-lever",
        "harder": "",
    },
    {
        "slug": "split-squat",
        "name": "Split squat",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["quadriceps", "gluteus maximus"],
        "muscles_secondary": ["gluteus medius", "hip adductors"],
        "equipment": ["none"],
        "difficulty": 1,
        "instructions": [
            "Stand in a long stride with feet hip-width apart and the back heel lifted.",
            (
                "Keep your trunk upright and lower straight down until the back knee hovers just "
                "above the floor."
            ),
            "Push through the front foot to rise again without moving your feet.",
            "Finish the reps and switch legs.",
        ],
        "cues": [
            "Down like a lift, not forward",
            "Front knee follows the middle toes",
            "Tall chest",
        ],
        "common_mistakes": [
            "Feet lined up as if on a tightrope, which makes balance hard",
            "Front knee collapsing inward",
            "Tipping far forward over the front leg",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "forward-lunge-rotation",
    },
    {
        "slug": "forward-lunge-rotation",
        "name": "Forward lunge with rotation",
        "category": "strength",
        "body_region": "full_body",
        "muscles_primary": ["quadriceps", "gluteus maximus", "obliques"],
        "muscles_secondary": ["hamstrings", "gluteus medius", "transversus abdominis"],
        "equipment": ["dumbbell"],
        "difficulty": 2,
        "instructions": [
            "Stand tall holding a light dumbbell close to your chest with both hands.",
            "Step forward into a lunge and lower until both knees are bent to about 90 degrees.",
            (
                "At the bottom, turn your chest and the weight toward the front leg, rotating "
                "through your upper back."
            ),
            "Turn back to the middle, push off the front foot to stand up, and alternate legs.",
        ],
        "cues": [
            "Turn from the ribs, not the knee",
            "Front knee stays over the foot",
            "Keep the weight close",
        ],
        "common_mistakes": [
            "Front knee twisting inward with the trunk",
            "A weight heavy enough to pull you off balance",
            "Rushing the turn instead of pausing at the bottom",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": ["rotation_under_load"],
        "video_url": "",
        "easier": "split-squat",
        "harder": "",
    },
    {
        "slug": "hip-hinge-dowel",
        "name": "Hip hinge with dowel",
        "category": "motor_control",
        "body_region": "hips",
        "muscles_primary": ["hamstrings", "gluteus maximus"],
        "muscles_secondary": ["erector spinae", "multifidus"],
        "equipment": ["dowel"],
        "difficulty": 1,
        "instructions": [
            (
                "Stand with feet hip-width apart and hold a dowel along your back so it touches "
                "your head, upper back and tailbone."
            ),
            (
                "Soften your knees and push your hips backward as if shutting a car door with your "
                "bottom."
            ),
            "Let your chest tip forward while all three contact points stay on the dowel.",
            (
                "Stop when you feel a stretch behind your thighs, then squeeze your buttocks to "
                "stand tall."
            ),
        ],
        "cues": [
            "Hips go back, not down",
            "Three points stay on the stick",
            "Shins stay nearly upright",
        ],
        "common_mistakes": [
            "Rounding the lower back so the dowel leaves the tailbone",
            "Bending the knees into a squat",
            "Leaning back at the top",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "kettlebell-deadlift",
    },
    {
        "slug": "kettlebell-deadlift",
        "name": "Kettlebell deadlift",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus maximus", "hamstrings"],
        "muscles_secondary": ["erector spinae", "quadriceps", "latissimus dorsi"],
        "equipment": ["kettlebell"],
        "difficulty": 2,
        "instructions": [
            "Stand with a kettlebell on the floor between your feet, feet about hip-width apart.",
            "Hinge at the hips with a flat back and soft knees to take the handle in both hands.",
            (
                "Brace your stomach, draw your shoulders down, and stand up by driving your hips "
                "forward."
            ),
            "Lower the bell back to the floor by pushing your hips back, keeping the back flat.",
        ],
        "cues": ["Flat back, long neck", "Push the floor away", "Finish tall, not leaning back"],
        "common_mistakes": [
            "Rounding the back to reach the bell",
            "Squatting the weight up with the knees",
            "Leaning back and squeezing the lower back at the top",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "hip-hinge-dowel",
        "harder": "single-leg-rdl",
    },
    {
        "slug": "single-leg-rdl",
        "name": "Single-leg Romanian deadlift",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["gluteus maximus", "hamstrings"],
        "muscles_secondary": ["gluteus medius", "erector spinae"],
        "equipment": ["dumbbell"],
        "difficulty": 3,
        "instructions": [
            (
                "Stand on one leg with a slight bend in the knee, holding a light dumbbell in the "
                "opposite hand."
            ),
            (
                "Hinge forward at the hip while the free leg reaches straight back, keeping your "
                "back flat."
            ),
            (
                "Lower until your body is nearly level with the floor or you feel a stretch behind "
                "the standing thigh."
            ),
            "Drive the standing hip forward to come back up, then finish the set and switch sides.",
        ],
        "cues": [
            "Body moves like a seesaw",
            "Hips stay square to the floor",
            "Reach the back heel toward the wall behind you",
        ],
        "common_mistakes": [
            "Hip opening so the lifted leg turns out",
            "Rounding the back to go lower",
            "Locking the standing knee",
        ],
        "default_sets": 3,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "kettlebell-deadlift",
        "harder": "",
    },
    {
        "slug": "step-up",
        "name": "Step-up",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["quadriceps", "gluteus maximus"],
        "muscles_secondary": ["gluteus medius", "hamstrings"],
        "equipment": ["step"],
        "difficulty": 1,
        "instructions": [
            "Stand facing a step or low box.",
            "Place one whole foot on the step.",
            (
                "Press through that heel to stand up on the step, bringing the other foot up to "
                "meet it."
            ),
            (
                "Step back down with the trailing foot under control, finish the set, then switch "
                "legs."
            ),
        ],
        "cues": [
            "Push through the top foot, not the back toes",
            "Knee in line with the second toe",
            "Tall chest",
        ],
        "common_mistakes": [
            "Pushing off with the bottom leg",
            "Knee caving inward",
            "Using a step that is too high too soon",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "step-down",
    },
    {
        "slug": "step-down",
        "name": "Lateral step-down",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["quadriceps", "gluteus medius"],
        "muscles_secondary": ["gluteus maximus"],
        "equipment": ["step"],
        "difficulty": 2,
        "instructions": [
            (
                "Stand side-on at the edge of a low step on one leg, with the other foot hanging "
                "off the side."
            ),
            (
                "Push your hips back and bend the standing knee to lower the free heel toward the "
                "floor."
            ),
            "Tap the heel down lightly without putting weight on it.",
            "Straighten back up and repeat, then switch legs.",
        ],
        "cues": ["Knee tracks over the second toe", "Hips stay level", "Slow down, light tap"],
        "common_mistakes": [
            "Knee diving inward",
            "Pelvis dropping on the free side",
            "Resting weight on the tapping heel",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "step-up",
        "harder": "",
    },
    {
        "slug": "wall-sit",
        "name": "Wall sit",
        "category": "strength",
        "body_region": "hips",
        "muscles_primary": ["quadriceps"],
        "muscles_secondary": ["gluteus maximus"],
        "equipment": ["wall"],
        "difficulty": 1,
        "instructions": [
            (
                "Stand with your back against a wall and your feet about a foot-length in front of "
                "you."
            ),
            (
                "Slide down until your knees are bent to a comfortable angle, no deeper than about "
                "90 degrees."
            ),
            "Keep your back and the back of your head resting against the wall.",
            "Hold for the set time, then slide back up.",
        ],
        "cues": ["Knees over ankles", "Weight through the whole foot", "Breathe steadily"],
        "common_mistakes": [
            "Sinking deeper than the knees tolerate",
            "Knees drifting in toward each other",
            "Holding the breath",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "calf-raise",
        "name": "Calf raise",
        "category": "strength",
        "body_region": "lower_leg",
        "muscles_primary": ["gastrocnemius"],
        "muscles_secondary": ["soleus"],
        "equipment": ["wall"],
        "difficulty": 1,
        "instructions": [
            "Stand with feet hip-width apart, fingertips on a wall for balance.",
            "Rise onto the balls of your feet as high as you can.",
            "Pause for a moment at the top.",
            "Lower your heels slowly, taking about three seconds.",
        ],
        "cues": [
            "Straight up, not forward",
            "Weight over the big and second toes",
            "Slow lowering",
        ],
        "common_mistakes": ["Rolling out onto the little toes", "Bouncing at the bottom"],
        "default_sets": 3,
        "default_reps": 15,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "eccentric-calf-raise",
    },
    {
        "slug": "eccentric-calf-raise",
        "name": "Eccentric calf raise (up on two, down on one)",
        "category": "strength",
        "body_region": "lower_leg",
        "muscles_primary": ["gastrocnemius", "soleus"],
        "muscles_secondary": [],
        "equipment": ["step"],
        "difficulty": 2,
        "instructions": [
            "Stand with the balls of both feet on a step, heels over the edge, holding a rail.",
            "Rise up on both feet.",
            (
                "Lift one foot away and lower slowly on the other leg for a count of three or "
                "four, until the heel is just below the step."
            ),
            "Put the other foot back, rise on both again, and repeat before switching legs.",
        ],
        "cues": ["Up on two, down on one", "Slow, smooth lowering", "Hold the rail lightly"],
        "common_mistakes": ["Dropping fast at the end of the range", "Ankle rolling outward"],
        "default_sets": 3,
        "default_reps": 12,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "calf-raise",
        "harder": "single-leg-calf-raise",
    },
    {
        "slug": "single-leg-calf-raise",
        "name": "Single-leg calf raise",
        "category": "strength",
        "body_region": "lower_leg",
        "muscles_primary": ["gastrocnemius", "soleus"],
        "muscles_secondary": [],
        "equipment": ["wall"],
        "difficulty": 2,
        "instructions": [
            "Stand on one leg with fingertips on a wall for balance and a slight bend in the knee.",
            "Rise as high as you can onto the ball of the foot.",
            "Lower slowly under control.",
            (
                "Finish the set and switch legs; over the weeks, build toward about 25 full reps "
                "on each side."
            ),
        ],
        "cues": [
            "Full height every rep",
            "Ankle stays straight, not rolling out",
            "Match both sides",
        ],
        "common_mistakes": ["Reps getting shorter as you tire", "Leaning on the wall to help"],
        "default_sets": 3,
        "default_reps": 15,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "eccentric-calf-raise",
        "harder": "",
    },
    {
        "slug": "bent-knee-calf-raise",
        "name": "Bent-knee calf raise (soleus)",
        "category": "strength",
        "body_region": "lower_leg",
        "muscles_primary": ["soleus"],
        "muscles_secondary": ["gastrocnemius"],
        "equipment": ["wall"],
        "difficulty": 1,
        "instructions": [
            (
                "Stand facing a wall with your hands on it and both knees bent slightly, as in a "
                "small squat."
            ),
            "Keeping that knee bend, rise onto the balls of your feet.",
            "Pause, then lower slowly without straightening your knees.",
            "Move to one leg at a time when this feels easy.",
        ],
        "cues": ["Knees stay bent the whole time", "Knees over toes", "Slow lowering"],
        "common_mistakes": ["Straightening the knees on the way up", "Bouncing out of the bottom"],
        "default_sets": 3,
        "default_reps": 15,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "single-leg-balance",
        "name": "Single-leg balance",
        "category": "motor_control",
        "body_region": "lower_leg",
        "muscles_primary": ["gluteus medius"],
        "muscles_secondary": ["gastrocnemius", "soleus"],
        "equipment": ["none"],
        "difficulty": 1,
        "instructions": [
            "Stand on one leg near a wall or counter, with the standing knee slightly soft.",
            "Keep your pelvis level and your trunk tall.",
            "Hold for the set time, touching the support only if you need to.",
            "Make it harder by closing your eyes or standing on a folded towel or cushion.",
        ],
        "cues": ["Whole foot in contact with the floor", "Hips level", "Soft knee"],
        "common_mistakes": ["Hip on the lifted side dropping", "Locking the standing knee"],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "hip-airplane",
    },
    {
        "slug": "hip-airplane",
        "name": "Hip airplane",
        "category": "motor_control",
        "body_region": "hips",
        "muscles_primary": ["gluteus medius", "deep hip rotators"],
        "muscles_secondary": ["gluteus maximus", "hamstrings"],
        "equipment": ["wall"],
        "difficulty": 3,
        "instructions": [
            (
                "Stand on one leg beside a wall or counter and hinge forward until your trunk and "
                "free leg are close to level."
            ),
            (
                "Keeping the standing knee soft, slowly turn your pelvis and trunk open toward the "
                "ceiling, pivoting on the standing hip."
            ),
            "Then turn back down so the pelvis faces the floor again.",
            (
                "Move only through the range you can control, using the support as needed, then "
                "switch legs."
            ),
        ],
        "cues": [
            "The standing hip is the pivot",
            "Slow is smooth",
            "Trunk and free leg move as one",
        ],
        "common_mistakes": [
            "Twisting from the back instead of the hip",
            "Standing knee collapsing inward",
            "Rushing",
        ],
        "default_sets": 2,
        "default_reps": 6,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "single-leg-balance",
        "harder": "",
    },
    {
        "slug": "hamstring-stretch",
        "name": "Hamstring stretch (lying, with towel)",
        "category": "stretch",
        "body_region": "hips",
        "muscles_primary": ["hamstrings"],
        "muscles_secondary": ["gastrocnemius"],
        "equipment": ["mat", "towel"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back and loop a towel or strap around the ball of one foot.",
            (
                "Keep the other leg bent with the foot flat, or straight on the floor if that is "
                "comfortable."
            ),
            (
                "Raise the looped leg, knee slightly soft, until you feel a gentle stretch behind "
                "the thigh."
            ),
            "Hold while breathing slowly, then lower and switch legs.",
        ],
        "cues": [
            "A gentle pull, not a strain",
            "Lower back stays resting on the floor",
            "Relax the ankle",
        ],
        "common_mistakes": [
            "Pulling until you feel tingling or pain down the leg",
            "Hips lifting off the floor",
            "Bouncing",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": ["neural_tension"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "hip-flexor-stretch",
        "name": "Standing hip-flexor stretch",
        "category": "stretch",
        "body_region": "hips",
        "muscles_primary": ["iliopsoas"],
        "muscles_secondary": ["rectus femoris"],
        "equipment": ["wall"],
        "difficulty": 1,
        "instructions": [
            (
                "Stand in a split stance with the leg to be stretched behind you, one hand on a "
                "wall or chair if needed."
            ),
            "Tuck your tailbone under by tightening your stomach and squeezing the back buttock.",
            (
                "Shift your weight gently forward until you feel a stretch at the front of the "
                "back hip."
            ),
            "Hold, breathe, then switch legs.",
        ],
        "cues": [
            "Tuck the tailbone first, then shift",
            "Stay tall through the chest",
            "Small movement, big stretch",
        ],
        "common_mistakes": [
            "Arching the lower back instead of stretching the hip",
            "Leaning the trunk forward",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "kneeling-hip-flexor-stretch",
    },
    {
        "slug": "kneeling-hip-flexor-stretch",
        "name": "Kneeling hip-flexor stretch",
        "category": "stretch",
        "body_region": "hips",
        "muscles_primary": ["iliopsoas"],
        "muscles_secondary": ["rectus femoris"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Kneel on one knee on a mat with the other foot flat in front, both knees at about "
                "90 degrees."
            ),
            (
                "Tighten your stomach and squeeze the buttock of the kneeling leg so your pelvis "
                "tucks under."
            ),
            (
                "Keeping that tuck, ease your hips forward until you feel a stretch at the front "
                "of the kneeling hip."
            ),
            "For more stretch, reach the arm on the kneeling side up and slightly across.",
            "Hold, then switch sides.",
        ],
        "cues": [
            "The buttock squeeze creates the stretch",
            "Ribs down, chest tall",
            "Pad the knee",
        ],
        "common_mistakes": [
            "Lunging far forward while the lower back arches",
            "Front knee caving inward",
            "Losing the pelvic tuck during the hold",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "hip-flexor-stretch",
        "harder": "couch-stretch",
    },
    {
        "slug": "couch-stretch",
        "name": "Couch stretch",
        "category": "stretch",
        "body_region": "hips",
        "muscles_primary": ["rectus femoris", "iliopsoas"],
        "muscles_secondary": ["quadriceps"],
        "equipment": ["mat", "wall"],
        "difficulty": 3,
        "instructions": [
            (
                "Kneel facing away from a wall or sofa and slide one shin up it so the knee sits "
                "near the base."
            ),
            (
                "Bring the other foot forward into a half-kneeling position, holding a support if "
                "needed."
            ),
            "Squeeze the back buttock and tuck the pelvis, then slowly bring your trunk upright.",
            (
                "Stop at a strong but comfortable stretch along the front of the thigh, hold, and "
                "switch sides."
            ),
        ],
        "cues": [
            "Pelvis tucked before you sit up",
            "Only as upright as you can be without arching",
            "Breathe into the stretch",
        ],
        "common_mistakes": [
            "Arching the lower back to get upright",
            "Forcing a painful knee into the corner",
            "Holding the breath",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": ["end_range_extension"],
        "video_url": "",
        "easier": "kneeling-hip-flexor-stretch",
        "harder": "",
    },
    {
        "slug": "figure-4-stretch",
        "name": "Figure-4 (piriformis) stretch",
        "category": "stretch",
        "body_region": "hips",
        "muscles_primary": ["piriformis", "gluteus maximus"],
        "muscles_secondary": ["gluteus medius"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back with both knees bent and feet flat.",
            "Cross one ankle over the opposite knee so your legs make a number 4.",
            "Reach through the gap and hold behind the thigh of the bottom leg.",
            (
                "Draw that thigh gently toward you until you feel a stretch deep in the buttock of "
                "the crossed leg."
            ),
            "Hold, then switch sides.",
        ],
        "cues": [
            "Pull the crossed foot's toes up to protect the knee",
            "Head stays down",
            "Stretch, not pain",
        ],
        "common_mistakes": [
            "Pushing down hard on the crossed knee",
            "Lifting the head and straining the neck",
            "Carrying on when it sends tingling down the leg",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "single-knee-to-chest",
        "name": "Single knee to chest",
        "category": "stretch",
        "body_region": "lumbar_spine",
        "muscles_primary": ["erector spinae", "gluteus maximus"],
        "muscles_secondary": [],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back with both knees bent and feet flat.",
            "Hold behind one thigh and draw that knee gently toward your chest.",
            "Keep the other foot on the floor and your head resting down.",
            "Hold, lower slowly, and switch legs.",
        ],
        "cues": [
            "Hands behind the thigh, not on the kneecap",
            "Shoulders and neck relaxed",
            "Ease in a little with each breath out",
        ],
        "common_mistakes": ["Yanking the knee in hard", "Lifting the head and straining the neck"],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "knees-to-chest",
    },
    {
        "slug": "knees-to-chest",
        "name": "Double knees to chest",
        "category": "stretch",
        "body_region": "lumbar_spine",
        "muscles_primary": ["erector spinae"],
        "muscles_secondary": ["gluteus maximus", "quadratus lumborum"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back with knees bent and feet flat.",
            "Bring one knee and then the other up toward your chest.",
            (
                "Hold behind both thighs and draw them in gently until you feel your lower back "
                "lengthen."
            ),
            "Hold, breathing slowly, then lower one foot at a time.",
        ],
        "cues": [
            "Let the tailbone curl slightly off the floor",
            "Lower one leg at a time",
            "Stay relaxed",
        ],
        "common_mistakes": [
            "Swinging both legs up at once",
            "Pulling so hard the stretch turns painful",
            "Holding the breath",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": False,
        "contraindications": ["sustained_lumbar_flexion"],
        "video_url": "",
        "easier": "single-knee-to-chest",
        "harder": "",
    },
    {
        "slug": "childs-pose",
        "name": "Child's pose",
        "category": "stretch",
        "body_region": "lumbar_spine",
        "muscles_primary": ["latissimus dorsi", "erector spinae"],
        "muscles_secondary": ["gluteus maximus"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Kneel on a mat with big toes together and knees about hip-width apart or wider.",
            "Sit your hips back toward your heels.",
            (
                "Walk your hands forward and let your chest sink toward the floor, resting your "
                "forehead down."
            ),
            "Breathe slowly into your lower back and hold.",
        ],
        "cues": [
            "Hips heavy toward the heels",
            "Reach the hands long",
            "Widen the knees if the hips are tight",
        ],
        "common_mistakes": [
            "Forcing the hips down when the knees complain",
            "Shoulders hunched up to the ears",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 30,
        "per_side": False,
        "contraindications": ["sustained_lumbar_flexion"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "cat-camel",
        "name": "Cat-camel",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": ["erector spinae", "multifidus"],
        "muscles_secondary": ["rectus abdominis"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Start on hands and knees with hands under shoulders and knees under hips.",
            "Breathe out and slowly round your back up toward the ceiling, letting your head drop.",
            "Breathe in and slowly let your back dip gently, lifting your gaze a little.",
            "Keep moving smoothly between the two within a comfortable range.",
        ],
        "cues": [
            "One segment at a time",
            "Gentle range, no pushing at the ends",
            "Let your breathing set the pace",
        ],
        "common_mistakes": [
            "Forcing into the end of the dip",
            "Moving fast",
            "Bending the elbows instead of the spine",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "lower-trunk-rotation",
        "name": "Lower trunk rotation",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": ["obliques"],
        "muscles_secondary": ["erector spinae", "quadratus lumborum"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie on your back with knees bent, feet flat and together, and arms out to the sides.",
            (
                "Keeping your shoulders on the floor, let both knees lower slowly to one side as "
                "far as is comfortable."
            ),
            "Use your stomach muscles to bring the knees back to the middle.",
            "Repeat to the other side in a smooth rhythm.",
        ],
        "cues": [
            "Shoulders stay heavy",
            "Start small and let the range grow",
            "Breathe out as the knees lower",
        ],
        "common_mistakes": [
            "Letting the knees drop with a thud",
            "Opposite shoulder lifting",
            "Forcing into pain",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "open-book",
        "name": "Open book (thoracic rotation)",
        "category": "mobility",
        "body_region": "thoracic_spine",
        "muscles_primary": ["obliques"],
        "muscles_secondary": ["pectoralis major", "latissimus dorsi"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Lie on your side with hips and knees bent to 90 degrees and arms straight out in "
                "front, palms together, head on a pillow."
            ),
            "Keep your knees together and resting on the floor.",
            (
                "Lift the top arm and sweep it over to the other side, following your hand with "
                "your eyes, so your chest turns toward the ceiling."
            ),
            (
                "Pause where you feel a comfortable stretch, return, and repeat before switching "
                "sides."
            ),
        ],
        "cues": ["Knees stay stacked", "Turn from the upper back", "Breathe out as you open"],
        "common_mistakes": [
            "Knees sliding apart so the lower back twists instead",
            "Forcing the hand to the floor",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "prone-on-elbows",
        "name": "Prone on elbows (sphinx)",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": [],
        "muscles_secondary": [],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Lie face down for a minute or two and let your back relax.",
            (
                "Prop yourself up on your forearms with elbows under your shoulders, hips staying "
                "on the floor."
            ),
            "Keep your buttocks and back muscles relaxed and breathe slowly.",
            (
                "Hold, then lower down; notice whether any leg pain moves toward the back or "
                "further down the leg."
            ),
        ],
        "cues": [
            "Hips stay on the floor",
            "Buttocks relaxed",
            "Pain moving up toward the back is a good sign",
        ],
        "common_mistakes": [
            "Tensing the back and buttock muscles",
            "Carrying on when pain spreads further down the leg",
        ],
        "default_sets": 3,
        "default_reps": None,
        "default_hold_seconds": 60,
        "per_side": False,
        "contraindications": ["prolonged_prone"],
        "video_url": "",
        "easier": "",
        "harder": "prone-press-up",
    },
    {
        "slug": "prone-press-up",
        "name": "Prone press-up (McKenzie extension)",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": [],
        "muscles_secondary": [],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            "Lie face down with your hands flat under your shoulders as if about to do a push-up.",
            (
                "Keeping your hips and legs relaxed on the floor, straighten your arms to lift "
                "your upper body."
            ),
            "Go only as high as is comfortable, let your back sag, and pause for a second or two.",
            "Lower slowly and repeat, going a little higher each time if symptoms allow.",
        ],
        "cues": [
            "The arms do the work; the back stays relaxed",
            "Hips stay down",
            "Breathe out at the top",
        ],
        "common_mistakes": [
            "Hips lifting off the floor",
            "Squeezing the buttocks",
            "Carrying on when leg symptoms spread further down",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": ["end_range_extension"],
        "video_url": "",
        "easier": "prone-on-elbows",
        "harder": "",
    },
    {
        "slug": "standing-back-extension",
        "name": "Standing back extension",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": [],
        "muscles_secondary": [],
        "equipment": ["none"],
        "difficulty": 1,
        "instructions": [
            (
                "Stand with your feet apart and your hands on the back of your hips, fingers "
                "pointing down."
            ),
            "Keeping your knees straight, lean backward over your hands as far as is comfortable.",
            "Hold for a second, then return to upright.",
            "Use it after long spells of sitting or in a break during a run if it eases your back.",
        ],
        "cues": [
            "Hands support the pelvis",
            "Eyes forward, not at the ceiling",
            "Smooth and controlled",
        ],
        "common_mistakes": [
            "Bending the knees instead of the back",
            "Throwing the head back",
            "Pushing into sharp pain",
        ],
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": ["end_range_extension"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "sciatic-nerve-glide-supine",
        "name": "Sciatic nerve glide (lying)",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": [],
        "muscles_secondary": [],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Lie on your back and hold behind one thigh with both hands so the hip is bent to "
                "about 90 degrees and the knee is bent."
            ),
            "Slowly straighten the knee while you rest your head back onto the floor or pillow.",
            "Then bend the knee again while you tuck your chin and lift your head slightly.",
            "Keep the movement smooth and within a comfortable range, then switch legs.",
        ],
        "cues": [
            "Knee straight, head back; knee bent, chin tucked",
            "A mild pull is fine, pain or lasting tingling is not",
            "Gentle rhythm, no holding",
        ],
        "common_mistakes": [
            "Holding the end position like a hamstring stretch",
            "Pushing into tingling or numbness that lingers",
            "Fast, jerky movements",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": ["neural_tension"],
        "video_url": "",
        "easier": "",
        "harder": "sciatic-nerve-glide",
    },
    {
        "slug": "sciatic-nerve-glide",
        "name": "Sciatic nerve glide (seated slider)",
        "category": "mobility",
        "body_region": "lumbar_spine",
        "muscles_primary": [],
        "muscles_secondary": [],
        "equipment": ["none"],
        "difficulty": 2,
        "instructions": [
            "Sit tall on the edge of a chair with your hands resting on your thighs.",
            (
                "Straighten one knee and pull the toes up toward you while tipping your head back "
                "to look up."
            ),
            (
                "Then bend the knee back down and point the toes while you bring your chin toward "
                "your chest."
            ),
            "Keep going smoothly back and forth, then switch legs.",
        ],
        "cues": [
            "Look up as the leg straightens, look down as it bends",
            "Sit tall, not slumped",
            "Mild tension is fine, pain is not",
        ],
        "common_mistakes": [
            "Slumping, which adds tension to the nerve",
            "Holding at the end of the movement",
            "Pushing through symptoms that last after you stop",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": ["neural_tension"],
        "video_url": "",
        "easier": "sciatic-nerve-glide-supine",
        "harder": "",
    },
    {
        "slug": "hip-switch-90-90",
        "name": "90/90 hip switch",
        "category": "mobility",
        "body_region": "hips",
        "muscles_primary": ["deep hip rotators", "gluteus medius"],
        "muscles_secondary": ["iliopsoas", "hip adductors"],
        "equipment": ["mat"],
        "difficulty": 2,
        "instructions": [
            (
                "Sit on the floor with both knees bent to 90 degrees, one leg in front of you and "
                "one out to the side."
            ),
            "Sit tall, with your hands on the floor behind you for support if needed.",
            "Lift both knees and rotate them over to the other side so the legs swap roles.",
            "Keep switching slowly from side to side, staying as upright as you can.",
        ],
        "cues": [
            "Tall spine; the hips do the turning",
            "Use your hands if you need them",
            "Smooth, controlled switches",
        ],
        "common_mistakes": [
            "Slumping into a rounded back",
            "Forcing the knees to the floor",
            "Moving quickly",
        ],
        "default_sets": 2,
        "default_reps": 8,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "quadruped-rock-back",
        "name": "Quadruped rock back",
        "category": "mobility",
        "body_region": "hips",
        "muscles_primary": ["gluteus maximus"],
        "muscles_secondary": ["multifidus", "transversus abdominis"],
        "equipment": ["mat"],
        "difficulty": 1,
        "instructions": [
            "Start on hands and knees with hands under shoulders, knees under hips and back flat.",
            (
                "Keeping your back in the same flat position, slowly push your hips back toward "
                "your heels."
            ),
            "Stop just before your lower back starts to round.",
            "Return to the start and repeat.",
        ],
        "cues": [
            "Back flat like a tabletop",
            "Hips move, spine stays still",
            "Go only as far as you can control",
        ],
        "common_mistakes": [
            "Lower back rounding at the end",
            "Sitting all the way back whatever the back is doing",
        ],
        "default_sets": 2,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "leg-swings",
        "name": "Leg swings",
        "category": "mobility",
        "body_region": "hips",
        "muscles_primary": ["iliopsoas", "hamstrings"],
        "muscles_secondary": ["hip adductors", "gluteus medius"],
        "equipment": ["wall"],
        "difficulty": 1,
        "instructions": [
            "Stand side-on to a wall with one hand on it for balance.",
            "Swing the outside leg forward and back like a pendulum, starting small.",
            "Let the swing grow gradually as the hip loosens, keeping your trunk upright.",
            (
                "Then face the wall and swing the leg across your body and out to the side before "
                "switching legs."
            ),
        ],
        "cues": [
            "Trunk stays tall and still",
            "Let the swing build gradually",
            "Stand tall on the support leg",
        ],
        "common_mistakes": [
            "Arching the lower back to swing higher",
            "Kicking hard from the first swing",
        ],
        "default_sets": 2,
        "default_reps": 15,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "foam-roll-thoracic-spine",
        "name": "Foam roll: upper back (thoracic spine)",
        "category": "mobility",
        "body_region": "thoracic_spine",
        "muscles_primary": ["erector spinae", "rhomboids"],
        "muscles_secondary": ["latissimus dorsi"],
        "equipment": ["foam_roller", "mat"],
        "difficulty": 1,
        "instructions": [
            (
                "Sit on the floor with a foam roller across your back just below your shoulder "
                "blades and your knees bent."
            ),
            (
                "Support your head with your hands, elbows pointing forward, and lift your hips "
                "slightly."
            ),
            (
                "Roll slowly between the bottom of your shoulder blades and the top of your upper "
                "back."
            ),
            "Pause on stiff spots and let your upper back ease back over the roller a few times.",
        ],
        "cues": [
            "Stay above the lowest ribs",
            "Chin tucked, head supported",
            "Slow rolls, steady breathing",
        ],
        "common_mistakes": [
            "Rolling down onto the lower back",
            "Letting the neck hang back",
            "Rolling too fast to relax",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 60,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "foam-roll-quadriceps",
        "name": "Foam roll: front of thigh (quadriceps)",
        "category": "mobility",
        "body_region": "hips",
        "muscles_primary": ["quadriceps"],
        "muscles_secondary": ["tensor fasciae latae"],
        "equipment": ["foam_roller", "mat"],
        "difficulty": 1,
        "instructions": [
            "Lie face down on your forearms with a foam roller under the front of your thighs.",
            "Shift your weight onto one leg and rest the other leg out to the side.",
            "Roll slowly from just above the knee to just below the hip.",
            "Pause on tender spots for a few breaths, then switch legs.",
        ],
        "cues": [
            "Brace your stomach as in a plank",
            "Slow and steady",
            "Tender is fine, sharp is not",
        ],
        "common_mistakes": [
            "Sagging through the lower back",
            "Rolling over the kneecap",
            "Rolling too fast",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 60,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "foam-roll-glutes",
        "name": "Foam roll: buttock (glutes)",
        "category": "mobility",
        "body_region": "hips",
        "muscles_primary": ["gluteus maximus", "piriformis"],
        "muscles_secondary": ["gluteus medius"],
        "equipment": ["foam_roller"],
        "difficulty": 1,
        "instructions": [
            "Sit on a foam roller and cross one ankle over the opposite knee.",
            (
                "Lean toward the side of the crossed leg so your weight rests on that buttock, "
                "hands behind you for support."
            ),
            "Roll slowly with small movements across the buttock.",
            "Pause on tender spots, then switch sides.",
        ],
        "cues": [
            "Small, slow movements",
            "Breathe and let the muscle soften",
            "Take your weight on your hands",
        ],
        "common_mistakes": [
            "Pressing on a spot that sends tingling down the leg",
            "Rolling onto the lower back or tailbone",
        ],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 60,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "foam-roll-calves",
        "name": "Foam roll: calves",
        "category": "mobility",
        "body_region": "lower_leg",
        "muscles_primary": ["gastrocnemius", "soleus"],
        "muscles_secondary": [],
        "equipment": ["foam_roller"],
        "difficulty": 1,
        "instructions": [
            "Sit with a foam roller under one calf and your hands on the floor behind you.",
            "Lift your hips and roll slowly from just below the knee to just above the ankle.",
            "Turn the leg slightly in and out to reach the inner and outer calf.",
            "For more pressure, stack the other leg on top, then switch legs.",
        ],
        "cues": [
            "Slow rolls",
            "Point and flex the foot over tender spots",
            "Shoulders away from the ears",
        ],
        "common_mistakes": ["Rolling over the back of the knee", "Rushing"],
        "default_sets": 2,
        "default_reps": None,
        "default_hold_seconds": 60,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "a-march",
        "name": "A-march",
        "category": "running_drill",
        "body_region": "full_body",
        "muscles_primary": ["iliopsoas"],
        "muscles_secondary": ["gastrocnemius", "transversus abdominis"],
        "equipment": ["none"],
        "difficulty": 1,
        "instructions": [
            "Stand tall and march forward slowly.",
            "Lift one knee until the thigh is level with the hip, with the toes pulled up.",
            "Drive the foot back down under your hip as the opposite arm swings forward.",
            "Alternate legs smoothly for the set number of steps.",
        ],
        "cues": [
            "Tall, with a slight lean from the ankles",
            "Foot lands under the hip",
            "Opposite arm, opposite leg",
        ],
        "common_mistakes": ["Leaning back as the knee lifts", "Reaching the foot out in front"],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "a-skips",
    },
    {
        "slug": "a-skips",
        "name": "A-skips",
        "category": "running_drill",
        "body_region": "full_body",
        "muscles_primary": ["iliopsoas", "gastrocnemius"],
        "muscles_secondary": ["gluteus maximus", "soleus"],
        "equipment": ["none"],
        "difficulty": 2,
        "instructions": [
            "Start with a light skip, staying tall.",
            (
                "On each skip, drive one knee up to hip height while the other foot pushes off the "
                "ground."
            ),
            (
                "Bring the lifted foot down actively so it lands under your hip on the ball of the "
                "foot."
            ),
            "Swing your arms in rhythm and cover about 15 to 20 metres per set.",
        ],
        "cues": ["Quick, light contacts", "Knee up, toes up", "Land under the hip"],
        "common_mistakes": [
            "Leaning backward",
            "Landing on the heel out in front",
            "Chasing height over rhythm",
        ],
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": None,
        "per_side": True,
        "contraindications": ["high_impact"],
        "video_url": "",
        "easier": "a-march",
        "harder": "",
    },
    {
        "slug": "pogo-hops",
        "name": "Pogo hops",
        "category": "running_drill",
        "body_region": "lower_leg",
        "muscles_primary": ["gastrocnemius", "soleus"],
        "muscles_secondary": ["quadriceps"],
        "equipment": ["none"],
        "difficulty": 2,
        "instructions": [
            "Stand tall with feet hip-width apart.",
            "Bounce on the balls of your feet with small, quick hops, knees nearly straight.",
            "Let your ankles act like springs and spend as little time on the ground as you can.",
            "End the set as soon as the hops get heavy or loud.",
        ],
        "cues": ["Quiet feet", "Small and quick, not high", "Springy ankles"],
        "common_mistakes": [
            "Landing on the heels",
            "Bending the knees deeply on every landing",
            "Carrying on once tired",
        ],
        "default_sets": 3,
        "default_reps": 20,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": ["high_impact"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "strides",
        "name": "Strides",
        "category": "running_drill",
        "body_region": "full_body",
        "muscles_primary": ["gluteus maximus", "hamstrings", "gastrocnemius"],
        "muscles_secondary": ["quadriceps", "iliopsoas"],
        "equipment": ["none"],
        "difficulty": 2,
        "instructions": [
            "After an easy run, find a flat, soft stretch of about 80 to 100 metres.",
            "Speed up smoothly over the first third to roughly mile-race effort, not a sprint.",
            "Hold that fast but relaxed pace through the middle, then ease off gradually.",
            "Walk or jog back slowly for a full recovery before the next one.",
        ],
        "cues": ["Fast but relaxed", "Quick feet, short ground contact", "Tall and light"],
        "common_mistakes": [
            "Sprinting flat out",
            "Cutting the recovery short",
            "Overstriding to go faster",
        ],
        "default_sets": 1,
        "default_reps": 6,
        "default_hold_seconds": None,
        "per_side": False,
        "contraindications": ["high_impact"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "cadence-drill",
        "name": "Cadence drill (metronome)",
        "category": "running_drill",
        "body_region": "full_body",
        "muscles_primary": ["gluteus maximus", "gastrocnemius"],
        "muscles_secondary": ["quadriceps", "hamstrings"],
        "equipment": ["metronome"],
        "difficulty": 2,
        "instructions": [
            (
                "On an easy run, count your steps for 30 seconds and double the number to get your "
                "usual steps per minute."
            ),
            (
                "Set a metronome or app 5 percent above that number, or up to 10 percent once 5 "
                "feels natural."
            ),
            "Run to the beat for a few minutes at easy effort, taking shorter, lighter steps.",
            (
                "Go back to your natural rhythm between blocks, and raise the target only when the "
                "new cadence feels normal."
            ),
        ],
        "cues": ["Shorter steps, not a faster pace", "Feet land under the hips", "Quiet landings"],
        "common_mistakes": [
            "Speeding up instead of shortening the stride",
            "Jumping straight to a big increase",
            "Fighting to stay on the beat up steep hills",
        ],
        "default_sets": 4,
        "default_reps": None,
        "default_hold_seconds": 180,
        "per_side": False,
        "contraindications": ["high_impact"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "walk-run-intervals",
        "name": "Walk-run intervals",
        "category": "running_drill",
        "body_region": "full_body",
        "muscles_primary": ["gluteus maximus", "quadriceps"],
        "muscles_secondary": ["gastrocnemius", "hamstrings"],
        "equipment": ["none"],
        "difficulty": 1,
        "instructions": [
            "Warm up with five minutes of brisk walking.",
            (
                "Run at an easy, conversational pace for the run part, then walk briskly for the "
                "walk part."
            ),
            (
                "Repeat for the number of rounds in your plan, on a flat, forgiving surface if you "
                "can."
            ),
            (
                "Move to the next stage only if pain stays at 3 out of 10 or less while running "
                "and is no worse the next morning."
            ),
        ],
        "cues": [
            "Conversational pace only",
            "Short, light steps",
            "The next-morning check sets the pace of progress",
        ],
        "common_mistakes": [
            "Running the run parts too fast",
            "Moving up a stage after a bad next-morning check",
            "Adding hills or speed too early",
        ],
        "default_sets": 8,
        "default_reps": None,
        "default_hold_seconds": 180,
        "per_side": False,
        "contraindications": ["high_impact"],
        "video_url": "",
        "easier": "brisk-walk",
        "harder": "easy-continuous-run",
    },
    {
        "slug": "easy-continuous-run",
        "name": "Easy continuous run",
        "category": "running_drill",
        "body_region": "full_body",
        "muscles_primary": ["gluteus maximus", "quadriceps"],
        "muscles_secondary": ["gastrocnemius", "hamstrings"],
        "equipment": ["none"],
        "difficulty": 2,
        "instructions": [
            "Start with a few minutes of brisk walking or very easy jogging.",
            "Run at a pace where you could talk in full sentences.",
            "Keep the route flat and the surface forgiving for the first few weeks back.",
            (
                "Add no more than about 10 percent to your weekly running time, and keep doing the "
                "next-morning pain check."
            ),
        ],
        "cues": ["Easy enough to chat", "Light, quick steps", "Count minutes, not pace"],
        "common_mistakes": ["Chasing old paces", "Adding distance and speed in the same week"],
        "default_sets": 1,
        "default_reps": None,
        "default_hold_seconds": 1200,
        "per_side": False,
        "contraindications": ["high_impact"],
        "video_url": "",
        "easier": "walk-run-intervals",
        "harder": "",
    },
    {
        "slug": "brisk-walk",
        "name": "Brisk walk",
        "category": "cardio_alternative",
        "body_region": "full_body",
        "muscles_primary": ["gluteus maximus", "quadriceps"],
        "muscles_secondary": ["gastrocnemius", "hamstrings"],
        "equipment": ["none"],
        "difficulty": 1,
        "instructions": [
            "Walk at a pace that makes you breathe harder but still lets you talk.",
            (
                "Stand tall, let your arms swing naturally, and take comfortable rather than long "
                "steps."
            ),
            "Choose flat routes at first and add time before you add hills.",
            "Split the time into shorter walks through the day if one long walk is too much.",
        ],
        "cues": ["Tall and relaxed", "Natural arm swing", "Comfortable step length"],
        "common_mistakes": [
            "Overstriding",
            "Walking on through pain that builds with every minute",
        ],
        "default_sets": 1,
        "default_reps": None,
        "default_hold_seconds": 1800,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "walk-run-intervals",
    },
    {
        "slug": "swimming",
        "name": "Swimming",
        "category": "cardio_alternative",
        "body_region": "full_body",
        "muscles_primary": ["latissimus dorsi", "deltoids"],
        "muscles_secondary": ["pectoralis major", "gluteus maximus", "transversus abdominis"],
        "equipment": ["pool"],
        "difficulty": 1,
        "instructions": [
            "Warm up with a few easy lengths.",
            "Swim front crawl or backstroke, which keep the spine close to neutral.",
            (
                "Keep a steady effort where your breathing stays comfortable, resting at the wall "
                "as needed."
            ),
            "Build the session gradually toward the time you would usually spend running.",
        ],
        "cues": [
            "Roll the body to breathe instead of lifting the head",
            "Long, easy strokes",
            "A pull buoy or kickboard can take load off",
        ],
        "common_mistakes": [
            "Breaststroke with the head held high, which arches the lower back",
            "Doing too much in the first session",
        ],
        "default_sets": 1,
        "default_reps": None,
        "default_hold_seconds": 1200,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "pool-running",
        "name": "Deep-water running",
        "category": "cardio_alternative",
        "body_region": "full_body",
        "muscles_primary": ["hamstrings", "quadriceps", "gluteus maximus"],
        "muscles_secondary": ["iliopsoas", "deltoids"],
        "equipment": ["pool"],
        "difficulty": 2,
        "instructions": [
            (
                "In the deep end, wear a flotation belt so you float upright without touching the "
                "bottom."
            ),
            "Run in the water with your normal arm swing and a slight forward lean.",
            "Drive the knee forward and push the foot down and back, as you would on land.",
            "Start at a steady easy effort and add intervals as fitness and comfort allow.",
        ],
        "cues": [
            "Tall with a slight forward lean",
            "Full running action, not paddling",
            "Effort counts, not distance",
        ],
        "common_mistakes": ["Leaning back into a cycling motion", "Short, choppy leg movements"],
        "default_sets": 1,
        "default_reps": None,
        "default_hold_seconds": 1200,
        "per_side": False,
        "contraindications": [],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
    {
        "slug": "cycling",
        "name": "Cycling",
        "category": "cardio_alternative",
        "body_region": "full_body",
        "muscles_primary": ["quadriceps", "gluteus maximus"],
        "muscles_secondary": ["hamstrings", "gastrocnemius"],
        "equipment": ["bike"],
        "difficulty": 1,
        "instructions": [
            "Set the saddle so your knee stays slightly bent at the bottom of each pedal stroke.",
            (
                "Raise the handlebars, or use an upright or recumbent bike, so your back is not "
                "deeply rounded."
            ),
            "Pedal at an easy to moderate effort with light resistance and a smooth rhythm.",
            (
                "Build the session length gradually, and stand up to stretch every 10 to 15 "
                "minutes if your back stiffens."
            ),
        ],
        "cues": [
            "Fairly upright, shoulders relaxed",
            "Light gear, quick smooth pedalling",
            "Stop if leg pain increases",
        ],
        "common_mistakes": [
            "A saddle so low the knees come up high",
            "Riding low and stretched out on drop handlebars",
        ],
        "default_sets": 1,
        "default_reps": None,
        "default_hold_seconds": 1200,
        "per_side": False,
        "contraindications": ["sustained_lumbar_flexion"],
        "video_url": "",
        "easier": "",
        "harder": "",
    },
]

# Every muscle named in EXERCISES, lowercase, alphabetical.
MUSCLES: list[str] = [
    "deep hip rotators",
    "deltoids",
    "diaphragm",
    "erector spinae",
    "gastrocnemius",
    "gluteus maximus",
    "gluteus medius",
    "gluteus minimus",
    "hamstrings",
    "hip adductors",
    "iliopsoas",
    "latissimus dorsi",
    "multifidus",
    "obliques",
    "pectoralis major",
    "pelvic floor",
    "piriformis",
    "quadratus lumborum",
    "quadriceps",
    "rectus abdominis",
    "rectus femoris",
    "rhomboids",
    "soleus",
    "tensor fasciae latae",
    "transversus abdominis",
]

# Hypothesis code (intake/scoring.py HYPOTHESES) -> tags that should raise a warning when an
# exercise carrying them is put in a plan for a patient with that working hypothesis. Every
# code is listed; an empty list means no load needs avoiding, only sensible dosing.
HYPOTHESIS_CAUTIONS: dict[str, list[str]] = {
    # Graded loading is the treatment for a strain; pain during and after exercise guides the
    # dose, and no movement needs to be avoided.
    "strain_overuse": [],
    # Weak or tight muscles are fixed by the very exercises in this library.
    "muscle_imbalance": [],
    # Facet joints are compressed by arching the back, most of all when arching is combined
    # with turning under load; bending forward usually eases them.
    "facet_joint": ["end_range_extension", "rotation_under_load"],
    # Running, hopping and skipping put repeated one-sided landing shear through an irritated
    # sacroiliac joint; bring them back after the pelvis has been stabilised.
    "sacroiliac_joint": ["high_impact"],
    # Bending forward, loaded or held at end range, and twisting under load raise pressure in
    # the disc and push on its damaged back wall.
    "herniated_disc": [
        "loaded_lumbar_flexion",
        "sustained_lumbar_flexion",
        "rotation_under_load",
    ],
    # Sciatica in runners is most often driven by a disc, and a rounded back both loads the
    # disc and tensions the nerve, so flexion is the caution. neural_tension is deliberately
    # NOT listed: nerve glides (sliders) are a first-line treatment for sciatica and the
    # radicular-friendly template prescribes one. Warning on them would fire on the plan built
    # for this very patient and teach therapists to ignore warnings. Dosing (gentle sliding,
    # stop if symptoms spread down the leg) lives in the exercise's cues and the template's
    # notes instead.
    "sciatica": ["loaded_lumbar_flexion", "sustained_lumbar_flexion"],
    # A sacral or pars stress fracture needs imaging before loading: impact loads the sacrum
    # with every step, and arching (especially while turning under load) stresses the pars.
    "stress_fracture": ["high_impact", "end_range_extension", "rotation_under_load"],
    # Form drills (cadence, strides, skips) are the treatment for poor running form.
    "running_form": [],
    # The fix is new shoes and softer surfaces; no exercise needs avoiding.
    "shoes_surfaces": [],
    # The error is the dose, not any movement: the graded return-to-running template is the
    # treatment, so running itself should not raise a warning.
    "training_load": [],
}

# Tags that should raise a warning whenever the intake recorded any red flag, until the
# clinic has seen the patient and ruled out a serious cause. The "possible serious cause"
# flags include bone fragility (osteoporosis, steroids, cancer, trauma), where impact, loaded
# bending or twisting and forced arching can injure a weakened vertebra; the cauda equina
# flags mean nerve roots are compromised, so nerve-tensioning movements must wait.
RED_FLAG_CAUTION_TAGS: list[str] = [
    "high_impact",
    "loaded_lumbar_flexion",
    "rotation_under_load",
    "end_range_extension",
    "neural_tension",
]

TEMPLATES: list[dict] = [
    {
        "slug": "core-glute-foundation",
        "name": "Core and glute foundation",
        "description": (
            "Builds the deep trunk muscles and the buttock muscles that steady the pelvis while "
            "you run, so the lower back has less work to do. Starts with slow control exercises "
            "and moves on to holds and hip strength. Work at an effort that leaves your back no "
            "worse the next day."
        ),
        "suggested_for": ["muscle_imbalance", "strain_overuse", "running_form", "sacroiliac_joint"],
        "items": [
            {
                "exercise": "dead-bug",
                "sets": 2,
                "reps": 8,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Start here to learn to keep the back still while the arms and legs move.",
            },
            {
                "exercise": "bird-dog",
                "sets": 2,
                "reps": 8,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Hold each reach for a slow count of five.",
            },
            {
                "exercise": "mcgill-curl-up",
                "sets": 3,
                "reps": 6,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 4,
                "notes": "Hold each rep about eight seconds; the back keeps its natural curve.",
            },
            {
                "exercise": "side-plank-knees",
                "sets": 3,
                "reps": None,
                "hold_seconds": 20,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Move to the full side plank once 30 seconds each side feels steady.",
            },
            {
                "exercise": "glute-bridge",
                "sets": 3,
                "reps": 12,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 4,
                "notes": "Stop where shoulders, hips and knees line up; no arching at the top.",
            },
            {
                "exercise": "clamshell",
                "sets": 2,
                "reps": 15,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Add a loop band when 15 feels easy.",
            },
            {
                "exercise": "plank",
                "sets": 3,
                "reps": None,
                "hold_seconds": 30,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Build to 45 seconds before adding harder versions.",
            },
            {
                "exercise": "banded-lateral-walk",
                "sets": 2,
                "reps": 10,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 3,
                "notes": "A good warm-up before runs once the other exercises feel easy.",
            },
        ],
    },
    {
        "slug": "hip-flexor-hamstring-mobility",
        "name": "Hip-flexor and hamstring mobility",
        "description": (
            "Eases tight hip flexors, hamstrings and buttock muscles that tug on the pelvis and "
            "lower back, and keeps the hips moving freely for running. Rolling comes first, then "
            "stretches, then active mobility that doubles as a pre-run warm-up. Stretch to a mild "
            "pull, never pain."
        ),
        "suggested_for": ["muscle_imbalance", "running_form", "strain_overuse"],
        "items": [
            {
                "exercise": "foam-roll-quadriceps",
                "sets": 1,
                "reps": None,
                "hold_seconds": 60,
                "per_side": True,
                "times_per_week": 5,
                "notes": "Slow passes; skip any spot that is sharp.",
            },
            {
                "exercise": "foam-roll-glutes",
                "sets": 1,
                "reps": None,
                "hold_seconds": 60,
                "per_side": True,
                "times_per_week": 5,
                "notes": "Stay off the lower back and tailbone.",
            },
            {
                "exercise": "kneeling-hip-flexor-stretch",
                "sets": 2,
                "reps": None,
                "hold_seconds": 30,
                "per_side": True,
                "times_per_week": 5,
                "notes": (
                    "Tuck the pelvis first; the stretch should be felt at the front of the hip, "
                    "not the back."
                ),
            },
            {
                "exercise": "hamstring-stretch",
                "sets": 2,
                "reps": None,
                "hold_seconds": 30,
                "per_side": True,
                "times_per_week": 5,
                "notes": "Stop short of any tingling down the leg; keep the ankle relaxed.",
            },
            {
                "exercise": "figure-4-stretch",
                "sets": 2,
                "reps": None,
                "hold_seconds": 30,
                "per_side": True,
                "times_per_week": 5,
                "notes": "Pull gently; the stretch is deep in the buttock.",
            },
            {
                "exercise": "hip-switch-90-90",
                "sets": 2,
                "reps": 8,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 5,
                "notes": "Use your hands for support at first.",
            },
            {
                "exercise": "quadruped-rock-back",
                "sets": 2,
                "reps": 10,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 5,
                "notes": "Stop just before the lower back rounds.",
            },
            {
                "exercise": "leg-swings",
                "sets": 1,
                "reps": 15,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 3,
                "notes": "Before each run, front-to-back then side-to-side.",
            },
        ],
    },
    {
        "slug": "radicular-friendly",
        "name": "Radicular-friendly (extension bias and nerve glides)",
        "description": (
            "For back pain with pain, tingling or numbness down the leg from an irritated nerve "
            "root. Uses repeated extension, which often draws leg symptoms back toward the spine, "
            "gentle nerve glides and neutral-spine core work, and leaves out loaded or sustained "
            "bending. Symptoms moving up toward the back are a good sign; symptoms spreading "
            "further down the leg mean stop that exercise and tell your therapist. New weakness, "
            "numbness in the saddle area or bladder or bowel changes need urgent medical care."
        ),
        "suggested_for": ["herniated_disc", "sciatica"],
        "items": [
            {
                "exercise": "prone-on-elbows",
                "sets": 3,
                "reps": None,
                "hold_seconds": 60,
                "per_side": False,
                "times_per_week": 7,
                "notes": (
                    "Start here; lie flat for a minute first. Move on only if leg symptoms ease or "
                    "stay the same."
                ),
            },
            {
                "exercise": "prone-press-up",
                "sets": 3,
                "reps": 10,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 7,
                "notes": (
                    "Every two to three hours while symptoms are settling; go a little higher each "
                    "rep if leg symptoms ease."
                ),
            },
            {
                "exercise": "standing-back-extension",
                "sets": 1,
                "reps": 10,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 7,
                "notes": "After every long spell of sitting.",
            },
            {
                "exercise": "sciatic-nerve-glide-supine",
                "sets": 2,
                "reps": 10,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 5,
                "notes": (
                    "Gentle sliding only, never a held stretch; stop if tingling lingers afterward."
                ),
            },
            {
                "exercise": "abdominal-brace",
                "sets": 2,
                "reps": 10,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 7,
                "notes": "Learn the light brace here and use it in the exercises below.",
            },
            {
                "exercise": "bird-dog",
                "sets": 2,
                "reps": 8,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 5,
                "notes": "Keep the back flat; no arching as the leg lifts.",
            },
            {
                "exercise": "glute-bridge",
                "sets": 2,
                "reps": 10,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 5,
                "notes": "Small range first; no arching at the top.",
            },
            {
                "exercise": "brisk-walk",
                "sets": 1,
                "reps": None,
                "hold_seconds": 900,
                "per_side": False,
                "times_per_week": 7,
                "notes": (
                    "Short, frequent walks are usually easier on the back than long spells of "
                    "sitting; build toward 30 minutes."
                ),
            },
        ],
    },
    {
        "slug": "graded-return-to-running",
        "name": "Graded return to running",
        "description": (
            "A walk-run plan that rebuilds running a little each week, on three non-consecutive "
            "days. Start once walking briskly for 30 minutes and 20 pogo hops are pain-free. Each "
            "week, move on only if pain stays at 3 out of 10 or less during the run and is no "
            "worse the next morning; otherwise repeat the week. Strides and cadence work come in "
            "at the end."
        ),
        "suggested_for": ["training_load", "strain_overuse", "running_form"],
        "items": [
            {
                "exercise": "walk-run-intervals",
                "sets": 8,
                "reps": None,
                "hold_seconds": 180,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Week 1: 1 min run / 2 min walk × 8.",
            },
            {
                "exercise": "walk-run-intervals",
                "sets": 6,
                "reps": None,
                "hold_seconds": 240,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Week 2: 2 min run / 2 min walk × 6.",
            },
            {
                "exercise": "walk-run-intervals",
                "sets": 6,
                "reps": None,
                "hold_seconds": 240,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Week 3: 3 min run / 1 min walk × 6.",
            },
            {
                "exercise": "walk-run-intervals",
                "sets": 5,
                "reps": None,
                "hold_seconds": 360,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Week 4: 5 min run / 1 min walk × 5.",
            },
            {
                "exercise": "walk-run-intervals",
                "sets": 3,
                "reps": None,
                "hold_seconds": 660,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Week 5: 10 min run / 1 min walk × 3.",
            },
            {
                "exercise": "easy-continuous-run",
                "sets": 1,
                "reps": None,
                "hold_seconds": 1500,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Week 6: 25 min continuous easy running; then add about 10% a week.",
            },
            {
                "exercise": "cadence-drill",
                "sets": 4,
                "reps": None,
                "hold_seconds": 180,
                "per_side": False,
                "times_per_week": 1,
                "notes": (
                    "From week 5, once a week: 4 × 3 min at 5% above your usual cadence, up to 10% "
                    "once that feels natural."
                ),
            },
            {
                "exercise": "strides",
                "sets": 1,
                "reps": 6,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 2,
                "notes": (
                    "From week 7, after two easy runs a week: 4 to 6 strides with a full walk-back "
                    "recovery."
                ),
            },
        ],
    },
    {
        "slug": "offload-cross-train",
        "name": "Offload and cross-train (no impact, no end-range extension)",
        "description": (
            "Keeps fitness and trunk strength while running and back-arching movements are on "
            "hold, for example while a suspected stress fracture is investigated or while "
            "irritated facet joints settle. Cardio is done in the pool or on the bike, with "
            "neutral-spine core work. For a suspected stress fracture, start only once the clinic "
            "has arranged imaging and the doctor agrees that non-impact exercise is safe."
        ),
        "suggested_for": ["stress_fracture", "facet_joint"],
        "items": [
            {
                "exercise": "cycling",
                "sets": 1,
                "reps": None,
                "hold_seconds": 1200,
                "per_side": False,
                "times_per_week": 3,
                "notes": "Upright or recumbent bike; build toward your usual run time.",
            },
            {
                "exercise": "pool-running",
                "sets": 1,
                "reps": None,
                "hold_seconds": 1200,
                "per_side": False,
                "times_per_week": 2,
                "notes": "Keeps the running action without impact.",
            },
            {
                "exercise": "swimming",
                "sets": 1,
                "reps": None,
                "hold_seconds": 1200,
                "per_side": False,
                "times_per_week": 2,
                "notes": "Front crawl or backstroke; avoid head-up breaststroke.",
            },
            {
                "exercise": "dead-bug",
                "sets": 2,
                "reps": 8,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Back stays quietly on the floor throughout.",
            },
            {
                "exercise": "side-plank-knees",
                "sets": 3,
                "reps": None,
                "hold_seconds": 20,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Build toward 30 seconds each side.",
            },
            {
                "exercise": "glute-bridge",
                "sets": 3,
                "reps": 12,
                "hold_seconds": None,
                "per_side": False,
                "times_per_week": 4,
                "notes": "Stop at a straight line; do not arch at the top.",
            },
            {
                "exercise": "clamshell",
                "sets": 2,
                "reps": 15,
                "hold_seconds": None,
                "per_side": True,
                "times_per_week": 4,
                "notes": "Add a band when 15 feels easy.",
            },
            {
                "exercise": "knees-to-chest",
                "sets": 3,
                "reps": None,
                "hold_seconds": 30,
                "per_side": False,
                "times_per_week": 7,
                "notes": (
                    "Bending the back usually eases facet pain; use it when the back feels stiff."
                ),
            },
        ],
    },
]
