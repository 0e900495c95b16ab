from django import forms

from intake.models import EventType

from .models import Digest


class PreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label="E-mail me when",
        choices=[(event.value, event.label) for event in EventType],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="You see every notice in Bridge either way.",
    )
    digest = forms.ChoiceField(label="How", choices=Digest.choices, widget=forms.RadioSelect)
