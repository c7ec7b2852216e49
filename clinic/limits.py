"""Rate limits on pages (the API's are on its views): opening signed links and the intake's
autosave, per client address, so nobody can try tokens quickly. The counts and the client's
address are those of ``clinic.api.throttles``."""

from django.shortcuts import render

from clinic.api.throttles import THROTTLED, SignedLinkRateThrottle


def too_many(request):
    return render(request, "429.html", {"message": THROTTLED}, status=429)


def over_limit(request, throttle_class=SignedLinkRateThrottle):
    """A 429 page when this client is over the limit (this request counted), else None.
    Call it before the token is looked up, so that bad tokens count too."""
    if throttle_class().allow_request(request, None):
        return None
    return too_many(request)


class SignedLinkLimitMixin:
    """First in a signed-link view's bases: a client opening links too fast gets a 429."""

    link_throttle = SignedLinkRateThrottle

    def dispatch(self, request, *args, **kwargs):
        return over_limit(request, self.link_throttle) or super().dispatch(request, *args, **kwargs)
