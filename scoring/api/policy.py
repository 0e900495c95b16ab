"""GET /scoring/policy/ (anyone logged in) and PUT (product managers: new version, full re-rank)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import RangeField, StrictSerializer, UsernameField
from api.permissions import writers
from api.schema import READ, WRITE, errors
from intake.numbers import EFFORT_WEEKS, Range
from intake.roles import Action
from scoring.selectors import policy_current
from scoring.services import policy_update


class PolicyOut(serializers.Serializer):
    version = serializers.IntegerField()
    after_hours_weight = serializers.FloatField()
    patient_weight = serializers.FloatField()
    breadth_weight = serializers.FloatField()
    default_effort_weeks = serializers.FloatField()
    created_by = UsernameField(allow_null=True)
    created_at = serializers.DateTimeField()


class PolicyIn(StrictSerializer):
    after_hours_weight = RangeField(Range(0, 10), help_text="Weight of after-hours time, 0–10 (default 0.5).")
    patient_weight = RangeField(Range(0, 10), help_text="Weight of patient waiting hours, 0–10 (default 0.25).")
    breadth_weight = RangeField(Range(0, 10), help_text="Weight of the number of sites affected, 0–10 (default 1.0).")
    default_effort_weeks = RangeField(
        EFFORT_WEEKS, help_text="Effort assumed when IT has not estimated one, weeks (0 < e ≤ 520)."
    )


class PolicyChangedOut(PolicyOut):
    job = serializers.UUIDField(help_text="The re-rank job; follow it at /api/v1/jobs/{job}/.")


class PolicyView(APIView):
    permission_classes = [writers(Action.CHANGE_POLICY)]

    @extend_schema(
        operation_id="scoring_policy_retrieve",
        summary="The scoring policy in force",
        responses={200: PolicyOut, **errors(*READ)},
        tags=["scoring"],
    )
    def get(self, request):
        return Response(PolicyOut(policy_current()).data)

    @extend_schema(
        operation_id="scoring_policy_update",
        summary="Change the weights (product managers)",
        description="Makes a new policy version and re-ranks every problem in the background. "
        "Answers 202 with the new policy and the `job` to follow.",
        request=PolicyIn,
        responses={202: PolicyChangedOut, **errors(*WRITE)},
        tags=["scoring"],
    )
    def put(self, request):
        given = PolicyIn(data=request.data)
        given.is_valid(raise_exception=True)
        policy, job = policy_update(actor=request.user, **given.validated_data)
        body = {**PolicyOut(policy).data, "job": str(job.pk)}
        location = request.build_absolute_uri(reverse("api-job", args=[job.pk]))
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
