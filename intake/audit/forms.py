"""The audit page's filters (GET). The API validates the same four with its own serializer."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone

from .models import AuditAction


class AuditFilterForm(forms.Form):
    mark_optional = False  # every field is optional: the page does not say so on each

    actor = forms.CharField(label="Who (username)", required=False, max_length=150)
    problem = forms.IntegerField(label="Problem #", required=False, min_value=1, max_value=2**63 - 1)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any"), *AuditAction.choices])
    since = forms.DateField(
        label="Since", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="From that day on."
    )

    def filters(self) -> dict:
        """Keyword arguments for audit_events, from the valid fields only."""
        self.is_valid()
        data = self.cleaned_data
        since = data.get("since")
        return {
            "actor": (data.get("actor") or "").strip() or None,
            "problem_id": data.get("problem"),
            "action": data.get("action") or None,
            "since": timezone.make_aware(datetime.combine(since, time.min)) if since else None,
        }
