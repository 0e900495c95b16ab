from django.urls import path

import api.converters  # noqa: F401  (registers <id:…>)

from .api import FollowView, NotificationListView, NotificationReadView
from .api_preferences import PreferencesView

urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read/", NotificationReadView.as_view(), name="api-notifications-read"),
    path("me/preferences/", PreferencesView.as_view(), name="api-preferences"),
    path("problems/<id:pk>/follow/", FollowView.as_view(), name="api-problem-follow"),
]
