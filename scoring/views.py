"""The scoring-policy page: weights, version history, and a re-rank progress bar after a change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from intake.auth.sessions import not_user_activity
from intake.forms import apply_refusal
from intake.roles import Action, may, require

from .engine import POLICY_WEIGHTS, Policy
from .forms import PolicyForm
from .models import JobState, ScoringPolicy
from .preview import PREVIEW_TOP, policy_preview
from .selectors import policy_current, policy_versions, rerank_job, rerank_job_latest
from .services import policy_revert, policy_update


def _job_context(job) -> dict:
    finished = job is not None and job.state in (JobState.DONE, JobState.FAILED)
    percent = round(100 * job.done / job.total) if job is not None and job.total else 0
    return {"job": job, "job_finished": finished, "job_percent": percent}


def _reverting(data) -> ScoringPolicy | None:
    """The earlier version whose weights the form carries (?revert=N, or the posted `revert`)."""
    raw = data.get("revert", "")
    return ScoringPolicy.objects.filter(version=int(raw)).first() if raw.isdigit() else None


def _preview(form: PolicyForm, current: ScoringPolicy):
    """What the form's weights would move, against the stored scores (nothing is saved)."""
    weights = {weight.name: value for weight, value in current.weights} | form.weights()
    proposed = Policy(version=current.version + 1, **weights)
    return policy_preview(proposed, capacity_weeks=form.cleaned_data.get("capacity"))


@login_required
def policy_page(request):
    may_change = may(request.user, Action.CHANGE_POLICY)
    current = policy_current()
    preview = None
    if request.method == "POST":
        require(request.user, Action.CHANGE_POLICY)
        previewing = request.POST.get("action") == "preview"
        reverting = _reverting(request.POST)
        form = PolicyForm(request.POST, previewing=previewing, reverting=reverting)
        if form.is_valid() and previewing:
            preview = _preview(form, current)
        elif form.is_valid():
            try:
                if reverting is not None:
                    policy, job = policy_revert(
                        actor=request.user, version=reverting.version, reason=form.cleaned_data["reason"]
                    )
                else:
                    policy, job = policy_update(
                        actor=request.user, reason=form.cleaned_data["reason"], **form.weights()
                    )
            except ValidationError as refusal:
                apply_refusal(form, refusal)
            else:
                messages.success(
                    request, f"Policy version {policy.version} is in force; every problem is being re-ranked."
                )
                return redirect(f"{reverse('scoring-policy')}?job={job.pk}")
    else:
        form = None
    if may_change and form is None:
        reverting = _reverting(request.GET)
        initial = {weight.name: value for weight, value in current.weights}
        form = PolicyForm(initial=initial, reverting=reverting if reverting != current else None)
    job = None
    if request.GET.get("job"):
        try:
            job = rerank_job(request.GET["job"])
        except ValidationError:  # not a job id
            job = None
    if job is None:
        job = rerank_job_latest()
    return render(
        request,
        "scoring/policy.html",
        {
            "policy": current,
            "versions": policy_versions(),
            "weights": POLICY_WEIGHTS,
            "form": form if may_change else None,
            "preview": preview,
            "preview_top": PREVIEW_TOP,
            "preview_groups": [
                (f"Into the top {preview.top}", preview.entering),
                (f"Out of the top {preview.top}", preview.leaving),
                ("Now above the cut line (fits the capacity)", preview.into_capacity),
                ("Now below the cut line", preview.out_of_capacity),
            ]
            if preview
            else [],
            "reverting": form.initial.get("revert") if form is not None else None,
            **_job_context(job),
        },
    )


@not_user_activity  # polled every second: a page left open must not keep an idle session alive
@login_required
def job_progress(request, job_id):
    """The progress partial, polled by htmx while the job runs."""
    job = rerank_job(job_id)
    if job is None:
        raise Http404("No such job.")
    context = _job_context(job)
    # 286 tells htmx to stop polling once the job is over (the content is still swapped in).
    status = 286 if context["job_finished"] and request.htmx else 200
    return render(request, "scoring/_job_progress.html", context, status=status)
