"""The scoring-policy form: the weights of the engine's Policy (scoring.engine.POLICY_WEIGHTS,
with their labels, ranges and help) and the reason for the change."""

from django import forms

from intake.models import NOTE_MAX

from .engine import POLICY_WEIGHTS, PolicyWeight


def _weight_field(weight: PolicyWeight) -> forms.FloatField:
    return forms.FloatField(
        label=weight.label,
        required=not weight.optional,
        min_value=weight.range.low,
        max_value=float(weight.range.high),  # "at most 10.0": a weight is a decimal
        help_text=weight.help,
        widget=forms.NumberInput(attrs={"step": weight.step}),
    )


_PolicyWeightsForm = type(forms.Form)(
    "PolicyWeightsForm",
    (forms.Form,),
    {"__module__": __name__, **{weight.name: _weight_field(weight) for weight in POLICY_WEIGHTS}},
)


class PolicyForm(_PolicyWeightsForm):
    reason = forms.CharField(
        label="Why the change",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The policy history shows it beside the new weights. Leave out anything about a patient.",
        error_messages={"required": "Say why the weights change: the policy history shows it."},
    )

    # Preview only: where the capacity cut line falls (the backlog's "IT capacity").
    capacity = forms.FloatField(
        label="IT capacity (weeks), for the preview's cut line",
        required=False,
        min_value=0,
        max_value=100000,
        help_text="Optional: the preview then also lists what crosses the cut line.",
    )
    # Set when the form carries an earlier version's weights to go back to (they cannot be edited then).
    revert = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, previewing: bool = False, reverting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if previewing:  # a preview saves nothing, so it needs no reason yet
            self.fields["reason"].required = False
        if reverting is not None:
            for weight, value in reverting.weights:
                self.fields[weight.name].disabled = True
                self.initial[weight.name] = value
            self.initial["revert"] = reverting.version

    def clean(self):
        data = super().clean()
        for weight in POLICY_WEIGHTS:
            value = data.get(weight.name)
            if weight.range.low_open and value is not None and value <= weight.range.low:
                self.add_error(weight.name, weight.too_low)
        return data

    def weights(self) -> dict[str, float]:
        """The weights given (an optional one left empty keeps the value in force)."""
        return {
            weight.name: self.cleaned_data[weight.name]
            for weight in POLICY_WEIGHTS
            if self.cleaned_data.get(weight.name) is not None
        }
