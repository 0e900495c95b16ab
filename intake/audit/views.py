"""The audit page (/audit/): administrators only, filtered, paged, readable on a phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..roles import Action, require
from .forms import AuditFilterForm
from .selectors import audit_events

PAGE_SIZE = 50


@login_required
@require_GET
def audit_page(request):
    require(request.user, Action.ADMINISTER)
    filters = AuditFilterForm(request.GET, auto_id="audit_%s")
    events = audit_events(**filters.filters()).select_related("problem")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/audit.html",
        {"filters": filters, "page": page, "query": query.urlencode(), "csv_query": query.urlencode()},
        status=400 if filters.errors else 200,
    )
