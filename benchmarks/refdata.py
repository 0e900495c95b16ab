"""Reference data of benchmarks/README.md, generated into a dedicated PostgreSQL database.

50 sites, a few hundred people, N problems (100,000 at full size) with about five site reports
and evidence rows per problem, written with COPY and seeded, so the same seed and size always
give the same rows. Problems are reported at a Zipf-like number of sites (most at one or two, a
long tail across many), bigger sites report more often, and a minority of problems carries
most of the evidence. Scores and ranks are then computed by the product's own recompute
service, so the backlog looks exactly as it would in production.

A marker row (table `bench_refdata`, outside Django's models) records what was generated, with
the ids' high-water marks: a later run with the same seed and size reuses the data and only
trims whatever an earlier run's measurements added.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg

from . import phrases

GENERATOR_VERSION = 6  # 6: the audit's high-water mark, and what the loop and duplicates write trimmed (5: after-hours
# metrics and revenue reports; 4: the similar search's evaluation targets)
SITE_COUNT = 50
USER_COUNT = 300
SITES_ZIPF_EXPONENT = 2.4
EXTRA_REPORTER_PROBABILITY = 0.2
BENCH_USERNAME = "bench_pm"
BENCH_PASSWORD = "bench-only-password-42"
END = datetime(2025, 6, 30, tzinfo=UTC)
START = END - timedelta(days=5 * 365)
MARKER_TABLE = "bench_refdata"
VACUUMED_TABLES = (
    "intake_problem",
    "intake_sitereport",
    "intake_evidence",
    "scoring_problemscore",
    "scoring_scorehistory",
)

SITE_NAMES = [
    "Northgate", "Lakeside", "Riverbend", "Hillcrest", "Eastfield", "Westbrook", "Southpoint", "Pinecrest",
    "Maple Grove", "Cedar Park", "Oak Hollow", "Fairview", "Brookside", "Stonebridge", "Highland", "Meadowlark",
    "Bayview", "Clearwater", "Ridgeview", "Springdale", "Willow Creek", "Sunnyvale", "Harbor", "Kingsport",
    "Ashford", "Belmont", "Carlisle", "Dunmore", "Elmwood", "Foxborough", "Glenview", "Hartwell",
    "Ironwood", "Jasper", "Kensington", "Lindale", "Millbrook", "Newport", "Orchard", "Parkside",
    "Quarry Hill", "Rosedale", "Summit", "Timberline", "Union Square", "Valley View", "Wexford", "Yorktown",
    "Zephyr Hills", "Airport",
]  # fmt: skip
REGIONS = ["North", "South", "East", "West", "Central"]
AREA_WEIGHTS = {
    "charting": 22, "orders": 15, "results": 12, "inbox": 15, "triage": 8,
    "discharge": 10, "scheduling": 6, "billing": 7, "other": 5,
}  # fmt: skip
STATUS_WEIGHTS = {
    "new": 55, "needs_info": 5, "triaged": 18, "planned": 8, "in_progress": 4,
    "delivered": 3, "measured": 1.5, "declined": 4, "merged": 1.5,
}  # fmt: skip
ROLE_WEIGHTS = {"physician": 40, "app": 25, "nurse": 15, "ma": 12, "front_desk": 5, "other": 3}
USER_GROUPS = [("clinician", 250), ("informatics", 30), ("product_manager", 8), ("it_lead", 10), ("admin", 2)]
EVIDENCE_KIND_WEIGHTS = {
    "time_study": 20,
    "ehr_metric": 20,
    "cost_report": 7,
    "after_hours_metric": 6,
    "revenue_report": 4,
    "survey": 23,
    "note": 30,
}
DECLINE_REASONS = ["Covered by the vendor upgrade next quarter.", "Local workflow issue, handled by site training."]
NOTES = phrases.CONSEQUENCES + phrases.WORKAROUNDS


@dataclass(frozen=True)
class Refdata:
    """What the measurements need to know about the data they run on."""

    problems: int
    seed: int
    generated_now: bool
    generation_seconds: float
    counts: dict
    distribution: dict
    username: str
    token: str
    high_water: dict
    # Demo problem key → id of the reference-data problem that carries its text (the similar search's
    # labelled queries, tests/data/similar/, look for them among all the others).
    eval_targets: dict


# ---------------------------------------------------------------- database (before Django starts)


def _maintenance_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _marker(database_url: str) -> dict | None:
    try:
        with psycopg.connect(database_url, connect_timeout=5) as conn:
            row = conn.execute(f"SELECT info FROM {MARKER_TABLE} WHERE id = 1").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def marker_matches(marker: dict | None, *, problems: int, seed: int) -> bool:
    return bool(
        marker
        and marker.get("complete")
        and marker.get("generator") == GENERATOR_VERSION
        and marker.get("problems") == problems
        and marker.get("seed") == seed
        and marker.get("sites") == SITE_COUNT
    )


def database_prepare(database_url: str, *, problems: int, seed: int) -> bool:
    """Make sure the database exists; recreate it empty unless it holds this seed and size. True = reuse."""
    maintenance, name = _maintenance_url(database_url)
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and marker_matches(_marker(database_url), problems=problems, seed=seed):
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


# ---------------------------------------------------------------- generation (Django is set up)


def _lognormal(rng: random.Random, median: float, sigma: float, low: float, high: float) -> float:
    return round(min(high, max(low, rng.lognormvariate(math.log(median), sigma))), 1)


def _copy(cursor, model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into model's table. Columns this generator does not know get the field's default
    (a field with a database default is left to the database)."""
    from django.db import models as dj_models
    from django.db.models.fields import NOT_PROVIDED, AutoFieldMixin

    known = set(columns)
    extra = [
        f
        for f in model._meta.concrete_fields
        if f.column not in known
        and not isinstance(f, AutoFieldMixin | dj_models.GeneratedField)
        and f.db_default is NOT_PROVIDED
    ]
    extra_values = tuple(
        json.dumps(f.get_default()) if isinstance(f, dj_models.JSONField) else f.get_default() for f in extra
    )
    all_columns = ", ".join(f'"{c}"' for c in [*columns, *(f.column for f in extra)])
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({all_columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row + extra_values if extra_values else row)
            count += 1
    return count


def _sequences_reset(cursor, tables: list[str]) -> None:
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))"
        )


def _weighted(rng: random.Random, weights: dict[str, float]) -> Callable[[], str]:
    keys, cumulative, total = list(weights), [], 0.0
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return lambda: rng.choices(keys, cum_weights=cumulative)[0]


SITE_COLUMNS = ["id", "code", "name", "region", "providers", "shifts_per_week", "visits_per_week", "active"]
USER_COLUMNS = [
    "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined", "home_site_id",
]  # fmt: skip
PROBLEM_COLUMNS = [
    "id", "title", "statement", "workflow_area", "affected_roles", "proposed_solution", "safety_concern",
    "safety_details", "status", "decline_reason", "effort_weeks", "external_ref", "submitted_by_id",
    "merged_into_id", "version", "inputs_version", "created_at", "updated_at", "inputs_changed_at",
]  # fmt: skip
REPORT_COLUMNS = [
    "problem_id", "site_id", "reporter_id", "minutes_lost_per_occurrence", "occurrences_per_shift",
    "providers_affected_pct", "after_hours_pct", "patient_wait_minutes", "visits_affected_pct",
    "created_at", "updated_at",
]  # fmt: skip
EVIDENCE_COLUMNS = ["problem_id", "kind", "site_id", "value", "sample_size", "note", "added_by_id", "created_at"]
OPEN = ("new", "needs_info", "triaged", "planned", "in_progress")


class _Network:
    """The generated care network: sites, people, then problems with their reports and evidence.

    Every draw comes from one seeded RNG in a fixed order, so a seed always gives the same rows.
    Problems are yielded for COPY as they are drawn; their site reports and evidence collect in
    lists for the two COPYs that follow.
    """

    def __init__(self, rng: random.Random, *, groups: dict[str, int], bench_password: str):
        self.rng = rng
        self.sites = self._draw_sites()
        self.site_ids = [s[0] for s in self.sites]
        self.site_cumulative = list(itertools.accumulate(s[4] for s in self.sites))
        self.users, self.memberships = [], []
        self.users_at_site: dict[int, list[int]] = {sid: [] for sid in self.site_ids}
        self.home_of: dict[int, int] = {}
        self.role_users: dict[str, list[int]] = {}
        self._draw_people(groups, bench_password)
        self.submitters = (
            self.role_users["clinician"] + self.role_users["informatics"] + self.role_users["product_manager"]
        )
        self.measurers = self.role_users["informatics"] + self.role_users["product_manager"]
        self.reports: list[tuple] = []
        self.evidence: list[tuple] = []
        self.open_ids: list[int] = []
        self.sites_count_cumulative = list(
            itertools.accumulate(k**-SITES_ZIPF_EXPONENT for k in range(1, SITE_COUNT + 1))
        )
        self.area = _weighted(rng, AREA_WEIGHTS)
        self.status = _weighted(rng, STATUS_WEIGHTS)
        self.kind = _weighted(rng, EVIDENCE_KIND_WEIGHTS)
        self.roles = list(ROLE_WEIGHTS)
        self.role_cumulative = list(itertools.accumulate(ROLE_WEIGHTS.values()))

    def _draw_sites(self) -> list[tuple]:
        """Provider headcount is lognormal; bigger sites see (and report) more. Two sites are closed."""
        rng, sites = self.rng, []
        for index, name in enumerate(SITE_NAMES[:SITE_COUNT], start=1):
            providers = int(_lognormal(rng, 14, 0.5, 3, 60))
            code = name.upper().replace(" ", "")[:16]
            shifts = rng.choice([3.0, 3.5, 4.0, 4.0, 4.5, 5.0])
            visits = providers * rng.randint(40, 80)
            active = index <= SITE_COUNT - 2
            sites.append(
                (index, code, f"{name} Urgent Care", REGIONS[index % len(REGIONS)], providers, shifts, visits, active)
            )
        return sites

    def _draw_people(self, groups: dict[str, int], bench_password: str) -> None:
        """The benchmark's product manager first, then two people at every site, then the rest by site size."""
        roles = ["product_manager"] + [name for name, count in USER_GROUPS for _ in range(count)]
        for user_id, role in enumerate(roles, start=1):
            if user_id == 1:
                home, username, password = 1, BENCH_USERNAME, bench_password
            else:
                if user_id <= 2 * SITE_COUNT + 1:
                    home = self.site_ids[(user_id - 2) % SITE_COUNT]
                else:
                    home = self.rng.choices(self.site_ids, cum_weights=self.site_cumulative)[0]
                username, password = f"{role}.{user_id:04d}", f"!{self.rng.getrandbits(64):016x}"
            self.users.append((user_id, password, False, username, "", "", "", False, True, START, home))
            self.memberships.append((user_id, groups[role]))
            self.users_at_site[home].append(user_id)
            self.home_of[user_id] = home
            self.role_users.setdefault(role, []).append(user_id)

    def problems(self, count: int) -> Iterator[tuple]:
        span = (END - START).total_seconds()
        slots = _eval_slots(count)
        self.eval_targets = {demo.key: pid for pid, demo in slots.items()}
        for pid in range(1, count + 1):
            created = START + timedelta(seconds=span * (pid - 1 + self.rng.random()) / count)
            row = self._problem(pid, created)
            if pid in slots:
                row = self._as_demo_problem(row, slots[pid])
            chosen = self._site_reports(pid, created, submitter=row[12])
            self._evidence(pid, created, submitter=row[12], chosen=chosen)
            yield row

    def _as_demo_problem(self, row: tuple, demo) -> tuple:
        """An open problem with a demo problem's words, so the labelled clinician queries have their target."""
        changed = list(row)
        changed[1], changed[2], changed[3] = demo.title, demo.statement, demo.area
        changed[8], changed[9], changed[11], changed[13], changed[14] = "new", "", "", None, 1
        if row[0] not in self.open_ids:
            self.open_ids.append(row[0])
        return tuple(changed)

    def _problem(self, pid: int, created: datetime) -> tuple:
        rng = self.rng
        submitter = rng.choice(self.submitters)
        area = self.area()
        title, statement, solution = phrases.problem_text(rng, area)
        status = self.status()
        merged_into = None
        if status == "merged":
            if self.open_ids:
                merged_into = rng.choice(self.open_ids)
            else:
                status = "new"
        if status in OPEN:
            self.open_ids.append(pid)
        safety = rng.random() < 0.03
        affected = sorted(set(rng.choices(self.roles, cum_weights=self.role_cumulative, k=rng.randint(1, 3))))
        return (
            pid,
            title,
            statement,
            area,
            json.dumps(affected),
            solution,
            safety,
            rng.choice(phrases.SAFETY_DETAILS) if safety else "",
            status,
            rng.choice(DECLINE_REASONS) if status == "declined" else "",
            rng.choice([0.5, 1, 2, 3, 4, 6, 8, 12]) if rng.random() < 0.3 else None,
            f"EHR-{1000 + pid}" if status in ("planned", "in_progress", "delivered", "measured") else "",
            submitter,
            merged_into,
            1 if status == "new" else rng.randint(2, 4),
            1,
            created,
            # updated_at, drawn here to keep the seeded order of draws; inputs_changed_at is the same time
            (updated := min(END, created + timedelta(days=30 * rng.random()))),
            updated,
        )

    def _site_reports(self, pid: int, created: datetime, *, submitter: int) -> list[int]:
        """Zipf-like number of sites, the submitter's first; sometimes more than one reporter at a site."""
        rng = self.rng
        k = rng.choices(range(1, SITE_COUNT + 1), cum_weights=self.sites_count_cumulative)[0]
        chosen = [self.home_of[submitter]]
        while len(chosen) < k:
            candidate = rng.choices(self.site_ids, cum_weights=self.site_cumulative)[0]
            if candidate not in chosen:
                chosen.append(candidate)
        for position, site_id in enumerate(chosen):
            people = self.users_at_site[site_id]
            reporters = [submitter] if position == 0 else [rng.choice(people)]
            while rng.random() < EXTRA_REPORTER_PROBABILITY and len(reporters) < len(people):
                extra = rng.choice(people)
                if extra not in reporters:
                    reporters.append(extra)
            for reporter in reporters:
                at = created if reporter == submitter else min(END, created + timedelta(days=90 * rng.random()))
                self.reports.append(
                    (
                        pid,
                        site_id,
                        reporter,
                        _lognormal(rng, 3, 0.6, 0.5, 60),
                        _lognormal(rng, 6, 0.7, 0.5, 120),
                        rng.choice([100, 100, 100, 100, 80, 75, 50, 25]),
                        rng.choice([0, 0, 0, 10, 20, 30, 50]),
                        rng.choice([0, 0, 2, 5, 10, 15]),
                        rng.choice([0, 0, 5, 10, 20, 50]),
                        at,
                        at,
                    )
                )
        return chosen

    def _evidence(self, pid: int, created: datetime, *, submitter: int, chosen: list[int]) -> None:
        """Most problems carry a little evidence; a minority (the contested ones) carry a lot."""
        rng = self.rng
        mean = 10.0 if rng.random() < 0.15 else 1.5
        for _ in range(min(int(rng.expovariate(1 / (mean + 0.5))), 80)):
            kind = self.kind()
            site, value, sample, note = None, None, None, ""
            if kind == "time_study":
                value, sample = _lognormal(rng, 3, 0.6, 0.2, 120), rng.randint(5, 60)
                site = rng.choice(chosen) if rng.random() < 0.7 else None
            elif kind == "ehr_metric":
                value, site = _lognormal(rng, 6, 0.7, 0.5, 150), rng.choice(chosen)
            elif kind == "after_hours_metric":
                value, site = round(rng.uniform(0, 60), 1), rng.choice(chosen)
            elif kind == "revenue_report":
                value, site = round(_lognormal(rng, 800, 1.0, 20, 50000), 2), rng.choice(chosen)
            elif kind == "cost_report":
                value, site = round(rng.uniform(0, 8), 1), rng.choice(self.site_ids)
            elif kind == "survey":
                value = float(rng.randint(1, 5))
            if kind == "note" or rng.random() < 0.2:
                note = rng.choice(NOTES)
            by = rng.choice(self.measurers) if kind not in ("survey", "note") else submitter
            at = min(END, created + timedelta(days=365 * rng.random()))
            self.evidence.append((pid, kind, site, value, sample, note, by, at))


def _eval_slots(count: int) -> dict:
    """Problem ids, spread evenly, that carry the demo problems' texts (the demo's merged ones left out)."""
    from backlog.management import demo_data

    merged = {source for source, _ in demo_data.MERGES}
    demos = [problem for problem in demo_data.PROBLEMS if problem.key not in merged]
    if count < 10 * len(demos):
        return {}
    return {1 + (i * count) // len(demos) + count // (2 * len(demos)): demo for i, demo in enumerate(demos)}


def refdata_generate(*, problems: int, seed: int, log: Callable[[str], None] = print) -> dict:
    """Write sites, users, problems, site reports and evidence into the (empty) current database, then score."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from intake.models import Evidence, Problem, Site, SiteReport, User
    from scoring.models import RerankJob
    from scoring.recompute import rerank_run
    from scoring.selectors import policy_current

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        groups = dict(Group.objects.values_list("name", "id"))
        network = _Network(rng, groups=groups, bench_password=make_password(BENCH_PASSWORD))
        counts = {
            "sites": _copy(cursor, Site, SITE_COLUMNS, network.sites),
            "users": _copy(cursor, User, USER_COLUMNS, network.users),
            "user_groups": _copy(cursor, User.groups.through, ["user_id", "group_id"], network.memberships),
            "problems": _copy(cursor, Problem, PROBLEM_COLUMNS, network.problems(problems)),
            "site_reports": _copy(cursor, SiteReport, REPORT_COLUMNS, network.reports),
            "evidence": _copy(cursor, Evidence, EVIDENCE_COLUMNS, network.evidence),
        }
        _sequences_reset(
            cursor, ["intake_site", "intake_user", "intake_problem", "intake_sitereport", "intake_evidence"]
        )
        cursor.execute("ANALYZE")
    copied = time.perf_counter() - started
    log(
        f"  copied {counts['problems']:,} problems, {counts['site_reports']:,} site reports, "
        f"{counts['evidence']:,} evidence rows in {copied:.1f}s"
    )
    scoring_started = time.perf_counter()
    # The re-rank service scores every problem not yet scored under the policy in force (here: all).
    rerank_run(job_id=RerankJob.objects.create(policy_version=policy_current().version).pk)
    scoring_seconds = time.perf_counter() - scoring_started
    log(f"  scored and ranked every problem with scoring.recompute.rerank_run in {scoring_seconds:.1f}s")
    return {
        "seed": seed,
        "problems": problems,
        "sites": SITE_COUNT,
        "generator": GENERATOR_VERSION,
        "username": BENCH_USERNAME,
        "eval_targets": network.eval_targets,
        "copy_seconds": round(copied, 2),
        "scoring_seconds": round(scoring_seconds, 2),
    }


def data_profile() -> dict:
    """Counts and distributions of what is in the database now (for the report and the smoke test)."""
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for key, table in [
            ("sites", "intake_site"),
            ("users", "intake_user"),
            ("problems", "intake_problem"),
            ("site_reports", "intake_sitereport"),
            ("evidence", "intake_evidence"),
            ("scores", "scoring_problemscore"),
        ]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[key] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM intake_problem WHERE status IN ('new','needs_info','triaged','planned','in_progress')"
        )
        counts["open_problems"] = cursor.fetchone()[0]
        cursor.execute(
            """SELECT n, count(*) FROM (
                   SELECT count(DISTINCT site_id) AS n FROM intake_sitereport GROUP BY problem_id
               ) per_problem GROUP BY n ORDER BY n"""
        )
        sites_histogram = {int(n): c for n, c in cursor.fetchall()}
        cursor.execute(
            """SELECT COALESCE(max(n), 0), COALESCE(percentile_disc(0.99) WITHIN GROUP (ORDER BY n), 0)
               FROM (SELECT count(*) AS n FROM intake_evidence GROUP BY problem_id) per_problem"""
        )
        evidence_max, evidence_p99 = cursor.fetchone()
        cursor.execute("SELECT kind, count(*) FROM intake_evidence GROUP BY kind ORDER BY kind")
        kinds = dict(cursor.fetchall())
    scored = counts["problems"] or 1
    at_one_or_two = sites_histogram.get(1, 0) + sites_histogram.get(2, 0)
    return {
        "counts": counts,
        "distribution": {
            "sites_per_problem_histogram": sites_histogram,
            "share_at_one_or_two_sites": round(at_one_or_two / scored, 4),
            "share_at_ten_or_more_sites": round(sum(c for n, c in sites_histogram.items() if n >= 10) / scored, 4),
            "max_sites_per_problem": max(sites_histogram, default=0),
            "reports_and_evidence_per_problem": round((counts["site_reports"] + counts["evidence"]) / scored, 3),
            "evidence_per_problem_p99": evidence_p99,
            "evidence_per_problem_max": evidence_max,
            "evidence_by_kind": kinds,
        },
    }


HIGH_WATER_TABLES = [
    "intake_site",
    "intake_user",
    "intake_problem",
    "intake_sitereport",
    "intake_evidence",
    "scoring_scorehistory",
    "intake_auditevent",
    "backlog_outcome",
]


def _high_water(cursor) -> dict:
    marks = {}
    for table in HIGH_WATER_TABLES:
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
        marks[table] = cursor.fetchone()[0]
    return marks


def _marker_write(info: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id integer PRIMARY KEY, info jsonb NOT NULL)")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (id, info) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET info = EXCLUDED.info",
            [json.dumps(info)],
        )


def refdata_trim(high_water: dict) -> dict[str, int]:
    """Remove what measurements added after generation, and re-score the problems they touched.

    Returns the rows removed per table.
    """
    from django.db import connection, transaction

    from scoring.recompute import scores_recompute

    hw = high_water
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """SELECT DISTINCT problem_id FROM intake_evidence WHERE id > %s AND problem_id <= %s
               UNION SELECT DISTINCT problem_id FROM intake_sitereport WHERE id > %s AND problem_id <= %s""",
            [hw["intake_evidence"], hw["intake_problem"], hw["intake_sitereport"], hw["intake_problem"]],
        )
        touched = [row[0] for row in cursor.fetchall()]
        problem_mark, user_mark = hw["intake_problem"], hw["intake_user"]
        new_events = "SELECT id FROM intake_outboxevent WHERE problem_id > %s OR actor_id > %s"
        statements = [
            # What closing the loop and the duplicates queue wrote about added problems or by added users.
            (
                "DELETE FROM notify_webhookattempt WHERE delivery_id IN"
                f" (SELECT id FROM notify_webhookdelivery WHERE event_id IN ({new_events}))",
                [problem_mark, user_mark],
            ),
            (f"DELETE FROM notify_webhookdelivery WHERE event_id IN ({new_events})", [problem_mark, user_mark]),
            (
                f"DELETE FROM notify_emaildelivery WHERE user_id > %s OR event_id IN ({new_events})",
                [user_mark, problem_mark, user_mark],
            ),
            (
                f"DELETE FROM notify_notification WHERE user_id > %s OR problem_id > %s OR event_id IN ({new_events})",
                [user_mark, problem_mark, problem_mark, user_mark],
            ),
            (f"DELETE FROM intake_outboxevent WHERE id IN ({new_events})", [problem_mark, user_mark]),
            ("DELETE FROM notify_preference WHERE user_id > %s", [user_mark]),
            *(
                (f"DELETE FROM {table} WHERE problem_id > %s OR {who} > %s", [problem_mark, user_mark])
                for table, who in (("intake_comment", "author_id"), ("intake_follow", "user_id"))
            ),
            ("DELETE FROM backlog_duplicatescan WHERE problem_id > %s", [problem_mark]),
            *(
                (f"DELETE FROM {table} WHERE problem_low_id > %s OR problem_high_id > %s", [problem_mark, problem_mark])
                for table in ("backlog_duplicatepair", "backlog_duplicatedismissal")
            ),
            ("DELETE FROM intake_auditevent WHERE actor_id > %s", [user_mark]),
            *(
                (f"DELETE FROM {table} WHERE id > %s OR problem_id > %s", [hw[table], problem_mark])
                for table in (
                    "intake_evidence",
                    "intake_sitereport",
                    "backlog_outcome",
                    "intake_auditevent",
                    "scoring_scorehistory",
                )
            ),
            ("DELETE FROM scoring_problemscore WHERE problem_id > %s", [problem_mark]),
            ("DELETE FROM similar_searchentry WHERE problem_id > %s", [problem_mark]),
            ("DELETE FROM intake_problem WHERE id > %s", [problem_mark]),
            *(
                (f"DELETE FROM {table} WHERE user_id > %s", [user_mark])
                for table in (
                    "intake_apitoken",
                    "intake_user_groups",
                    "intake_user_sites",
                    "intake_user_user_permissions",
                    "django_admin_log",
                )
            ),
            *(
                (f"UPDATE {table} SET created_by_id = NULL WHERE created_by_id > %s", [user_mark])
                for table in ("scoring_scoringpolicy", "scoring_rerankjob")
            ),
            ("DELETE FROM intake_user WHERE id > %s", [user_mark]),
            ("DELETE FROM intake_user_sites WHERE site_id > %s", [hw["intake_site"]]),
            ("DELETE FROM intake_site WHERE id > %s", [hw["intake_site"]]),
        ]
        removed: dict[str, int] = {}
        for sql, params in statements:
            cursor.execute(sql, params)
            if sql.startswith("DELETE") and cursor.rowcount > 0:
                removed[sql.split()[2]] = cursor.rowcount
    if touched:
        scores_recompute(problem_ids=touched)
    return removed


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in VACUUMED_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _bench_token(username: str) -> str:
    """A new API token for the benchmark's user: tokens expire and are stored hashed, so each run makes its own."""
    from intake.auth.services import api_token_issue
    from intake.models import User

    return api_token_issue(user=User.objects.get(username=username), name="benchmark run").key


def refdata_ensure(*, problems: int, seed: int, reuse: bool, log: Callable[[str], None] = print) -> Refdata:
    """After database_prepare and migrate: generate the data, or trim and reuse what is there."""
    from django.db import connection

    if reuse:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT info FROM {MARKER_TABLE} WHERE id = 1")
            info = cursor.fetchone()[0]
        info = json.loads(info) if isinstance(info, str) else info
        removed = refdata_trim(info["high_water"])
        _vacuum()  # every re-rank rewrites every score row: start each run from a compact table
        log(
            f"  reusing reference data (seed {seed}, {problems:,} problems); "
            f"trimmed {sum(removed.values())} rows left by earlier runs"
        )
        generated_now = False
    else:
        started = time.perf_counter()
        log(f"  generating reference data: seed {seed}, {problems:,} problems, {SITE_COUNT} sites")
        info = refdata_generate(problems=problems, seed=seed, log=log)
        _vacuum()
        with connection.cursor() as cursor:
            info["high_water"] = _high_water(cursor)
        info |= data_profile()
        info["generation_seconds"] = round(time.perf_counter() - started, 2)
        info["generated_at"] = datetime.now(UTC).isoformat()
        info["complete"] = True
        _marker_write(info)
        log(f"  reference data ready in {info['generation_seconds']:.1f}s")
        generated_now = True
    _search_index(log, eval_targets=info.get("eval_targets", {}))
    return Refdata(
        token=_bench_token(info["username"]),
        problems=problems,
        seed=seed,
        generated_now=generated_now,
        generation_seconds=info["generation_seconds"],
        counts=info["counts"],
        distribution=info["distribution"],
        username=info["username"],
        high_water=info["high_water"],
        eval_targets=info.get("eval_targets", {}),
    )


def _search_index(log: Callable[[str], None], *, eval_targets: dict) -> None:
    """Search terms and sentence vectors for every problem (the product's `similar_index`; only what is missing).

    Vectors are the slow part (10–20 ms a problem on a quiet machine, two cores). With
    BENCH_SIMILAR_VECTORS=eval-only only the labelled queries' targets get one: the latency is the
    same (the search multiplies every row of its vector matrix either way), the quality is not
    representative, and the similar measurement says so.
    """
    from io import StringIO

    from django.core.management import call_command
    from django.test.utils import override_settings

    from intake.similar.encoder import encoder_reset
    from intake.similar.store import search_vectors_compute

    started = time.perf_counter()
    out = StringIO()
    eval_only = os.environ.get("BENCH_SIMILAR_VECTORS", "all") == "eval-only"
    # Both cores: nothing else runs while the reference data is prepared.
    with override_settings(SIMILAR_ENCODER_THREADS=2):
        encoder_reset()
        if eval_only:
            call_command("similar_index", "--terms-only", stdout=out)
            search_vectors_compute(problem_ids=list(eval_targets.values()))
        else:
            call_command("similar_index", stdout=out)
        encoder_reset()
    what = out.getvalue().strip().splitlines()[-1]
    log(
        f"  similar search index{' (vectors: eval targets only)' if eval_only else ''}: {what}"
        f" ({time.perf_counter() - started:.1f}s)"
    )
