"""Exercise photos and videos: staff upload them (library exercise, plan item) and remove them;
everyone who may see one gets it through ``MediaFileView``, never from a public address.

Access: uploading and removing take ``PlanClinicianMixin`` (therapists and clinic admins; a plan
item through ``access.careplans_for_staff``, so another patient's is a 404). A file needs a link
signed less than ``MEDIA_LINK_SECONDS`` ago *and* a user ``media.media_visible_to`` lets see it:
a forged, expired or someone else's link is a 404. Videos answer HTTP Range requests.
"""

import re

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from careplans import media, selectors
from careplans.models import Exercise
from careplans.views import PlanClinicianMixin
from clinic import access

UPLOADED = "Uploaded. Patients see it with this exercise."
UPLOADED_ITEM = "Uploaded. The patient sees it with this exercise in their plan."
REMOVED = "Removed."
CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class ExerciseMediaUploadView(PlanClinicianMixin, View):
    """POST a photo or video for a library exercise (the exercise's page)."""

    def post(self, request, slug):
        try:
            exercise = selectors.exercise_get(slug=slug)
        except Exercise.DoesNotExist as missing:
            raise Http404("No such exercise.") from missing
        try:
            media.media_add(upload=request.FILES.get("file"), user=request.user, exercise=exercise)
        except media.MediaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, UPLOADED)
        return redirect("careplans:exercise", slug=exercise.slug)


class ItemMediaUploadView(PlanClinicianMixin, View):
    """POST a photo or video recorded with the patient for one item of their plan."""

    def post(self, request, pk, item_pk):
        plan = self.get_plan(pk)
        item = self.get_item(plan, item_pk)
        try:
            media.media_add(upload=request.FILES.get("file"), user=request.user, item=item)
        except media.MediaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, UPLOADED_ITEM)
        return redirect(f"{plan_detail_url(plan.pk)}#exercise-{item.pk}")


class MediaRemoveView(PlanClinicianMixin, View):
    """POST: remove a photo or video this user may see (library, or a plan item's)."""

    def post(self, request, media_pk):
        found = get_object_or_404(
            media.media_visible_to(user=request.user).select_related("exercise", "item"),
            pk=media_pk,
        )
        back = (
            plan_detail_url(found.item.plan_id)
            if found.item_id
            else reverse("careplans:exercise", args=[found.exercise.slug])
        )
        media.media_remove(media=found)
        messages.success(request, REMOVED)
        return redirect(back)


def plan_detail_url(plan_pk: int) -> str:
    return reverse("careplans:detail", args=[plan_pk])


class MediaFileView(View):
    """GET one photo, video or poster by its signed link, for a user who may see it."""

    def get(self, request, token):
        read = media.media_token_read(token)
        if read is None or not request.user.is_authenticated:
            raise Http404("This link has expired. Open the page again.")
        media_pk, part = read
        found = (
            media.media_visible_to(user=request.user)
            .select_related("item__plan")
            .filter(pk=media_pk)
            .first()
        )
        field = None if found is None else (found.poster if part == media.POSTER else found.file)
        if not field:
            raise Http404("No such file.")
        range_header = request.headers.get("Range", "")
        if found.item_id and range_header in ("", "bytes=0-"):  # once per play, not per range
            access.record_view(request, patient_id=found.item.plan.patient_id, obj=found)
        content_type = (
            found.content_type
            if part == media.FILE
            else ("image/png" if field.name.endswith(".png") else "image/jpeg")
        )
        return file_response(field.name, content_type=content_type, range_header=range_header)


def _chunks(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def file_response(name: str, *, content_type: str, range_header: str = "") -> HttpResponse:
    """The stored file, whole or the one byte range asked for (206), or 416 for a range past
    its end. Multiple ranges are answered with the whole file, as RFC 9110 allows."""
    size = default_storage.size(name)
    match = RANGE.match(range_header.strip()) if range_header else None
    start, end = 0, size - 1
    if match and (match[1] or match[2]):
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:  # the last N bytes
            start = max(0, size - int(match[2]))
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle = default_storage.open(name, "rb")
        handle.seek(start)
        length = end - start + 1
        response = StreamingHttpResponse(_chunks(handle, length), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        response = FileResponse(default_storage.open(name, "rb"))
        response["Content-Length"] = str(size)
    response["Content-Type"] = content_type
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
