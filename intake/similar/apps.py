from django.apps import AppConfig


class SimilarConfig(AppConfig):
    """Finding the same problem (docs/similar.md): its own app so its tables and migrations stand apart."""

    name = "intake.similar"
    label = "similar"
    verbose_name = "Similar problems"
    default_auto_field = "django.db.models.BigAutoField"
