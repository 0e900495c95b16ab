from django.urls import path

from .api import TokenDetailView, TokenListView

urlpatterns = [
    path("auth/tokens/", TokenListView.as_view(), name="api-auth-tokens"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="api-auth-token"),
]
