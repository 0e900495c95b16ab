from django.urls import path

from . import views

urlpatterns = [
    path("scoring/policy/", views.policy_page, name="scoring-policy"),
    path("scoring/jobs/<uuid:job_id>/progress/", views.job_progress, name="scoring-job-progress"),
]
