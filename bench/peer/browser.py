"""A browser without JavaScript for the booking comparison: cookies and form posts over
``http.client``. Runs in the project's virtualenv (the load generator), standard library only."""

import http.client
from urllib.parse import urlencode


class Browser:
    """One client's cookie jar over one keep-alive connection (reopened when the server closes)."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def forget(self) -> None:
        """A new visitor: no cookies."""
        self.cookies.clear()

    def close(self) -> None:
        self.conn.close()

    def call(self, method: str, path: str, form: dict | None = None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, None, b""
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response.status, response.getheader("Location"), content
