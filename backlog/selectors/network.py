"""Where each problem hurts: sites × the top open problems (the network page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from intake.models import OPEN_STATUSES, Problem, Site, SiteReport
from scoring.ranking import RANK_ORDER


@dataclass(frozen=True)
class NetworkRow:
    problem: Problem
    marks: list[bool]  # one per NetworkMatrix.sites column
    sites_reporting: int


@dataclass(frozen=True)
class SiteLoad:
    site: Site
    open_problems: int


@dataclass(frozen=True)
class NetworkMatrix:
    sites: list[Site]
    rows: list[NetworkRow]
    site_loads: list[SiteLoad]


def network_problems(*, site_code: str | None = None) -> QuerySet[Problem]:
    """The ranked open problems, by rank; with `site_code`, those reported at that site (their own
    report or one merged in, as the backlog's site filter)."""
    problems = Problem.objects.filter(status__in=OPEN_STATUSES, score__is_open=True)
    if site_code:
        reports = SiteReport.objects.filter(site__code=site_code)
        problems = problems.filter(
            Exists(reports.filter(problem_id=OuterRef("pk")))
            | Exists(reports.filter(problem__merged_into_id=OuterRef("pk")))
        )
    return problems.select_related("score").order_by(*RANK_ORDER)


def network_matrix(problems: list[Problem]) -> NetworkMatrix:
    """Which sites report each of `problems` (one page of network_problems; merged-in reports count
    for the target).

    Columns are the active sites plus any inactive site that still reports one of these problems;
    `site_loads` gives per site the number of open problems it reports.
    """
    top = problems
    top_ids = [p.pk for p in top]
    marked: dict[int, set[int]] = {}
    for problem_id, merged_into_id, site_id in (
        SiteReport.objects.filter(Q(problem_id__in=top_ids) | Q(problem__merged_into_id__in=top_ids))
        .values_list("problem_id", "problem__merged_into_id", "site_id")
        .distinct()
    ):
        marked.setdefault(merged_into_id or problem_id, set()).add(site_id)
    sites_marked = set().union(*marked.values()) if marked else set()
    sites = [s for s in Site.objects.order_by("code") if s.active or s.pk in sites_marked]

    root = Coalesce(F("problem__merged_into_id"), F("problem_id"))
    open_root = Q(problem__merged_into__isnull=True, problem__status__in=OPEN_STATUSES) | Q(
        problem__merged_into__status__in=OPEN_STATUSES
    )
    loads = dict(
        SiteReport.objects.filter(open_root)
        .annotate(root=root)
        .values("site_id")
        .annotate(problems=Count("root", distinct=True))
        .values_list("site_id", "problems")
    )
    rows = [
        NetworkRow(
            problem=problem,
            marks=[site.pk in marked.get(problem.pk, set()) for site in sites],
            sites_reporting=len(marked.get(problem.pk, set())),
        )
        for problem in top
    ]
    return NetworkMatrix(
        sites=sites,
        rows=rows,
        site_loads=[SiteLoad(site=site, open_problems=loads.get(site.pk, 0)) for site in sites],
    )
