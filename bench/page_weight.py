"""Benchmark 4: page weight. What a browser downloads for each page of the journeys, and whether
static files are cached for good.

A fresh SQLite database gets the demo practice (``seed_demo``), static files are collected as
production collects them (``bench.page_weight_settings``: hashed names, gzip copies), gunicorn
serves Stride on a free port, and headless Chromium opens each page at phone size in a new
browser context (an empty cache), then once more in the same context. Transferred bytes are the
encoded bodies plus headers of every response, as the browser's network layer reports them. No
timing is measured. Run it with ``python -m bench weight``.
"""

import datetime
import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import common, report

WORK = common.VAR_DIR / "page-weight"
BUDGET = 200 * 1024  # the largest page of the journeys, transferred with an empty cache
FOREVER = 315360000  # WhiteNoise's max-age for files with a hash in their name (10 years)
PHONE = {"width": 390, "height": 844}


def _env(port: int) -> dict:
    return common.django_env(
        f"sqlite:///{WORK / 'stride.sqlite3'}",
        DJANGO_SETTINGS_MODULE="bench.page_weight_settings",
        STATIC_ROOT=str(WORK / "static"),
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )


def _manage(*args: str, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity=0"],
        env=env,
        cwd=common.REPO_ROOT,
        check=True,
    )


def setup() -> dict:
    """In a child with Django set up: the demo's records the journeys' pages need."""
    import django

    django.setup()
    from clinic import links
    from clinic.demo import DEMO_PASSWORD, demo_logins
    from clinic.models import Appointment
    from intake.models import IntakeAssessment

    # A second evaluation for a demo patient, a week after their first: its intake not begun.
    visit = Appointment.objects.filter(appointment_type__needs_intake=True).order_by("pk").first()
    visit.pk = None
    while Appointment.objects.filter(  # the same hour of a later week that is free
        therapist=visit.therapist, start__lt=visit.blocked_until, blocked_until__gt=visit.start
    ).exists():
        week = datetime.timedelta(days=7)
        visit.start, visit.end, visit.blocked_until = (
            visit.start + week,
            visit.end + week,
            visit.blocked_until + week,
        )
    visit.save()
    intake = IntakeAssessment.objects.filter(submitted_at__isnull=False).order_by("pk").first()
    logins = dict(demo_logins())
    # The demo patient's plan, from a template, as their therapist would publish it.
    from careplans import services as plans
    from careplans.models import CarePlanTemplate
    from clinic.models import Patient

    patient = Patient.objects.get(email=logins["Patient"])
    seen = patient.appointments.order_by("start").first()
    own = IntakeAssessment.objects.filter(patient=patient, submitted_at__isnull=False).first()
    plan = plans.careplan_create(
        patient=patient,
        author=seen.therapist,
        template=CarePlanTemplate.objects.filter(is_active=True).order_by("pk").first(),
        intake=own,
    )
    plans.careplan_publish(plan=plan)
    return {
        "intake_path": f"/intake/{links.appointment_token(visit, salt=links.INTAKE_SALT)}/",
        "review_path": f"/intake/review/{intake.pk}/",
        "therapist": intake.appointment.therapist.user.email,
        "patient": logins["Patient"],
        "password": DEMO_PASSWORD,
        "location": visit.location.slug,
        "type": visit.appointment_type.slug,
    }


def _serve(port: int, env: dict, log_file: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_file.open("wb") as log:
        server = subprocess.Popen(
            [str(gunicorn), "clinic.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=2"],
            env=env,
            cwd=common.REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise common.BenchError(f"gunicorn did not answer within 30 s; see {log_file}")


def _sign_in(browser, base: str, email: str, password: str):
    context = browser.new_context(viewport=PHONE, base_url=base)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


def _weigh(browser, base: str, path: str, state=None) -> dict:
    """One page with an empty cache, then again with what the first visit cached."""
    context = browser.new_context(viewport=PHONE, base_url=base, storage_state=state)
    page = context.new_page()
    seen: list = []
    page.on("requestfinished", lambda request: seen.append(request))

    def load() -> dict:
        seen.clear()
        answer = page.goto(path, wait_until="networkidle")
        total, document, files, fetched, uncached = 0, 0, 0, 0, []
        for request in seen:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            response = request.response()
            total += max(size, 0)
            fetched += size > 0  # a file from the browser's cache costs no bytes
            if request.resource_type == "document":
                document += max(size, 0)
            elif "/static/" in request.url and response is not None:
                files += 1
                cache = response.headers.get("cache-control", "")
                if f"max-age={FOREVER}" not in cache and response.status != 304:
                    uncached.append(request.url.rsplit("/", 1)[-1])
        return {
            "status": answer.status if answer else None,
            "bytes": total,
            "document": document,
            "requests": fetched,
            "static_files": files,
            "not_cached_for_good": uncached,
        }

    cold = load()
    warm = load()
    context.close()
    return {"path": path, "cold": cold, "warm": warm}


def run() -> dict:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise common.BenchError("page weight needs Chromium (make browser installs it)")
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    port = _free_port()
    env = _env(port)
    common.log("page weight: demo practice, collected static files")
    _manage("migrate", "--noinput", env=env)
    _manage("load_library", env=env)
    _manage("seed_demo", env=env)
    _manage("collectstatic", "--noinput", env=env)
    ids = common.run_json(
        [sys.executable, "-m", "bench.page_weight", "--setup"], env=env, timeout=120
    )
    server = _serve(port, env, WORK / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    booking = f"type={ids['type']}&location={ids['location']}&therapist=any"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox"]
            )
            patient = _sign_in(browser, base, ids["patient"], ids["password"])
            therapist = _sign_in(browser, base, ids["therapist"], ids["password"])
            pages = [
                ("Home", "/", None),
                ("Booking: choose", "/book/", None),
                ("Booking: free times", f"/book/times/?{booking}", None),
                ("Intake link: first page", ids["intake_path"], None),
                ("My care", "/account/", patient),
                ("My plan", "/plans/mine/", patient),
                ("Therapist: schedule", "/workspace/schedule/", therapist),
                ("Therapist: intake review", ids["review_path"], therapist),
                ("Therapist: care plans", "/plans/", therapist),
            ]
            rows = []
            for label, path, state in pages:
                common.log(f"page weight: {label}")
                rows.append({"label": label, **_weigh(browser, base, path, state)})
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"pages": rows, "budget": BUDGET}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def summary(results: dict) -> list[str]:
    largest = max(results["pages"], key=lambda r: r["cold"]["bytes"])
    return [
        f"page weight: largest {largest['label']} {_kb(largest['cold']['bytes'])} "
        f"(budget {_kb(results['budget'])})"
    ]


def markdown(results: dict, machine: dict) -> str:
    pages = results["pages"]
    largest = max(pages, key=lambda r: r["cold"]["bytes"])
    uncached = sorted({name for r in pages for name in r["cold"]["not_cached_for_good"]})
    rows = [
        [
            r["label"],
            _kb(r["cold"]["bytes"]),
            str(r["cold"]["requests"]),
            _kb(r["cold"]["document"]),
            _kb(r["warm"]["bytes"]),
            str(r["warm"]["requests"]),
        ]
        for r in pages
    ]
    verdict = "within" if largest["cold"]["bytes"] <= results["budget"] else "OVER"
    return (
        "## 4. Page weight\n\n"
        + common.machine_markdown(machine)
        + "\n"
        + report.paragraph(
            """What a phone downloads for each page of the journeys, from the demo practice
            (`seed_demo`), served by gunicorn with static files collected as in production
            (hashed names, gzip copies, served by WhiteNoise). "Empty cache" is a first visit in
            a new browser; "cached" is the same page opened again. Bytes are the encoded bodies
            and headers of every response, as Chromium's network layer counts them. No timing
            is measured."""
        )
        + report.table(
            ["page", "empty cache", "requests", "of which the HTML", "cached", "requests"],
            "lrrrrr",
            rows,
        )
        + report.bullets(
            f"""Largest page: {largest["label"]}, {_kb(largest["cold"]["bytes"])} with an empty
            cache: {verdict} the budget of {_kb(results["budget"])}.""",
            "Static files with far-future caching (`Cache-Control: max-age=315360000`, "
            "public, immutable): "
            + ("all of them." if not uncached else "all but " + ", ".join(uncached) + "."),
            """Opened again, a page asks only for its HTML (and a redirect where there is
            one): its CSS and scripts come from the browser's cache without a request to the
            server.""",
        )
    )


def main() -> None:
    if "--setup" in sys.argv:
        print(json.dumps(setup()))


if __name__ == "__main__":
    main()
