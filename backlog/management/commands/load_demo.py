"""`manage.py load_demo`: demo sites, users and a realistic backlog (docs/deploy.md).

Everything is written through the domain services (intake.services, backlog.services), so the PHI
screen, audit rows and stale marks are the real ones; then every score is recomputed so the ranking
is there at once. One transaction: the demo is loaded completely or not at all. Deterministic: a
seeded random generator decides who reports what where.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from backlog.management import demo_data
from backlog.services import outcome_answer, problem_merge, problem_triage
from intake.models import Problem, Role, Site, Status, User
from intake.services import ReportValues, evidence_add, problem_submit, site_create, site_report_upsert
from notify.fanout import event_fan_out, unprocessed_event_ids
from scoring.recompute import problem_ids_all, scores_recompute

SEED = 20250306
DEFAULT_PASSWORD = "bridge-demo"
# How many sites report a problem that the data does not place: most at one or two, a long tail.
SITE_COUNT_WEIGHTS = {1: 56, 2: 27, 3: 9, 4: 4, 5: 2, 6: 1, 8: 1, 11: 1}
QUIET_NOTIFIER = "backlog.management.commands.load_demo.stale_notice_ignored"
QUIET_OUTBOX = "backlog.management.commands.load_demo.events_held"
# A reserved domain (RFC 2606): demo e-mails show on the console and can never reach anyone.
DEMO_EMAIL_DOMAIN = "bridge.example"


def stale_notice_ignored(problem_ids: list[int] | None) -> None:
    """The load recomputes every score inside its own transaction, so per-write notices would only repeat it."""


def events_held(event_ids: list[int]) -> None:
    """The demo's history is fanned out after the load, in-app only (no e-mail for the past)."""


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass
class Loaded:
    sites: dict[str, Site] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    pools: dict[str, list[User]] = field(default_factory=dict)  # reporters by site code
    problems: dict[str, Problem] = field(default_factory=dict)  # by demo key
    reporters: dict[str, list[tuple[Site, User]]] = field(default_factory=dict)  # by demo key
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def _nice(value: float, *, floor: float) -> float:
    """Round the way people report numbers: whole minutes when large, halves when small."""
    if value >= 10:
        value = round(value)
    elif value >= 2:
        value = round(value * 2) / 2
    elif value >= 0.5:
        value = round(value * 4) / 4
    else:
        value = round(value, 2)
    return max(value, floor)


class DemoLoader:
    def __init__(self, *, rng: random.Random, password: str) -> None:
        self.rng = rng
        self.password = password
        self.data = Loaded()

    def load(self) -> Loaded:
        self._sites()
        self._people()
        for problem in demo_data.PROBLEMS:
            self._problem(problem)
        self._evidence()
        self._triage()
        self._notes()
        scores_recompute(problem_ids=problem_ids_all())
        return self.data

    # --- sites and people ------------------------------------------------------------------------

    def _sites(self) -> None:
        for demo in demo_data.SITES:
            site = Site.objects.filter(code=demo.code).first()
            if site is None:
                site = site_create(
                    code=demo.code,
                    name=demo.name,
                    region=demo.region,
                    providers=demo.providers,
                    shifts_per_week=demo.shifts_per_week,
                    visits_per_week=demo.visits_per_week,
                )
                self.data.count("sites")
            self.data.sites[demo.code] = site

    def _user(
        self, username: str, *, role: str, home: str, password: str | None, first="", last="", also_at=""
    ) -> User:
        """An existing account is left exactly as it is (its password included)."""
        user, created = User.objects.get_or_create(
            username=username,
            # is_demo: the password is published, so the account works only with DEBUG on (intake.auth.policy).
            defaults={
                "home_site": self.data.sites[home],
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_demo": True,
            },
        )
        if created:
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            user.sites.add(self.data.sites[home], *(self.data.sites[code] for code in also_at.split()))
            self.data.count("users")
        self.data.users[username] = user
        return user

    def _people(self) -> None:
        for demo in demo_data.DEMO_USERS:
            self._user(
                demo.username,
                role=demo.role,
                home=demo.home_site,
                password=self.password,
                first=demo.first_name,
                last=demo.last_name,
                also_at=demo.also_at,
            )
        for code, usernames in demo_data.REPORTERS.items():
            pool = [
                self._user(
                    name,
                    role=Role.CLINICIAN,
                    home=code,
                    password=None,
                    last=name.split(".")[1].title(),
                    also_at=demo_data.ALSO_AT.get(name, ""),
                )
                for name in usernames
            ]
            self.data.pools[code] = pool
        # The demo clinician works at NORTH and reports there like any colleague, a little more often.
        self.data.pools["NORTH"] += [self.data.users["clinician"]] * 2

    # --- problems and reports --------------------------------------------------------------------

    def _site_codes(self, problem: demo_data.DemoProblem) -> list[str]:
        if problem.sites:
            return problem.sites.split()
        count = self.rng.choices(list(SITE_COUNT_WEIGHTS), weights=list(SITE_COUNT_WEIGHTS.values()))[0]
        remaining = {s.code: s.providers for s in demo_data.SITES}
        codes = []
        for _ in range(count):  # bigger sites see (and report) more
            code = self.rng.choices(list(remaining), weights=list(remaining.values()))[0]
            codes.append(code)
            del remaining[code]
        return codes

    def _values(self, problem: demo_data.DemoProblem) -> ReportValues:
        """One reporter's account: the typical numbers, varied the way colleagues' estimates differ."""
        rng = self.rng

        def scaled(base: float, low: float, high: float, ceiling: float) -> float:
            return min(ceiling, round(base * rng.uniform(low, high))) if base else 0

        def shifted(base: float, spread: float) -> float:
            return min(100, max(0, round(base + rng.uniform(-spread, spread)))) if base else 0

        return ReportValues(
            minutes_lost_per_occurrence=min(_nice(problem.minutes * rng.uniform(0.7, 1.4), floor=0.1), 240),
            occurrences_per_shift=min(_nice(problem.per_shift * rng.uniform(0.6, 1.5), floor=0.01), 200),
            providers_affected_pct=max(1, round(problem.share * rng.choice([1, 1, 1, 0.8, 0.6]))),
            after_hours_pct=shifted(problem.after_hours, 10),
            patient_wait_minutes=scaled(problem.wait, 0.6, 1.5, 240),
            visits_affected_pct=scaled(problem.visits, 0.6, 1.4, 100),
        )

    def _reporters_at(self, code: str, *, first: User | None = None) -> list[User]:
        pool = list(dict.fromkeys(self.data.pools[code]))  # unique, in order
        if first is not None:
            pool.remove(first)
        extra = 1 if self.rng.random() < 0.25 else 0
        extra += 1 if extra and self.rng.random() < 0.3 else 0
        wanted = (0 if first is not None else 1) + extra
        return self.rng.sample(pool, min(wanted, len(pool)))

    def _problem(self, demo: demo_data.DemoProblem) -> None:
        codes = self._site_codes(demo)
        home = self.data.sites[codes[0]]
        author = self.rng.choice(self.data.pools[codes[0]])
        problem = problem_submit(
            author=author,
            site=home,
            title=demo.title,
            statement=demo.statement,
            workflow_area=demo.area,
            report=self._values(demo),
            affected_roles=demo.roles.split(),
            proposed_solution=demo.solution,
            safety_concern=bool(demo.safety),
            safety_details=demo.safety,
        )
        self.data.count("problems")
        self.data.count("site reports")
        reporters = [(home, author)]
        for index, code in enumerate(codes):
            site = self.data.sites[code]
            for reporter in self._reporters_at(code, first=author if index == 0 else None):
                site_report_upsert(problem=problem, site=site, reporter=reporter, report=self._values(demo))
                reporters.append((site, reporter))
                self.data.count("site reports")
        self.data.problems[demo.key] = problem
        self.data.reporters[demo.key] = reporters

    # --- evidence --------------------------------------------------------------------------------

    def _evidence(self) -> None:
        informatics = self.data.users["informatics"]
        for key, kind, code, value, sample_size, note in demo_data.EVIDENCE:
            evidence_add(
                problem=self.data.problems[key],
                added_by=informatics,
                kind=kind,
                value=value,
                site=self.data.sites[code] if code else None,
                sample_size=sample_size,
                note=note,
            )
            self.data.count("evidence")
        # Frustration surveys are answered by the reporters and entered by informatics (measured evidence).
        for key, answers in demo_data.SURVEYS.items():
            reporters = self.data.reporters[key]
            for index, value in enumerate(answers):
                site, _ = reporters[index % len(reporters)]
                evidence_add(
                    problem=self.data.problems[key], added_by=informatics, kind="survey", value=value, site=site
                )
                self.data.count("evidence")

    def _notes(self) -> None:
        pm = self.data.users["pm"]
        for key, note in demo_data.NOTES:
            author = pm if key in demo_data.NEEDS_INFO else self.rng.choice(self.data.reporters[key])[1]
            evidence_add(problem=self.data.problems[key], added_by=author, kind="note", note=note)
            self.data.count("evidence")

    # --- triage, delivery and outcomes -----------------------------------------------------------

    def _move(self, key: str, actor: User, **changes) -> Problem:
        problem = problem_triage(
            problem_id=self.data.problems[key].pk, actor=actor, version=self.data.problems[key].version, **changes
        )
        self.data.problems[key] = problem
        self.data.count("triage writes")
        return problem

    def _triage(self) -> None:
        pm, itlead = self.data.users["pm"], self.data.users["itlead"]
        for key, effort in demo_data.TRIAGED.items():
            self._move(key, pm, status=Status.TRIAGED)
            if effort is not None:
                self._move(key, itlead, effort_weeks=effort)
        for key, question in demo_data.NEEDS_INFO.items():
            self._move(key, pm, status=Status.NEEDS_INFO, question=question)
        delivery = [
            *((key, ref, effort, None) for key, (ref, effort) in demo_data.PLANNED.items()),
            *((key, ref, effort, Status.IN_PROGRESS) for key, (ref, effort) in demo_data.IN_PROGRESS.items()),
            *((key, ref, effort, Status.DELIVERED) for key, (ref, effort, _) in demo_data.DELIVERED.items()),
        ]
        for key, ref, effort, until in delivery:
            self._move(key, pm, status=Status.TRIAGED)
            self._move(key, itlead, effort_weeks=effort, external_ref=ref)
            self._move(key, pm, status=Status.PLANNED)
            if until is not None:
                self._move(key, itlead, status=Status.IN_PROGRESS)
            if until == Status.DELIVERED:
                self._move(key, itlead, status=Status.DELIVERED)
                self._outcomes(key)
        for key in demo_data.MEASURED:
            self._move(key, pm, status=Status.MEASURED)
        for key, reason in demo_data.DECLINED.items():
            self._move(key, pm, status=Status.DECLINED, decline_reason=reason)
        for source, target in demo_data.MERGES:
            problem_merge(
                problem_id=self.data.problems[source].pk,
                into_id=self.data.problems[target].pk,
                actor=pm,
                version=self.data.problems[source].version,
            )
            self.data.count("merges")

    def _outcomes(self, key: str) -> None:
        low, high = demo_data.DELIVERED[key][2]
        for site, respondent in self.data.reporters[key]:
            if self.rng.random() < 0.2:  # not everyone answers the survey
                continue
            outcome_answer(
                problem=self.data.problems[key],
                site=site,
                respondent=respondent,
                better_care=self.rng.choice([3, 4, 4, 5, 5]),
                less_frustrated=self.rng.choice([3, 4, 4, 5, 5]),
                more_confident=self.rng.choice([3, 3, 4, 4, 5]),
                minutes_saved_per_shift=round(self.rng.uniform(low, high)),
            )
            self.data.count("outcome answers")


class Command(BaseCommand):
    help = "Load demo sites, users and a realistic ranked backlog (DEBUG only; password from DEMO_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any problem exists already (make run calls this on every start).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates demo users with a known password, so it runs only with DEBUG on "
                "(DJANGO_DEBUG=true). Nothing was created."
            )
        if Problem.objects.exists():
            if if_empty:
                self.stdout.write("Demo data: not loaded, the database holds problems already.")
                return
            raise CommandError(
                "The database already holds problems; load_demo only fills an empty database. "
                "Use --if-empty to skip quietly, or start from a fresh database."
            )
        password = demo_password()
        # The stale marks are still written (they are part of each service's transaction); only the
        # after-commit notices are dropped, because the load recomputes every score before it commits.
        with (
            override_settings(BRIDGE_STALE_NOTIFIER=QUIET_NOTIFIER, BRIDGE_OUTBOX_NOTIFIER=QUIET_OUTBOX),
            transaction.atomic(),
        ):
            loaded = DemoLoader(rng=random.Random(SEED), password=password).load()
        # Demo users find a few notices about their problems; nobody is e-mailed about the past.
        notices = sum(
            event_fan_out(event_id=event_id, email=False).notices for event_id in unprocessed_event_ids(limit=100_000)
        )
        loaded.count("notifications", notices)

        counts = ", ".join(
            f"{n} {what[:-1] if n == 1 and what.endswith('s') else what}" for what, n in loaded.counts.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {counts}."))
        if not if_empty:  # `make run` (--if-empty) prints the users and the password itself
            self.stdout.write(
                "Log in as clinician, informatics, pm, itlead or admin with the password from DEMO_PASSWORD "
                f"(default {DEFAULT_PASSWORD!r})."
            )
