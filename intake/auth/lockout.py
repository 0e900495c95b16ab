"""What a caller sees once django-axes has locked it out (too many failed sign-ins).

Axes counts failures per username and per client address (settings: AXES_FAILURE_LIMIT,
AXES_COOLOFF_TIME) and refuses every attempt, the right password included, until the cool-off
has passed; each further failure starts the cool-off again. The browser gets a page and the API
a JSON 429, both with `Retry-After`.
"""

from __future__ import annotations

import math

import orjson
from axes.helpers import get_cool_off
from django.http import HttpResponse
from django.shortcuts import render
from rest_framework import status
from rest_framework.exceptions import APIException


def cool_off_seconds(request=None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message(request=None) -> str:
    minutes = max(1, math.ceil(cool_off_seconds(request) / 60))
    return (
        f"Too many failed sign-ins for this account or from this address. Sign-in is locked for {minutes} "
        f"minute{'s' if minutes != 1 else ''}; every further failed try starts the wait again."
    )


class SignInLocked(APIException):
    """429 from the token endpoint while the username or the client address is locked out."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, request=None):
        super().__init__(lockout_message(request))
        self.wait = cool_off_seconds(request)  # DRF's handler turns `wait` into Retry-After


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer to a request axes has flagged as locked out."""
    if request.path.startswith("/api/"):
        if original_response is not None and original_response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
            return original_response  # the API view answered already, in the API's error shape
        response = HttpResponse(
            orjson.dumps({"detail": lockout_message(request)}), status=429, content_type="application/json"
        )
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message(request)}, status=429)
    response["Retry-After"] = str(cool_off_seconds(request))
    return response
