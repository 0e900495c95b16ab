"""Sign-ins into the audit (docs/deploy.md): Django's own signals, because sign-in is Django's code
(the login page, the token endpoint's authenticate(), single sign-on), not one of our services.

Only the username and the client address are kept: the credentials' other values (the password)
are never read.
"""

from __future__ import annotations

from django.db import transaction

from ..auth.client import client_address
from .models import AuditAction
from .services import audit_record


def audit_login(sender, request, user, **kwargs) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.LOGIN,
            actor=user,
            target=user,
            address=client_address(request) if request is not None else None,
        )


def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    from ..models import User

    username = str(credentials.get(User.USERNAME_FIELD) or "")[:150]
    known = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    with transaction.atomic():
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            actor=None,
            actor_name=username,
            target=known,
            address=client_address(request) if request is not None else None,
        )
