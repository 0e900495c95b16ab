from django.urls import path

from . import views

urlpatterns = [
    path("backlog/", views.backlog_page, name="backlog"),
    path("problems/<int:pk>/", views.problem_page, name="problem-detail"),
    path("my/", views.my_problems_page, name="my-problems"),
]
