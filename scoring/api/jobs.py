"""GET /jobs/{id}/: progress of a re-rank after a policy change."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import READ, errors
from scoring.models import RerankJob


class JobOut(serializers.ModelSerializer):
    class Meta:
        model = RerankJob
        fields = ["id", "state", "done", "total", "policy_version", "created_at", "finished_at"]
        read_only_fields = fields


class JobView(APIView):
    @extend_schema(
        operation_id="jobs_retrieve",
        summary="A re-rank job's progress",
        description="`state` is queued, running, done or failed; `done` of `total` problems are re-scored.",
        responses={200: JobOut, **errors(*READ, 404)},
        tags=["scoring"],
    )
    def get(self, request, job_id):
        return Response(JobOut(get_object_or_404(RerankJob, pk=job_id)).data)
