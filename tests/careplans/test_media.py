"""Exercise photos and videos: uploads checked by content and re-encoded (metadata gone), who
may open a file, signed links that expire, byte ranges for video, and where media shows."""

import io
import sys

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from careplans import media, services
from careplans.models import CarePlan, ExerciseMedia
from tests.factories.careplans import ExerciseFactory, plan_with_items
from tests.helpers_media import GPS_IFD, MAKE, jpeg_bytes, mp4_bytes, png_bytes, webm_bytes

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "clip.bin", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def plan(care):
    return plan_with_items(
        patient=care["patient"], author=care["therapist"], status=CarePlan.Status.ACTIVE
    )


@pytest.fixture
def item(plan):
    return plan.items.order_by("position").first()


def stored_bytes(field) -> bytes:
    with default_storage.open(field.name, "rb") as stored:
        return stored.read()


# --- Checking and storing ------------------------------------------------------------------------


def test_a_jpeg_with_gps_comes_out_without_it(care, item):
    original = jpeg_bytes(size=(2400, 1200), gps=True)
    exif = Image.open(io.BytesIO(original)).getexif()
    assert exif.get_ifd(GPS_IFD)  # the test file really carries a location
    assert exif[MAKE] == "PhoneCam"

    stored = media.media_add(
        upload=upload(original, "IMG_0001.jpg", "image/jpeg"),
        user=care["therapist"].user,
        item=item,
    )

    data = stored_bytes(stored.file)
    assert b"Exif" not in data
    assert b"PhoneCam" not in data
    again = Image.open(io.BytesIO(data))
    assert again.format == "JPEG"
    assert not again.getexif()
    assert "exif" not in again.info
    assert (stored.width, stored.height) == (1600, 800)  # the longest edge is capped
    assert stored.file.name.startswith("exercise-media/")
    assert "IMG_0001" not in stored.file.name  # never the uploader's name


def test_a_transparent_png_stays_a_png(care, item):
    stored = media.media_add(
        upload=upload(png_bytes(alpha=True), "a.png"), user=care["therapist"].user, item=item
    )
    assert stored.content_type == "image/png"
    assert Image.open(io.BytesIO(stored_bytes(stored.file))).mode == "RGBA"


@pytest.mark.parametrize(
    ("content", "content_type"), [(mp4_bytes(), "video/mp4"), (webm_bytes(), "video/webm")]
)
def test_videos_are_known_by_their_first_bytes(care, item, content, content_type):
    # Named as a photo, sent as text: the name and the browser's type are ignored.
    stored = media.media_add(
        upload=upload(content, "holiday.jpg", "text/plain"), user=care["therapist"].user, item=item
    )
    assert (stored.kind, stored.content_type) == ("video", content_type)
    assert stored.file.name.endswith(".mp4" if content_type == "video/mp4" else ".webm")
    assert stored_bytes(stored.file) == content


def test_without_ffmpeg_a_video_has_no_poster(care, item, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    stored = media.media_add(upload=upload(mp4_bytes()), user=care["therapist"].user, item=item)
    assert not stored.poster


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7 a document, not a photo",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"MZ\x90\x00 an executable",
        jpeg_bytes()[:40],  # a cut-off photo
    ],
)
def test_anything_else_is_refused_whatever_its_name(care, item, content):
    with pytest.raises(media.MediaError) as refused:
        media.media_add(upload=upload(content, "photo.jpg", "image/jpeg"), user=None, item=item)
    assert refused.value.code in ("not_media", "broken_image")
    assert not ExerciseMedia.objects.exists()


def test_size_limits(care, item, settings):
    settings.MEDIA_VIDEO_MAX_BYTES = 1000
    with pytest.raises(media.MediaError) as refused:
        media.media_add(upload=upload(mp4_bytes(4096)), user=None, item=item)
    assert refused.value.code == "too_large"
    assert "the most we take is" in refused.value.message


def test_an_upload_page_keeps_the_page_and_says_why(client, care, item):
    client.force_login(care["therapist"].user)
    response = client.post(
        reverse("careplans:item_media_upload", args=[item.plan_id, item.pk]),
        {"file": upload(b"not a photo", "x.jpg")},
        follow=True,
    )
    assert media.NOT_MEDIA in response.content.decode()
    assert not ExerciseMedia.objects.exists()


def test_staff_upload_for_the_library_and_patients_see_it(client, care, plan, item):
    client.force_login(care["therapist"].user)
    exercise = item.exercise
    client.post(
        reverse("careplans:exercise_media_upload", args=[exercise.slug]),
        {"file": upload(jpeg_bytes(), "p.jpg")},
    )
    assert exercise.media.count() == 1
    client.force_login(care["patient"].user)
    page = client.get(reverse("careplans:my_plan", args=[plan.pk]))
    assert b'class="exercise-image d-block"' in page.content
    assert b"/plans/media/" in page.content


def test_a_new_version_keeps_the_items_media(care, plan, item):
    media.media_add(upload=upload(jpeg_bytes()), user=None, item=item)
    draft = services.careplan_revise(plan=plan)
    copied = ExerciseMedia.objects.get(item__plan=draft)
    assert copied.item.position == item.position
    assert copied.file.name == ExerciseMedia.objects.get(item=item).file.name


# --- Serving -------------------------------------------------------------------------------------


@pytest.fixture
def video(care, item):
    return media.media_add(upload=upload(mp4_bytes(5000)), user=None, item=item)


def test_the_patient_opens_their_video_and_ranges_work(client, care, video):
    client.force_login(care["patient"].user)
    url = media.media_url(video)
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Content-Type"] == "video/mp4"
    assert whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == mp4_bytes(5000)

    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 100-199/5000"
    assert b"".join(part.streaming_content) == mp4_bytes(5000)[100:200]

    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == mp4_bytes(5000)[-10:]

    past = client.get(url, HTTP_RANGE="bytes=9000-")
    assert past.status_code == 416
    assert past["Content-Range"] == "bytes */5000"


def test_another_patient_gets_404_even_with_a_valid_link(client, care, video):
    client.force_login(care["other_patient"].user)
    assert client.get(media.media_url(video)).status_code == 404


def test_a_library_photo_is_for_patients_whose_plan_has_the_exercise(client, care, item):
    library = media.media_add(upload=upload(jpeg_bytes()), user=None, exercise=item.exercise)
    elsewhere = media.media_add(upload=upload(jpeg_bytes()), user=None, exercise=ExerciseFactory())
    client.force_login(care["patient"].user)
    assert client.get(media.media_url(library)).status_code == 200
    assert client.get(media.media_url(elsewhere)).status_code == 404


def test_links_expire_and_cannot_be_forged(client, care, video, settings, monkeypatch):
    client.force_login(care["patient"].user)
    url = media.media_url(video)
    settings.MEDIA_LINK_SECONDS = 60
    real_loads = signing.loads
    monkeypatch.setattr(
        "django.core.signing.loads",
        lambda token, **kw: real_loads(token, **{**kw, "max_age": -1}),
    )
    assert client.get(url).status_code == 404  # expired
    monkeypatch.undo()
    forged = signing.dumps({"m": video.pk, "p": "f"}, salt="another-salt")
    assert client.get(reverse("careplans:media_file", args=[forged])).status_code == 404
    guessed = reverse("careplans:media_file", args=[str(video.pk)])
    assert client.get(guessed).status_code == 404


def test_the_pdf_handout_carries_the_still(client, care, plan, item):
    media.media_add(upload=upload(jpeg_bytes(size=(300, 200))), user=None, item=item)
    stills = media.stills_for_pdf(items=plan.items.all())
    assert stills[item.pk].startswith("data:image/jpeg;base64,")
    client.force_login(care["patient"].user)
    response = client.get(reverse("careplans:my_plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert b"/Subtype /Image" in response.content


def test_the_phone_plan_shows_a_video_with_its_link(client, care, plan, video):
    client.force_login(care["patient"].user)
    page = client.get(reverse("careplans:my_plan", args=[plan.pk])).content.decode()
    assert '<video class="exercise-video' in page
    assert 'type="video/mp4"' in page
    assert "Recorded with you in clinic" in page


def test_a_plan_items_video_is_audited_once_per_play_not_per_range(client, care, video):
    from clinic.models import AuditEvent

    client.force_login(care["patient"].user)
    url = media.media_url(video)
    client.get(url, HTTP_RANGE="bytes=0-")
    client.get(url, HTTP_RANGE="bytes=1000-1999")
    [event] = AuditEvent.objects.filter(path=url)
    assert (event.patient, event.action) == (care["patient"], AuditEvent.Action.VIEW)


def test_where_ffmpeg_runs_a_video_gets_a_poster_still(care, item, tmp_path, monkeypatch):
    # A stand-in for ffmpeg that writes a frame where it is told to, as the real one does.
    frame = tmp_path / "frame.png"
    frame.write_bytes(png_bytes(size=(320, 180)))
    program = tmp_path / "ffmpeg"
    program.write_text(
        f"#!{sys.executable}\nimport shutil, sys\nshutil.copy({str(frame)!r}, sys.argv[-1])\n"
    )
    program.chmod(0o755)
    monkeypatch.setattr("shutil.which", lambda name: str(program) if name == "ffmpeg" else None)
    stored = media.media_add(upload=upload(mp4_bytes()), user=None, item=item)
    assert stored.poster.name.endswith(".jpg")
    assert (stored.width, stored.height) == (320, 180)
    assert Image.open(io.BytesIO(stored_bytes(stored.poster))).format == "JPEG"
    assert media.stills_for_pdf(items=[item])[item.pk].startswith("data:image/jpeg;base64,")
