from django.urls import path

import api.converters  # noqa: F401  (registers <id:…>)

from .api import FollowView, NotificationListView, NotificationReadView
from .api_preferences import PreferencesView
from .api_webhooks import WebhookDeliveriesView, WebhookDetailView, WebhookListView

urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read/", NotificationReadView.as_view(), name="api-notifications-read"),
    path("me/preferences/", PreferencesView.as_view(), name="api-preferences"),
    path("webhooks/", WebhookListView.as_view(), name="api-webhooks"),
    path("webhooks/<id:pk>/", WebhookDetailView.as_view(), name="api-webhook"),
    path("webhooks/<id:pk>/deliveries/", WebhookDeliveriesView.as_view(), name="api-webhook-deliveries"),
    path("problems/<id:pk>/follow/", FollowView.as_view(), name="api-problem-follow"),
]
