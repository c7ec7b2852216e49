"""The patient's questionnaire pages, reached through the signed link from their booking.

One page per step (with autosave as they type), the last look before sending, and the done
page. No sign-in: ``clinic.access.appointment_from_link`` reads the signed link, and a bad,
expired or foreign link is a 404.

Red-flag advice is shown on the red-flag step itself, under the first question answered yes,
before anything else is asked: with JavaScript the autosave's response swaps it in as soon
as the answer is tapped; without, Next or Back bring the patient back to the step, now
showing it, until they have seen the advice for every group of flag they reported. The
advice's words are ``intake.scoring.advice_for``'s alone.
"""

import contextlib
import datetime
from collections.abc import Mapping

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from clinic import access, link_check, links
from clinic.api.throttles import IntakeAutosaveRateThrottle, SignedLinkRateThrottle
from clinic.formatting import calendar_date
from clinic.limits import over_limit
from intake import schema, scoring, selectors
from intake.forms.questionnaire import FORMS, STEPS, initial_from_answers
from intake.instruments import ODI_STATEMENTS
from intake.models import IntakeAssessment
from intake.services import questionnaire as services
from intake.services.errors import IntakeError

STEP_TITLES = {name: form.title for name, form in STEPS}
RED_FLAG_CODES = [flag.code for flag in scoring.RED_FLAGS]

ADVICE_TITLE = "Please read this now"
CLINIC_TOLD = "We have let the clinic know, and they will call you."
CALL_911 = "Call 911"
CALL_CLINIC = "Call the clinic:"
CLINIC_WILL_CALL = "Because of some of your answers, the clinic will call you before your visit."
SAVED = "Saved. You can close this page and come back any time."


def red_flag_advice(typed: Mapping[str, bool], appointment, *, hits=None) -> dict | None:
    """What the advice block shows for the red flags in ``typed`` (``{code: yes}``), or None.

    ``after`` is the first question answered yes, under which the block goes on the step;
    ``groups`` are the groups advised, which the page posts back as seen. ``hits`` may be
    given instead, e.g. with the computed age-at-onset flag on the done page.
    """
    if hits is None:
        hits = scoring.red_flags_found(typed, date_of_birth=None, onset=None)
    if not hits:
        return None
    groups = scoring.red_flag_groups(hits)
    return {
        "after": hits[0].code,
        "lines": scoring.advice_for(hits),
        "emergency": scoring.CAUDA_EQUINA in groups,
        "groups": ",".join(groups),
        "phone": appointment.location.phone,
        "title": ADVICE_TITLE,
        "clinic_told": CLINIC_TOLD,
        "call_911": CALL_911,
        "call_clinic": CALL_CLINIC,
    }


def advice_unseen(post, typed: Mapping[str, bool]) -> bool:
    """Whether the patient posting ``post`` has not yet been shown the advice for a group of
    red flag in ``typed``: the page they posted showed only the groups in ``advice_seen``."""
    hits = scoring.red_flags_found(typed, date_of_birth=None, onset=None)
    seen = set(post.get("advice_seen", "").split(","))
    return bool(set(scoring.red_flag_groups(hits)) - seen)


class IntakeLinkMixin:
    """The signed link names the appointment; a bad, expired or foreign link is a 404."""

    link_throttle = SignedLinkRateThrottle  # counted before the token is read

    def dispatch(self, request, *args, **kwargs):
        if limited := over_limit(request, self.link_throttle):
            return limited
        appointment = access.appointment_from_link(kwargs["token"], salt=links.INTAKE_SALT)
        if appointment is None or not appointment.appointment_type.needs_intake:
            return links.closed_response(request)
        asked = link_check.birth_date_check(request, appointment.opened_with)
        if asked is not None:
            return asked
        self.appointment = appointment
        self.intake = services.intake_for_appointment(appointment=appointment)
        return super().dispatch(request, *args, **kwargs)

    def step_url(self, step: str) -> str:
        if step == schema.REVIEW:
            return reverse("intake:review_answers", args=[self.kwargs["token"]])
        return reverse("intake:step", args=[self.kwargs["token"], step])

    def progress(self, step: str) -> dict:
        position = (
            schema.STEP_NAMES.index(step) + 1
            if step in schema.STEP_NAMES
            else len(schema.STEP_NAMES) + 1
        )
        total = len(schema.STEP_NAMES) + 1
        return {
            "position": position,
            "total": total,
            "percent": round(100 * (position - 1) / total),
            "steps": [
                {
                    "name": name,
                    "title": STEP_TITLES[name],
                    "done": schema.is_answered(self.intake.answers, name),
                    "url": self.step_url(name),
                }
                for name in schema.STEP_NAMES
            ],
        }


class IntakeStartView(IntakeLinkMixin, View):
    """Resume where the patient left off."""

    def get(self, request, *args, **kwargs):
        if self.intake.is_submitted:
            return redirect("intake:done", token=kwargs["token"])
        return redirect(self.step_url(self.intake.current_step))


class IntakeStepView(IntakeLinkMixin, TemplateView):
    """One step. Next validates and saves; Back saves what was typed, valid or not."""

    template_name = "intake/step.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in FORMS:
            raise Http404("No such step.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.intake.is_submitted:
            return redirect("intake:done", token=kwargs["token"])
        return self.render_step(self.build_form())

    def build_form(self, data=None):
        step = self.kwargs["step"]
        form_class = FORMS[step]
        if data is not None:
            return form_class(data)
        draft = self.intake.drafts.get(step)
        if draft:
            # What they typed last time, with what is wrong in it; the questions not answered
            # yet are not errors on coming back (they are when Next is pressed).
            form = form_class(draft)
            for name in list(form.errors):
                if name == NON_FIELD_ERRORS or draft.get(name) in (None, "", []):
                    del form.errors[name]
            return form
        return form_class(initial=initial_from_answers(step, self.intake.answers))

    def render_step(self, form, status=200):
        step = self.kwargs["step"]
        index = schema.STEP_NAMES.index(step)
        advice = None
        if step == schema.RED_FLAGS:
            typed = (
                schema.red_flags_typed(form.data, RED_FLAG_CODES)
                if form.is_bound
                else schema.red_flag_answers(self.intake.answers)
            )
            advice = red_flag_advice(typed, self.appointment)
        context = self.get_context_data(
            form=form,
            step=step,
            progress=self.progress(step),
            previous=schema.STEP_NAMES[index - 1] if index else None,
            appointment=self.appointment,
            autosave_url=reverse("intake:autosave", args=[self.kwargs["token"], step]),
            red_flag_advice=advice,
        )
        return self.render_to_response(context, status=status)

    def post(self, request, *args, **kwargs):
        step = kwargs["step"]
        if self.intake.is_submitted:
            messages.warning(request, services.INTAKE_LOCKED)
            return redirect("intake:done", token=kwargs["token"])
        raw = _raw(request.POST)
        form = self.build_form(request.POST)
        action = request.POST.get("action", "next")
        if action == "back":
            if form.is_valid():
                services.intake_step_save(intake=self.intake, step=step, data=form.to_json())
            else:
                services.intake_draft_save(intake=self.intake, step=step, raw=raw)
            if self.advice_pending(step):
                return redirect(self.step_url(step) + "#red-flag-advice")
            index = schema.STEP_NAMES.index(step)
            return redirect(self.step_url(schema.STEP_NAMES[max(index - 1, 0)]))
        if not form.is_valid():
            services.intake_draft_save(intake=self.intake, step=step, raw=raw)
            return self.render_step(form, status=200)
        intake = services.intake_step_save(intake=self.intake, step=step, data=form.to_json())
        if self.advice_pending(step):
            return redirect(self.step_url(step) + "#red-flag-advice")
        if action == "save":
            messages.success(request, SAVED)
            return redirect(self.step_url(step))
        following = schema.STEP_NAMES[schema.STEP_NAMES.index(step) + 1 :]
        return redirect(self.step_url(following[0] if following else intake.current_step))

    def advice_pending(self, step: str) -> bool:
        """A red-flag step was saved with a "yes" whose advice the page did not show yet: the
        patient goes back to it, now with the advice, before anything else is asked."""
        if step != schema.RED_FLAGS:
            return False
        return advice_unseen(
            self.request.POST, schema.red_flags_typed(self.request.POST, RED_FLAG_CODES)
        )


def _raw(post) -> dict:
    """The POST as typed, lists kept, without the CSRF token, the button and the advice seen."""
    return {
        key: post.getlist(key) if len(post.getlist(key)) > 1 else post.get(key)
        for key in post
        if key not in ("csrfmiddlewaretoken", "action", "advice_seen")
    }


class IntakeAutosaveView(IntakeLinkMixin, View):
    """htmx saves the step as the patient types, so a closed phone loses nothing.

    On the red-flag step the answer is every advice slot of the step, which htmx swaps in
    place (out of band): a "yes" shows its advice under the question as soon as it is tapped.
    """

    link_throttle = IntakeAutosaveRateThrottle  # its own, higher limit

    def post(self, request, *args, **kwargs):
        step = kwargs["step"]
        if step not in FORMS or self.intake.is_submitted:
            return HttpResponse(status=409)
        raw = _raw(request.POST)
        services.intake_draft_save(intake=self.intake, step=step, raw=raw)
        if step != schema.RED_FLAGS:
            return HttpResponse(status=204)
        typed = schema.red_flags_typed(raw, RED_FLAG_CODES)
        return render(
            request,
            "intake/_red_flag_advice_oob.html",
            {
                "red_flag_codes": RED_FLAG_CODES,
                "red_flag_advice": red_flag_advice(typed, self.appointment),
            },
        )


class IntakeReviewAnswersView(IntakeLinkMixin, TemplateView):
    """The patient's last look before sending."""

    template_name = "intake/review.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "appointment": self.appointment,
            "intake": self.intake,
            "progress": self.progress(schema.REVIEW),
            "summary": answers_summary(self.intake),
            "missing": [
                {"name": s, "title": STEP_TITLES[s], "url": self.step_url(s)}
                for s in schema.missing_steps(self.intake.answers)
            ],
        }

    def get(self, request, *args, **kwargs):
        if self.intake.is_submitted:
            return redirect("intake:done", token=kwargs["token"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.intake_submit(intake=self.intake)
        except IntakeError as error:
            return self.render_to_response(
                {**self.get_context_data(), "error": error.message}, status=400
            )
        return redirect("intake:done", token=kwargs["token"])


class IntakeDoneView(IntakeLinkMixin, TemplateView):
    template_name = "intake/done.html"

    def get_context_data(self, **kwargs):
        # The flags in the answers as sent (with the computed age-at-onset flag); a flag the
        # patient corrected to No is not advised again, but the clinic still calls.
        hits = selectors.red_flags_in(intake=self.intake)
        advice = red_flag_advice({}, self.appointment, hits=hits)
        if advice:
            advice.update(groups="", page_title=True)  # the page's heading; nothing to post
        return {
            **super().get_context_data(**kwargs),
            "appointment": self.appointment,
            "intake": self.intake,
            "red_flag_advice": advice,
            "clinic_will_call": CLINIC_WILL_CALL if self.intake.is_urgent else "",
        }

    def get(self, request, *args, **kwargs):
        if not self.intake.is_submitted:
            return redirect(self.step_url(self.intake.current_step))
        return super().get(request, *args, **kwargs)


def answers_summary(intake: IntakeAssessment) -> list[dict]:
    """Each step's answers as (question, answer) pairs in the patient's words, for review."""
    sections = []
    for step, form_class in STEPS:
        if not schema.step_answers(intake.answers, step):
            continue
        form = form_class(initial=initial_from_answers(step, intake.answers))
        rows = []
        for name, field in form.fields.items():
            value = form.initial.get(name)
            if value in (None, "", []):
                continue
            choices = dict(getattr(field, "choices", []) or [])
            if isinstance(value, list):
                shown = ", ".join(str(choices.get(v, v)) for v in value)
            elif isinstance(value, datetime.date):
                shown = calendar_date(value)
            else:
                shown = choices.get(value, value)
                if isinstance(field, forms.DateField) and isinstance(shown, str):
                    with contextlib.suppress(ValueError):
                        shown = calendar_date(datetime.date.fromisoformat(shown))
                if step == schema.OSWESTRY:
                    shown = ODI_STATEMENTS[int(name.split("_")[1])][1][value]
            rows.append({"question": field.label, "answer": shown})
        sections.append({"step": step, "title": form_class.title, "rows": rows})
    return sections
