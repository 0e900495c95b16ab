"""Quality of the similar search on the labelled clinician queries of tests/data/similar/ (docs/similar.md).

    python -m tests.similar_eval                       # SQLite and PostgreSQL, as `make eval-similar`
                                                       # (EVAL_DATABASE_URL, default DATABASE_URL + "_eval")
    python -m tests.similar_eval --database-url URL    # one database (emptied, migrated, demo loaded)

Each line of a set is {"q": what a clinician at another site types, "target": the demo problem's key
(backlog/management/demo_data.py) or null for a problem that does not exist}. Reported:
recall@1 and recall@5 (the target is the first / among the five answers), MRR, and the false
"likely the same" rate: the share of queries about a problem that does not exist whose first
answer reaches scoring.LIKELY_SAME, the threshold at which the intake panel says "likely the same".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data" / "similar"
SETS = {"tuning": DATA / "eval.jsonl", "held-back": DATA / "heldback.jsonl"}
BARS = {"recall_at_5": 0.90, "false_likely_rate": 0.10}


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def demo_problem_ids() -> dict[str, int]:
    """Demo key → problem id; a merged demo problem counts as the problem it was merged into."""
    from backlog.management import demo_data
    from intake.models import Problem

    by_title = dict(Problem.objects.values_list("title", "pk"))
    merged = dict(Problem.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    ids = {}
    for problem in demo_data.PROBLEMS:
        pk = by_title[problem.title]
        ids[problem.key] = merged.get(pk, pk)
    return ids


def evaluate(queries: list[dict], ids: dict[str, int]) -> dict:
    from intake.similar.scoring import LIKELY_SAME
    from intake.similar.selectors import problems_similar

    ranks, false_likely, absent, misses = [], 0, 0, []
    for query in queries:
        answers = problems_similar(query["q"], limit=5)
        if query["target"] is None:
            absent += 1
            if answers and answers[0].similarity >= LIKELY_SAME:
                false_likely += 1
                misses.append(f"false likely: {query['q']!r} → {answers[0].problem.title!r} {answers[0].similarity}")
            continue
        found = [answer.problem.pk for answer in answers]
        target = ids[query["target"]]
        rank = found.index(target) + 1 if target in found else None
        ranks.append(rank)
        if rank is None:
            misses.append(
                f"missed: {query['q']!r} (wanted {query['target']}) → {[a.problem.title for a in answers[:2]]}"
            )
    paraphrases = len(ranks)
    return {
        "queries": paraphrases,
        "absent_queries": absent,
        "recall_at_1": round(sum(rank == 1 for rank in ranks) / paraphrases, 3) if paraphrases else None,
        "recall_at_5": round(sum(rank is not None for rank in ranks) / paraphrases, 3) if paraphrases else None,
        "mrr": round(sum(1 / rank for rank in ranks if rank) / paraphrases, 3) if paraphrases else None,
        "false_likely_rate": round(false_likely / absent, 3) if absent else None,
        "misses": misses,
    }


def _database_ready(database_url: str) -> None:
    """Empty the database, migrate, load the demo (which writes search terms and vectors through the services)."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    elif connection.vendor == "sqlite":
        connection.close()
        name = Path(connection.settings_dict["NAME"])
        if name.exists():
            name.unlink()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("similar_index", verbosity=0)


def run_one(database_url: str, *, show_misses: bool) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["CELERY_ENABLED"] = "false"
    os.environ["DJANGO_DEBUG"] = "true"
    import django

    django.setup()
    _database_ready(database_url)
    ids = demo_problem_ids()
    from django.db import connection

    report = {"database": connection.vendor}
    for name, path in SETS.items():
        if path.exists():
            result = evaluate(load_queries(path), ids)
            if not show_misses:
                result.pop("misses")
            report[name] = result
    return report


def _print(report: dict) -> None:
    print(f"{report['database']}:")
    for name in SETS:
        result = report.get(name)
        if result is None:
            continue
        print(
            f"  {name:<10} {result['queries']:>3} paraphrases: recall@1 {result['recall_at_1']:.3f}"
            f"  recall@5 {result['recall_at_5']:.3f}  MRR {result['mrr']:.3f};"
            f"  {result['absent_queries']:>3} about absent problems:"
            f" false 'likely the same' {result['false_likely_rate']:.3f}"
        )
        for miss in result.get("misses", []):
            print(f"      {miss}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Evaluate on this database only (it is emptied).")
    parser.add_argument("--misses", action="store_true", help="List the queries that missed.")
    parser.add_argument("--json", action="store_true", help="Print JSON instead of the table.")
    args = parser.parse_args()
    if args.database_url:
        report = run_one(args.database_url, show_misses=args.misses)
        print(json.dumps(report) if args.json else "", end="" if args.json else "")
        if not args.json:
            _print(report)
        return 0
    sqlite = f"sqlite:///{Path(os.environ.get('TMPDIR', '/tmp')) / 'bridge-similar-eval.sqlite3'}"
    postgres = os.environ.get("EVAL_DATABASE_URL") or _eval_database_url(os.environ.get("DATABASE_URL", ""))
    _postgres_create(postgres)
    failed = False
    for url in (sqlite, postgres):
        command = [sys.executable, "-m", "tests.similar_eval", "--database-url", url, "--json"]
        if args.misses:
            command.append("--misses")
        out = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return out.returncode
        report = json.loads(out.stdout.strip().splitlines()[-1])
        _print(report)
        for name in SETS:
            result = report.get(name)
            if result and (
                result["recall_at_5"] < BARS["recall_at_5"] or result["false_likely_rate"] > BARS["false_likely_rate"]
            ):
                failed = True
    print(f"bars: recall@5 ≥ {BARS['recall_at_5']}, false 'likely the same' ≤ {BARS['false_likely_rate']}")
    return 1 if failed else 0


def _eval_database_url(database_url: str) -> str:
    """DATABASE_URL's database with `_eval` after its name (it is emptied), else bridge_eval on localhost."""
    if database_url.startswith(("postgres://", "postgresql://")):
        return database_url.split("?")[0] + "_eval"
    return "postgres://postgres@127.0.0.1:5432/bridge_eval"


def _postgres_create(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
