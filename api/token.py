"""POST /api/v1/auth/token/: exchange a username and password for an API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .fields import StrictSerializer
from .schema import errors

BAD_CREDENTIALS = "Unable to log in with the username and password given."


class TokenIn(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class AuthTokenView(APIView):
    authentication_classes: list = []  # a stale header must not stop anyone from getting a new token
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get an API token",
        description="Send the username and password of a Bridge account; use the token as "
        "`Authorization: Token <token>` on every other call. The same token is returned until it is revoked.",
        request=TokenIn,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            **errors(400, 413, 415, 429),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        given = TokenIn(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=given.validated_data["username"], password=given.validated_data["password"]
        )
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)
