from django.urls import path

import api.converters  # noqa: F401  (registers <id:…>)

from .backlog import BacklogView
from .problems import (
    CommentView,
    DuplicateDismissView,
    DuplicatesView,
    EvidenceView,
    MergeView,
    OutcomeView,
    ProblemCreateView,
    ProblemView,
    SimilarView,
    SiteReportView,
    UnmergeView,
)

urlpatterns = [
    path("backlog/", BacklogView.as_view(), name="api-backlog"),
    path("problems/", ProblemCreateView.as_view(), name="api-problems"),
    path("problems/similar/", SimilarView.as_view(), name="api-problems-similar"),
    path("problems/<id:pk>/", ProblemView.as_view(), name="api-problem"),
    path("problems/<id:pk>/site-reports/", SiteReportView.as_view(), name="api-problem-site-reports"),
    path("problems/<id:pk>/evidence/", EvidenceView.as_view(), name="api-problem-evidence"),
    path("problems/<id:pk>/merge/", MergeView.as_view(), name="api-problem-merge"),
    path("problems/<id:pk>/unmerge/", UnmergeView.as_view(), name="api-problem-unmerge"),
    path("problems/<id:pk>/duplicates/", DuplicatesView.as_view(), name="api-problem-duplicates"),
    path("problems/<id:pk>/duplicates/dismiss/", DuplicateDismissView.as_view(), name="api-problem-duplicates-dismiss"),
    path("problems/<id:pk>/comments/", CommentView.as_view(), name="api-problem-comments"),
    path("problems/<id:pk>/outcomes/", OutcomeView.as_view(), name="api-problem-outcomes"),
]
