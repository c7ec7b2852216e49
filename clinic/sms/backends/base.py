import uuid


class SmsError(Exception):
    """A send failed. ``transient`` errors are retried; permanent ones are not."""

    transient = False

    def __init__(self, text: str, *, code: str = ""):
        super().__init__(text)
        self.text = text
        self.code = code


class SmsTransientError(SmsError):
    """Timeouts, provider 5xx, rate limits: worth trying again later."""

    transient = True


class SmsPermanentError(SmsError):
    """Invalid number, opted out at the provider, …: trying again cannot help."""


class BaseSmsBackend:
    """Send one text. Returns the provider's message id; raises ``SmsError`` on failure."""

    def send(self, *, to: str, body: str) -> str:
        raise NotImplementedError

    @staticmethod
    def local_id() -> str:
        return f"local-{uuid.uuid4().hex}"
