"""The intake form: a problem in plain language, its first site report, and "me too" site reports.

Every field of docs/domain.md is validated here with a message that names the field and says what
is allowed (the ranges come from intake.numbers); the database constraints behind them stay the
last word. Free text is screened for
patient information here (so every error shows at once) and again in the service.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from .models import (
    SOLUTION_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    AffectedRole,
    Site,
    WorkflowArea,
)
from .numbers import REPORT_NUMBER_NAMES, REPORT_NUMBERS, Range, ReportValues, plain
from .phi import phi_screen_fields
from .roles import sites_to_speak_for, speaks_for_any_site

# The free-text fields, with the words the PHI screen's messages use for them.
FREE_TEXT_FIELDS = {
    "title": "The one-line summary",
    "statement": "“What happens”",
    "proposed_solution": "The idea for a fix",
    "safety_details": "The safety details",
}

# Phrases that describe a fix rather than what happens: "add a button", "we need a new field",
# "please create", "can you make", "should have", "change the default to".
_SOLUTION_PHRASE = re.compile(
    r"(?i)\b(?:(?:please|pls|can\s+(?:you|we|it)|could\s+(?:you|we)|we\s+(?:need|want|would\s+like)|i\s+(?:need|want|would\s+like)"
    r"|need\s+to|should|must|let'?s|request\s+to)\s+(?:\w+\s+){0,2}?(?:add|create|build|make|install|put|give|enable|"
    r"turn\s+on|remove|change|move|implement|get|have|allow|set\s+up)\b"
    r"|^\s*(?:add|create|build|make|install|put|give|enable|remove|change|move|implement|allow)\s+(?:a|an|the|us|new|more|one)\b"
    r"|\b(?:need|want|request|like)(?:s|ed)?\s+(?:a|an)\s+(?:new\s+)?(?:button|field|tab|report|screen|alert|checkbox|dropdown|"
    r"template|order\s+set|shortcut|column|feature|option|interface|integration|printer|module|tool)\b"
    r"|\b(?:new|extra|additional)\s+(?:button|field|tab|checkbox|dropdown|column|shortcut)\b)"
)

SOLUTION_NUDGE = (
    "This reads like a solution. What problem would it solve? Describe what happens today, how often, and who it "
    "slows down; your idea has its own place below, under “Idea for a fix”."
)


def reads_like_solution(*texts: str) -> bool:
    """True when a title or statement proposes a fix ("add a button") rather than describing a problem."""
    return any(_SOLUTION_PHRASE.search(text or "") for text in texts)


def number_field(label: str, rng: Range, **kwargs) -> forms.FloatField:
    """A number field whose every error names the field and the allowed range."""
    lower = f"above {plain(rng.low)}" if rng.low_open else f"at least {plain(rng.low)}"
    allowed = f"{label}: enter a number {lower} and at most {plain(rng.high)}."
    field = forms.FloatField(
        label=label,
        min_value=None if rng.low_open else rng.low,
        max_value=rng.high,
        error_messages={
            "required": f"{label} is required: enter a number {lower} and at most {plain(rng.high)}.",
            "invalid": allowed,
            # Django formats these two with their limit: a literal "%" in the label must be doubled.
            "min_value": allowed.replace("%", "%%"),
            "max_value": allowed.replace("%", "%%"),
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        **kwargs,
    )
    if rng.low_open:
        field.validators.append(_above(rng.low, allowed))
    return field


def _above(minimum: float, message: str):
    def validate(value: float) -> None:
        if value is not None and value <= minimum:
            raise ValidationError(message, code="min_value")

    return validate


def apply_refusal(form: forms.Form, refusal: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, else above the form."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal.messages)
        return
    for name, messages in refusal.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class SiteChoiceField(forms.ModelChoiceField):
    """An active site, chosen by its code (as everywhere else: docs/api.md)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Site.objects.filter(active=True).order_by("code"))
        super().__init__(to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Site) -> str:
        return f"{obj.code} · {obj.name}"


def only_my_sites(field: SiteChoiceField, user, *, among=None) -> None:
    """Offer only the sites `user` may speak for (intake.roles): a clinician's own sites."""
    field.queryset = sites_to_speak_for(user, field.queryset if among is None else among)
    if not speaks_for_any_site(user):
        field.error_messages["invalid_choice"] = (
            f"{field.label}: choose one of the sites you work at (an administrator assigns them)."
        )


# The six numbers of a site report (intake.numbers), as form fields.
_REPORT_NUMBER_FIELDS = {
    number.name: number_field(
        number.label, number.range, help_text=number.help, required=number.default is None, initial=number.default
    )
    for number in REPORT_NUMBERS
}


class SiteReportForm(
    type(forms.Form)("ReportNumbers", (forms.Form,), {"__module__": __name__, **_REPORT_NUMBER_FIELDS})
):
    """A site report: the site and the six numbers of docs/domain.md. The intake form's first
    report, "this happens at my site too" on the intake page and on the problem page."""

    site = SiteChoiceField(
        label="Your site",
        empty_label=None,
        error_messages={
            "required": "Your site is required: choose the site where this happens.",
            "invalid_choice": "Your site: choose one of the active sites in the list.",
        },
    )
    field_order = ["site", *REPORT_NUMBER_NAMES]

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if user is not None:
            only_my_sites(self.fields["site"], user)
        home = getattr(user, "home_site", None)
        if home is not None and home.active and "site" not in self.initial:
            self.initial["site"] = home.code

    @property
    def required_numbers(self) -> list[forms.BoundField]:
        return [self[number.name] for number in REPORT_NUMBERS if number.default is None]

    @property
    def optional_numbers(self) -> list[forms.BoundField]:
        return [self[number.name] for number in REPORT_NUMBERS if number.default is not None]

    def report_values(self) -> ReportValues:
        data = self.cleaned_data
        return ReportValues(
            **{
                number.name: number.default if data.get(number.name) is None else data[number.name]
                for number in REPORT_NUMBERS
            }
        )


class ProblemIntakeForm(SiteReportForm):
    """A new problem, problem first: what happens, how often and how long, who, patients, safety."""

    title = forms.CharField(
        label="In one line, what goes wrong?",
        max_length=TITLE_MAX,
        help_text="For example: “Strep results take 20 minutes to show up after the analyzer finishes”.",
        error_messages={
            "required": "The one-line summary is required: say in a few words what goes wrong.",
            "max_length": f"The one-line summary can be at most {TITLE_MAX} characters "
            "(it has %(show_value)d): put the details in “What happens”.",
        },
    )
    statement = forms.CharField(
        label="What happens?",
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Walk us through it as it happens today. For example: “After the analyzer finishes, the result takes "
        "20 minutes to reach the results tab, so we walk to the lab to read it.” Leave out anything about a patient.",
        error_messages={
            "required": "“What happens” is required: describe the problem as it happens today.",
            "max_length": f"“What happens” can be at most {STATEMENT_MAX:,} characters (it has %(show_value)d).",
        },
    )
    workflow_area = forms.ChoiceField(
        label="Where in the workflow?",
        choices=[("", "Choose one…"), *WorkflowArea.choices],
        error_messages={
            "required": "Where in the workflow is required: choose the closest area, or “Other”.",
            "invalid_choice": "Where in the workflow: choose one of the listed areas.",
        },
    )
    affected_roles = forms.MultipleChoiceField(
        label="Who does it slow down?",
        choices=AffectedRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone it affects.",
        error_messages={"invalid_choice": "Who does it slow down: choose among the listed roles."},
    )
    safety_concern = forms.BooleanField(
        label="This could harm a patient (a safety concern)",
        required=False,
        help_text="For example: a result that never reaches the provider, an allergy that does not show.",
    )
    safety_details = forms.CharField(
        label="What could go wrong for the patient?",
        max_length=SOLUTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “a positive strep result can sit unread until the next day”.",
        error_messages={
            "max_length": f"The safety details can be at most {SOLUTION_MAX:,} characters (they have %(show_value)d).",
        },
    )
    proposed_solution = forms.CharField(
        label="Your idea, if you have one",
        max_length=SOLUTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If you have an idea, put it here. The team will weigh it against other ways of solving the problem.",
        error_messages={
            "max_length": f"The idea for a fix can be at most {SOLUTION_MAX:,} characters (it has %(show_value)d).",
        },
    )
    # Set once the solution nudge has been shown, so that a second submission goes through.
    nudged = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = [
        "title",
        "statement",
        "workflow_area",
        "minutes_lost_per_occurrence",
        "occurrences_per_shift",
        "after_hours_pct",
        "site",
        "affected_roles",
        "providers_affected_pct",
        "patient_wait_minutes",
        "visits_affected_pct",
        "safety_concern",
        "safety_details",
        "proposed_solution",
    ]

    def __init__(self, *args, similar_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "spellcheck": "true"})
        if similar_url:
            # Progressive enhancement: similar problems follow what is typed (htmx, debounced).
            live = {
                "hx-post": similar_url,
                "hx-target": "#similar",
                "hx-include": "closest form",
                "hx-sync": "closest form:replace",
            }
            for name in ("title", "statement"):
                self.fields[name].widget.attrs.update(live, **{"hx-trigger": "keyup changed delay:400ms"})
            for name in ("site", "minutes_lost_per_occurrence", "occurrences_per_shift"):
                self.fields[name].widget.attrs.update(live, **{"hx-trigger": "change"})

    def clean(self):
        data = super().clean()
        if data.get("safety_concern") and not (data.get("safety_details") or "").strip():
            self.add_error(
                "safety_details",
                "What could go wrong for the patient is required when you mark a safety concern: say it in a line.",
            )
        texts = {name: data.get(name) or "" for name in FREE_TEXT_FIELDS if name not in self.errors}
        try:
            phi_screen_fields(texts, labels=FREE_TEXT_FIELDS)
        except ValidationError as refusal:
            for name, messages in refusal.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
        return data

    @property
    def needs_solution_nudge(self) -> bool:
        """A valid form whose problem reads like a solution, not yet nudged: ask once, then accept."""
        data = self.cleaned_data
        return not data.get("nudged") and reads_like_solution(data.get("title", ""), data.get("statement", ""))

    def submit_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "site": data["site"],
            "title": data["title"],
            "statement": data["statement"],
            "workflow_area": data["workflow_area"],
            "report": self.report_values(),
            "affected_roles": list(data["affected_roles"]),
            "proposed_solution": data["proposed_solution"],
            "safety_concern": data["safety_concern"],
            "safety_details": data["safety_details"],
        }
