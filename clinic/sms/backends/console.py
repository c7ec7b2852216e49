import sys

from clinic.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Development: print the text where the worker's output is."""

    def send(self, *, to: str, body: str) -> str:
        message_id = self.local_id()
        sys.stdout.write(f"\n--- SMS to {to} ({message_id})\n{body}\n---\n")
        sys.stdout.flush()
        return message_id
