"""The duplicates queue at a given size: finding the pairs, and the page that reads them.

    DATABASE_URL=postgres://…/bridge_bench_10k python -m benchmarks.duplicates_queue

Against a database with reference data (benchmarks/refdata.py) and its search index: times a
full look for pairs (what the queue would cost per view if the page computed it), the
incremental look when nothing changed, and the page (a product manager, first and a later page)
through Django's test client. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ["CELERY_ENABLED"] = "true"  # the page only reads, as with a worker


def _timed(call, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(times[-1], 1), "runs": repeat}


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from backlog.duplicates import duplicate_pairs_refresh, duplicate_pairs_refresh_all
    from backlog.models import DuplicatePair, DuplicateScan
    from intake.models import OPEN_STATUSES, Problem, Role, User
    from intake.similar.index import search_index

    call_command("migrate", verbosity=0, interactive=False)
    DuplicateScan.objects.all().delete()
    DuplicatePair.objects.all().delete()
    started = time.perf_counter()
    search_index()  # loading the index once per process is not the queue's cost
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    looked = duplicate_pairs_refresh_all()
    full_s = time.perf_counter() - started
    # Demo accounts sign in only with DEBUG on: measure as a product manager who is not one.
    pm = User.objects.filter(groups__name=Role.PRODUCT_MANAGER, is_active=True, is_demo=False).first()
    if pm is None:
        pm = User.objects.create_user("bench_duplicates_pm", password=None)
        pm.groups.add(Group.objects.get_or_create(name=Role.PRODUCT_MANAGER)[0])
    client = Client()
    client.force_login(pm)
    assert client.get("/backlog/duplicates/", secure=True).status_code == 200
    print(
        json.dumps(
            {
                "problems": Problem.objects.count(),
                "open_problems": Problem.objects.filter(status__in=OPEN_STATUSES).count(),
                "index_load_s": round(load_s, 1),
                "full_look_s": round(full_s, 1),
                "looked_at": looked,
                "per_problem_ms": round(full_s * 1000 / max(looked, 1), 1),
                "pairs": DuplicatePair.objects.count(),
                "incremental_nothing_due": _timed(duplicate_pairs_refresh, 5),
                "page_1": _timed(lambda: client.get("/backlog/duplicates/", secure=True), 20),
                "page_10": _timed(lambda: client.get("/backlog/duplicates/?page=10", secure=True), 20),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
