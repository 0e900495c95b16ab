"""GET /scoring/policy/ (anyone logged in) and PUT (product managers: new version, full re-rank).

The weights, their ranges and descriptions are the engine's Policy (scoring.engine.POLICY_WEIGHTS).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import RangeField, StrictSerializer, UsernameField
from api.permissions import writers
from api.schema import READ, WRITE, errors
from intake.models import NOTE_MAX
from intake.roles import Action
from scoring.engine import POLICY_WEIGHTS
from scoring.selectors import policy_current
from scoring.services import policy_update


def _serializer(name: str, base: type, fields: dict, doc: str) -> type:
    return type(base)(name, (base,), {"__module__": __name__, "__doc__": doc, **fields})


PolicyWeightsOut = _serializer(
    "PolicyWeightsOut",
    serializers.Serializer,
    {weight.name: serializers.FloatField(help_text=weight.api_help) for weight in POLICY_WEIGHTS},
    "The weights of a policy version.",
)


class PolicyOut(PolicyWeightsOut):
    """The scoring policy: its weights, its version and why it changed."""

    version = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, help_text="Why the weights changed (empty for the default).")
    created_by = UsernameField(allow_null=True)
    created_at = serializers.DateTimeField()


PolicyWeightsIn = _serializer(
    "PolicyWeightsIn",
    StrictSerializer,
    {
        weight.name: RangeField(weight.range, help_text=weight.api_help)
        if not weight.optional
        else RangeField(weight.range, required=False, help_text=f"{weight.api_help} Left out: unchanged.")
        for weight in POLICY_WEIGHTS
    },
    "New weights.",
)


class PolicyIn(PolicyWeightsIn):
    """New weights, and why they change."""

    reason = serializers.CharField(
        max_length=NOTE_MAX, help_text="Why the weights change; the policy history shows it (PHI-screened)."
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
        description="Makes a new policy version, with the `reason` for the change, and re-ranks every "
        "problem in the background. Answers 202 with the new policy and the `job` to follow.",
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
