from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.errors import api_not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the page loads its start-up script from a URL, so the Content-Security-Policy needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("v1/", include("api.urls")),
    path("v1/", include("scoring.api.urls")),
    path("v1/", include("backlog.api.urls")),
    path("v1/", include("notify.api_urls")),
    # Anything else under /api/ is a JSON 404, not Django's HTML page (nor a slash redirect that drops a POST body).
    re_path(r"^(?P<unmatched>[\s\S]*)$", api_not_found),  # [\s\S]: a path may hold an encoded newline
]
