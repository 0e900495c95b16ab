"""The notifications page, marking notices read, and the problem page's follow button."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from intake.models import Problem
from intake.services import problem_follow

from .selectors import notifications_of
from .services import notifications_mark_read

PAGE_SIZE = 25


@login_required
@require_GET
def notifications_page(request):
    notices = notifications_of(request.user).select_related("problem").order_by("-created_at", "-id")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    """One notice (`id`) or all of them read; back to the page (or to the notice's problem with `open`)."""
    raw_id = request.POST.get("id", "")
    ids = [int(raw_id)] if raw_id.isdigit() and len(raw_id) < 19 else None
    if ids is None and request.POST.get("all") != "1":
        return redirect("notifications")
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("notifications")


@login_required
@require_POST
def follow_view(request, pk: int):
    problem = get_object_or_404(Problem, pk=pk)
    problem_follow(problem=problem, user=request.user, following=request.POST.get("following") == "1")
    return redirect(problem.get_absolute_url() + "#follow")
