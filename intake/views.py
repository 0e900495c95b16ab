"""Intake pages: the problem-first form, similar problems as you type, and "this happens at my site too".

Free text travels only in POST bodies (never in a URL, which web servers log), and is screened for
patient information before it is searched, stored or shown back in a message.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from .forms import (
    FREE_TEXT_FIELDS,
    SOLUTION_NUDGE,
    ProblemIntakeForm,
    SiteReportForm,
    apply_refusal,
    reads_like_solution,
)
from .models import Problem
from .numbers import REPORT_NUMBERS
from .phi import phi_find, phi_message
from .roles import Action, may
from .services import problem_submit, site_report_upsert
from .similar.selectors import problems_similar

SIMILAR_LIMIT = 5


def intake_role_required(view):
    """Logged in, and a role that may submit problems (intake.roles); others get a page that says so."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may(request.user, Action.SUBMIT):
            return render(request, "intake/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _similar_context(data) -> dict:
    """What the similar-problems panel shows for the title and statement typed so far."""
    title = (data.get("title") or "").strip()
    statement = (data.get("statement") or "").strip()
    phi_warnings = [
        phi_message(finding, text, name, FREE_TEXT_FIELDS[name])
        for name, text in (("title", title), ("statement", statement))
        for finding in phi_find(text)[:1]
    ]
    query = title if len(title.split()) >= 3 or not statement else f"{title} {statement}"
    searched = len(query.split()) >= 2 and not phi_warnings
    similar = problems_similar(query, limit=SIMILAR_LIMIT) if searched else []
    return {
        "similar": similar,
        "searched": searched,
        "phi_warnings": phi_warnings,
        "solution_nudge": SOLUTION_NUDGE if reads_like_solution(title, statement) else "",
        "numbers_missing": not _positive(data.get("minutes_lost_per_occurrence"))
        or not _positive(data.get("occurrences_per_shift")),
    }


def _positive(value) -> bool:
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False


def _form_initial(post) -> dict:
    initial = {name: post.get(name) for name in post if name not in ("csrfmiddlewaretoken", "action")}
    initial["affected_roles"] = post.getlist("affected_roles")
    return initial


@intake_role_required
def intake_page(request):
    context = {"similar_url": reverse("intake-similar")}
    if request.method == "GET":
        form = ProblemIntakeForm(user=request.user, similar_url=context["similar_url"])
    elif request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    elif request.POST.get("action") == "similar":
        # Without JavaScript: "Find similar problems" shows the panel, keeping what was typed.
        form = ProblemIntakeForm(
            initial=_form_initial(request.POST), user=request.user, similar_url=context["similar_url"]
        )
        context.update(_similar_context(request.POST), panel_requested=True)
    else:
        form = ProblemIntakeForm(request.POST, user=request.user, similar_url=context["similar_url"])
        if form.is_valid() and form.needs_solution_nudge:
            # Asked once; the template carries `nudged` so that the next submission goes through.
            context["nudge"] = SOLUTION_NUDGE
        elif form.is_valid():
            try:
                problem = problem_submit(author=request.user, **form.submit_arguments())
            except ValidationError as refusal:
                apply_refusal(form, refusal)
            else:
                messages.success(request, f"Thank you. Your problem is #{problem.pk}; you can follow it here.")
                return redirect("problem-detail", pk=problem.pk)
        # The form's own errors already say where patient information is: the panel need not repeat them.
        context.update(_similar_context(request.POST), phi_warnings=[])
    context["form"] = form
    return render(request, "intake/intake.html", context)


@intake_role_required
@require_POST
def similar_panel(request):
    """The htmx partial: up to five similar problems for what has been typed so far."""
    return render(request, "intake/_similar.html", _similar_context(request.POST))


def _join_data(post) -> dict:
    """The site report's fields, as typed in the intake form (or on the join page)."""
    return {name: post.get(name) or "" for name in SiteReportForm.base_fields}


def _intake_typed(post) -> list[tuple[str, str]]:
    """What was typed in the intake form beyond the site report, carried through the join page
    (in its POST body, never a URL) so that "Back to the form" brings it all back."""
    return [
        (name, value)
        for name in ProblemIntakeForm.base_fields
        if name not in SiteReportForm.base_fields
        for value in post.getlist(name)
        if value
    ]


@intake_role_required
@require_POST
def join_problem(request, pk: int):
    """ "This happens at my site too": add (or replace) my site report on an existing problem."""
    problem = get_object_or_404(Problem.objects.select_related("merged_into"), pk=pk)
    data = _join_data(request.POST)
    context = {"problem": problem, "typed": _intake_typed(request.POST)}
    if not any(data[number.name] for number in REPORT_NUMBERS):
        # Nothing entered yet: ask for the numbers, without a page of "required" errors.
        context["form"] = SiteReportForm(initial={k: v for k, v in data.items() if v}, user=request.user)
        return render(request, "intake/join.html", context)
    form = SiteReportForm(data, user=request.user)
    if form.is_valid():
        site = form.cleaned_data["site"]
        change = import_string(settings.BRIDGE_REPORT_EXPLAINER)(problem_id=problem.pk, site_code=site.code)
        try:
            _, created = site_report_upsert(
                problem=problem, site=site, reporter=request.user, report=form.report_values()
            )
        except ValidationError as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, f"Thank you: no duplicate filed. {change.message(created=created)}")
            return redirect("problem-detail", pk=problem.pk)
    # Numbers out of range: ask for them here, never invent them.
    context["form"] = form
    return render(request, "intake/join.html", context)
