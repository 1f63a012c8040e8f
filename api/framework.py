"""The API's plumbing: who is calling (a personal access token or the session, with
CSRF), how often they may (per token, or per person for the session), and how errors
read (RFC 9457 problem details, declared in the OpenAPI document)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from .services import token_authenticate

PROBLEM_TYPE = "application/problem+json"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PROBLEM_STATUSES = (400, 401, 403, 404, 409, 422, 429)
TITLES = {400: "Bad request", 401: "Authentication required", 403: "Forbidden",
          404: "Not found", 405: "Method not allowed", 409: "Conflict",
          422: "Invalid input", 429: "Too many requests"}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem: `errors` lists what was wrong with which field."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


# --- authentication ------------------------------------------------------------------

class TokenAuth(HttpBearer):
    """`Authorization: Bearer cci_…`, a personal access token. Read-scope tokens may only
    read: anything else is a 403."""

    def authenticate(self, request, token):
        found = token_authenticate(token)
        if found is None:
            return None
        if found.scope != found.Scope.WRITE and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token may only read (its scope is 'read').")
        request.api_token = found
        # Selectors, filters and services ask request.user, as they do for the pages.
        request.user = found.owner
        return found.owner


class SessionAuth(APIKeyCookie):
    """The intranet's own session (same-site scripts, the interactive docs), with Django's
    CSRF check on unsafe methods. Signed out is a 401, not a CSRF failure."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


# --- rate limits ---------------------------------------------------------------------

class CallerRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT ("120/m") per token, or per person when signed in by session."""

    scope = "api"

    def __init__(self):
        self.rate = None
        self.num_requests = self.duration = None

    def allow_request(self, request) -> bool:
        # Read on each call so a settings change (or a test's override) takes effect.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        ident = f"t{token.pk}" if token is not None else f"u{request.auth.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


# --- problem details -----------------------------------------------------------------

def problem(api, request, status: int, detail: str, errors=None, title=None) -> HttpResponse:
    body = {"type": "about:blank", "title": title or TITLES.get(status, "Error"),
            "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    return response


def _loc(loc) -> str:
    return ".".join(str(part) for part in loc)


def install_problem_handlers(api) -> None:
    def on_ninja_validation(request, exc):
        errors = [{"field": _loc(e.get("loc", ())), "message": e.get("msg", "Invalid")}
                  for e in exc.errors]
        return problem(api, request, 422, "The request's parameters or body are invalid.",
                       errors)

    def on_django_validation(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [{"field": "__all__" if field == "__all__" else field, "message": m}
                      for field, messages in exc.message_dict.items() for m in messages]
        else:
            errors = [{"field": "__all__", "message": m} for m in exc.messages]
        return problem(api, request, 422, " ".join(e["message"] for e in errors), errors)

    def on_http_error(request, exc):
        response = problem(api, request, exc.status_code, str(exc))
        return response

    def on_unauthenticated(request, exc):
        response = problem(api, request, 401,
                           "Send a personal access token (Authorization: Bearer …) or "
                           "sign in.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_throttled(request, exc):
        return problem(api, request, 429, "Too many requests: wait and try again.")

    def on_denied(request, exc):
        return problem(api, request, 403, str(exc) or "You may not do this.")

    def on_not_found(request, exc):
        return problem(api, request, 404, "No such object, or you may not see it.")

    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Http404, on_not_found)


def declare_problems(schema: dict) -> dict:
    """Every operation may answer these problems: say so in the OpenAPI document (so
    clients, and schemathesis, know their shape)."""
    ref = {"$ref": "#/components/schemas/Problem"}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"))
    for defs_name, defs in components["Problem"].pop("$defs", {}).items():
        components.setdefault(defs_name, defs)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in PROBLEM_STATUSES:
                if status == 401 and operation.get("security") == []:
                    continue
                operation["responses"].setdefault(str(status), {
                    "description": TITLES[status],
                    "content": {PROBLEM_TYPE: {"schema": ref}}})
    return schema


def link_new_ideas(schema: dict, prefix: str) -> dict:
    """OpenAPI links from a new draft to what can be done with it (by its `id`): clients
    and schemathesis's stateful phase follow them."""
    create = schema.get("paths", {}).get(f"{prefix}ideas", {}).get("post")
    if not create or "201" not in create.get("responses", {}):
        return schema
    links = {}
    for path, item in schema["paths"].items():
        if not path.startswith(f"{prefix}ideas/{{idea_id}}"):
            continue
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                links[f"{method}_{path.rsplit('/', 1)[-1].strip('{}')}"] = {
                    "operationId": operation["operationId"],
                    "parameters": {"idea_id": "$response.body#/id"}}
    create["responses"]["201"]["links"] = links
    return schema

