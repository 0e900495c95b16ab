"""Writes for what comes in. One function per domain action, each one transaction.

Field ranges are enforced by database constraints and repeated (with friendly messages) by
forms and serializers; these functions add the rules that need more than one field or row:
who may write (intake.roles), the PHI screen, "one report per (problem, site, reporter)" and
stale marking.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .audit.models import AuditAction
from .audit.services import audit_record, evidence_state, problem_state, report_state, site_state
from .evidence_kinds import KINDS
from .models import (
    Evidence,
    Follow,
    Problem,
    Site,
    SiteReport,
    Status,
    User,
)
from .numbers import ReportValues
from .phi import phi_screen_fields
from .roles import Action, evidence_action, require, require_report_at
from .similar.services import search_entries_write
from .stale import all_problems_mark_stale, problems_at_site_mark_stale, problems_mark_stale

SIZE_FIELDS = ("providers", "shifts_per_week", "visits_per_week")


@transaction.atomic
def site_create(
    *,
    code: str,
    name: str,
    region: str = "",
    providers: int = 0,
    shifts_per_week: float = 4.0,
    visits_per_week: int = 0,
    active: bool = True,
    actor: User | None = None,
) -> Site:
    """A new site; `actor` is the administrator (None: the system, e.g. the demo load)."""
    if actor is not None:
        require(actor, Action.ADMINISTER)
    site = Site.objects.create(
        code=code.strip().upper(),
        name=name,
        region=region,
        providers=providers,
        shifts_per_week=shifts_per_week,
        visits_per_week=visits_per_week,
        active=active,
    )
    audit_record(action=AuditAction.SITE_CREATE, actor=actor, target=site, after=site_state(site))
    if active:
        all_problems_mark_stale()
    return site


@transaction.atomic
def site_update(*, site: Site, actor: User | None = None, **changes) -> Site:
    if actor is not None:
        require(actor, Action.ADMINISTER)
    site = Site.objects.select_for_update().get(pk=site.pk)
    before = site_state(site)
    size_changed = any(f in changes and changes[f] != getattr(site, f) for f in SIZE_FIELDS)
    active_changed = "active" in changes and changes["active"] != site.active
    for field, value in changes.items():
        setattr(site, field, value.strip().upper() if field == "code" else value)
    site.save()
    if site_state(site) != before:
        audit_record(action=AuditAction.SITE_UPDATE, actor=actor, target=site, before=before, after=site_state(site))
    if active_changed:
        all_problems_mark_stale()
    elif size_changed:
        problems_at_site_mark_stale(site_id=site.pk)
    return site


def _refuse_if_closed_for_input(problem: Problem) -> None:
    if problem.status == Status.MERGED:
        raise ValidationError({"non_field_errors": [problem.reports_closed_because()]})


def _refuse_report_if_closed(problem: Problem) -> None:
    """A "me too" on a declined, delivered or merged problem says what that means instead of counting."""
    because = problem.reports_closed_because()
    if because:
        raise ValidationError({"non_field_errors": [because]})


@transaction.atomic
def problem_submit(
    *,
    author: User,
    site: Site,
    title: str,
    statement: str,
    workflow_area: str,
    report: ReportValues,
    affected_roles: list[str] | None = None,
    proposed_solution: str = "",
    safety_concern: bool = False,
    safety_details: str = "",
) -> Problem:
    require(author, Action.SUBMIT)
    require_report_at(author, site)
    phi_screen_fields(
        {
            "title": title,
            "statement": statement,
            "proposed_solution": proposed_solution,
            "safety_details": safety_details,
        }
    )
    problem = Problem.objects.create(
        title=title.strip(),
        statement=statement.strip(),
        workflow_area=workflow_area,
        affected_roles=sorted(set(affected_roles or [])),
        proposed_solution=proposed_solution.strip(),
        safety_concern=safety_concern,
        safety_details=safety_details.strip() if safety_concern else "",
        submitted_by=author,
    )
    first = SiteReport.objects.create(problem=problem, site=site, reporter=author, **report.__dict__)
    audit_record(
        action=AuditAction.PROBLEM_SUBMIT,
        actor=author,
        problem=problem,
        target=problem,
        after=problem_state(problem) | {"first_report": report_state(first)},
    )
    problems_mark_stale(problem_ids=[problem.pk])
    search_entries_write(problem_ids=[problem.pk])
    return problem


def site_report_upsert(
    *, problem: Problem, site: Site, reporter: User, report: ReportValues
) -> tuple[SiteReport, bool]:
    """Add or replace `reporter`'s report of `problem` at `site`. Returns (report, created)."""
    require(reporter, Action.REPORT)
    _refuse_report_if_closed(problem)  # what a closed problem means comes before whose site it is
    require_report_at(reporter, site)
    for attempt in range(2):
        try:
            with transaction.atomic():
                earlier = SiteReport.objects.filter(problem=problem, site=site, reporter=reporter).first()
                site_report, created = SiteReport.objects.update_or_create(
                    problem=problem, site=site, reporter=reporter, defaults=report.__dict__
                )
                audit_record(
                    action=AuditAction.SITE_REPORT,
                    actor=reporter,
                    problem=problem,
                    target=site_report,
                    before=report_state(earlier) if earlier else None,
                    after=report_state(site_report),
                )
                problems_mark_stale(problem_ids=[problem.pk])
            return site_report, created
        except IntegrityError:
            # Two requests raced to create the same report; the second one updates it.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def evidence_add(
    *,
    problem: Problem,
    added_by: User,
    kind: str,
    value: float | None = None,
    site: Site | None = None,
    sample_size: int | None = None,
    note: str = "",
) -> Evidence:
    require(added_by, evidence_action(kind))
    _refuse_if_closed_for_input(problem)
    phi_screen_fields({"note": note})
    evidence = Evidence.objects.create(
        problem=problem,
        kind=kind,
        value=value,
        site=site,
        sample_size=sample_size if KINDS[kind].sample_size else None,
        note=note.strip(),
        added_by=added_by,
    )
    audit_record(
        action=AuditAction.EVIDENCE_ADD,
        actor=added_by,
        problem=problem,
        target=evidence,
        after=evidence_state(evidence),
    )
    if KINDS[kind].scored:
        problems_mark_stale(problem_ids=[problem.pk])
    return evidence


@transaction.atomic
def problem_follow(*, problem: Problem, user: User, following: bool) -> Follow:
    """Follow `problem` (hear of its events) or stop following it, whatever made `user` a follower."""
    require(user, Action.FOLLOW)
    follow, _ = Follow.objects.update_or_create(problem=problem, user=user, defaults={"following": following})
    return follow
