"""The versioned JSON API, /api/v1/ (django-ninja): the OpenAPI document at
/api/v1/openapi.json, interactive docs at /api/v1/docs (served from the app's own static
files, no CDN)."""

from ninja import NinjaAPI

from .framework import (
    CallerRateThrottle,
    SessionAuth,
    TokenAuth,
    declare_problems,
    install_problem_handlers,
    link_new_ideas,
)


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = declare_problems(super().get_openapi_schema(*args, **kwargs))
        return link_new_ideas(schema, self.get_root_path({}))


api = PortalAPI(
    title="Customer champion intranet API",
    version="1",
    description=(
        "The intranet's ideas, review and programme data as JSON. Authenticate with a "
        "personal access token (`Authorization: Bearer cci_…`, made on /api/tokens/) or, "
        "from the intranet's own pages, the session cookie (CSRF token required on "
        "writes). Errors are RFC 9457 problem details. Lists are cursor pages: pass "
        "the `next` value back as `after`."),
    urls_namespace="api-v1",
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[CallerRateThrottle()],
)
install_problem_handlers(api)


from .framework import problem  # noqa: E402
from .routers.ideas import FilterError  # noqa: E402
from .routers.ideas import router as ideas_router  # noqa: E402
from .routers.programme import router as programme_router  # noqa: E402


@api.exception_handler(FilterError)
def _on_filter_error(request, exc):
    return problem(api, request, 400, "A filter's value is invalid.", exc.errors)


api.add_router("/", ideas_router)
api.add_router("/", programme_router)
