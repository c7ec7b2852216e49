"""The booking comparison's pure parts: how Stride's free starts become the peer's form fields,
and how the results read against the goal."""

from bench import peer_booking


def test_starts_become_the_peers_local_form_fields():
    starts = [("2030-06-04T13:00:00Z", [11, 12]), ("2030-12-02T14:15:00+00:00", [12])]

    assert peer_booking._peer_starts(starts, [11, 12], [5, 6]) == [
        ("2030-06-04", "08:00", "08:45", [5, 6]),  # Chicago daylight time: UTC-5
        ("2030-12-02", "08:15", "09:00", [6]),  # standard time: UTC-6
    ]


def _side(bookings_rate: float, double_bookings: int, **extra) -> dict:
    return {
        "bookings": round(bookings_rate * 60),
        "bookings_rate": bookings_rate,
        "requests": 1000,
        "rate": 20.0,
        "statuses": {"201": 300, "409": 700},
        "cpu": {"server": 0.5, "postgres": 0.1},
        "steal": 0.0,
        "checks": {"double_bookings": double_bookings, "appointments": 400},
        **extra,
    }


def _results(stride_rate: float) -> dict:
    peer = _side(
        2.0,
        90,
        latency_p50_ms=900.0,
        failed={},
        bookings_before_window=64,
    )
    peer["checks"].update(first_at_their_time=100, requests_saved=400)
    return {
        "duration": 60.0,
        "warmup": 3.0,
        "ramp": 30.0,
        "clients": 64,
        "worker_class": "sync",
        "threads": 4,
        "workers": 5,
        "therapists": 20,
        "starts": 1360,
        "peer_version": "3.12.0",
        "stride": _side(stride_rate, 0, latency={"p50_ms": 700.0}),
        "peer": peer,
        "ratio": stride_rate / 2.0,
        "load_before": 1.5,
        "load_after": 2.5,
        "cpu_before": {"busy_cores": 0.1, "steal": 0.0},
        "cpu_during": {"busy_cores": 1.9, "steal": 0.0},
    }


MACHINE = {
    "date": "2030-06-03",
    "cpu": "Test CPU",
    "cores": 2,
    "memory": "4 GiB",
    "os": "Linux",
    "python": "3.11",
    "django": "5.2",
    "postgresql": "15",
    "sqlite": "3",
}


def test_the_report_says_whether_the_goal_is_met():
    # Compare without the line wrapping.
    met = " ".join(peer_booking.markdown(_results(7.0), MACHINE).split())
    missed = " ".join(peer_booking.markdown(_results(4.0), MACHINE).split())

    assert "**3.5×** (goal ≥ 3× with 0 double bookings: met)" in met
    assert "**2.0×** (goal ≥ 3× with 0 double bookings: NOT met)" in missed
    # The peer's kept bookings: 2.0/s × 100 of 400 appointments = 0.5/s.
    assert "came at 0.5 per second, and Stride made 14.0× as many" in met
    assert "1-minute load average when the run started: 1.50" in met
    assert peer_booking.summary(_results(7.0))[0].endswith("ratio 3.5x")
