from django.urls import path

from . import views
from .audit.views import audit_page

urlpatterns = [
    path("intake/", views.intake_page, name="intake"),
    path("intake/similar/", views.similar_panel, name="intake-similar"),
    path("intake/problems/<int:pk>/join/", views.join_problem, name="intake-join"),
    path("audit/", audit_page, name="audit"),
]
