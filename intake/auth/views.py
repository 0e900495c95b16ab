"""Account pages: log in (password, or single sign-on when configured), API tokens, password change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import TokenCreateForm
from .models import ApiToken
from .selectors import api_tokens_of, api_tokens_with_standing
from .services import api_token_issue, api_token_revoke


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else ""
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: this session stays, every other session of the account ends, its API tokens stop."""

    success_url = reverse_lazy("password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


def _tokens_page(request, *, form: TokenCreateForm, issued=None, status: int = 200):
    context = {
        "form": form,
        "tokens": api_tokens_with_standing(request.user, api_tokens_of(request.user)),
        "issued": issued,
        "token_days": settings.API_TOKEN_DAYS,
    }
    return render(request, "auth/tokens.html", context, status=status)


@never_cache  # the answer to a create holds the new key: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request):
    """List, create (the key is shown in this one answer, never again) and revoke your API tokens."""
    if request.method == "GET":
        return _tokens_page(request, form=TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            issued = api_token_issue(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as refusal:
            form.add_error("name", refusal.message_dict.get("name", refusal.messages))
        else:
            return _tokens_page(request, form=TokenCreateForm(), issued=issued)
    return _tokens_page(request, form=form, status=422)


@login_required
@require_POST
def token_revoke(request, pk: int):
    try:
        name = api_tokens_of(request.user).get(pk=pk).name
        api_token_revoke(user=request.user, token_id=pk)
    except ApiToken.DoesNotExist:
        messages.error(request, "That token does not exist any more.")
    else:
        messages.success(request, f"Token “{name}” revoked: it no longer works.")
    return redirect("tokens")
