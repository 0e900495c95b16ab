from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notifications_page, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("preferences/", views.preferences_page, name="preferences"),
    path("problems/<int:pk>/follow/", views.follow_view, name="problem-follow"),
]
