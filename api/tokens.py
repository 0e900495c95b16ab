"""GET /api/v1/auth/tokens/ (your tokens) and DELETE /api/v1/auth/tokens/{id}/ (revoke one of them).

Tokens are created with a password (POST /api/v1/auth/token/) or on the tokens page, never with
another token: a stolen token must not be able to outlive its own expiry by minting new ones.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from intake.auth.models import ApiToken
from intake.auth.selectors import api_tokens_of, api_tokens_with_standing
from intake.auth.services import api_token_revoke
from intake.auth.tokens import Standing

from .pagination import PAGE_PARAMETERS, StrictCursorPagination
from .schema import READ, errors


class TokenOut(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=Standing.choices,
        source="standing",
        read_only=True,
        help_text="`active`, `expired`, or why it was revoked (`password_changed`, `role_removed`, "
        "`account_disabled`). Only an `active` token works.",
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "roles", "created_at", "expires_at", "last_used_at", "state"]
        read_only_fields = fields


class NewestFirst(StrictCursorPagination):
    ordering = "-id"


class TokenListView(GenericAPIView):
    serializer_class = TokenOut
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        return api_tokens_of(self.request.user)

    @extend_schema(
        operation_id="auth_tokens_list",
        summary="Your API tokens",
        description="Every token of the caller, newest first: its name, the roles it acts with, when it was "
        "created, last used (to the minute) and expires, and its `state`. Keys are never shown again.",
        parameters=PAGE_PARAMETERS,
        responses={200: TokenOut(many=True), **errors(*READ, 400)},
        tags=["auth"],
    )
    def get(self, request):
        page = api_tokens_with_standing(request.user, self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(TokenOut(page, many=True).data)


class TokenDetailView(GenericAPIView):
    serializer_class = TokenOut
    filter_backends: list = []

    @extend_schema(
        operation_id="auth_tokens_revoke",
        summary="Revoke one of your API tokens",
        description="The token stops working at once (the very next request with it is a 401). "
        "A token may revoke itself. Someone else's token is a 404.",
        request=None,
        responses={204: None, **errors(401, 404, 429)},
        tags=["auth"],
    )
    def delete(self, request, pk: int):
        api_token_revoke(user=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
