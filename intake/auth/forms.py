from django import forms

from .models import TOKEN_NAME_MAX


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=TOKEN_NAME_MAX,
        help_text="What uses it, e.g. “Jira sync” — so you know which one to revoke later.",
    )
