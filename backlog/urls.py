from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("backlog/", views.backlog_page, name="backlog"),
    path("problems/<int:pk>/", views.problem_page, name="problem-detail"),
    path("my/", views.my_problems_page, name="my-problems"),
]
