"""POST /api/v1/auth/token/: exchange a username and password for a new API token."""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from intake.auth.lockout import SignInLocked
from intake.auth.models import TOKEN_NAME_MAX
from intake.auth.services import api_token_issue

from .fields import StrictSerializer
from .schema import errors

BAD_CREDENTIALS = "Unable to log in with the username and password given."
DEFAULT_TOKEN_NAME = "API sign-in"


class TokenIn(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=TOKEN_NAME_MAX,
        required=False,
        default=DEFAULT_TOKEN_NAME,
        help_text="What will use the token (e.g. `Jira sync`), shown in your token list.",
    )


class AuthTokenView(APIView):
    authentication_classes: list = []  # a stale header must not stop anyone from getting a new token
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get an API token",
        description="Send the username and password of a Bridge account; use the token as "
        "`Authorization: Token <token>` on every other call. Each call creates a new token, shown only in "
        "this answer; it expires after API_TOKEN_DAYS (default 30 days) and stops working at once if "
        "the account's password changes, a role is removed or the account is disabled. After repeated "
        "failures the username and the client address are locked out for a while (429 with `Retry-After`), "
        "even for the right password.",
        request=TokenIn,
        responses={
            200: inline_serializer(
                "Token",
                {
                    "token": serializers.CharField(),
                    "id": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            ),
            **errors(400, 413, 415, 429),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        given = TokenIn(data=request.data)
        given.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request, username=given.validated_data["username"], password=given.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            raise SignInLocked(django_request)
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        issued = api_token_issue(user=user, name=given.validated_data["name"])
        # A token is a sign-in: the login audit (django-axes' access log) records it like a page login.
        browser_session = django_request.session.session_key is not None  # e.g. from the API docs page
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        if not browser_session:
            # axes created a session to hash into its log row; an API sign-in keeps none.
            django_request.session.flush()
        token = issued.token
        body = {"token": issued.key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
        return Response(body, status=status.HTTP_200_OK)
