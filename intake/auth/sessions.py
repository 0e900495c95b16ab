"""Browser sessions end after SESSION_IDLE_MINUTES without activity (shared clinical workstations).

Django expires a session SESSION_COOKIE_AGE (= the idle limit) after it was last saved, so this
middleware only has to save the session when the user does something: at most once per
`touch_seconds()` (a tenth of the limit, at most a minute), so a busy user costs few writes and an
idle session ends between 90 % and 100 % of the limit after the last action. Views marked
`@not_user_activity` (a progress bar polling every second) do not count: a page left open must
not keep a session alive for ever. An htmx request whose session has ended is sent to the login
page as a whole page instead of swapping the login form into a corner of the old one.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

ACTIVE_AT = "_bridge_active_at"


def not_user_activity(view):
    """Mark a view (e.g. an htmx poll) whose requests do not keep an idle session alive."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.not_user_activity = True
    return wrapped


def stamp_at_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the idle clock starts at the login, saved with the new session.

    Only for a session login (login() has stored the user in the session); the token endpoint also
    reports its sign-ins to the login audit and must not start a browser session.
    """
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        session[ACTIVE_AT] = int(time.time())


def touch_seconds() -> float:
    return min(60.0, settings.SESSION_COOKIE_AGE / 10)


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._htmx_to_login(request, self.get_response(request))

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "not_user_activity", False) or not request.user.is_authenticated:
            return None
        now = time.time()
        if now - request.session.get(ACTIVE_AT, 0) >= touch_seconds():
            request.session[ACTIVE_AT] = int(now)  # modified: saved, so its expiry moves on
        return None

    @staticmethod
    def _htmx_to_login(request, response):
        if not getattr(request, "htmx", False) or response.status_code not in (301, 302):
            return response
        login_url = resolve_url(settings.LOGIN_URL)
        if not response.get("Location", "").startswith(login_url):
            return response
        back_to = request.htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': back_to})}")
