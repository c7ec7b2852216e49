def answers(red_flags=()):
    """Valid POST data for every step; ``red_flags`` are the codes answered yes."""
    from intake.demo import demo_answers

    return demo_answers(red_flags)
