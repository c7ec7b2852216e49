"""Between visits on a phone: the therapist uploads a video recorded in clinic for one exercise;
the patient sets exercise reminders on their plan and plays that video."""

import base64
import re

import pytest
from django.test import Client

from careplans.models import CarePlan, ExerciseMedia, ExerciseReminder
from careplans.views_media import UPLOADED_ITEM
from tests.e2e.browser import shot
from tests.factories.careplans import CarePlanFactory, ExerciseFactory, PrescribedExerciseFactory
from tests.factories.clinic import PASSWORD, AppointmentFactory, PatientUserFactory
from tests.helpers import csp_refusals

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}

# A real WebM: two seconds of a moving square on a canvas, recorded by the browser itself.
RECORD_WEBM = """
async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 160; canvas.height = 120;
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d');
  const stream = canvas.captureStream(15);
  const recorder = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8'});
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start(100);
  const started = performance.now();
  while (performance.now() - started < 2000) {
    const t = (performance.now() - started) / 2000;
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 160, 120);
    ctx.fillStyle = '#0d6efd'; ctx.fillRect(10 + 120 * t, 40, 30, 30);
    await new Promise((r) => setTimeout(r, 50));
  }
  recorder.stop();
  await stopped;
  const buffer = await new Blob(chunks, {type: 'video/webm'}).arrayBuffer();
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
"""


def test_a_reminder_is_set_and_a_video_played_on_a_phone(
    phone, chromium, live_server, clinic_setup, tmp_path
):
    therapist, location = clinic_setup["therapist"], clinic_setup["location"]
    patient = PatientUserFactory()
    AppointmentFactory(patient=patient, therapist=therapist, location=location)
    plan = CarePlanFactory(patient=patient, author=therapist, status=CarePlan.Status.ACTIVE)
    item = PrescribedExerciseFactory(
        plan=plan, position=1, exercise=ExerciseFactory(name="Side plank")
    )

    # The therapist, on a desktop, uploads a short video for the plan's first exercise.
    context = chromium.new_context(viewport=DESKTOP, base_url=live_server.url)
    desk = context.new_page()
    desk.set_default_timeout(15_000)
    refused = csp_refusals(desk)
    desk.goto("about:blank")
    video = tmp_path / "side-plank.webm"
    video.write_bytes(base64.b64decode(desk.evaluate(RECORD_WEBM)))
    assert video.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"
    desk.goto("/accounts/login/")
    desk.get_by_label("Email address").fill(therapist.user.email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.wait_for_load_state()
    desk.goto(f"/plans/{plan.pk}/")
    card = desk.locator(f"#exercise-{item.pk}")
    card.get_by_label("Add a photo or a short video").set_input_files(str(video))
    card.get_by_role("button", name="Upload").click()
    desk.wait_for_url(re.compile(rf"/plans/{plan.pk}/"))
    assert desk.get_by_text(UPLOADED_ITEM).is_visible()
    shot(desk, "between-1-upload")
    context.close()
    assert not refused, refused
    stored = ExerciseMedia.objects.get(item=item)
    assert (stored.kind, stored.content_type) == ("video", "video/webm")

    # The patient, on a phone, opens the plan and sets reminders.
    page = phone
    client = Client()  # patients sign in by emailed link: here, by the session it would make
    client.force_login(patient.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    ranges = []
    page.on(
        "response",
        lambda response: (
            ranges.append(response.status) if "/plans/media/" in response.url else None
        ),
    )
    page.goto(f"/plans/mine/{plan.pk}/")
    reminders = page.locator("#reminders")
    reminders.scroll_into_view_if_needed()
    for day in ("Mon", "Wed", "Fri"):
        reminders.get_by_label(day, exact=True).uncheck()
    for day in ("Tue", "Thu", "Sat"):
        reminders.get_by_label(day, exact=True).check()
    reminders.get_by_label("At", exact=True).fill("18:30")
    reminders.get_by_label("Text message").check()
    shot(page, "between-2-reminder-form")
    reminders.get_by_role("button", name="Save reminders").click()
    page.wait_for_url(re.compile(rf"/plans/mine/{plan.pk}/#reminders$"))
    assert page.get_by_text("Reminders saved: Tue, Thu, Sat at 18:30.").is_visible()
    reminder = ExerciseReminder.objects.get(plan=plan)
    assert (reminder.days, f"{reminder.local_time:%H:%M}", reminder.channel, reminder.is_on) == (
        "135",
        "18:30",
        "sms",
        True,
    )

    # The video recorded in clinic plays on the phone, fetched in byte ranges.
    player = page.locator(f"#exercise-{item.pk} video")
    player.scroll_into_view_if_needed()
    assert (
        page.locator(f"#exercise-{item.pk}").get_by_text("Recorded with you in clinic").is_visible()
    )
    page.wait_for_function(
        "(el) => el.readyState >= 1", arg=player.element_handle(), timeout=15_000
    )
    player.evaluate("(el) => { el.muted = true; return el.play(); }")
    page.wait_for_function(
        "(el) => el.currentTime > 0.2", arg=player.element_handle(), timeout=15_000
    )
    shot(page, "between-3-video")
    assert player.evaluate("(el) => el.error") is None
    assert player.evaluate("(el) => el.videoWidth") == 160
    assert 206 in ranges, ranges  # the browser asked for byte ranges and got them
