from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("tokens/", views.tokens_page, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/password/done/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
]
