import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

# How long a browser or proxy should wait before trying again while the database is down.
RETRY_AFTER_SECONDS = 30


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def database_unavailable(exc: BaseException | None) -> bool:
    """The database cannot be reached (down, restarting, connection lost), as opposed to
    a bug in a query: psycopg reports the former as OperationalError/InterfaceError."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and isinstance(exc.__cause__, OperationalError))


def server_error(request):
    # No context processors: the error may come from them or from the database.
    # Called for any uncaught exception, in a view or a middleware (the session, the
    # user lookup): a database that is unreachable answers a friendly 503 to retry later.
    # Whatever the request had begun writing was in a transaction the database never
    # committed, so nothing is half-written.
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponseServerError(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
