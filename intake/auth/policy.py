"""The one rule for whether an account may sign in, whichever way it comes in.

Password logins, browser sessions, API tokens and single sign-on all ask `may_sign_in`. Demo
accounts (created by `load_demo`, marked `is_demo`) have a published password, so they work only
with DEBUG on, even in a database that once had the demo loaded.
"""

from __future__ import annotations

from django.conf import settings


def may_sign_in(user) -> bool:
    if not getattr(user, "is_active", False):
        return False
    return settings.DEBUG or not getattr(user, "is_demo", False)
