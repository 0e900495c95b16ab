from django.urls import path

from . import views

urlpatterns = [
    path("intake/", views.intake_page, name="intake"),
]
