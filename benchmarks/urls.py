"""The product's URLs plus the two baselines of benchmarks/README.md, which never ship in config.urls."""

from django.urls import include, path

from .baselines import backlog_drf_baseline, backlog_floor

urlpatterns = [
    path("bench/drf-baseline/", backlog_drf_baseline, name="bench-drf-baseline"),
    path("bench/floor/", backlog_floor, name="bench-floor"),
    path("", include("config.urls")),
]
