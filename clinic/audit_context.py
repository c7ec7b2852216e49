"""The request an audit event belongs to, for writes recorded deep in a service.

Services take the acting user as an argument but not the request: they are called from pages,
the admin, tasks and commands alike. ``AuditContextMiddleware`` keeps the current request in a
context variable for the length of the request, so ``clinic.services.audit.audit_record`` can
add the address, user agent and path to an event that a service writes. Outside a request
(Celery, a command) there is none, and the event has no address.
"""

from contextvars import ContextVar

_current_request: ContextVar = ContextVar("stride_audit_request", default=None)


def current_request():
    """The request being answered, or None outside one."""
    return _current_request.get()


class AuditContextMiddleware:
    """Makes the request known to the audit trail while it is answered (below the
    authentication middleware, so ``request.user`` is set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
