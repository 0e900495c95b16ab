"""Webhooks for integrations (docs/integrations.md), administrators only: POST and GET /webhooks/,
DELETE /webhooks/{id}/, GET /webhooks/{id}/deliveries/ (the delivery log)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictSerializer
from api.pagination import PAGE_PARAMETERS, StrictCursorPagination
from api.permissions import only
from api.schema import READ, WRITE, errors
from intake.models import EventType
from intake.roles import Action

from .models import Webhook, WebhookAttempt
from .webhooks import webhook_delete, webhook_register

WEBHOOK_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The webhook's id.")


class WebhookIn(StrictSerializer):
    url = serializers.URLField(max_length=500, help_text="http(s) only; its host must be in WEBHOOK_ALLOWED_HOSTS.")
    events = serializers.ListField(
        child=serializers.ChoiceField(EventType.choices), min_length=1, help_text="The events to receive."
    )

    class Meta:
        ref_name = "WebhookIn"


# Plain serializers, not ModelSerializers: the schema must not depend on the database's integer ranges.
class WebhookOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(EventType.choices))
    active = serializers.BooleanField(help_text="False once the receiver answered 410 Gone.")
    created_at = serializers.DateTimeField()
    disabled_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "Webhook"


class WebhookCreatedOut(WebhookOut):
    secret = serializers.CharField(help_text="Verify every delivery's signature with it. Shown only now.")

    class Meta:
        ref_name = "WebhookCreated"


class AttemptOut(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.ChoiceField(EventType.choices, source="delivery.event.event")
    problem = serializers.IntegerField(source="delivery.event.problem_id")
    webhook_id = serializers.CharField(source="delivery.message_id", help_text="The `webhook-id` header sent.")
    attempt = serializers.IntegerField(help_text="1 for the first attempt.")
    status_code = serializers.IntegerField(allow_null=True, help_text="The receiver's answer; null when none came.")
    error = serializers.CharField(allow_blank=True, help_text="Why no answer came (e.g. a timeout), else empty.")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "WebhookAttempt"


class NewestFirst(StrictCursorPagination):
    ordering = ("-created_at", "-id")


class WebhookListView(GenericAPIView):
    permission_classes = [only(Action.ADMINISTER)]
    serializer_class = WebhookOut
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        return Webhook.objects.all()

    @extend_schema(
        operation_id="webhooks_list",
        summary="The webhooks",
        parameters=PAGE_PARAMETERS,
        responses={200: WebhookOut(many=True), **errors(*READ, 400, 403)},
        tags=["webhooks"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookOut(page, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook",
        description="Deliveries follow Standard Webhooks: a JSON body `{type, timestamp, data}` and the headers "
        "`webhook-id`, `webhook-timestamp`, `webhook-signature` (`v1,` + base64 HMAC-SHA256 of "
        "`{id}.{timestamp}.{body}` with the secret's bytes). Retried with backoff for about 24 hours; a 410 "
        "answer disables the webhook.",
        request=WebhookIn,
        responses={201: WebhookCreatedOut, **errors(*WRITE)},
        tags=["webhooks"],
    )
    def post(self, request):
        given = WebhookIn(data=request.data)
        given.is_valid(raise_exception=True)
        hook = webhook_register(actor=request.user, **given.validated_data)
        return Response(WebhookCreatedOut(hook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(APIView):
    permission_classes = [only(Action.ADMINISTER)]

    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Delete a webhook (and its delivery log)",
        parameters=[WEBHOOK_ID],
        responses={204: None, **errors(*READ, 403, 404)},
        tags=["webhooks"],
    )
    def delete(self, request, pk: int):
        get_object_or_404(Webhook, pk=pk)
        webhook_delete(actor=request.user, webhook_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveriesView(GenericAPIView):
    permission_classes = [only(Action.ADMINISTER)]
    serializer_class = AttemptOut
    pagination_class = NewestFirst
    filter_backends: list = []

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        summary="A webhook's delivery log",
        description="Every attempt, newest first: the event, the `webhook-id` sent, the attempt's number, the "
        "receiver's status code (null when it did not answer) and when.",
        parameters=[WEBHOOK_ID, *PAGE_PARAMETERS],
        responses={200: AttemptOut(many=True), **errors(*READ, 400, 403, 404)},
        tags=["webhooks"],
    )
    def get(self, request, pk: int):
        hook = get_object_or_404(Webhook, pk=pk)
        attempts = WebhookAttempt.objects.filter(delivery__webhook=hook).select_related("delivery__event")
        page = self.paginate_queryset(attempts)
        return self.get_paginated_response(AttemptOut(page, many=True).data)
