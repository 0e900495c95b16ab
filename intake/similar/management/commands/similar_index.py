"""`manage.py similar_index`: give every problem its search terms and sentence vector.

For data that did not come through the services (a restore, the benchmark's COPY-loaded reference
data), after a change of synonyms.txt's version, or to fill vectors that a worker never computed.
Safe to run at any time and again: it only does what is missing.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from intake.similar.encoder import encoder
from intake.similar.services import search_entries_write
from intake.similar.store import search_entries_due, search_vectors_compute, search_vectors_due


class Command(BaseCommand):
    help = "Compute missing or outdated search terms and sentence vectors of problems (similar search)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="Problems per transaction (default 2000).")
        parser.add_argument("--terms-only", action="store_true", help="Leave the vectors to the workers.")

    def handle(self, *args, batch: int, terms_only: bool, **options):
        started = time.monotonic()
        terms = 0
        while due := search_entries_due(limit=batch):
            with transaction.atomic():
                terms += search_entries_write(problem_ids=due)
            if len(due) < batch:
                break
        vectors = 0
        if not terms_only:
            if encoder() is None:
                self.stderr.write("The sentence model is not available: terms only; search stays lexical.")
            else:
                seen: set[int] = set()
                while due := [pk for pk in search_vectors_due(limit=min(batch, 512)) if pk not in seen]:
                    vectors += search_vectors_compute(problem_ids=due)
                    seen.update(due)
                    if vectors and vectors % 5000 < len(due):
                        self.stdout.write(f"  {vectors} vectors…")
        self.stdout.write(
            f"Search index: {terms} problem(s) given terms, {vectors} vector(s) computed"
            f" in {time.monotonic() - started:.1f} s."
        )
