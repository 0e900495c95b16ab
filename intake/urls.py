from django.urls import path

from . import views

urlpatterns = [
    path("intake/", views.intake_page, name="intake"),
    path("intake/similar/", views.similar_panel, name="intake-similar"),
    path("intake/problems/<int:pk>/join/", views.join_problem, name="intake-join"),
]
