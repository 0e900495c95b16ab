"""What the fan-out made of each outbox event (intake.models.OutboxEvent): one in-app notice per
(event, recipient), made once whatever runs the fan-out twice."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from intake.models import EventType, OutboxEvent, Problem, User


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


class Digest(models.TextChoices):
    OFF = "off", "Off: each e-mail as it happens"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


def email_default() -> dict[str, bool]:
    return {event: True for event in EventType.values}


class Preference(models.Model):
    """What a user wants by e-mail: per event on or off, and each at once or in a digest.
    Without a row, every event is e-mailed at once (`Preference.of`)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_preference")
    email = models.JSONField(default=email_default)  # {event: bool} for every EventType
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.OFF)
    # The newest notice the last digest covered: the next digest starts after it.
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(digest__in=Digest.values), name="preference_digest_valid")]

    @classmethod
    def of(cls, user_id: int) -> "Preference":
        return cls.objects.filter(user_id=user_id).first() or cls(user_id=user_id)

    def emails(self, event: str) -> bool:
        return bool(self.email.get(event, True))


class EmailDelivery(models.Model):
    """One e-mail per (event, recipient): made by the fan-out, sent after commit, marked when sent."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="emails")
    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="email")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="email_once_per_event")]
        indexes = [models.Index(fields=["created_at"], name="email_unsent_idx", condition=Q(sent_at__isnull=True))]


class Webhook(models.Model):
    """An integration's endpoint (docs/integrations.md): the events it takes, and the secret deliveries are
    signed with (Standard Webhooks). A 410 answer disables it."""

    url = models.URLField(max_length=500)
    events = models.JSONField()  # a list of EventType values
    secret = models.CharField(max_length=100)  # "whsec_" + base64 of 32 random bytes
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)


class WebhookDelivery(models.Model):
    """One event for one webhook: one `webhook-id`, however many attempts it takes."""

    class State(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"  # every retry used up
        CANCELLED = "cancelled"  # the webhook was disabled (410) or its host is no longer allowed

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="webhook_deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="webhook_due_idx", condition=Q(state="pending")),
        ]

    @property
    def message_id(self) -> str:
        """The `webhook-id` header: the same on every attempt, so a receiver can drop repeats."""
        return f"msg_{self.event_id}_{self.webhook_id}"


class WebhookAttempt(models.Model):
    """The delivery log: every attempt and what the receiver answered (no bodies kept)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempt = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)  # null: no answer (refused, timed out)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["delivery", "-created_at"], name="webhook_attempt_idx")]
