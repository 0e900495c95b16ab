"""The backlog page has two readers: hand-written SQL on PostgreSQL (the hot path) and the ORM
everywhere else (`make run` on SQLite). Given the same data, both return the same rows, in the
same order, from every position, forward and back, under every filter."""

import pytest

from backlog.selectors.keyset import BacklogPosition, _page_rows_portable, _page_rows_postgresql
from backlog.selectors.listing import backlog_item
from intake.models import Status
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

FILTERS = [
    {},
    {"statuses": ["planned", "new"]},
    {"statuses": ["delivered", "declined"]},
    {"statuses": ["triaged", "delivered"]},
    {"site_codes": ["SOUTH"]},
    {"workflow_areas": ["inbox"], "safety": False},
    {"safety": True, "site_codes": ["NORTH", "SOUTH"]},
]


@pytest.fixture
def backlog(db, site, other_site):
    """Scored problems with ties, a merged-in report, closed ones, and two never scored."""
    statuses = [Status.NEW, Status.PLANNED, Status.TRIAGED, Status.DELIVERED, Status.NEW, Status.DECLINED]
    problems = []
    for n in range(12):
        status = statuses[n % len(statuses)]
        problem = ProblemFactory(
            status=status,
            decline_reason="No." if status == Status.DECLINED else "",
            workflow_area="inbox" if n % 3 == 0 else "orders",
            safety_concern=n % 4 == 0,
        )
        SiteReportFactory(problem=problem, site=site if n % 2 else other_site, minutes_lost_per_occurrence=1 + n % 4)
        problems.append(problem)
    merged = ProblemFactory(status=Status.MERGED, merged_into=problems[1])
    SiteReportFactory(problem=merged, site=other_site)
    scores_recompute(problem_ids=[p.pk for p in [*problems, merged]])
    for _ in range(2):
        SiteReportFactory(problem=ProblemFactory(), site=site)


def positions(rows):
    """Each row's position without a hint, with the row's priority as the hint (what the API's
    cursors carry), and with a wrong one (a stale cursor): the rows chosen must not depend on it."""
    result = []
    for row in rows:
        rank, created_at, pk, priority = row[8], row[7], row[0], row[9]
        result.append(BacklogPosition(rank=rank, created_at=created_at, id=pk))
        if rank is not None:
            result.append(BacklogPosition(rank=rank, created_at=created_at, id=pk, priority=priority))
            result.append(BacklogPosition(rank=rank, created_at=created_at, id=pk, priority=priority * 2 + 1))
            result.append(BacklogPosition(rank=rank, created_at=created_at, id=pk, priority=priority / 3))
    return result


def read(reader, given, **where):
    return [backlog_item(row) for row in reader(given, **where)]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.django_db
def test_both_readers_agree_from_every_position(backlog, filters):
    given = {"statuses": None, "site_codes": None, "workflow_areas": None, "safety": None, **filters}
    everything = _page_rows_portable(given, after=None, before=None, fetch=1000)
    assert everything, "the fixture must match every filter"

    assert read(_page_rows_postgresql, given, after=None, before=None, fetch=1000) == [
        backlog_item(row) for row in everything
    ]
    for position in positions(everything):
        for fetch in (1, 3, 1000):
            for where in ({"after": position, "before": None}, {"after": None, "before": position}):
                assert read(_page_rows_postgresql, given, **where, fetch=fetch) == read(
                    _page_rows_portable, given, **where, fetch=fetch
                )
