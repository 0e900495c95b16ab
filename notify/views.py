"""The notifications page, marking notices read, and the problem page's follow button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from intake.models import EventType, Problem
from intake.services import problem_follow

from .forms import PreferencesForm
from .models import Preference
from .selectors import notifications_of
from .services import notifications_mark_read, preferences_set

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


@login_required
def preferences_page(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            chosen = set(form.cleaned_data["email"])
            preferences_set(
                user=request.user,
                email={event: event in chosen for event in EventType.values},
                digest=form.cleaned_data["digest"],
            )
            messages.success(request, "Your e-mail preferences are saved.")
            return redirect("preferences")
        return render(request, "notify/preferences.html", {"form": form}, status=422)
    preference = Preference.of(request.user.pk)
    initial = {"email": [e for e in EventType.values if preference.emails(e)], "digest": preference.digest}
    return render(request, "notify/preferences.html", {"form": PreferencesForm(initial=initial)})
