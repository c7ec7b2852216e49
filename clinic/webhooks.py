"""Twilio's callbacks: patients' replies and delivery status. Signed by Twilio or refused."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from clinic.services import replies

logger = logging.getLogger(__name__)


def _signed_by_twilio(request) -> bool:
    """Check ``X-Twilio-Signature`` against the full URL and the POSTed fields.

    An empty auth token signs nothing: anyone can compute a signature with an empty key, so
    without a token every request is refused, in any environment.
    """
    if not settings.TWILIO_VALIDATE_WEBHOOKS:
        return True
    if not settings.TWILIO_AUTH_TOKEN:
        logger.error("sms webhook: TWILIO_AUTH_TOKEN is empty; refusing the request")
        return False
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(signature) and validator.validate(
        request.build_absolute_uri(), request.POST.dict(), signature
    )


@csrf_exempt
@require_POST
def sms_inbound(request):
    if not _signed_by_twilio(request):
        logger.warning("sms webhook: bad signature on inbound")
        return HttpResponseForbidden("Bad signature.")
    reply = replies.inbound_handle(
        from_number=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
        provider_id=request.POST.get("MessageSid", ""),
    )
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return HttpResponse(str(twiml), content_type="application/xml")


@csrf_exempt
@require_POST
def sms_status(request):
    if not _signed_by_twilio(request):
        logger.warning("sms webhook: bad signature on status")
        return HttpResponseForbidden("Bad signature.")
    replies.message_status_update(
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)
