from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .audit.signals import audit_login, audit_login_failed
        from .auth.sessions import stamp_at_login

        # Session bookkeeping, not domain logic: the idle clock starts when a browser session does.
        user_logged_in.connect(stamp_at_login, dispatch_uid="intake.auth.sessions.stamp_at_login")
        # Sign-ins, successful or refused, into the audit (without the password).
        user_logged_in.connect(audit_login, dispatch_uid="intake.audit.signals.audit_login")
        user_login_failed.connect(audit_login_failed, dispatch_uid="intake.audit.signals.audit_login_failed")
