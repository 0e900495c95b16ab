from django.urls import path

from .jobs import JobView
from .policy import PolicyView

urlpatterns = [
    path("scoring/policy/", PolicyView.as_view(), name="api-scoring-policy"),
    path("jobs/<uuid:job_id>/", JobView.as_view(), name="api-job"),
]
