"""Shapes of the problem-side API (docs/api.md): inputs that validate, outputs that describe.

Input serializers only validate and convert; each view hands the result to one service.
Output serializers turn selector results into the documented JSON.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import ID_MAX, INT32_MAX, RangeField, SiteCodeField, StrictSerializer, UsernameField
from intake.evidence_kinds import KINDS
from intake.models import (
    COMMENT_MAX,
    NOTE_MAX,
    SOLUTION_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    AffectedRole,
    EvidenceKind,
    Status,
    WorkflowArea,
)
from intake.numbers import EFFORT_WEEKS, LIKERT, MINUTES_SAVED_PER_SHIFT, REPORT_NUMBERS
from intake.phi import phi_find, phi_message

from ..models import OUTCOME_QUESTIONS

# --- outputs -----------------------------------------------------------------------------


class ScoreFields(serializers.Serializer):
    """The stored score (docs/api.md); every field but `score_pending` is null before the first score."""

    rank = serializers.IntegerField(allow_null=True, help_text="Place among all open problems; null when not open.")
    priority = serializers.FloatField(allow_null=True)
    value_hours_per_week = serializers.FloatField(allow_null=True)
    provider_hours_per_week = serializers.FloatField(allow_null=True)
    patient_hours_per_week = serializers.FloatField(allow_null=True)
    cost_hours_per_week = serializers.FloatField(allow_null=True)
    revenue_per_week = serializers.FloatField(
        allow_null=True, help_text="Lost revenue a week: the latest revenue report per site, summed."
    )
    sites_affected = serializers.IntegerField(allow_null=True)
    sites = serializers.ListField(child=serializers.CharField(), allow_null=True, help_text="Codes of the sites in R.")
    breadth = serializers.FloatField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    effort_weeks = serializers.FloatField(allow_null=True, help_text="The effort the score used.")
    effort_estimated = serializers.BooleanField(allow_null=True, help_text="False when the policy default was used.")
    policy_version = serializers.IntegerField(allow_null=True)
    scored_at = serializers.DateTimeField(allow_null=True)
    score_pending = serializers.BooleanField(help_text="True while inputs or the policy changed since `scored_at`.")

    class Meta:
        ref_name = "Score"


class BacklogItemOut(ScoreFields):
    """One backlog row: the problem's headline fields and its score, flat (documentation of the hot path)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(Status.choices)
    workflow_area = serializers.ChoiceField(WorkflowArea.choices)
    safety_concern = serializers.BooleanField()
    external_ref = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    url = serializers.URLField(help_text="The problem's page.")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "BacklogItem"


class SiteReportOut(serializers.Serializer):
    problem = serializers.IntegerField(source="problem_id", help_text="Differs from the problem's id when merged in.")
    site = serializers.CharField(source="site.code")
    reporter = UsernameField()
    minutes_lost_per_occurrence = serializers.FloatField()
    occurrences_per_shift = serializers.FloatField()
    providers_affected_pct = serializers.FloatField()
    after_hours_pct = serializers.FloatField()
    patient_wait_minutes = serializers.FloatField()
    visits_affected_pct = serializers.FloatField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "SiteReport"


class EvidenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    problem = serializers.IntegerField(source="problem_id", help_text="Differs from the problem's id when merged in.")
    kind = serializers.ChoiceField(EvidenceKind.choices)
    site = serializers.CharField(source="site.code", allow_null=True)
    value = serializers.FloatField(allow_null=True)
    sample_size = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    added_by = UsernameField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Evidence"


class OutcomeSummaryOut(serializers.Serializer):
    responses = serializers.IntegerField()
    better_care = serializers.FloatField(allow_null=True, help_text="Mean answer, 1–5.")
    less_frustrated = serializers.FloatField(allow_null=True, help_text="Mean answer, 1–5.")
    more_confident = serializers.FloatField(allow_null=True, help_text="Mean answer, 1–5.")
    realized_provider_hours_per_week = serializers.FloatField(
        allow_null=True, help_text="null while `too_early` (and before any answer)."
    )
    estimate_accuracy = serializers.FloatField(
        allow_null=True, help_text="Realized ÷ estimated plain provider hours; null while `too_early`."
    )
    too_early = serializers.BooleanField(
        help_text="Fewer answers than `min_responses`: realized hours and accuracy are held back."
    )
    min_responses = serializers.IntegerField(help_text="Answers needed before realized hours are shown.")
    sites_answered = serializers.IntegerField(help_text="Sites with at least one answer.")
    sites_affected = serializers.IntegerField(help_text="Sites the problem's score counts.")

    class Meta:
        ref_name = "OutcomeSummary"


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = UsernameField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Comment"


class ProblemOut(serializers.Serializer):
    """A problem with its score, its own and merged-in site reports and evidence, and outcomes."""

    id = serializers.IntegerField(source="problem.id")
    title = serializers.CharField(source="problem.title")
    statement = serializers.CharField(source="problem.statement")
    workflow_area = serializers.ChoiceField(WorkflowArea.choices, source="problem.workflow_area")
    affected_roles = serializers.ListField(
        child=serializers.ChoiceField(AffectedRole.choices), source="problem.affected_roles"
    )
    status = serializers.ChoiceField(Status.choices, source="problem.status")
    safety_concern = serializers.BooleanField(source="problem.safety_concern")
    safety_details = serializers.CharField(source="problem.safety_details", allow_blank=True)
    proposed_solution = serializers.CharField(source="problem.proposed_solution", allow_blank=True)
    decline_reason = serializers.CharField(source="problem.decline_reason", allow_blank=True)
    needs_info_question = serializers.CharField(
        source="problem.needs_info_question",
        allow_blank=True,
        help_text="What the product manager asked when moving it to needs_info (kept after the answer).",
    )
    external_ref = serializers.CharField(source="problem.external_ref", allow_blank=True)
    merged_into = serializers.IntegerField(source="problem.merged_into_id", allow_null=True)
    merged_from = serializers.SerializerMethodField(help_text="Ids of the problems merged into this one.")
    effort_weeks = serializers.FloatField(source="problem.effort_weeks", allow_null=True, help_text="IT's estimate.")
    version = serializers.IntegerField(source="problem.version", help_text="Send it back with every change.")
    allowed_moves = serializers.SerializerMethodField(help_text="Statuses you may move this problem to.")
    created_at = serializers.DateTimeField(source="problem.created_at")
    updated_at = serializers.DateTimeField(source="problem.updated_at")
    url = serializers.SerializerMethodField(help_text="The problem's page.")
    score = serializers.SerializerMethodField()
    site_reports = SiteReportOut(many=True)
    evidence = EvidenceOut(many=True)
    outcomes = OutcomeSummaryOut()
    comments = CommentOut(many=True, help_text="The discussion, oldest first.")

    class Meta:
        ref_name = "Problem"

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_from(self, detail) -> list[int]:
        return [problem.pk for problem in detail.merged_problems]

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": Status.values}})
    def get_allowed_moves(self, detail) -> list[str]:
        return self.context["allowed_moves"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, detail) -> str:
        return self.context["request"].build_absolute_uri(detail.problem.get_absolute_url())

    @extend_schema_field(ScoreFields)
    def get_score(self, detail) -> dict:
        stored = detail.score
        values = {name: None for name in ScoreFields().fields}
        if stored is not None:
            values.update({name: getattr(stored, name) for name in values if hasattr(stored, name)})
            if not detail.problem.is_open:
                values["rank"] = None
        values["score_pending"] = detail.score_pending
        return ScoreFields(values).data


class SimilarOut(serializers.Serializer):
    id = serializers.IntegerField(source="problem.id")
    title = serializers.CharField(source="problem.title")
    status = serializers.ChoiceField(Status.choices, source="problem.status")
    workflow_area = serializers.ChoiceField(WorkflowArea.choices, source="problem.workflow_area")
    url = serializers.SerializerMethodField()
    similarity = serializers.FloatField(
        min_value=0, max_value=1, help_text="How likely the same problem, from 0 (unrelated) to 1 (the same words)."
    )
    likely_same = serializers.BooleanField(
        help_text="`similarity` reaches the threshold at which the intake panel says “likely the same problem”."
    )
    why = serializers.ListField(
        child=serializers.CharField(),
        help_text="What matched, most telling first: shared words, synonyms and abbreviations "
        "(e.g. “med rec = medication reconciliation”), repaired typos, or “similar meaning”.",
    )
    sites = serializers.ListField(child=serializers.CharField(), help_text="Codes of the sites that report it.")

    class Meta:
        ref_name = "SimilarProblem"

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, similar) -> str:
        return self.context["request"].build_absolute_uri(similar.problem.get_absolute_url())


class OutcomeOut(serializers.Serializer):
    problem = serializers.IntegerField(source="problem_id")
    site = serializers.CharField(source="site.code")
    respondent = UsernameField()
    better_care = serializers.IntegerField()
    less_frustrated = serializers.IntegerField()
    more_confident = serializers.IntegerField()
    minutes_saved_per_shift = serializers.FloatField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "OutcomeAnswer"


# --- inputs ------------------------------------------------------------------------------

# The six numbers of a site report (intake.numbers), as serializer fields with their defaults.
_REPORT_NUMBER_FIELDS = {
    number.name: RangeField(number.range, help_text=number.api_help)
    if number.default is None
    else RangeField(number.range, default=number.default, help_text=number.api_help)
    for number in REPORT_NUMBERS
}
ReportFieldsSerializer = type(StrictSerializer)(
    "ReportFieldsSerializer",
    (StrictSerializer,),
    {
        "__module__": __name__,
        "__doc__": "The six numbers of a site report (docs/domain.md), with their defaults.",
        **_REPORT_NUMBER_FIELDS,
    },
)


class ProblemIn(ReportFieldsSerializer):
    """Intake: the problem, the site it happens at, and that site's first report."""

    title = serializers.CharField(max_length=TITLE_MAX)
    statement = serializers.CharField(max_length=STATEMENT_MAX, help_text="What happens (not the solution).")
    workflow_area = serializers.ChoiceField(WorkflowArea.choices)
    affected_roles = serializers.ListField(
        child=serializers.ChoiceField(AffectedRole.choices), default=list, max_length=len(AffectedRole.choices)
    )
    proposed_solution = serializers.CharField(max_length=SOLUTION_MAX, allow_blank=True, default="")
    safety_concern = serializers.BooleanField(default=False)
    safety_details = serializers.CharField(max_length=SOLUTION_MAX, allow_blank=True, default="")
    site = SiteCodeField(help_text="Code of the site where it happens; that site's first report is created.")


class SiteReportIn(ReportFieldsSerializer):
    site = SiteCodeField()


def _kinds_joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class EvidenceIn(StrictSerializer):
    """Evidence of one kind: what `value` measures, and whether a site or a sample size is needed,
    depend on the kind."""

    kind = serializers.ChoiceField(EvidenceKind.choices)
    value = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="; ".join(
            f"{kind}: {rule.measures} ({rule.range.symbols}{', whole' if rule.range.whole else ''})"
            if rule.range
            else f"{kind}: none"
            for kind, rule in KINDS.items()
        )
        + ".",
    )
    site = SiteCodeField(
        required=False,
        allow_null=True,
        help_text=f"Required for {_kinds_joined([kind for kind, rule in KINDS.items() if rule.site_required])}.",
    )
    sample_size = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=INT32_MAX,
        help_text=f"{_kinds_joined([kind for kind, rule in KINDS.items() if rule.sample_size])} only (≥ 1).",
    )
    note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        rule, value = KINDS[attrs["kind"]], attrs.get("value")
        errors: dict[str, list[str]] = {}
        if rule.range is None:
            if value is not None:
                errors["value"] = [f"{rule.a_noun.capitalize()} has no value; write it in `note`."]
            if not attrs.get("note", "").strip():
                errors["note"] = ["Write the note."]
        else:
            expected = f"{rule.range.words} ({rule.measures})"
            if value is None:
                errors["value"] = [f"Give the value: {expected}."]
            elif value not in rule.range:
                errors["value"] = [f"Enter {expected}."]
        if rule.sample_size and attrs.get("sample_size") is None:
            errors["sample_size"] = [f"{rule.a_noun.capitalize()} needs its sample size (at least 1)."]
        if not rule.sample_size and attrs.get("sample_size") is not None:
            only = [KINDS[kind].a_noun for kind in KINDS if KINDS[kind].sample_size]
            errors["sample_size"] = [f"Only {_kinds_joined(only)} has a sample size."]
        if rule.site_required and attrs.get("site") is None:
            errors["site"] = [f"{rule.a_noun[0].upper()}{rule.a_noun[1:]} belongs to one site: give its code."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ProblemChangeIn(StrictSerializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=INT32_MAX,
        error_messages={"required": "Send the problem's current version with every change."},
        help_text="The `version` you read; a stale one is refused with 409.",
    )
    status = serializers.ChoiceField(Status.choices, required=False)
    decline_reason = serializers.CharField(
        max_length=NOTE_MAX, required=False, allow_blank=True, help_text="Required when declining."
    )
    effort_weeks = RangeField(
        EFFORT_WEEKS, required=False, allow_null=True, help_text="IT's estimate in weeks; null clears it."
    )
    external_ref = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="e.g. a Jira key such as IT-1234."
    )
    question = serializers.CharField(
        max_length=NOTE_MAX,
        required=False,
        allow_blank=True,
        help_text="Required when moving to needs_info: what you need to know; the followers read it.",
    )
    reason = serializers.CharField(
        max_length=NOTE_MAX,
        required=False,
        allow_blank=True,
        help_text="Required when reopening a declined problem (declined → new).",
    )
    # The submitter's edit (new or needs_info only; not together with a triage change).
    title = serializers.CharField(max_length=TITLE_MAX, required=False, help_text="Submitter's edit.")
    statement = serializers.CharField(max_length=STATEMENT_MAX, required=False, help_text="Submitter's edit.")
    proposed_solution = serializers.CharField(
        max_length=SOLUTION_MAX, required=False, allow_blank=True, help_text="Submitter's edit."
    )
    workflow_area = serializers.ChoiceField(WorkflowArea.choices, required=False, help_text="Submitter's edit.")
    affected_roles = serializers.ListField(
        child=serializers.ChoiceField(AffectedRole.choices),
        required=False,
        max_length=len(AffectedRole.choices),
        help_text="Submitter's edit.",
    )


class CommentIn(StrictSerializer):
    body = serializers.CharField(max_length=COMMENT_MAX, help_text="Screened for patient information.")

    class Meta:
        ref_name = "CommentIn"


class MergeIn(StrictSerializer):
    into = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="Id of the problem to merge into.")
    version = serializers.IntegerField(
        min_value=1, max_value=INT32_MAX, required=False, help_text="Optional: refuse (409) if the problem changed."
    )


class UnmergeIn(StrictSerializer):
    version = serializers.IntegerField(
        min_value=1, max_value=INT32_MAX, help_text="The merged problem's current version (409 if it changed)."
    )


class DismissIn(StrictSerializer):
    other = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id of the problem that is not the same as this one."
    )


class DismissOut(serializers.Serializer):
    problem = serializers.IntegerField(help_text="This problem's id.")
    other = serializers.IntegerField(help_text="The other problem's id.")
    dismissed_by = UsernameField(source="dismissal.dismissed_by")
    at = serializers.DateTimeField(source="dismissal.at", help_text="When the pair was first dismissed.")


class OutcomeIn(StrictSerializer):
    site = SiteCodeField(help_text="The site where you work.")
    better_care = serializers.IntegerField(
        min_value=LIKERT.low, max_value=LIKERT.high, help_text=OUTCOME_QUESTIONS["better_care"] + "."
    )
    less_frustrated = serializers.IntegerField(
        min_value=LIKERT.low, max_value=LIKERT.high, help_text=OUTCOME_QUESTIONS["less_frustrated"] + "."
    )
    more_confident = serializers.IntegerField(
        min_value=LIKERT.low, max_value=LIKERT.high, help_text=OUTCOME_QUESTIONS["more_confident"] + "."
    )
    minutes_saved_per_shift = RangeField(MINUTES_SAVED_PER_SHIFT)


class SimilarQuery(serializers.Serializer):
    q = serializers.CharField(
        max_length=500,
        help_text="Words of a problem's title or statement. Screened for patient information like any free text.",
    )

    def validate_q(self, value: str) -> str:
        findings = phi_find(value)
        if findings:
            raise serializers.ValidationError(phi_message(findings[0], value, "q", "The search text"))
        return value
