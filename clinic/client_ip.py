"""The client's address, the one rule every per-address limit uses: the API's throttles
(``clinic.api.throttles``), the pages' limits and django-axes' sign-in lockout.

Without a proxy in front the address is ``REMOTE_ADDR``: ``X-Forwarded-For`` is the client's
own claim and is ignored. Behind ``TRUSTED_PROXY_COUNT`` proxies, each appends the address it
received the request from, so the client is the entry that many places from the end; the
entries before it could be forged.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]
