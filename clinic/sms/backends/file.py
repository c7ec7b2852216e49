import json
import os

from django.conf import settings

from clinic.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Append each text as a JSON line to ``SMS_FILE_PATH``.

    For tests that run workers in other processes (the outbox must outlive a killed worker)
    and for staging. One ``write`` of one line with O_APPEND, so lines never interleave.
    """

    def send(self, *, to: str, body: str) -> str:
        message_id = self.local_id()
        line = json.dumps({"to": to, "body": body, "id": message_id}) + "\n"
        fd = os.open(settings.SMS_FILE_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        return message_id

    def find(self, *, to: str, body: str, since) -> str | None:
        try:
            with open(settings.SMS_FILE_PATH, encoding="utf-8") as outbox:
                for line in outbox:
                    sent = json.loads(line)
                    if sent["to"] == to and sent["body"] == body:
                        return sent["id"]
        except FileNotFoundError:
            return None
        return None
