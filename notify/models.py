"""What the fan-out made of each outbox event (intake.models.OutboxEvent): one in-app notice per
(event, recipient), made once whatever runs the fan-out twice."""

from django.db import models
from django.db.models import Q

from intake.models import OutboxEvent, Problem, User


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="notifications")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="notifications")
    # Made from the event's data, whose free text was PHI-screened on the way in.
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="notification_once_per_event")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_idx"),
            models.Index(fields=["user"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
        ]
