"""The in-app notices and following (docs/integrations.md): GET /notifications/, POST /notifications/read/,
POST and DELETE /problems/{id}/follow/."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import ID_MAX, StrictSerializer
from api.pagination import PAGE_PARAMETERS, StrictCursorPagination
from api.schema import READ, WRITE, errors
from intake.models import EventType, Problem
from intake.outbox import is_following
from intake.services import problem_follow

from .selectors import notifications_of
from .services import notifications_mark_read


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.ChoiceField(EventType.choices, source="event.event")
    problem = serializers.IntegerField(source="problem_id")
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Notification"

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NewestFirst(StrictCursorPagination):
    ordering = ("-created_at", "-id")


class NotificationListView(GenericAPIView):
    serializer_class = NotificationOut
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        return notifications_of(self.request.user)

    @extend_schema(
        operation_id="notifications_list",
        summary="Your notifications",
        description="The caller's own notices, newest first: a status change (with the decline reason or the "
        "needs-info question), a merge, a comment, a delivery (with the outcome survey invitation for "
        "providers at the affected sites), on the problems you follow.",
        parameters=PAGE_PARAMETERS,
        responses={200: NotificationOut(many=True), **errors(*READ, 400)},
        tags=["notifications"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(NotificationOut(page, many=True).data)


class MarkReadIn(StrictSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False, max_length=1000
    )
    all = serializers.BooleanField(required=False, help_text="true: mark every notice of yours read.")

    class Meta:
        ref_name = "NotificationsReadIn"

    def validate(self, attrs):
        if ("ids" in attrs) == bool(attrs.get("all")):
            raise serializers.ValidationError({"non_field_errors": ['Send either "ids": [...] or "all": true.']})
        return attrs


class MarkReadOut(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notices were marked read now.")

    class Meta:
        ref_name = "NotificationsReadOut"


class NotificationReadView(APIView):
    @extend_schema(
        operation_id="notifications_read",
        summary="Mark notifications read",
        description='`{"ids": [...]}` marks those of yours (others are ignored); `{"all": true}` marks all.',
        request=MarkReadIn,
        responses={200: MarkReadOut, **errors(*WRITE)},
        tags=["notifications"],
    )
    def post(self, request):
        given = MarkReadIn(data=request.data)
        given.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=given.validated_data.get("ids"))
        return Response({"marked": marked})


class FollowOut(serializers.Serializer):
    problem = serializers.IntegerField()
    following = serializers.BooleanField()

    class Meta:
        ref_name = "Follow"


PROBLEM_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The problem's id.")


class FollowView(APIView):
    def _answer(self, request, problem: Problem, code: int) -> Response:
        return Response({"problem": problem.pk, "following": is_following(request.user, problem.pk)}, status=code)

    @extend_schema(
        operation_id="problems_follow",
        summary="Follow a problem",
        description="You hear of its status changes, merges, comments and delivery. Submitters and "
        "reporters follow their problems without asking.",
        parameters=[PROBLEM_ID],
        request=None,
        responses={200: FollowOut, **errors(*READ, 404)},
        tags=["notifications"],
    )
    def post(self, request, pk: int):
        problem = get_object_or_404(Problem, pk=pk)
        problem_follow(problem=problem, user=request.user, following=True)
        return self._answer(request, problem, status.HTTP_200_OK)

    @extend_schema(
        operation_id="problems_unfollow",
        summary="Stop following a problem",
        description="Also for its submitter and reporters, who otherwise follow it.",
        parameters=[PROBLEM_ID],
        request=None,
        responses={200: FollowOut, **errors(*READ, 404)},
        tags=["notifications"],
    )
    def delete(self, request, pk: int):
        problem = get_object_or_404(Problem, pk=pk)
        problem_follow(problem=problem, user=request.user, following=False)
        return self._answer(request, problem, status.HTTP_200_OK)
