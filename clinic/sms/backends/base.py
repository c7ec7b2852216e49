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

    def find(self, *, to: str, body: str, since) -> str | None:
        """The provider's id of this exact text if it was already sent, else None.

        Used only to recover a send whose worker died mid-way; a backend that cannot tell
        returns None, and the text is sent (possibly twice) rather than lost.
        """
        return None

    @staticmethod
    def local_id() -> str:
        return f"local-{uuid.uuid4().hex}"
