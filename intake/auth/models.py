"""API tokens (docs/deploy.md): named, expiring, stored hashed, one owner each.

The key is shown once, when the token is created; only its SHA-256 digest is kept. A token also
records what it was issued under (its owner's roles and a fingerprint of the password), so that a
password change or a role removal revokes it at once, whoever or whatever made the change
(see intake.auth.tokens).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

TOKEN_NAME_MAX = 80


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=TOKEN_NAME_MAX)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key (the key is not stored).")
    roles = models.JSONField(default=list, blank=True, help_text="The owner's roles when the token was created.")
    password_fingerprint = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_required"),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="apitoken_expires_after_created"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"
