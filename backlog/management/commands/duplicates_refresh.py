"""Find the duplicates queue's pairs for every problem due (manage.py duplicates_refresh)."""

import time

from django.core.management.base import BaseCommand

from backlog.duplicates import duplicate_pairs_refresh_all


class Command(BaseCommand):
    help = "Look for likely duplicates of every open problem whose text or status changed since its last look."

    def handle(self, *args, **options):
        started = time.perf_counter()
        looked = duplicate_pairs_refresh_all()
        self.stdout.write(f"duplicates: looked at {looked} problem(s) in {time.perf_counter() - started:.1f}s")
