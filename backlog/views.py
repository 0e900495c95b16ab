"""Server-rendered pages: backlog, problem, my problems, network, outcomes.

Pages read through backlog.selectors. Every POST checks the role (intake.roles) server-side (403 otherwise),
validates a form and calls exactly one service; on an error the same page is rendered again
(422) with the errors on their fields and what the user typed, and on success it redirects
(so a reload never posts twice). htmx requests get the same responses: forms swap the page's
<main> in place, and the backlog's inline forms get back just their table row.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake.evidence_kinds import KINDS
from intake.forms import SiteReportForm, apply_refusal
from intake.models import ALLOWED_MOVES, DELIVERED_STATUSES, EvidenceKind, Problem, Site, Status, VersionConflict
from intake.outbox import is_following
from intake.roles import EDIT_REFUSAL, Action, allowed_moves, evidence_action, may, may_edit, require
from intake.selectors import administrators, problem_site_ids
from intake.services import evidence_add, site_report_upsert
from intake.similar.selectors import Similar, problems_similar
from scoring.explain import ReportChange
from scoring.selectors import policy_current

from .charts import line_chart, score_bars
from .duplicates import duplicate_pairs_refresh
from .forms import (
    BacklogFilterForm,
    CommentForm,
    DismissForm,
    EvidenceForm,
    MergeForm,
    MergeSearchForm,
    OutcomeForm,
    ProblemEditForm,
    RoadmapForm,
    TriageForm,
    UnmergeForm,
)
from .selectors.duplicates import (
    duplicate_queue,
    merge_preview,
    problem_duplicates,
    queued_pairs,
    unmerge_preview,
)
from .selectors.listing import (
    BACKLOG_SORTS,
    DEFAULT_SORT,
    SORT_DIRECTIONS,
    backlog_fitting_count,
    backlog_page_rows,
    problems_of_user,
    safety_lane,
)
from .selectors.network import network_matrix, network_problems
from .selectors.outcomes import delivered_problems, outcome_of, outcome_summaries
from .selectors.problem import problem_page
from .selectors.roadmap import roadmap
from .services import (
    comment_add,
    duplicate_dismiss,
    outcome_answer,
    problem_edit,
    problem_merge,
    problem_triage,
    problem_unmerge,
)

PAGE_SIZE = 50
DUPLICATES_PAGE_SIZE = 20
FORM_ERROR = 422
NETWORK_PROBLEMS = 30
# The problem page asks for its pending score every SCORE_POLL_SECONDS, at most SCORE_POLLS times.
SCORE_POLL_SECONDS = 2
SCORE_POLLS = 30


@login_required
def home(request):
    """Send each role where it works."""
    user = request.user
    if not user.roles:
        # Signed in (SSO creates accounts) but given nothing yet: say what to do, not 403.
        return render(request, "backlog/no_role.html", {"administrators": administrators()})
    if may(user, Action.TRIAGE):
        return redirect("backlog")
    if may(user, Action.ADMINISTER) and not may(user, Action.SUBMIT):
        return redirect("admin:index")
    return redirect("intake")


def _evidence_kinds(user) -> list[str]:
    """The kinds `user` may add, in the table's order."""
    return [kind for kind in EvidenceKind.values if may(user, evidence_action(kind))]


def _may_merge(user, problem: Problem) -> bool:
    return may(user, Action.MERGE) and Status.MERGED in ALLOWED_MOVES[problem.status]


def _all_moves() -> list[str]:
    # A posted status is checked by the service (with a clear message), not by the form's choices,
    # which were computed when the page was read.
    return [s for s in Status.values if s != Status.MERGED]


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


def _is_row_request(request: HttpRequest, pk: int) -> bool:
    return bool(request.htmx) and request.htmx.target == f"row-{pk}"


# --- problem page ---------------------------------------------------------------------------


def _plain(number: float | None) -> float | int | None:
    """4.0 shows as 4 in a form field; other numbers as they are."""
    return int(number) if number is not None and float(number).is_integer() else number


def _triage_form(problem: Problem, user, data=None) -> TriageForm:
    initial = {
        "version": problem.version,
        "effort_weeks": _plain(problem.effort_weeks),
        "external_ref": problem.external_ref,
    }
    form = TriageForm(
        data,
        initial=initial,
        current_status=problem.status,
        moves=allowed_moves(user, problem.status),
        auto_id=f"triage{problem.pk}_%s",
    )
    return form


def _edit_form(problem: Problem, data=None) -> ProblemEditForm:
    fields = ("title", "statement", "workflow_area", "affected_roles", "proposed_solution")
    initial = {"version": problem.version, **{field: getattr(problem, field) for field in fields}}
    return ProblemEditForm(data, initial=initial, auto_id="edit_%s")


@login_required
@require_POST
def problem_edit_view(request, pk: int):
    problem = get_object_or_404(Problem, pk=pk)
    if not may_edit(request.user, problem):
        raise PermissionDenied(EDIT_REFUSAL)
    form = _edit_form(problem, request.POST)
    if form.is_valid():
        try:
            was = problem.status
            problem = problem_edit(problem_id=pk, editor=request.user, **form.service_kwargs())
        except VersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            note = "Your changes are saved."
            if was == Status.NEEDS_INFO and problem.status == Status.NEW:
                note += " The problem is back with the product managers."
            messages.success(request, note)
            return _back_to_problem(pk, "statement")
    return _render_problem(request, pk, edit=form)


@login_required
@require_POST
def comment_view(request, pk: int):
    require(request.user, Action.COMMENT)
    get_object_or_404(Problem, pk=pk)
    form = CommentForm(request.POST, auto_id="comment_%s")
    if form.is_valid():
        try:
            comment_add(problem_id=pk, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, "Your comment is posted; the problem's followers are told.")
            return _back_to_problem(pk, "discussion")
    return _render_problem(request, pk, comment=form)


def _me_too_initial(user, page) -> dict:
    home = user.home_site
    initial = {"site": home.code if home else None}
    for report in page.detail.site_reports:
        if report.reporter_id == user.pk and report.problem_id == page.detail.problem.pk and report.site == home:
            initial |= {name: _plain(getattr(report, name)) for name in SiteReportForm.base_fields if name != "site"}
    return initial


def _problem_context(request: HttpRequest, pk: int, bound: dict) -> dict:
    try:
        page = problem_page(pk)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc
    detail, user = page.detail, request.user
    problem = detail.problem
    forms: dict = {}
    mine = None
    if may_edit(user, problem):
        forms["edit"] = _edit_form(problem)
    if problem.status != Status.MERGED:
        if may(user, Action.COMMENT):
            forms["comment"] = CommentForm(auto_id="comment_%s")
        if may(user, Action.REPORT) and problem.reports_closed_because() is None:
            forms["me_too"] = SiteReportForm(initial=_me_too_initial(user, page), user=user, auto_id="report_%s")
        forms["evidence"] = EvidenceForm(kinds=_evidence_kinds(user), auto_id="evidence_%s")
        if may(user, Action.TRIAGE):
            forms["triage"] = _triage_form(problem, user)
        if _may_merge(user, problem):
            forms["merge"] = MergeForm(initial={"version": problem.version}, auto_id=f"merge{problem.pk}_%s")
        if may(user, Action.ANSWER_OUTCOME) and problem.status in DELIVERED_STATUSES:
            affected = {report.site_id for report in detail.site_reports}
            home = user.home_site
            mine = outcome_of(problem_id=problem.pk, respondent=user, site=home)
            initial = {}
            if mine is not None:  # the answer given, to read or change
                initial = {"site": mine.site.code} | {
                    name: getattr(mine, name) for name in OutcomeForm.base_fields if name != "site"
                }
            outcome = OutcomeForm(initial=initial, user=user, affected_site_ids=affected, auto_id="outcome_%s")
            if outcome.fields["site"].queryset.exists():  # no site to answer for: no survey to offer
                forms["outcome"] = outcome
    forms |= bound  # a form posted with errors is shown as posted, even where it would not be offered now
    history = detail.history
    return {
        "page": page,
        "d": detail,
        "problem": problem,
        "policy": page.policy,
        "max_breadth": 1 + page.policy.breadth_weight,  # every active site reports it
        "bars": score_bars(
            detail.per_site,
            page.cost_by_site,
            patient_weight=page.policy.patient_weight,
            revenue_by_site=page.revenue_by_site,
            revenue_weight=page.policy.revenue_weight,
        ),
        "rank_chart": line_chart([h.rank for h in history], invert=True, fmt="#{:g}"),
        "priority_chart": line_chart([h.priority for h in history], fmt="{:.1f}"),
        "forms": forms,
        "my_outcome": mine if "outcome" in forms else None,
        "delivered": problem.status in DELIVERED_STATUSES,
        "score_poll": _next_poll(request),
        "score_poll_seconds": SCORE_POLL_SECONDS,
        "can_unmerge": problem.status == Status.MERGED and may(user, Action.UNMERGE),
        "following": is_following(user, problem.pk),
        "reports_closed": problem.reports_closed_because() if may(user, Action.REPORT) else None,
    }


def _next_poll(request: HttpRequest) -> int:
    """The number of the next poll for a pending score, or 0 once SCORE_POLLS were made."""
    try:
        done = int(request.GET.get("poll", 0))
    except ValueError:
        done = 0
    return done + 1 if 0 <= done < SCORE_POLLS else 0


# Where each of the page's forms sits, so an htmx swap with errors scrolls back to that form.
FORM_SECTIONS = {
    "me_too": "me-too",
    "evidence": "add-evidence",
    "triage": "triage",
    "merge": "merge",
    "outcome": "outcomes",
    "edit": "edit",
    "comment": "discussion",
}


def _render_problem(request: HttpRequest, pk: int, **bound) -> HttpResponse:
    failed = [name for name, form in bound.items() if form.errors]
    response = render(
        request, "backlog/problem.html", _problem_context(request, pk, bound), status=FORM_ERROR if failed else 200
    )
    if failed and request.htmx:
        response["HX-Reswap"] = f"outerHTML show:#{FORM_SECTIONS[failed[0]]}:top"
    return response


@login_required
@require_GET
def problem_page_view(request, pk: int):
    return _render_problem(request, pk)


def _back_to_problem(pk: int, anchor: str):
    return redirect(f"{reverse('problem-detail', args=[pk])}#{anchor}")


@login_required
@require_POST
def site_report_add(request, pk: int):
    require(request.user, Action.REPORT)
    problem = get_object_or_404(Problem, pk=pk)
    form = SiteReportForm(request.POST, user=request.user, auto_id="report_%s")
    if form.is_valid():
        site = form.cleaned_data["site"]
        change = ReportChange(problem_id=problem.pk, site_code=site.code)
        try:
            _, created = site_report_upsert(
                problem=problem, site=site, reporter=request.user, report=form.report_values()
            )
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, change.message(created=created))
            return _back_to_problem(pk, "site-reports")
    return _render_problem(request, pk, me_too=form)


@login_required
@require_GET
def evidence_fields(request, pk: int):
    """The evidence form's fields for the chosen kind (htmx swaps them in when the kind changes)."""
    get_object_or_404(Problem, pk=pk)
    kinds = _evidence_kinds(request.user)
    initial = {key: request.GET.get(key) for key in ("kind", "value", "site", "sample_size", "note")}
    form = EvidenceForm(initial=initial, kinds=kinds, auto_id="evidence_%s")
    return render(request, "backlog/partials/evidence_fields.html", {"form": form})


@login_required
@require_POST
def evidence_add_view(request, pk: int):
    kind = request.POST.get("kind")
    if kind in EvidenceKind.values:
        require(request.user, evidence_action(kind))
    problem = get_object_or_404(Problem, pk=pk)
    form = EvidenceForm(request.POST, kinds=_evidence_kinds(request.user), auto_id="evidence_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence_add(
                problem=problem,
                added_by=request.user,
                kind=data["kind"],
                value=data["value"],
                site=data["site"],
                sample_size=data["sample_size"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, f"{KINDS[data['kind']].title} added.")
            return _back_to_problem(pk, "evidence")
    return _render_problem(request, pk, evidence=form)


@login_required
@require_POST
def triage_view(request, pk: int):
    user = request.user
    require(user, Action.TRIAGE)
    problem = get_object_or_404(Problem, pk=pk)
    form = TriageForm(request.POST, current_status=problem.status, moves=_all_moves(), auto_id=f"triage{pk}_%s")
    if form.is_valid():
        try:
            problem = problem_triage(problem_id=pk, actor=user, **form.service_kwargs())
        except VersionConflict as conflict:
            # Keep what was typed, but against the fresh version, so it can be re-applied knowingly.
            data = request.POST.copy()
            data["version"] = str(conflict.current_version)
            form = _triage_form(Problem.objects.get(pk=pk), user, data)
            form.is_valid()
            form.add_error(None, str(conflict))
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            note = f"Saved. #{pk} is {problem.get_status_display()} (version {problem.version})."
            if _is_row_request(request, pk):
                return _render_row(request, pk, note=note)
            messages.success(request, note)
            return redirect(_next_url(request, f"{reverse('problem-detail', args=[pk])}#triage"))
    # Offer the moves allowed from the status as it is now, not every status the form accepted.
    form.fields["status"].choices = _triage_form(Problem.objects.get(pk=pk), user).fields["status"].choices
    if _is_row_request(request, pk):
        return _render_row(request, pk, form=form)
    return _render_problem(request, pk, triage=form)


MERGE_RESULTS = 8


def _merge_candidates(source: Problem, search: MergeSearchForm | None) -> list:
    """Problems to choose from: the number typed, the similar search's answers, or this problem's likely duplicates."""
    if search is None:
        return problem_duplicates(source.pk, limit=MERGE_RESULTS)
    if not search.is_valid():
        return []
    candidates = [
        s for s in problems_similar(search.cleaned_data["q"], limit=MERGE_RESULTS + 1) if s.problem.pk != source.pk
    ]
    number = search.problem_number
    if number is not None and number != source.pk:
        typed = Problem.objects.filter(pk=number).exclude(status=Status.MERGED).first()
        if typed is not None:
            candidates = [Similar(problem=typed, similarity=1.0, why=(f"#{number}",))] + [
                s for s in candidates if s.problem.pk != number
            ]
    return candidates[:MERGE_RESULTS]


def _merge_page(request: HttpRequest, pk: int, *, form: MergeForm | None = None) -> HttpResponse:
    """Choose the problem to keep (a search), then confirm a merge that names both problems."""
    source = get_object_or_404(Problem.objects.select_related("merged_into"), pk=pk)
    if not _may_merge(request.user, source):
        messages.error(request, f"#{pk} is {source.get_status_display().lower()}: it cannot be merged.")
        return redirect("problem-detail", pk)
    search = MergeSearchForm(request.GET, auto_id="merge_search_%s") if "q" in request.GET else None
    preview = None
    into = form.data.get("into") if form is not None else request.GET.get("into")
    if into and str(into).isdigit() and int(into) != pk:
        try:
            preview = merge_preview(pk, int(into))
        except Problem.DoesNotExist:
            messages.error(request, f"There is no problem #{into}.")
    if form is None and preview is not None:
        form = MergeForm(initial={"version": source.version, "into": preview.target.pk}, auto_id=f"merge{pk}_%s")
    candidates = [] if preview is not None else _merge_candidates(source, search)
    return render(
        request,
        "backlog/merge.html",
        {
            "source": source,
            "search": search or MergeSearchForm(auto_id="merge_search_%s"),
            "searched": search is not None,
            "candidates": candidates,
            "preview": preview,
            "form": form,
            "target_mergeable": preview is not None and _may_merge(request.user, preview.target),
        },
        status=FORM_ERROR if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge_view(request, pk: int):
    require(request.user, Action.MERGE)
    if request.method == "GET":
        return _merge_page(request, pk)
    get_object_or_404(Problem, pk=pk)
    form = MergeForm(request.POST, auto_id=f"merge{pk}_%s")
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            problem_merge(problem_id=pk, into_id=into, actor=request.user, version=form.cleaned_data["version"])
        except VersionConflict as conflict:
            data = request.POST.copy()
            data["version"] = str(conflict.current_version)
            form = MergeForm(data, auto_id=f"merge{pk}_%s")
            form.is_valid()
            form.add_error(None, str(conflict))
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            note = f"#{pk} is merged into #{into}: its site reports and evidence now count there."
            if _is_row_request(request, pk):
                return _render_row(request, pk, note=note)
            messages.success(request, note)
            return redirect(_next_url(request, reverse("problem-detail", args=[into])))
    if _is_row_request(request, pk):
        return _render_row(request, pk, merge_form=form)
    if request.POST.get("confirmed"):
        return _merge_page(request, pk, form=form)
    return _render_problem(request, pk, merge=form)


@login_required
@require_http_methods(["GET", "POST"])
def unmerge_view(request, pk: int):
    """Undo a merge (product managers): a confirmation that says what comes back, then the undo."""
    require(request.user, Action.UNMERGE)
    try:
        preview = unmerge_preview(pk)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc
    if preview is None:
        messages.error(request, f"#{pk} is not merged: there is nothing to undo.")
        return redirect("problem-detail", pk)
    form = UnmergeForm(request.POST or None, initial={"version": preview.source.version})
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_unmerge(problem_id=pk, actor=request.user, version=form.cleaned_data["version"])
        except VersionConflict as conflict:
            form = UnmergeForm({"version": conflict.current_version})
            form.is_valid()
            form.add_error(None, str(conflict))
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(
                request,
                f"The merge is undone: #{pk} is {problem.get_status_display()} again and its site reports and "
                f"evidence count for it. Both problems are being re-scored.",
            )
            return redirect("problem-detail", pk)
    return render(
        request,
        "backlog/unmerge.html",
        {"preview": preview, "form": form},
        status=FORM_ERROR if form.errors else 200,
    )


@login_required
@require_POST
def outcome_view(request, pk: int):
    require(request.user, Action.ANSWER_OUTCOME)
    problem = get_object_or_404(Problem, pk=pk)
    form = OutcomeForm(
        request.POST, user=request.user, affected_site_ids=problem_site_ids(problem.pk), auto_id="outcome_%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcome_answer(
                problem=problem,
                site=data["site"],
                respondent=request.user,
                better_care=data["better_care"],
                less_frustrated=data["less_frustrated"],
                more_confident=data["more_confident"],
                minutes_saved_per_shift=data["minutes_saved_per_shift"],
            )
        except ValidationError as error:
            apply_refusal(form, error)
        else:
            messages.success(request, f"Thank you: your answer for {data['site'].code} is recorded.")
            return _back_to_problem(pk, "outcomes")
    return _render_problem(request, pk, outcome=form)


# --- backlog ----------------------------------------------------------------------------------


def _row_context(problem: Problem, user, *, form=None, merge_form=None, note: str = "") -> dict:
    return {
        "p": problem,
        "triage_form": form
        or (_triage_form(problem, user) if may(user, Action.TRIAGE) and problem.status != Status.MERGED else None),
        "merge_form": merge_form
        or (
            MergeForm(initial={"version": problem.version}, auto_id=f"merge{problem.pk}_%s")
            if _may_merge(user, problem)
            else None
        ),
        "row_note": note,
    }


def _render_row(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
    """One backlog row, fresh from the database (whatever its status now), for an htmx swap."""
    policy = policy_current()
    problem = backlog_page_rows(policy=policy, statuses=Status.values).get(pk=pk)
    context = _row_context(problem, request.user, **kwargs) | {
        "can_triage": may(request.user, Action.TRIAGE),
        "next": request.POST.get("next", ""),
    }
    has_errors = any(f is not None and f.errors for f in (kwargs.get("form"), kwargs.get("merge_form")))
    return render(request, "backlog/partials/backlog_row.html", context, status=FORM_ERROR if has_errors else 200)


@login_required
@require_GET
def backlog_page(request):
    user = request.user
    policy = policy_current()
    filters = BacklogFilterForm(request.GET, auto_id="filter_%s")
    sort = filters.sort_key
    rows = backlog_page_rows(policy=policy, sort=sort, **filters.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_triage = may(user, Action.TRIAGE)
    items = [_row_context(problem, user) if can_triage else {"p": problem} for problem in page.object_list]

    capacity = filters.capacity_weeks
    cut = None
    if capacity is not None:
        fitting = backlog_fitting_count(rows, capacity_weeks=capacity)
        first = page.start_index() - 1 if page.object_list else 0
        ranked = sort == DEFAULT_SORT  # the line is drawn in rank order only
        cut = {
            "capacity": capacity,
            "fitting": fitting,
            "total": page.paginator.count,
            "ranked": ranked,
            # The line is drawn before the first problem that no longer fits (or after the last one).
            "before_id": next((item["p"].pk for i, item in enumerate(items) if first + i == fitting), None)
            if ranked
            else None,
            "after_last": ranked and fitting == page.paginator.count and not page.has_next(),
            "page": fitting // PAGE_SIZE + 1,
        }

    # The safety lane heads the product managers' backlog (they triage every status).
    lane, lane_total = safety_lane(policy=policy) if may(user, Action.MOVE_ANY_STATUS) else ([], 0)
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "backlog/backlog.html",
        {
            "filters": filters,
            "filters_active": filters.active_count,
            "page": page,
            "items": items,
            "can_triage": can_triage,
            "cut": cut,
            "lane": lane,
            "lane_total": lane_total,
            "query": query.urlencode(),
            "sort": sort,
            "sort_links": _sort_links(unsorted.urlencode(), sort),
            "csv_query": urlencode(filters.api_query()),
            "next": request.get_full_path(),
            "policy": policy,
        },
        status=400 if filters.too_many_values else 200,
    )


def _sort_links(query: str, current: str) -> dict:
    """For each sortable column: the page's address sorted by it (filters kept), and whether it is the order."""
    head = f"{reverse('backlog')}?{query + '&' if query else ''}"
    return {
        key: {
            "url": head if key == DEFAULT_SORT else f"{head}sort={key}",
            "aria_sort": SORT_DIRECTIONS[key] if key == current else None,
        }
        for key in BACKLOG_SORTS
    }


# --- my problems, network, outcomes ----------------------------------------------------------


@login_required
@require_GET
def my_problems_page(request):
    problems = problems_of_user(user=request.user, policy=policy_current())
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backlog/my_problems.html", {"page": page})


@login_required
@require_GET
def network_page(request):
    sites = {site.code: site for site in Site.objects.order_by("code")}
    chosen = sites.get(request.GET.get("site", "").strip().upper())
    problems = network_problems(site_code=chosen.code if chosen else None)
    page = Paginator(problems, NETWORK_PROBLEMS).get_page(request.GET.get("page"))
    query = urlencode({"site": chosen.code}) if chosen else ""
    return render(
        request,
        "backlog/network.html",
        {
            "matrix": network_matrix(list(page.object_list)),
            "page": page,
            "sites": sites.values(),
            "chosen": chosen,
            "query": query,
        },
    )


@login_required
@require_GET
def roadmap_page(request):
    form = RoadmapForm(request.GET or None, initial={"capacity": settings.ROADMAP_QUARTER_WEEKS})
    capacity = settings.ROADMAP_QUARTER_WEEKS
    if form.is_bound and form.is_valid() and form.cleaned_data["capacity"] is not None:
        capacity = form.cleaned_data["capacity"]
    plan = roadmap(policy=policy_current(), capacity_weeks=capacity)
    return render(request, "backlog/roadmap.html", {"form": form, "plan": plan})


@login_required
@require_GET
def outcomes_page(request):
    page = Paginator(delivered_problems(), 25).get_page(request.GET.get("page"))
    rows = outcome_summaries(list(page.object_list))
    context = {"page": page, "rows": rows, "min_responses": settings.OUTCOME_MIN_RESPONSES}
    return render(request, "backlog/outcomes.html", context)


# --- duplicates queue --------------------------------------------------------------------------


@login_required
@require_GET
def duplicates_page(request):
    """Likely pairs of open problems, best first, to merge or dismiss (product managers)."""
    require(request.user, Action.DISMISS_DUPLICATE)
    if not settings.CELERY_ENABLED:
        # No worker to find new pairs in the background (`make run` without a broker): look now.
        duplicate_pairs_refresh()
    page = Paginator(duplicate_queue(), DUPLICATES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backlog/duplicates.html",
        {"page": page, "pairs": queued_pairs(list(page.object_list)), "next": request.get_full_path()},
    )


@login_required
@require_POST
def duplicate_dismiss_view(request):
    require(request.user, Action.DISMISS_DUPLICATE)
    form = DismissForm(request.POST)
    back = _next_url(request, reverse("duplicates"))
    if form.is_valid():
        problem, other = form.cleaned_data["problem"], form.cleaned_data["other"]
        try:
            duplicate_dismiss(problem_id=problem, other_id=other, actor=request.user)
        except (ValidationError, Problem.DoesNotExist):
            messages.error(request, f"#{problem} and #{other} could not be marked: one of them no longer exists.")
        else:
            messages.success(
                request, f"#{problem} and #{other} are marked as not duplicates; they will not be paired again."
            )
    else:
        messages.error(request, "Choose a pair from the queue.")
    return redirect(back)
