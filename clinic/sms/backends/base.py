import uuid


class BaseSmsBackend:
    """Send one text. Returns the provider's message id; raises on failure."""

    def send(self, *, to: str, body: str) -> str:
        raise NotImplementedError

    @staticmethod
    def local_id() -> str:
        return f"local-{uuid.uuid4().hex}"
