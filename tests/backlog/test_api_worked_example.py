"""A full worked example of docs/scoring.md, driven only through the HTTP API.

Every write commits (transaction=True), and the test settings recompute in-process right after
each commit (CELERY_ENABLED is False), exactly as `make run` does without a broker.

Sites (S = 3 active):       providers  shifts/week  visits/week
    ALPHA                          20          4.0         1000
    BETA                           10          5.0          400
    GAMMA                           8          3.0          300   (no site report: counts in S only)

Problem P, reported at ALPHA (2 reports: medians are means) and BETA (3 reports):
    ALPHA  alice  m 4   f 10  p 80  a 50  w 10  v 20
           bob    m 6   f 14  p 60  a 30  w 20  v 40     medians: m 5  f 12  p 70  a 40  w 15  v 30
    BETA   bob    m 2   f 5   (defaults: p 100 a 0 w 0 v 0)
           carol  m 3   f 7   p 50  a 20  w 5   v 10
           dave   m 10  f 6   p 90  a 10  w 30  v 50     medians: m 3  f 6   p 90  a 10  w 5   v 10
Evidence:
    time_study ALPHA 8 min (n=3), 5 min (n=1)       → m_ALPHA = (8·3 + 5·1) / 4 = 7.25
    time_study network 4 min (n=2), 1 min (n=2)     → m_BETA = (4·2 + 1·2) / 4 = 2.5 (no study at BETA)
    ehr_metric BETA 9, then 11                      → f_BETA = 11 (latest); f_ALPHA = median 12
    cost_report BETA 30, then 12; GAMMA 3           → cost = 12 + 3 = 15 hours/week
    effort estimate 3 weeks                         → effort_estimated = true
ALPHA: provider_minutes = 20 × 0.70 × 12 × 4 × 7.25 = 4872
       weighted        = 4872 × (1 + 0.5 × 0.40)   = 5846.4
       patient_minutes = 1000 × 0.30 × 15          = 4500
BETA:  provider_minutes = 10 × 0.90 × 11 × 5 × 2.5 = 1237.5
       weighted        = 1237.5 × (1 + 0.5 × 0.10) = 1299.375
       patient_minutes = 400 × 0.10 × 5            = 200
provider_hours = (5846.4 + 1299.375) / 60 = 119.09625
patient_hours  = (4500 + 200) / 60        = 78.333…
value          = 119.09625 + 0.25 × 78.333… − 15 = 123.6795833…
breadth        = 1 + 1.0 × (2 − 1) / (3 − 1) = 1.5
confidence     = min(1, 0.5 + 0.1 × 1 + 0.2 × 1) = 0.8
priority       = 123.6795833… × 1.5 × 0.8 / 3 = 49.4718333…

Two more problems fix the ranks: R at ALPHA (20 × 1 × 20 × 4 × 60 / 60 = 1600 h → priority
1600 × 1 × 0.5 / 2 = 400) and Q at GAMMA (8 × 1 × 1 × 3 × 1 / 60 = 0.4 h → priority 0.1).
"""

import pytest
from rest_framework.test import APIClient

from intake.models import Role
from tests.factories import SiteFactory, UserFactory, api_token_key

REL = 1e-12


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def ok(response, code=201):
    assert response.status_code == code, response.json()
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_worked_example_of_the_default_policy_through_the_api():
    alpha = SiteFactory(code="ALPHA", providers=20, shifts_per_week=4.0, visits_per_week=1000)
    beta = SiteFactory(code="BETA", providers=10, shifts_per_week=5.0, visits_per_week=400)
    gamma = SiteFactory(code="GAMMA", providers=8, shifts_per_week=3.0, visits_per_week=300)
    clinicians = [UserFactory(username=name, home_site=alpha, role=Role.CLINICIAN) for name in ("alice", "bob", "dave")]
    for clinician in clinicians:  # they work at every site of the example (docs/domain.md, Roles)
        clinician.sites.add(alpha, beta, gamma)
    alice, bob, dave = (client_for(clinician) for clinician in clinicians)
    carol = client_for(UserFactory(username="carol", home_site=alpha, role=Role.INFORMATICS))
    pam = client_for(UserFactory(username="pam", home_site=alpha, role=Role.PRODUCT_MANAGER))
    itlead = client_for(UserFactory(username="ivan", home_site=alpha, role=Role.IT_LEAD))

    # Given problem P with its site reports …
    problem = ok(
        alice.post(
            "/api/v1/problems/",
            {
                "title": "Discharge instructions printed twice",
                "statement": "The discharge printout repeats every instruction, so we re-check and reprint.",
                "workflow_area": "discharge",
                "site": "ALPHA",
                "minutes_lost_per_occurrence": 4,
                "occurrences_per_shift": 10,
                "providers_affected_pct": 80,
                "after_hours_pct": 50,
                "patient_wait_minutes": 10,
                "visits_affected_pct": 20,
            },
        )
    )
    pid = problem["id"]
    reports = f"/api/v1/problems/{pid}/site-reports/"
    six = (
        "minutes_lost_per_occurrence",
        "occurrences_per_shift",
        "providers_affected_pct",
        "after_hours_pct",
        "patient_wait_minutes",
        "visits_affected_pct",
    )
    ok(bob.post(reports, {"site": "ALPHA", **dict(zip(six, (6, 14, 60, 30, 20, 40), strict=True))}))
    ok(bob.post(reports, {"site": "BETA", "minutes_lost_per_occurrence": 2, "occurrences_per_shift": 5}))
    ok(carol.post(reports, {"site": "BETA", **dict(zip(six, (3, 7, 50, 20, 5, 10), strict=True))}))
    ok(dave.post(reports, {"site": "BETA", **dict(zip(six, (10, 6, 90, 10, 30, 50), strict=True))}))
    # … its evidence …
    evidence = f"/api/v1/problems/{pid}/evidence/"
    for payload in (
        {"kind": "time_study", "site": "ALPHA", "value": 8, "sample_size": 3},
        {"kind": "time_study", "site": "ALPHA", "value": 5, "sample_size": 1},
        {"kind": "time_study", "value": 4, "sample_size": 2},
        {"kind": "time_study", "value": 1, "sample_size": 2},
        {"kind": "ehr_metric", "site": "BETA", "value": 9},
        {"kind": "ehr_metric", "site": "BETA", "value": 11},
        {"kind": "survey", "value": 4},
        {"kind": "note", "note": "Printer driver update suspected."},
    ):
        ok(carol.post(evidence, payload))
    for payload in (
        {"kind": "cost_report", "site": "BETA", "value": 30},
        {"kind": "cost_report", "site": "BETA", "value": 12},
        {"kind": "cost_report", "site": "GAMMA", "value": 3},
    ):
        ok(pam.post(evidence, payload))
    # … and an effort estimate; plus two problems that fix the ranks around it.
    ok(itlead.patch(f"/api/v1/problems/{pid}/", {"effort_weeks": 3, "version": 1}), 200)
    big = ok(
        alice.post(
            "/api/v1/problems/",
            {
                "title": "Order sets reset",
                "statement": "Order sets reset at every login.",
                "workflow_area": "orders",
                "site": "ALPHA",
                "minutes_lost_per_occurrence": 60,
                "occurrences_per_shift": 20,
            },
        )
    )
    small = ok(
        bob.post(
            "/api/v1/problems/",
            {
                "title": "Fax cover page",
                "statement": "The fax cover page is blank.",
                "workflow_area": "other",
                "site": "GAMMA",
                "minutes_lost_per_occurrence": 1,
                "occurrences_per_shift": 1,
            },
        )
    )

    # When the problem is read back (every write recomputed after its commit)
    detail = itlead.get(f"/api/v1/problems/{pid}/").json()

    # Then every number of the score is the hand-computed one
    score = detail["score"]
    assert score["score_pending"] is False
    assert score["provider_hours_per_week"] == pytest.approx(119.09625, rel=REL)
    assert score["patient_hours_per_week"] == pytest.approx(4700 / 60, rel=REL)
    assert score["cost_hours_per_week"] == pytest.approx(15.0, rel=REL)
    assert score["value_hours_per_week"] == pytest.approx(119.09625 + 0.25 * 4700 / 60 - 15, rel=REL)
    assert score["value_hours_per_week"] == pytest.approx(123.67958333333333, rel=REL)
    assert (score["sites_affected"], score["sites"]) == (2, ["ALPHA", "BETA"])
    assert score["breadth"] == pytest.approx(1.5, rel=REL)
    assert score["confidence"] == pytest.approx(0.8, rel=REL)
    assert (score["effort_weeks"], score["effort_estimated"]) == (3.0, True)
    assert score["priority"] == pytest.approx(123.67958333333333 * 1.5 * 0.8 / 3, rel=REL)
    assert score["priority"] == pytest.approx(49.47183333333333, rel=REL)
    assert (score["policy_version"], score["rank"]) == (1, 2)
    # and the detail carries what a client needs to recompute it
    assert [(r["site"], r["reporter"], r["minutes_lost_per_occurrence"]) for r in detail["site_reports"]] == [
        ("ALPHA", "alice", 4.0),
        ("ALPHA", "bob", 6.0),
        ("BETA", "bob", 2.0),
        ("BETA", "carol", 3.0),
        ("BETA", "dave", 10.0),
    ]
    assert [(e["kind"], e["site"], e["value"], e["sample_size"]) for e in detail["evidence"]] == [
        ("time_study", "ALPHA", 8.0, 3),
        ("time_study", "ALPHA", 5.0, 1),
        ("time_study", None, 4.0, 2),
        ("time_study", None, 1.0, 2),
        ("ehr_metric", "BETA", 9.0, None),
        ("ehr_metric", "BETA", 11.0, None),
        ("survey", None, 4.0, None),
        ("note", None, None, None),
        ("cost_report", "BETA", 30.0, None),
        ("cost_report", "BETA", 12.0, None),
        ("cost_report", "GAMMA", 3.0, None),
    ]

    # And ranks are 1..n by priority, and a filter keeps the global ranks
    backlog = itlead.get("/api/v1/backlog/").json()["results"]
    assert [(item["id"], item["rank"]) for item in backlog] == [(big["id"], 1), (pid, 2), (small["id"], 3)]
    assert [item["priority"] for item in backlog] == pytest.approx([400.0, 49.47183333333333, 0.1], rel=REL)
    at_beta = itlead.get("/api/v1/backlog/?site=BETA").json()["results"]
    at_gamma = itlead.get("/api/v1/backlog/?site=GAMMA").json()["results"]
    assert [(item["id"], item["rank"]) for item in at_beta] == [(pid, 2)]
    assert [(item["id"], item["rank"]) for item in at_gamma] == [(small["id"], 3)]
    listed = next(item for item in backlog if item["id"] == pid)
    assert {k: listed[k] for k in score} == score
