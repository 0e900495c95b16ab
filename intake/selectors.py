"""Reads for intake: the sites behind problems, the administrators to ask for a role.

Similar problems are intake.similar.selectors'."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from .models import Role, SiteReport, User


def problem_site_codes(problem_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Codes of the sites that reported each problem, counting problems merged into it. One query."""
    # Two indexed branches in one query (an OR across the join would read every report).
    own = SiteReport.objects.filter(problem_id__in=problem_ids).values_list(
        "problem_id", "problem__merged_into_id", "site__code"
    )
    merged = SiteReport.objects.filter(problem__merged_into_id__in=problem_ids).values_list(
        "problem_id", "problem__merged_into_id", "site__code"
    )
    rows = own.union(merged)
    codes: dict[int, set[str]] = defaultdict(set)
    for problem_id, merged_into_id, code in rows:
        codes[merged_into_id if merged_into_id in problem_ids else problem_id].add(code)
    return {pk: tuple(sorted(codes.get(pk, ()))) for pk in problem_ids}


def problem_site_ids(problem_id: int) -> set[int]:
    """Ids of the sites affected by a problem: those with a site report on it or on a problem merged into it."""
    reports = SiteReport.objects.filter(Q(problem_id=problem_id) | Q(problem__merged_into_id=problem_id))
    return set(reports.values_list("site_id", flat=True).distinct())


def administrators(*, limit: int = 5) -> list[str]:
    """Usernames of the active administrators (the admin role, or superusers): whom to ask for a role."""
    admins = User.objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
    return list(admins.distinct().order_by("username").values_list("username", flat=True)[:limit])
