"""What comes in: sites, people, problems, site reports and evidence.

Every range and uniqueness rule of product.md §3 is a database constraint; forms and
serializers repeat them only to give friendly messages.
"""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse


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
    shifts_per_week = models.FloatField(default=4.0, validators=[MinValueValidator(0), MaxValueValidator(21)])
    visits_per_week = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code=models.functions.Upper("code")), name="site_code_uppercase"),
            models.CheckConstraint(condition=~Q(code=""), name="site_code_not_empty"),
            models.CheckConstraint(condition=Q(providers__gte=0), name="site_providers_gte_0"),
            models.CheckConstraint(condition=Q(visits_per_week__gte=0), name="site_visits_gte_0"),
            models.CheckConstraint(
                condition=Q(shifts_per_week__gte=0, shifts_per_week__lte=21), name="site_shifts_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class User(AbstractUser):
    home_site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
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

# The single state machine of product.md §3, whoever calls.
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.NEEDS_INFO, Status.TRIAGED, Status.PLANNED, Status.DECLINED, Status.MERGED),
    Status.NEEDS_INFO: (Status.NEW, Status.DECLINED, Status.MERGED),
    Status.TRIAGED: (Status.PLANNED, Status.DECLINED, Status.MERGED),
    Status.PLANNED: (Status.IN_PROGRESS, Status.DECLINED),
    Status.IN_PROGRESS: (Status.DELIVERED, Status.PLANNED),
    Status.DELIVERED: (Status.MEASURED,),
    Status.MEASURED: (),
    Status.DECLINED: (),
    Status.MERGED: (),
}

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
                condition=Q(effort_weeks__isnull=True) | Q(effort_weeks__gt=0, effort_weeks__lte=520),
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


class SiteReport(models.Model):
    """One site's account of a problem, one per (problem, site, reporter)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="site_reports")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="site_reports")
    reporter = models.ForeignKey(User, on_delete=models.PROTECT, related_name="site_reports")
    minutes_lost_per_occurrence = models.FloatField()
    occurrences_per_shift = models.FloatField()
    providers_affected_pct = models.FloatField(default=100)
    after_hours_pct = models.FloatField(default=0)
    patient_wait_minutes = models.FloatField(default=0)
    visits_affected_pct = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem", "site", "reporter"], name="sitereport_one_per_reporter"),
            models.CheckConstraint(
                condition=Q(minutes_lost_per_occurrence__gt=0, minutes_lost_per_occurrence__lte=240),
                name="sitereport_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(occurrences_per_shift__gt=0, occurrences_per_shift__lte=200),
                name="sitereport_occurrences_range",
            ),
            models.CheckConstraint(
                condition=Q(providers_affected_pct__gte=0, providers_affected_pct__lte=100),
                name="sitereport_providers_pct_range",
            ),
            models.CheckConstraint(
                condition=Q(after_hours_pct__gte=0, after_hours_pct__lte=100), name="sitereport_after_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(patient_wait_minutes__gte=0, patient_wait_minutes__lte=240),
                name="sitereport_wait_range",
            ),
            models.CheckConstraint(
                condition=Q(visits_affected_pct__gte=0, visits_affected_pct__lte=100),
                name="sitereport_visits_pct_range",
            ),
        ]
        indexes = [models.Index(fields=["site"], name="sitereport_site_idx")]


class EvidenceKind(models.TextChoices):
    TIME_STUDY = "time_study", "Time study (minutes lost per occurrence)"
    EHR_METRIC = "ehr_metric", "EHR metric (occurrences per provider per shift)"
    COST_REPORT = "cost_report", "Cost report (provider hours per week a change would cost)"
    SURVEY = "survey", "Survey (provider frustration 1–5)"
    NOTE = "note", "Note"


class Evidence(models.Model):
    """An appended fact about a problem. Never updated or deleted by the application."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    value = models.FloatField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evidence_added")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=EvidenceKind.TIME_STUDY, value__gt=0, value__lte=240, sample_size__gte=1)
                    | Q(kind=EvidenceKind.EHR_METRIC, value__gt=0, value__lte=200, site__isnull=False)
                    | Q(kind=EvidenceKind.COST_REPORT, value__gte=0, value__lte=10000, site__isnull=False)
                    | Q(kind=EvidenceKind.SURVEY, value__in=[1, 2, 3, 4, 5])
                    | (Q(kind=EvidenceKind.NOTE, value__isnull=True) & ~Q(note=""))
                ),
                name="evidence_kind_rules",
            ),
        ]
        indexes = [models.Index(fields=["problem", "kind"], name="evidence_problem_kind_idx")]


# API tokens live with the rest of the sign-in rules (intake.auth); importing registers the model.
from .auth.models import ApiToken  # noqa: E402, F401
