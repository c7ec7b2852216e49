"""Stand-ins for the SMS provider (the only thing outside this machine)."""

from clinic.sms.backends.base import BaseSmsBackend, SmsPermanentError, SmsTransientError

calls: list[dict] = []
script: list[Exception | None] = []  # what each next send does: raise, or None to succeed
before_send: list = []  # callables, one run before each next send: what happens meanwhile


class ScriptedBackend(BaseSmsBackend):
    def send(self, *, to: str, body: str) -> str:
        if before_send:
            before_send.pop(0)()
        calls.append({"to": to, "body": body})
        outcome = script.pop(0) if script else None
        if outcome is not None:
            raise outcome
        return f"SM{len(calls):032d}"


TRANSIENT = SmsTransientError("Service unavailable", code="503")
OPTED_OUT = SmsPermanentError("Attempt to send to unsubscribed recipient", code="21610")
