"""`manage.py recompute_stale`: recompute every pending score now (what the periodic sweep does).

For a machine without a worker (`make run` on a bare machine), and after a migration that marks
scores pending: the sweep does the same within SCORE_SWEEP_SECONDS wherever a worker runs.
"""

from django.core.management.base import BaseCommand

from scoring.recompute import RUNS_INLINE, rerank_resume, stale_scores_recompute


class Command(BaseCommand):
    help = "Recompute every pending score now and finish any re-rank left over (what the sweep does)."

    def handle(self, *args, **options):
        scored = stale_scores_recompute(source=RUNS_INLINE)
        reranked = rerank_resume()
        self.stdout.write(f"{scored} score(s) recomputed{'; policy re-rank finished' if reranked else ''}.")
