from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .auth.sessions import stamp_at_login

        # Session bookkeeping, not domain logic: the idle clock starts when a browser session does.
        user_logged_in.connect(stamp_at_login, dispatch_uid="intake.auth.sessions.stamp_at_login")
