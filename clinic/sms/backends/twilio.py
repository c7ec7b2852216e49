from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from clinic.sms.backends.base import BaseSmsBackend, SmsPermanentError, SmsTransientError

# Twilio error codes that mean "this number will never take this text".
PERMANENT_CODES = {
    21211,  # invalid 'To' number
    21214,  # 'To' number cannot be reached
    21408,  # region not enabled
    21610,  # the recipient replied STOP: opted out at the provider
    21612,  # cannot route to this number
    21614,  # not a mobile number
}


class SmsBackend(BaseSmsBackend):
    """Production: Twilio's Messages API, credentials from the environment."""

    def __init__(self, *, client: Client | None = None):
        self.client = client or Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, timeout=10
        )

    def send(self, *, to: str, body: str) -> str:
        kwargs = {"to": to, "body": body, "from_": settings.TWILIO_FROM_NUMBER}
        if settings.TWILIO_STATUS_CALLBACK_URL:
            kwargs["status_callback"] = settings.TWILIO_STATUS_CALLBACK_URL
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            code = str(exc.code or exc.status)
            text = (exc.msg or "Twilio refused the message")[:300]
            if exc.code in PERMANENT_CODES or (400 <= exc.status < 500 and exc.status != 429):
                raise SmsPermanentError(text, code=code) from exc
            raise SmsTransientError(text, code=code) from exc
        except (OSError, ConnectionError) as exc:  # timeouts and resets from the HTTP client
            raise SmsTransientError(str(exc)[:300], code="network") from exc
        return message.sid

    def find(self, *, to: str, body: str, since) -> str | None:
        """Ask Twilio for texts to ``to`` since ``since`` with this exact body."""
        try:
            sent = self.client.messages.list(
                to=to, from_=settings.TWILIO_FROM_NUMBER, date_sent_after=since, limit=50
            )
        except TwilioRestException as exc:
            raise SmsTransientError((exc.msg or "lookup failed")[:300], code=str(exc.code)) from exc
        except (OSError, ConnectionError) as exc:
            raise SmsTransientError(str(exc)[:300], code="network") from exc
        return next((m.sid for m in sent if m.body == body), None)
