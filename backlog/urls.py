from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("backlog/", views.backlog_page, name="backlog"),
    path("backlog/duplicates/", views.duplicates_page, name="duplicates"),
    path("backlog/duplicates/dismiss/", views.duplicate_dismiss_view, name="duplicates-dismiss"),
    path("problems/<int:pk>/", views.problem_page_view, name="problem-detail"),
    path("problems/<int:pk>/site-reports/", views.site_report_add, name="problem-site-report"),
    path("problems/<int:pk>/evidence/", views.evidence_add_view, name="problem-evidence"),
    path("problems/<int:pk>/evidence/fields/", views.evidence_fields, name="problem-evidence-fields"),
    path("problems/<int:pk>/comments/", views.comment_view, name="problem-comment"),
    path("problems/<int:pk>/edit/", views.problem_edit_view, name="problem-edit"),
    path("problems/<int:pk>/triage/", views.triage_view, name="problem-triage"),
    path("problems/<int:pk>/merge/", views.merge_view, name="problem-merge"),
    path("problems/<int:pk>/unmerge/", views.unmerge_view, name="problem-unmerge"),
    path("problems/<int:pk>/outcomes/", views.outcome_view, name="problem-outcome"),
    path("my/", views.my_problems_page, name="my-problems"),
    path("network/", views.network_page, name="network"),
    path("outcomes/", views.outcomes_page, name="outcomes"),
    path("roadmap/", views.roadmap_page, name="roadmap"),
]
