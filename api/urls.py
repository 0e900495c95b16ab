from django.urls import path

from .audit import AuditListView
from .sites import SiteDetailView, SiteListView
from .token import AuthTokenView
from .tokens import TokenDetailView, TokenListView

urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="api-auth-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-auth-tokens"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="api-auth-token"),
    path("audit/", AuditListView.as_view(), name="api-audit"),
    path("sites/", SiteListView.as_view(), name="api-sites"),
    path("sites/<slug:code>/", SiteDetailView.as_view(), name="api-site"),
]
