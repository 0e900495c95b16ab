from django.urls import path

from .token import AuthTokenView

urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="api-auth-token"),
]
