"""The clinic's exercise photos and videos: checking an upload, storing it, who may see it, and
the signed, short-lived links that serve it.

The rules, each in one place:

- An upload is judged by its content, never its name or the browser's type: a photo is what
  Pillow opens as JPEG, PNG, WebP or GIF; a video is MP4 (an ``ftyp`` box) or WebM (the EBML
  magic number). Anything else, or anything over ``MEDIA_IMAGE_MAX_BYTES`` /
  ``MEDIA_VIDEO_MAX_BYTES``, is refused with a message (``media_check``).
- A photo is stored re-encoded by Pillow (turned upright, at most ``MEDIA_IMAGE_MAX_EDGE``
  pixels on its longest edge): nothing of the original file's metadata (EXIF, GPS, camera,
  comments) survives. A video is stored as uploaded, with a poster frame when ``ffmpeg`` is on
  the machine (and without one when it is not).
- Who may see a file (``media_visible_to``): a patient, the media of the exercises in their own
  published plans; a therapist or clinic admin, the library's media and the media of plan items
  of the patients they may see (``access.careplans_for_staff``). Nobody else.
- A link is ``careplans:media_file`` with a signed token (``media_token``) that names the file
  and expires after ``MEDIA_LINK_SECONDS``; the view checks the token and the access above.

Files go through ``django.core.files.storage.default_storage``: the filesystem or a bucket, by
settings alone.
"""

import base64
import io
import logging
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from PIL import Image, ImageOps, UnidentifiedImageError

from careplans.models import CarePlan, Exercise, PrescribedExercise
from careplans.models_media import ExerciseMedia
from clinic import access
from clinic.models import AuditEvent
from clinic.services.audit import audit_record

logger = logging.getLogger(__name__)

LINK_SALT = "careplans.media"
FILE, POSTER = "f", "p"
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MP4, WEBM = "video/mp4", "video/webm"
POSTER_SECONDS = 30  # longest ffmpeg may take over one frame

NOT_MEDIA = "This file is not a photo (JPEG, PNG, WebP, GIF) or a video (MP4, WebM)."
TOO_LARGE = "This {kind} is {size} MB; the most we take is {limit} MB."
EMPTY = "Choose a file to upload."
BROKEN_IMAGE = "This photo could not be read. Try saving it again, as a JPEG."


class MediaError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


# --- Checking and storing an upload --------------------------------------------------------------


def _sniff_video(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return MP4
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return WEBM
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def media_check(upload) -> str:
    """The kind of an upload ("image" or "video"), judged by its first bytes; or MediaError."""
    if upload is None or not upload.size:
        raise MediaError(EMPTY, "empty")
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    kind = ExerciseMedia.Kind.VIDEO if _sniff_video(head) else None
    if kind is None:
        try:
            with Image.open(upload) as image:
                if image.format not in IMAGE_FORMATS:
                    raise MediaError(NOT_MEDIA, "not_media")
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
            raise MediaError(NOT_MEDIA, "not_media") from error
        finally:
            upload.seek(0)
        kind = ExerciseMedia.Kind.IMAGE
    limit = (
        settings.MEDIA_VIDEO_MAX_BYTES
        if kind == ExerciseMedia.Kind.VIDEO
        else settings.MEDIA_IMAGE_MAX_BYTES
    )
    if upload.size > limit:
        label = "video" if kind == ExerciseMedia.Kind.VIDEO else "photo"
        raise MediaError(
            TOO_LARGE.format(kind=label, size=_megabytes(upload.size), limit=_megabytes(limit)),
            "too_large",
        )
    return kind


@dataclass(frozen=True)
class Encoded:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int


def image_reencode(source) -> Encoded:
    """The photo drawn again by Pillow: upright, at most ``MEDIA_IMAGE_MAX_EDGE`` pixels, saved
    as JPEG (PNG when it has transparency), with no metadata copied over."""
    try:
        with Image.open(source) as original:
            original.load()
            image = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise MediaError(BROKEN_IMAGE, "broken_image") from error
    edge = settings.MEDIA_IMAGE_MAX_EDGE
    image.thumbnail((edge, edge))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if has_alpha:
        image = image.convert("RGBA")
        # A fresh image of the pixels alone: no text chunks, no ICC or EXIF carried over.
        clean = Image.new("RGBA", image.size)
        clean.paste(image)
        clean.save(out, format="PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        clean = Image.new("RGB", image.size)
        clean.paste(image.convert("RGB"))
        clean.save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    return Encoded(out.getvalue(), extension, content_type, clean.width, clean.height)


def video_poster(upload) -> Encoded | None:
    """A still from the first second of the video, if ``ffmpeg`` is here and can read it."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source, still = f"{folder}/in", f"{folder}/still.png"
        with open(source, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                out.write(chunk)
        upload.seek(0)
        try:
            subprocess.run(  # noqa: S603  (a fixed program and arguments, no shell)
                [
                    ffmpeg,
                    "-nostdin",
                    "-loglevel",
                    "error",
                    "-y",
                    "-ss",
                    "0.5",
                    "-i",
                    source,
                    "-frames:v",
                    "1",
                    still,
                ],
                check=True,
                timeout=POSTER_SECONDS,
                capture_output=True,
            )
            with open(still, "rb") as frame:
                return image_reencode(io.BytesIO(frame.read()))
        except (subprocess.SubprocessError, OSError, MediaError):
            logger.info("media: no poster frame for a video upload")
            return None


def media_add(
    *,
    upload,
    user,
    exercise: Exercise | None = None,
    item: PrescribedExercise | None = None,
) -> ExerciseMedia:
    """Check and store a photo or a video for a library exercise or for one plan item."""
    if (exercise is None) == (item is None):
        raise ValueError("media belongs to an exercise or to a plan item")
    kind = media_check(upload)
    media = ExerciseMedia(exercise=exercise, item=item, kind=kind, uploaded_by=user)
    if kind == ExerciseMedia.Kind.IMAGE:
        encoded = image_reencode(upload)
        media.file.save(f"x.{encoded.extension}", ContentFile(encoded.content), save=False)
        media.content_type, media.size = encoded.content_type, len(encoded.content)
        media.width, media.height = encoded.width, encoded.height
    else:
        upload.seek(0)
        media.content_type = _sniff_video(upload.read(32))
        upload.seek(0)
        extension = "mp4" if media.content_type == MP4 else "webm"
        media.file.save(f"x.{extension}", upload, save=False)
        media.size = upload.size
        poster = video_poster(upload)
        if poster is not None:
            media.poster.save(f"x.{poster.extension}", ContentFile(poster.content), save=False)
            media.width, media.height = poster.width, poster.height
    with transaction.atomic():
        media.save()
        _audited(AuditEvent.Action.CREATE, media, item)
    logger.info("media %s: %s stored", media.pk, kind)
    return media


def media_remove(*, media: ExerciseMedia) -> None:
    """Delete the row (audited) and its stored files, but not a file another row still uses (a
    plan's new version shares its items' files with the old one, ``item_media_copy``)."""
    others = ExerciseMedia.objects.exclude(pk=media.pk)
    with transaction.atomic():
        _audited(AuditEvent.Action.DELETE, media, media.item)
        media.delete()
    for field in (media.file, media.poster):  # once the row is gone for good
        if field and not others.filter(Q(file=field.name) | Q(poster=field.name)).exists():
            field.delete(save=False)


def _audited(action: str, media: ExerciseMedia, item: PrescribedExercise | None) -> None:
    """The event of a photo or video added to or removed from a library exercise or a plan's
    item (a plan's is about its patient); field names only."""
    audit_record(
        action=action,
        patient_id=item.plan.patient_id if item is not None else None,
        obj=media,
        changed_fields=("file",),
    )


def item_media_copy(*, source: CarePlan, draft: CarePlan) -> None:
    """A new version keeps the media recorded for its items (matched by position)."""
    by_position = {item.position: item.pk for item in draft.items.all()}
    ExerciseMedia.objects.bulk_create(
        ExerciseMedia(
            item_id=by_position[media.item.position],
            kind=media.kind,
            file=media.file.name,
            poster=media.poster.name,
            content_type=media.content_type,
            size=media.size,
            width=media.width,
            height=media.height,
            uploaded_by_id=media.uploaded_by_id,
        )
        for media in ExerciseMedia.objects.filter(item__plan=source).select_related("item")
        if media.item.position in by_position
    )


# --- Who may see which file ----------------------------------------------------------------------


def media_visible_to(*, user) -> QuerySet[ExerciseMedia]:
    """The media ``user`` may open (see the module's rules)."""
    media = ExerciseMedia.objects.all()
    if access.is_patient(user):
        plans = access.careplans_for_patient(user=user)
        exercises = PrescribedExercise.objects.filter(plan__in=plans).values("exercise_id")
        return media.filter(Q(item__plan__in=plans) | Q(exercise_id__in=exercises))
    if access.is_clinician(user):
        plans = access.careplans_for_staff(user=user)
        return media.filter(Q(exercise__isnull=False) | Q(item__plan__in=plans))
    return media.none()


def media_token(media: ExerciseMedia, part: str = FILE) -> str:
    return signing.dumps({"m": media.pk, "p": part}, salt=LINK_SALT, compress=True)


def media_token_read(token: str) -> tuple[int, str] | None:
    """(media id, part) of a token signed here less than ``MEDIA_LINK_SECONDS`` ago, else None."""
    try:
        value = signing.loads(token, salt=LINK_SALT, max_age=settings.MEDIA_LINK_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("p") not in (FILE, POSTER):
        return None
    return value.get("m"), value["p"]


def media_url(media: ExerciseMedia, part: str = FILE) -> str:
    return reverse("careplans:media_file", args=[media_token(media, part)])


@dataclass(frozen=True)
class Shown:
    """One photo or video as a page shows it: signed links, made for this page view."""

    media: ExerciseMedia
    url: str
    poster_url: str
    from_clinic_visit: bool  # recorded with the patient (a plan item's), not the library's

    @property
    def is_video(self) -> bool:
        return self.media.is_video


def media_for_items(*, items: Sequence[PrescribedExercise]) -> dict[int, list[Shown]]:
    """Each item's media to show, by item id: its own first, then its exercise's; also set on
    each item as ``shown_media``. One query."""
    item_ids = [item.pk for item in items]
    exercise_ids = {item.exercise_id for item in items}
    rows = ExerciseMedia.objects.filter(Q(item_id__in=item_ids) | Q(exercise_id__in=exercise_ids))
    by_item, by_exercise = defaultdict(list), defaultdict(list)
    for media in rows:
        shown = Shown(
            media=media,
            url=media_url(media),
            poster_url=media_url(media, POSTER) if media.poster else "",
            from_clinic_visit=media.item_id is not None,
        )
        (by_item[media.item_id] if media.item_id else by_exercise[media.exercise_id]).append(shown)
    shown = {item.pk: by_item[item.pk] + by_exercise[item.exercise_id] for item in items}
    for item in items:
        item.shown_media = shown[item.pk]  # for the exercise card's template
    return shown


def media_for_exercise(*, exercise: Exercise) -> list[Shown]:
    return [
        Shown(media, media_url(media), media_url(media, POSTER) if media.poster else "", False)
        for media in exercise.media.all()
    ]


def stills_for_pdf(*, items: Iterable[PrescribedExercise]) -> dict[int, str]:
    """One still per item for the PDF handout (a photo, or a video's poster), as a data URI
    read from storage, so the PDF fetches nothing."""
    items = list(items)
    stills = {}
    for item_id, shown in media_for_items(items=items).items():
        for each in shown:
            field = each.media.poster if each.is_video else each.media.file
            if not field:
                continue
            try:
                with default_storage.open(field.name, "rb") as stored:
                    data = stored.read()
            except OSError:
                continue
            kind = "png" if field.name.endswith(".png") else "jpeg"
            stills[item_id] = f"data:image/{kind};base64,{base64.b64encode(data).decode()}"
            break
    return stills
