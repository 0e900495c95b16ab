"""The scoring-policy form: the four weights of product.md §4, with the database's ranges."""

from django import forms

WEIGHT_MAX = 10.0
EFFORT_MAX = 520.0


class PolicyForm(forms.Form):
    after_hours_weight = forms.FloatField(
        label="After-hours weight",
        min_value=0,
        max_value=WEIGHT_MAX,
        help_text="Extra weight on provider minutes made up after hours: 0.5 counts them 1.5 times.",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    patient_weight = forms.FloatField(
        label="Patient weight",
        min_value=0,
        max_value=WEIGHT_MAX,
        help_text="How much an hour of patient waiting counts against an hour of provider time.",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    breadth_weight = forms.FloatField(
        label="Breadth weight",
        min_value=0,
        max_value=WEIGHT_MAX,
        help_text="How much a problem shared by every active site outranks one at a single site (1 doubles it).",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    default_effort_weeks = forms.FloatField(
        label="Default effort (weeks)",
        min_value=0,
        max_value=EFFORT_MAX,
        help_text="The IT effort assumed for a problem until someone estimates it.",
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )

    def clean_default_effort_weeks(self) -> float:
        weeks = self.cleaned_data["default_effort_weeks"]
        if weeks <= 0:
            raise forms.ValidationError("Effort must be more than 0 weeks.")
        return weeks
