from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from scoring.health import healthz, readyz

urlpatterns = [
    # Probes for load balancers and monitors; no trailing slash, as they are usually configured.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("intake.auth.urls")),
    path("", include("intake.urls")),
    path("", include("backlog.urls")),
    path("", include("scoring.urls")),
    path("", include("notify.urls")),
    path("api/", include("config.api_urls")),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
