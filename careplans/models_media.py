"""The clinic's own photos and short videos of exercises: one per library exercise, or one per
plan item (recorded with the patient in clinic). Imported by ``careplans.models``.

Files go through Django's storage API (``STORAGES["default"]``), under names nobody can guess,
and are only ever served by ``careplans.views_media``, which checks who is asking. Checking,
re-encoding and poster frames live in ``careplans/media.py``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from careplans.models import Exercise, PrescribedExercise


def media_file_name(instance, filename: str) -> str:
    """A new random name, keeping only the checked extension (never what the uploader typed)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"exercise-media/{uuid.uuid4().hex}.{extension}"


class ExerciseMedia(models.Model):
    """A photo or a short video of an exercise, for the library or for one plan item."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Photo"
        VIDEO = "video", "Video"

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    item = models.ForeignKey(
        PrescribedExercise, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=media_file_name, max_length=200)
    poster = models.FileField(
        upload_to=media_file_name, max_length=200, blank=True, help_text="A video's still frame."
    )
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField(help_text="Bytes, as stored.")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "exercise media"
        constraints = [
            models.CheckConstraint(
                condition=Q(exercise__isnull=False, item__isnull=True)
                | Q(exercise__isnull=True, item__isnull=False),
                name="exercisemedia_exercise_xor_item",
            ),
        ]

    def __str__(self):
        owner = f"exercise {self.exercise_id}" if self.exercise_id else f"plan item {self.item_id}"
        return f"{self.get_kind_display()} of {owner}"

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO
