"""Forms of the backlog pages. They validate input and hand clean values to one service each.

Ranges repeat the database constraints (product.md §3) to give friendly messages tied to the
field; rules that need more than the form's own fields stay in the services.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from intake.models import NOTE_MAX, EvidenceKind, Site, Status, WorkflowArea
from intake.services import ReportValues


def _above_zero(value: float | None) -> None:
    if value is not None and value <= 0:
        raise ValidationError("Enter a number greater than 0.")


def _active_sites():
    return Site.objects.filter(active=True).order_by("code")


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Site) -> str:
        return f"{obj.code} · {obj.name}"


class SiteReportForm(forms.Form):
    """ "This happens at my site too": the site and the six numbers of product.md §3."""

    site = SiteChoiceField(queryset=Site.objects.none(), to_field_name="code", label="Your site")
    minutes_lost_per_occurrence = forms.FloatField(
        label="Minutes lost each time it happens",
        max_value=240,
        validators=[_above_zero],
        help_text="Your best guess, up to 240.",
    )
    occurrences_per_shift = forms.FloatField(
        label="Times it happens per provider per shift", max_value=200, validators=[_above_zero]
    )
    providers_affected_pct = forms.FloatField(
        label="Providers at the site it affects (%)", min_value=0, max_value=100, initial=100
    )
    after_hours_pct = forms.FloatField(
        label="Share of the lost time made up after hours (%)", min_value=0, max_value=100, initial=0
    )
    patient_wait_minutes = forms.FloatField(
        label="Minutes a patient waits because of it", min_value=0, max_value=240, initial=0
    )
    visits_affected_pct = forms.FloatField(label="Visits it affects (%)", min_value=0, max_value=100, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _active_sites()

    def report_values(self) -> ReportValues:
        data = self.cleaned_data
        return ReportValues(**{name: data[name] for name in ReportValues.__dataclass_fields__})


# What `value` means for each kind, and its range: (label, help, low, low inclusive, high).
VALUE_RULES = {
    EvidenceKind.TIME_STUDY: ("Measured minutes lost per occurrence", "From a time study; up to 240.", 0, False, 240),
    EvidenceKind.EHR_METRIC: (
        "Occurrences per provider per shift",
        "From EHR logs at the site; up to 200.",
        0,
        False,
        200,
    ),
    EvidenceKind.COST_REPORT: (
        "Provider hours per week the change would cost the site",
        "The latest report per site counts; 0 to 10,000.",
        0,
        True,
        10000,
    ),
    EvidenceKind.SURVEY: ("Provider frustration (1–5)", "1 = not frustrated, 5 = very frustrated.", 1, True, 5),
}
SITE_REQUIRED = (EvidenceKind.EHR_METRIC, EvidenceKind.COST_REPORT)


class EvidenceForm(forms.Form):
    """Add evidence; which fields matter depends on the kind (and which kinds on the user's role)."""

    kind = forms.ChoiceField(label="Kind of evidence")
    value = forms.FloatField(label="Value", required=False)
    site = SiteChoiceField(queryset=Site.objects.none(), to_field_name="code", required=False, label="Site")
    sample_size = forms.IntegerField(label="Sample size (observations)", min_value=1, required=False)
    note = forms.CharField(label="Note", max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, EvidenceKind(k).label) for k in kinds]
        self.fields["site"].queryset = _active_sites()
        self.fields["site"].empty_label = "No particular site"

    @property
    def current_kind(self) -> str | None:
        """The kind the fields are laid out for: the posted or chosen one, the only one allowed, or
        None before a choice (then every field is shown, so the form also works without JavaScript)."""
        raw = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        allowed = [value for value, _ in self.fields["kind"].choices]
        if raw in allowed:
            return raw
        return allowed[0] if len(allowed) == 1 else None

    @property
    def value_rule(self):
        return VALUE_RULES.get(self.current_kind)

    @property
    def site_required(self) -> bool:
        return self.current_kind in SITE_REQUIRED

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        value = data.get("value")
        rule = VALUE_RULES.get(kind)
        if rule is None:  # a note: text only
            data["value"] = None
            data["sample_size"] = None
            if not (data.get("note") or "").strip():
                self.add_error("note", "Write the note.")
            return data
        label, _, low, low_inclusive, high = rule
        if value is None:
            self.add_error("value", f"Enter the {label[0].lower() + label[1:]}.")
        elif (value < low if low_inclusive else value <= low) or value > high:
            lower = f"at least {low:g}" if low_inclusive else f"more than {low:g}"
            self.add_error("value", f"Enter a number {lower} and at most {high:g}.")
        elif kind == EvidenceKind.SURVEY and value != int(value):
            self.add_error("value", "Enter a whole number from 1 to 5.")
        if kind == EvidenceKind.TIME_STUDY and data.get("sample_size") is None:
            self.add_error("sample_size", "Say how many observations the time study made.")
        if kind != EvidenceKind.TIME_STUDY:
            data["sample_size"] = None
        if kind in SITE_REQUIRED and data.get("site") is None:
            self.add_error("site", "Choose the site this was measured at.")
        return data


class TriageForm(forms.Form):
    """Status move, decline reason, effort and external reference, carrying the version it was read at."""

    mark_optional = False  # every field is optional: the page does not say so on each

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label="Move to", required=False)
    decline_reason = forms.CharField(
        label="Reason for declining",
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when declining; the submitter sees it.",
    )
    effort_weeks = forms.FloatField(
        label="Effort (weeks)",
        max_value=520,
        required=False,
        validators=[_above_zero],
        help_text="IT's estimate; leave empty to use the policy default.",
    )
    external_ref = forms.CharField(
        label="External reference", max_length=64, required=False, help_text="e.g. a Jira key"
    )

    def __init__(self, *args, current_status: str, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        keep = f"Keep “{Status(current_status).label}”"
        self.fields["status"].choices = [("", keep)] + [(s, Status(s).label) for s in moves]

    @property
    def offers_decline(self) -> bool:
        """Whether to show the reason field: declining is offered, or a reason was typed (never lose it)."""
        offered = any(value == Status.DECLINED for value, _ in self.fields["status"].choices)
        typed = self.is_bound and bool(self.data.get("decline_reason", "").strip())
        return offered or typed

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "status": data["status"] or None,
            "decline_reason": data["decline_reason"] or None,
            "effort_weeks": data["effort_weeks"],
            "external_ref": data["external_ref"],
        }


class MergeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    into = forms.IntegerField(label="Merge into problem #", min_value=1, help_text="The number of the problem to keep.")


LIKERT = [
    (1, "1 · Strongly disagree"),
    (2, "2 · Disagree"),
    (3, "3 · Neither"),
    (4, "4 · Agree"),
    (5, "5 · Strongly agree"),
]
# The exact wording of product.md §3 (Outcome).
OUTCOME_QUESTIONS = {
    "better_care": "The change helps me deliver better care",
    "less_frustrated": "I am less frustrated",
    "more_confident": "I feel more confident using the system",
}


def _likert(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LIKERT, coerce=int, widget=forms.RadioSelect)


class OutcomeForm(forms.Form):
    site = SiteChoiceField(queryset=Site.objects.none(), to_field_name="code", label="Your site")
    better_care = _likert(OUTCOME_QUESTIONS["better_care"])
    less_frustrated = _likert(OUTCOME_QUESTIONS["less_frustrated"])
    more_confident = _likert(OUTCOME_QUESTIONS["more_confident"])
    minutes_saved_per_shift = forms.FloatField(
        label="Minutes saved per shift", min_value=0, max_value=240, help_text="0 if it saves you no time."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _active_sites()

    @property
    def likert_fields(self):
        return [self[name] for name in OUTCOME_QUESTIONS]


SAFETY_CHOICES = [("", "Any"), ("true", "Safety concern only"), ("false", "No safety concern")]


class BacklogFilterForm(forms.Form):
    """The backlog's GET filters and the capacity for the cut line. Invalid values are ignored, with a message."""

    mark_optional = False  # every field is optional: the page does not say so on each

    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        choices=[(s.value, s.label) for s in Status if s != Status.MERGED],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every open status.",
    )
    site = forms.ChoiceField(label="Site", required=False)
    workflow_area = forms.ChoiceField(
        label="Workflow area", required=False, choices=[("", "Any")] + list(WorkflowArea.choices)
    )
    safety = forms.ChoiceField(label="Safety", required=False, choices=SAFETY_CHOICES)
    capacity = forms.FloatField(
        label="IT capacity (weeks)",
        required=False,
        min_value=0,
        max_value=100000,
        help_text="Draws a line after the last problem that fits.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "Any")] + [
            (code, f"{code} · {name}") for code, name in Site.objects.order_by("code").values_list("code", "name")
        ]

    def filters(self) -> dict:
        """Keyword arguments for backlog_ranked from the valid fields only."""
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        safety = data.get("safety")
        return {
            "statuses": list(data.get("status") or []) or None,
            "site_codes": [data["site"]] if data.get("site") else None,
            "workflow_areas": [data["workflow_area"]] if data.get("workflow_area") else None,
            "safety": {"true": True, "false": False}.get(safety) if safety else None,
        }

    def api_query(self) -> dict:
        """The same filters in the REST API's spelling (for the CSV export link)."""
        filters = self.filters()
        query = {"format": "csv"}
        if filters["statuses"]:
            query["status"] = ",".join(filters["statuses"])
        if filters["site_codes"]:
            query["site"] = filters["site_codes"][0]
        if filters["workflow_areas"]:
            query["workflow_area"] = filters["workflow_areas"][0]
        if filters["safety"] is not None:
            query["safety"] = "true" if filters["safety"] else "false"
        return query

    @property
    def active_count(self) -> int:
        """How many filters (and the capacity) are set, for the collapsed filter panel's summary."""
        self.is_valid()
        return sum(1 for value in self.cleaned_data.values() if value not in (None, "", []))

    @property
    def capacity_weeks(self) -> float | None:
        self.is_valid()
        return self.cleaned_data.get("capacity")
