"""GET /sites/ (anyone logged in), POST /sites/ and PATCH /sites/{code}/ (administrators)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from intake.models import Site
from intake.numbers import SHIFTS_PER_WEEK
from intake.roles import Action
from intake.services import site_create, site_update

from .fields import INT32_MAX, SITE_CODE, RangeField, StrictSerializer
from .pagination import PAGE_PARAMETERS, CodeCursorPagination
from .permissions import writers
from .schema import READ, WRITE, errors


class SiteOut(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["code", "name", "region", "providers", "shifts_per_week", "visits_per_week", "active"]
        read_only_fields = fields


class SiteIn(StrictSerializer):
    code = serializers.RegexField(
        SITE_CODE.pattern,
        error_messages={"invalid": "Use 1 to 16 letters, digits, '-' or '_' (stored in uppercase)."},
    )
    name = serializers.CharField(max_length=120)
    region = serializers.CharField(max_length=80, allow_blank=True, default="")
    providers = serializers.IntegerField(min_value=0, max_value=INT32_MAX, default=0)
    shifts_per_week = RangeField(SHIFTS_PER_WEEK, default=4.0, help_text="Shifts per provider per week, 0–21.")
    visits_per_week = serializers.IntegerField(min_value=0, max_value=INT32_MAX, default=0)
    active = serializers.BooleanField(default=True)

    def validate_code(self, value: str) -> str:
        code = value.strip().upper()
        others = Site.objects.filter(code=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"A site with code {code} already exists.")
        return code


class SiteListView(GenericAPIView):
    queryset = Site.objects.order_by("code")
    serializer_class = SiteOut
    pagination_class = CodeCursorPagination
    permission_classes = [writers(Action.ADMINISTER)]
    filter_backends: list = []

    @extend_schema(
        operation_id="sites_list",
        summary="The sites",
        parameters=PAGE_PARAMETERS,
        responses={200: SiteOut(many=True), **errors(*READ, 400)},
        tags=["sites"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SiteOut(page, many=True).data)

    @extend_schema(
        operation_id="sites_create",
        summary="Create a site (administrators)",
        request=SiteIn,
        responses={201: SiteOut, **errors(*WRITE)},
        tags=["sites"],
    )
    def post(self, request):
        given = SiteIn(data=request.data)
        given.is_valid(raise_exception=True)
        site = site_create(actor=request.user, **given.validated_data)
        return Response(SiteOut(site).data, status=status.HTTP_201_CREATED)


class SiteDetailView(GenericAPIView):
    permission_classes = [writers(Action.ADMINISTER)]
    serializer_class = SiteOut
    filter_backends: list = []

    @extend_schema(
        operation_id="sites_partial_update",
        summary="Change a site (administrators)",
        description="Send only the fields to change. A change of `providers`, `shifts_per_week`, "
        "`visits_per_week` or `active` re-scores the problems it affects.",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=SITE_CODE.pattern)],
        request=SiteIn(partial=True),
        responses={200: SiteOut, **errors(*WRITE, 404)},
        tags=["sites"],
    )
    def patch(self, request, code: str):
        site = get_object_or_404(Site, code=code.upper())
        given = SiteIn(site, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        site = site_update(site=site, actor=request.user, **given.validated_data)
        return Response(SiteOut(site).data)
