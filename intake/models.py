"""What comes in: sites, people, problems, site reports and evidence.

Every range and uniqueness rule of docs/domain.md is a database constraint. The ranges are built
from the tables of intake.numbers (site-report numbers and other numbers) and
intake.evidence_kinds (the kinds of evidence), which the forms and serializers read too, to give
friendly messages.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from .evidence_kinds import KINDS, EvidenceKind, KindRule
from .numbers import EFFORT_WEEKS, REPORT_NUMBERS, SHIFTS_PER_WEEK, Range


def range_q(field: str, allowed: Range, *, integer_column: bool = False) -> Q:
    """`field` within `allowed`, as a constraint's condition (a whole-number range over a float
    column lists its values)."""
    if allowed.whole and not integer_column:
        return Q(**{f"{field}__in": list(range(int(allowed.low), int(allowed.high) + 1))})
    lower = f"{field}__gt" if allowed.low_open else f"{field}__gte"
    return Q(**{lower: allowed.low, f"{field}__lte": allowed.high})


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    INFORMATICS = "informatics", "Clinical informatics"
    PRODUCT_MANAGER = "product_manager", "Product manager"
    IT_LEAD = "it_lead", "IT lead"
    ADMIN = "admin", "Administrator"


class Site(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=80, blank=True)
    providers = models.PositiveIntegerField(default=0)
    shifts_per_week = models.FloatField(
        default=4.0, validators=[MinValueValidator(SHIFTS_PER_WEEK.low), MaxValueValidator(SHIFTS_PER_WEEK.high)]
    )
    visits_per_week = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code=models.functions.Upper("code")), name="site_code_uppercase"),
            models.CheckConstraint(condition=~Q(code=""), name="site_code_not_empty"),
            models.CheckConstraint(condition=Q(providers__gte=0), name="site_providers_gte_0"),
            models.CheckConstraint(condition=Q(visits_per_week__gte=0), name="site_visits_gte_0"),
            models.CheckConstraint(condition=range_q("shifts_per_week", SHIFTS_PER_WEEK), name="site_shifts_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class User(AbstractUser):
    home_site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    # The sites this person works at (docs/domain.md, Roles), assigned by an admin; the home site always counts.
    sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="workers",
        help_text="The sites this person works at. Their home site always counts, listed here or not.",
    )
    # Created by load_demo, with a published password: refused outside DEBUG (intake.auth.policy).
    is_demo = models.BooleanField(default=False, help_text="A demo account: it can sign in only with DEBUG on.")

    def has_role(self, *roles: str) -> bool:
        if not self.is_authenticated or not self.is_active:
            return False
        return self.roles & set(roles) != set()

    @property
    def roles(self) -> set[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = self.roles_given(self.groups.values_list("name", flat=True))
            self._role_cache = cached
        return cached

    @property
    def work_site_ids(self) -> frozenset[int]:
        """Ids of the sites this user works at: the assigned ones and the home site (one query, cached)."""
        cached = getattr(self, "_work_site_cache", None)
        if cached is None:
            ids = set(self.sites.values_list("pk", flat=True)) if self.pk else set()
            if self.home_site_id is not None:
                ids.add(self.home_site_id)
            cached = self._work_site_cache = frozenset(ids)
        return cached

    def roles_given(self, group_names) -> set[str]:
        """The roles this user holds with these groups: each group's name, and admin for a superuser."""
        roles = set(group_names)
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return roles


class WorkflowArea(models.TextChoices):
    CHARTING = "charting", "Charting"
    ORDERS = "orders", "Orders"
    RESULTS = "results", "Results"
    INBOX = "inbox", "Inbox"
    TRIAGE = "triage", "Triage"
    DISCHARGE = "discharge", "Discharge"
    SCHEDULING = "scheduling", "Scheduling"
    BILLING = "billing", "Billing"
    OTHER = "other", "Other"


class AffectedRole(models.TextChoices):
    PHYSICIAN = "physician", "Physicians"
    APP = "app", "APPs (NP/PA)"
    NURSE = "nurse", "Nurses"
    MA = "ma", "Medical assistants"
    FRONT_DESK = "front_desk", "Front desk"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    NEW = "new", "New"
    NEEDS_INFO = "needs_info", "Needs info"
    TRIAGED = "triaged", "Triaged"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    MEASURED = "measured", "Measured"
    DECLINED = "declined", "Declined"
    MERGED = "merged", "Merged"


OPEN_STATUSES = (Status.NEW, Status.NEEDS_INFO, Status.TRIAGED, Status.PLANNED, Status.IN_PROGRESS)
# Delivered changes: outcome answers are open, and the outcomes page lists them.
DELIVERED_STATUSES = (Status.DELIVERED, Status.MEASURED)

# The single state machine of docs/domain.md, whoever calls.
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.NEEDS_INFO, Status.TRIAGED, Status.PLANNED, Status.DECLINED, Status.MERGED),
    Status.NEEDS_INFO: (Status.NEW, Status.DECLINED, Status.MERGED),
    Status.TRIAGED: (Status.PLANNED, Status.DECLINED, Status.MERGED),
    Status.PLANNED: (Status.IN_PROGRESS, Status.DECLINED),
    Status.IN_PROGRESS: (Status.DELIVERED, Status.PLANNED),
    Status.DELIVERED: (Status.MEASURED,),
    Status.MEASURED: (),
    Status.DECLINED: (Status.NEW,),  # reopen, with a reason
    Status.MERGED: (),
}
# While a problem is here, its submitter may edit its text (docs/integrations.md).
SUBMITTER_EDITABLE_STATUSES = (Status.NEW, Status.NEEDS_INFO)

TITLE_MAX = 120
STATEMENT_MAX = 5000
SOLUTION_MAX = 2000
NOTE_MAX = 2000


class Problem(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    statement = models.TextField(validators=[MaxLengthValidator(STATEMENT_MAX)])
    workflow_area = models.CharField(max_length=16, choices=WorkflowArea.choices)
    affected_roles = models.JSONField(default=list, blank=True)
    proposed_solution = models.TextField(blank=True, validators=[MaxLengthValidator(SOLUTION_MAX)])
    safety_concern = models.BooleanField(default=False)
    safety_details = models.TextField(blank=True, validators=[MaxLengthValidator(SOLUTION_MAX)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    decline_reason = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    # What the product manager asked when moving the problem to needs_info (docs/domain.md); kept
    # after an answer, so the page can show what was asked.
    needs_info_question = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    effort_weeks = models.FloatField(null=True, blank=True)
    external_ref = models.CharField(max_length=64, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="problems_submitted")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_problems"
    )
    # Increments on every triage write; a PATCH carrying an older version is refused (409).
    version = models.PositiveIntegerField(default=1)
    # Increments whenever anything that feeds the score or the rank changes. The scoring side
    # records which inputs_version a score was computed from; a difference means "score pending".
    inputs_version = models.PositiveIntegerField(default=1)
    # When inputs_version last moved (or the problem was created), set in the same write: how long
    # a pending score has been waiting, for the readiness check (scoring.selectors.stale_summary).
    inputs_changed_at = models.DateTimeField(db_default=Now())
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="problem_title_required"),
            models.CheckConstraint(condition=~Q(statement=""), name="problem_statement_required"),
            models.CheckConstraint(
                condition=Q(effort_weeks__isnull=True) | range_q("effort_weeks", EFFORT_WEEKS),
                name="problem_effort_range",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.MERGED, merged_into__isnull=False)
                | (~Q(status=Status.MERGED) & Q(merged_into__isnull=True)),
                name="problem_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="problem_not_merged_into_itself"),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | ~Q(decline_reason=""), name="problem_decline_has_reason"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="problem_status_valid"),
            models.CheckConstraint(condition=Q(workflow_area__in=WorkflowArea.values), name="problem_area_valid"),
        ]
        indexes = [
            models.Index(fields=["status"], name="problem_status_idx"),
            models.Index(fields=["submitted_by", "-created_at"], name="problem_submitter_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("problem-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def reports_closed_because(self) -> str | None:
        """Why "this happens at my site too" is refused now (a closed problem), or None."""
        if self.status == Status.MERGED:
            return f"This problem was merged into #{self.merged_into_id}; add to that one instead."
        if self.status == Status.DECLINED:
            return (
                f"This problem was declined ({self.decline_reason}), so a report would not bring it back. "
                "Comment on it to ask a product manager to reopen it, or report a new problem if yours differs."
            )
        if self.status in DELIVERED_STATUSES:
            return (
                "This problem was delivered: tell us whether the change helped with the outcome survey. "
                "If the problem still happens, report it as a new problem."
            )
        return None


CONFLICT_TIME = r"H:i T \o\n j M Y"  # 14:05 UTC on 3 Dec 2026


@dataclass
class VersionConflict(Exception):
    """A write carried a `version` that is not the problem's current one: someone else changed it first."""

    current_version: int
    changed_by: str | None
    changed_at: datetime | None

    def __str__(self) -> str:
        who = f" by {self.changed_by}" if self.changed_by else ""
        # A person reads this (the page, the API's detail); the API's changed_at carries the ISO time.
        when = f" at {date_format(localtime(self.changed_at), CONFLICT_TIME)}" if self.changed_at else ""
        return (
            f"This problem was changed{who}{when}; it is now at version {self.current_version}. "
            "Reload it and apply your change again."
        )


class SiteReportNumbers(models.Model):
    """The six numbers of a site report, one float column each (intake.numbers.REPORT_NUMBERS)."""

    class Meta:
        abstract = True


for _number in REPORT_NUMBERS:
    SiteReportNumbers.add_to_class(
        _number.name,
        models.FloatField() if _number.default is None else models.FloatField(default=_number.default),
    )


class SiteReport(SiteReportNumbers):
    """One site's account of a problem, one per (problem, site, reporter)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="site_reports")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="site_reports")
    reporter = models.ForeignKey(User, on_delete=models.PROTECT, related_name="site_reports")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem", "site", "reporter"], name="sitereport_one_per_reporter"),
            *(
                models.CheckConstraint(condition=range_q(number.name, number.range), name=f"sitereport_{number.name}")
                for number in REPORT_NUMBERS
            ),
        ]
        indexes = [models.Index(fields=["site"], name="sitereport_site_idx")]


def _kind_rules(rule: KindRule) -> Q:
    """What a row of kind `rule.kind` must hold (intake.evidence_kinds)."""
    condition = Q(kind=rule.kind)
    if rule.range is None:
        condition &= Q(value__isnull=True) & ~Q(note="")
    else:
        condition &= range_q("value", rule.range)
    if rule.site_required:
        condition &= Q(site__isnull=False)
    condition &= Q(sample_size__gte=1) if rule.sample_size else Q(sample_size__isnull=True)
    return condition


class Evidence(models.Model):
    """An appended fact about a problem. Never updated or deleted by the application."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=32, choices=EvidenceKind.choices)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    value = models.FloatField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evidence_added")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=reduce(or_, map(_kind_rules, KINDS.values())), name="evidence_kind_rules"),
        ]
        indexes = [models.Index(fields=["problem", "kind"], name="evidence_problem_kind_idx")]


COMMENT_MAX = 5000
QUESTION_MAX = 2000


class Comment(models.Model):
    """A discussion message on a problem (docs/integrations.md); PHI-screened before it is stored."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(validators=[MaxLengthValidator(COMMENT_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_body_required")]
        indexes = [models.Index(fields=["problem", "created_at"], name="comment_problem_idx")]


class Follow(models.Model):
    """A user's explicit choice about a problem: following it, or (following=False) not any more.

    The submitter and the reporters follow without a row; a row with following=False takes them
    off (intake.outbox.followers)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    following = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="follow_one_per_user")]


class EventType(models.TextChoices):
    STATUS_CHANGED = "status_changed", "Status changed"
    MERGED = "merged", "Merged into another problem"
    COMMENT_ADDED = "comment_added", "Comment added"
    DELIVERED = "delivered", "Delivered"


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it records (the
    transactional outbox); fanned out after commit, and by the periodic sweep until `processed_at`."""

    event = models.CharField(max_length=32, choices=EventType.choices)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(event__in=EventType.values), name="outbox_event_valid")]
        indexes = [
            models.Index(fields=["created_at"], name="outbox_unprocessed_idx", condition=Q(processed_at__isnull=True))
        ]


# API tokens live with the rest of the sign-in rules (intake.auth); importing registers the model.
from .audit.models import AuditEvent  # noqa: E402, F401
from .auth.models import ApiToken  # noqa: E402, F401
