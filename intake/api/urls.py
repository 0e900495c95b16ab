from django.urls import path

from .sites import SiteDetailView, SiteListView

urlpatterns = [
    path("sites/", SiteListView.as_view(), name="api-sites"),
    path("sites/<slug:code>/", SiteDetailView.as_view(), name="api-site"),
]
