from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
    path("", include("backlog.urls")),
    path("", include("scoring.urls")),
    path("api/", include("config.api_urls")),
]
