"""Forms of the backlog pages. They validate input and hand clean values to one service each.

Ranges come from the tables the database constraints are built from (intake.numbers,
intake.evidence_kinds), to give friendly messages tied to the field; rules that need more than
the form's own fields stay in the services. "This happens at my site too" is intake's
SiteReportForm, the same on every page.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from intake.evidence_kinds import KINDS, KindRule
from intake.forms import ProblemIntakeForm, SiteChoiceField, only_my_sites
from intake.models import COMMENT_MAX, NOTE_MAX, EvidenceKind, Site, Status, WorkflowArea
from intake.numbers import EFFORT_WEEKS, MINUTES_SAVED_PER_SHIFT, plain, too_many_values
from intake.phi import phi_find, phi_message
from intake.roles import speaks_for_any_site

from .models import OUTCOME_QUESTIONS
from .selectors.listing import BACKLOG_SORTS, DEFAULT_SORT, SEARCH_MAX_CHARS


def search_text_clean(text: str) -> str:
    """The backlog's search text, or ValidationError: too long, or holding patient information
    (never searched with nor logged; the message does not quote it)."""
    text = (text or "").strip()
    if len(text) > SEARCH_MAX_CHARS:
        raise ValidationError(f"Search: at most {SEARCH_MAX_CHARS} characters.")
    if phi_find(text):
        raise ValidationError(
            "Search: what looks like patient information was typed; it is not searched for. "
            "Search with words of the problem instead."
        )
    return text


def _above_zero(value: float | None) -> None:
    if value is not None and value <= 0:
        raise ValidationError("Enter a number greater than 0.")


class EvidenceForm(forms.Form):
    """Add evidence; which fields matter depends on the kind (intake.evidence_kinds) and which kinds
    on the user's role (intake.roles)."""

    kind = forms.ChoiceField(
        label="Kind of evidence", error_messages={"required": "Kind of evidence is required: choose one."}
    )
    value = forms.FloatField(label="Value", required=False)
    site = SiteChoiceField(required=False, label="Site")
    sample_size = forms.IntegerField(label="Sample size (observations)", min_value=1, required=False)
    note = forms.CharField(label="Note", max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, EvidenceKind(k).label) for k in kinds]
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
    def rule(self) -> KindRule | None:
        kind = self.current_kind
        return None if kind is None else KINDS[kind]

    @property
    def value_help(self) -> str:
        """Before a kind is chosen: what `value` means for each kind that has one."""
        return " ".join(
            f"{rule.title}: {rule.measures} ({rule.range.symbols})."
            for kind, rule in KINDS.items()
            if rule.range is not None and kind in dict(self.fields["kind"].choices)
        )

    @property
    def site_required_for(self) -> str:
        """Before a kind is chosen: the kinds that need a site, e.g. 'EHR metrics and cost reports'."""
        names = [f"{rule.noun}s" for rule in KINDS.values() if rule.site_required]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        rule, value = KINDS[kind], data.get("value")
        if rule.range is None:  # a note: text only
            data["value"] = None
            data["sample_size"] = None
            if not (data.get("note") or "").strip():
                self.add_error("note", "Write the note.")
            return data
        if value is None:
            self.add_error("value", f"Enter the {rule.value_label[0].lower() + rule.value_label[1:]}.")
        elif value not in rule.range:
            if rule.range.whole:
                self.add_error(
                    "value", f"Enter a whole number from {plain(rule.range.low)} to {plain(rule.range.high)}."
                )
            else:
                self.add_error("value", f"Enter {rule.range.words}.")
        if rule.sample_size and data.get("sample_size") is None:
            self.add_error("sample_size", f"Say how many observations the {rule.noun} made.")
        if not rule.sample_size:
            data["sample_size"] = None
        if rule.site_required and data.get("site") is None:
            self.add_error("site", "Choose the site this was measured at.")
        return data


def _move_text(label: str, help_text: str) -> forms.CharField:
    """The short free text a status move may need (a decline reason, a question, a reopen reason)."""
    return forms.CharField(
        label=label, max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text
    )


class TriageForm(forms.Form):
    """Status move, decline reason, effort and external reference, carrying the version it was read at."""

    mark_optional = False  # every field is optional: the page does not say so on each

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label="Move to", required=False)
    decline_reason = _move_text("Reason for declining", "Required when declining; the submitter sees it.")
    effort_weeks = forms.FloatField(
        label="Effort (weeks)",
        max_value=EFFORT_WEEKS.high,
        required=False,
        validators=[_above_zero],
        help_text="IT's estimate; leave empty to use the policy default.",
    )
    external_ref = forms.CharField(
        label="External reference", max_length=64, required=False, help_text="e.g. a Jira key"
    )
    question = _move_text(
        "What do you need to know?",
        "Required when moving to Needs info; the submitter and the reporters read it.",
    )
    reason = _move_text("Why reopen it?", "Required to reopen a declined problem; its followers read it.")

    def __init__(self, *args, current_status: str, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status
        keep = f"Keep “{Status(current_status).label}”"
        self.fields["status"].choices = [("", keep)] + [(s, Status(s).label) for s in moves]

    def _offers(self, status: str, field: str) -> bool:
        offered = any(value == status for value, _ in self.fields["status"].choices)
        return offered or (self.is_bound and bool(self.data.get(field, "").strip()))

    @property
    def offers_question(self) -> bool:
        return self._offers(Status.NEEDS_INFO, "question")

    @property
    def offers_reopen(self) -> bool:
        return self.current_status == Status.DECLINED and self._offers(Status.NEW, "reason")

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
            "question": data["question"] or None,
            "reason": data["reason"] or None,
        }


class ProblemEditForm(forms.Form):
    """The submitter's edit of their problem's text (new or needs info)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = ProblemIntakeForm.base_fields["title"]
    statement = ProblemIntakeForm.base_fields["statement"]
    workflow_area = ProblemIntakeForm.base_fields["workflow_area"]
    affected_roles = ProblemIntakeForm.base_fields["affected_roles"]
    proposed_solution = ProblemIntakeForm.base_fields["proposed_solution"]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone following the problem reads it. Leave out anything about a patient.",
        error_messages={"required": "Write a comment."},
    )


class MergeForm(forms.Form):
    """The confirmed merge (posted from the merge page's confirmation step)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    into = forms.IntegerField(label="Merge into problem #", min_value=1, help_text="The number of the problem to keep.")


class UnmergeForm(forms.Form):
    """Undo a merge: the merged problem's version, as read on the confirmation."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MergeSearchForm(forms.Form):
    """Find the problem to keep: words of its title or statement (the similar search), or its number."""

    q = forms.CharField(
        label="Find the problem to keep",
        max_length=500,
        help_text="Words of its title or statement, or its number (#12).",
    )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"]
        findings = phi_find(value)
        if findings:
            raise ValidationError(phi_message(findings[0], value, "q", "The search text"))
        return value

    @property
    def problem_number(self) -> int | None:
        """The number typed, if the search is one (#12, 12)."""
        text = self.cleaned_data.get("q", "").strip().lstrip("#").strip()
        return int(text) if text.isdigit() and len(text) <= 18 else None


LIKERT = [
    (1, "1 · Strongly disagree"),
    (2, "2 · Disagree"),
    (3, "3 · Neither"),
    (4, "4 · Agree"),
    (5, "5 · Strongly agree"),
]


def _likert(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LIKERT, coerce=int, widget=forms.RadioSelect)


class OutcomeForm(forms.Form):
    site = SiteChoiceField(label="Your site")
    better_care = _likert(OUTCOME_QUESTIONS["better_care"])
    less_frustrated = _likert(OUTCOME_QUESTIONS["less_frustrated"])
    more_confident = _likert(OUTCOME_QUESTIONS["more_confident"])
    minutes_saved_per_shift = forms.FloatField(
        label="Minutes saved per shift",
        min_value=MINUTES_SAVED_PER_SHIFT.low,
        max_value=MINUTES_SAVED_PER_SHIFT.high,
        help_text="0 if it saves you no time.",
    )

    def __init__(self, *args, user, affected_site_ids, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["site"]
        only_my_sites(field, user, among=field.queryset.filter(pk__in=affected_site_ids))
        mine = "" if speaks_for_any_site(user) else " that you work at"
        field.error_messages["invalid_choice"] = (
            f"Your site: choose one of the sites in the list, the sites with a report of this problem{mine}."
        )
        if "site" not in self.initial:
            home = getattr(user, "home_site", None)
            codes = list(field.queryset.values_list("code", flat=True))
            self.initial["site"] = home.code if home is not None and home.code in codes else (codes or [None])[0]

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
    q = forms.CharField(
        label="Search titles and statements",
        required=False,
        help_text="Every word must appear in the title or the statement.",
        validators=[search_text_clean],
    )
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in BACKLOG_SORTS], widget=forms.HiddenInput)
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

    # The fields a query string may repeat, and what their values are called (intake.numbers bounds them).
    LIST_FIELDS = {"status": "statuses", "site": "site codes"}

    def clean(self):
        data = super().clean()
        if self.is_bound and hasattr(self.data, "getlist"):
            for name, noun in self.LIST_FIELDS.items():
                if message := too_many_values(len(self.data.getlist(name)), noun):
                    self.add_error(name, ValidationError(message, code="too_many"))
        return data

    @property
    def too_many_values(self) -> bool:
        """A list filter over the bound: the page answers 400 (the filter itself is ignored)."""
        self.is_valid()
        return any(
            error.code == "too_many" for name in self.LIST_FIELDS for error in self.errors.as_data().get(name, [])
        )

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
            "text": data.get("q") or None,
        }

    @property
    def sort_key(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or DEFAULT_SORT

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
        if filters["text"]:
            query["q"] = filters["text"]
        if self.capacity_weeks is not None:
            query["capacity"] = f"{self.capacity_weeks:g}"
        return query

    @property
    def active_count(self) -> int:
        """How many filters (and the capacity) are set, for the collapsed filter panel's summary."""
        self.is_valid()
        return sum(1 for name, value in self.cleaned_data.items() if name != "sort" and value not in (None, "", []))

    @property
    def capacity_weeks(self) -> float | None:
        self.is_valid()
        return self.cleaned_data.get("capacity")


class DismissForm(forms.Form):
    """ "Not a duplicate" from the duplicates queue: the pair's two ids (hidden fields)."""

    problem = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    other = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class RoadmapForm(forms.Form):
    capacity = forms.FloatField(
        label="IT capacity this quarter (weeks)",
        required=False,
        min_value=0,
        max_value=100000,
        help_text="Work in progress counts first; planned problems fill the rest in rank order.",
    )
