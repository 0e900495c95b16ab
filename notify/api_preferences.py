"""GET and PUT /api/v1/me/preferences/: what the caller wants by e-mail (docs/integrations.md)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictSerializer
from api.schema import READ, WRITE, errors
from intake.models import EventType

from .models import Digest, Preference
from .services import preferences_set

EmailChoices = type(
    "EmailChoices",
    (StrictSerializer,),
    {
        **{
            event.value: serializers.BooleanField(help_text=f"E-mail me when: {event.label.lower()}.")
            for event in EventType
        },
        "Meta": type("Meta", (), {"ref_name": "EmailChoices"}),
    },
)


class PreferencesIO(StrictSerializer):
    email = EmailChoices(help_text="Per event: e-mail on (true) or off (false). Every event is on until you choose.")
    digest = serializers.ChoiceField(
        Digest.choices,
        help_text="`off`: each e-mail as it happens; `daily` or `weekly`: one e-mail with the period's notices.",
    )

    class Meta:
        ref_name = "Preferences"


def _answer(preference: Preference) -> Response:
    return Response(
        {"email": {event: preference.emails(event) for event in EventType.values}, "digest": preference.digest}
    )


class PreferencesView(APIView):
    @extend_schema(
        operation_id="me_preferences_retrieve",
        summary="Your e-mail preferences",
        responses={200: PreferencesIO, **errors(*READ)},
        tags=["notifications"],
    )
    def get(self, request):
        return _answer(Preference.of(request.user.pk))

    @extend_schema(
        operation_id="me_preferences_update",
        summary="Set your e-mail preferences",
        description="Send every event in `email` and the `digest`. In-app notifications are not affected.",
        request=PreferencesIO,
        responses={200: PreferencesIO, **errors(*WRITE)},
        tags=["notifications"],
    )
    def put(self, request):
        given = PreferencesIO(data=request.data)
        given.is_valid(raise_exception=True)
        return _answer(preferences_set(user=request.user, **given.validated_data))
