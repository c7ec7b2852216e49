import threading

from clinic.sms.backends.base import BaseSmsBackend

outbox: list[dict] = []
_lock = threading.Lock()


class SmsBackend(BaseSmsBackend):
    """Tests: keep every text in ``outbox`` (module level, shared by threads)."""

    def send(self, *, to: str, body: str) -> str:
        message_id = self.local_id()
        with _lock:
            outbox.append({"to": to, "body": body, "id": message_id})
        return message_id

    def find(self, *, to: str, body: str, since) -> str | None:
        with _lock:
            return next((m["id"] for m in outbox if m["to"] == to and m["body"] == body), None)
