"""The problem endpoints through the HTTP API: intake, detail, triage, me too, evidence, merge, outcomes."""

from datetime import datetime

import pytest
from django.utils import timezone

from backlog.models import Outcome
from intake.audit.models import TRIAGE_ACTIONS, AuditEvent
from intake.models import Evidence, Problem, Role, SiteReport, Status
from scoring.recompute import scores_recompute
from tests.backlog.spec_fields import SCORE_FIELDS
from tests.factories import ProblemFactory, SiteReportFactory, UserFactory

INTAKE = {
    "title": "Home medications re-typed at every discharge",
    "statement": "The home medication list does not carry over to the discharge summary, so we re-type it.",
    "workflow_area": "discharge",
    "affected_roles": ["physician", "app"],
    "site": "NORTH",
    "minutes_lost_per_occurrence": 3,
    "occurrences_per_shift": 10,
}


def problem_at(site, *, status=Status.NEW, **fields):
    problem = ProblemFactory(status=status, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    return problem


@pytest.mark.django_db
def test_intake_creates_the_problem_and_its_first_site_report(api_as, clinician, site):
    response = api_as(clinician).post("/api/v1/problems/", INTAKE, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    problem = Problem.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/problems/{problem.pk}/"
    assert body["id"] == problem.pk
    assert body["title"] == INTAKE["title"]
    assert body["affected_roles"] == ["app", "physician"]
    assert body["status"] == "new"
    assert body["version"] == 1
    assert body["url"] == f"http://testserver/problems/{problem.pk}/"
    assert body["merged_into"] is None
    assert body["effort_weeks"] is None
    assert body["allowed_moves"] == []
    assert body["site_reports"] == [
        {
            "problem": problem.pk,
            "site": "NORTH",
            "reporter": "clinician",
            "minutes_lost_per_occurrence": 3.0,
            "occurrences_per_shift": 10.0,
            "providers_affected_pct": 100.0,
            "after_hours_pct": 0.0,
            "patient_wait_minutes": 0.0,
            "visits_affected_pct": 0.0,
            "updated_at": body["site_reports"][0]["updated_at"],
        }
    ]
    assert body["evidence"] == []
    assert body["outcomes"] == {
        "responses": 0,
        "better_care": None,
        "less_frustrated": None,
        "more_confident": None,
        "realized_provider_hours_per_week": None,
        "estimate_accuracy": None,
        "too_early": True,
        "min_responses": 3,
        "sites_answered": 0,
        "sites_affected": 1,
    }
    # Not committed inside this test's transaction, so not scored yet: null fields, pending.
    assert body["score"]["score_pending"] is True
    assert {k: v for k, v in body["score"].items() if k != "score_pending"} == dict.fromkeys(SCORE_FIELDS)


@pytest.mark.django_db(transaction=True)
def test_intake_answers_with_the_score_once_recomputed_after_commit(api_as, users, site):
    response = api_as(users[Role.CLINICIAN]).post("/api/v1/problems/", INTAKE, format="json")

    score = response.json()["score"]
    # NORTH: 10 providers × 100% × 10/shift × 4 shifts × 3 min = 1200 min = 20 h; breadth 1, confidence .5, effort 2
    assert score["score_pending"] is False
    assert score["rank"] == 1
    assert score["provider_hours_per_week"] == pytest.approx(20.0)
    assert score["priority"] == pytest.approx(5.0)
    assert score["sites"] == ["NORTH"]
    assert score["effort_weeks"] == 2.0
    assert score["effort_estimated"] is False
    assert score["policy_version"] == 1


@pytest.mark.django_db
def test_phi_in_the_statement_is_refused_naming_the_field_and_nothing_is_stored(api_as, clinician, site):
    payload = {**INTAKE, "statement": "Call the patient back at 555-123-4567 when the list is wrong."}

    response = api_as(clinician).post("/api/v1/problems/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["statement"]
    assert "phone number" in response.json()["statement"][0]
    assert Problem.objects.count() == 0
    assert SiteReport.objects.count() == 0


@pytest.mark.django_db
def test_detail_includes_merged_in_reports_and_evidence(api_as, users, site, other_site):
    target = problem_at(site)
    source = problem_at(other_site, status=Status.MERGED, merged_into=target)
    Evidence.objects.create(problem=source, kind="note", note="Seen at South too.", added_by=users[Role.CLINICIAN])

    body = api_as(users[Role.IT_LEAD]).get(f"/api/v1/problems/{target.pk}/").json()

    assert [(r["problem"], r["site"]) for r in body["site_reports"]] == [(target.pk, "NORTH"), (source.pk, "SOUTH")]
    assert [(e["problem"], e["kind"], e["site"], e["added_by"]) for e in body["evidence"]] == [
        (source.pk, "note", None, "clinician")
    ]
    assert body["merged_from"] == [source.pk]


@pytest.mark.django_db
def test_unknown_problem_is_404_in_the_error_shape(api_as, clinician):
    response = api_as(clinician).get("/api/v1/problems/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_product_manager_moves_a_problem_and_the_change_is_audited(api_as, pm, site):
    problem = problem_at(site)

    response = api_as(pm).patch(
        f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "effort_weeks": 3, "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["effort_weeks"], body["version"]) == ("triaged", 3.0, 2)
    assert body["allowed_moves"] == ["planned", "declined"]
    audit = AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).get()
    assert (audit.actor, audit.before["status"], audit.after["status"]) == (pm, "new", "triaged")


@pytest.mark.django_db
def test_an_illegal_move_is_400_listing_the_allowed_moves(api_as, pm, site):
    problem = problem_at(site, status=Status.TRIAGED)

    response = api_as(pm).patch(f"/api/v1/problems/{problem.pk}/", {"status": "delivered", "version": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"status": ["Cannot move from triaged to delivered. Allowed: planned, declined."]}
    assert Problem.objects.get().status == Status.TRIAGED


@pytest.mark.django_db
def test_declining_needs_a_reason(api_as, pm, site):
    problem = problem_at(site)

    refused = api_as(pm).patch(f"/api/v1/problems/{problem.pk}/", {"status": "declined", "version": 1}, format="json")
    declined = api_as(pm).patch(
        f"/api/v1/problems/{problem.pk}/",
        {"status": "declined", "decline_reason": "Vendor fix due next month.", "version": 1},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {"decline_reason": ["Say why the problem is declined."]}
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decline_reason"]) == ("declined", "Vendor fix due next month.")


@pytest.mark.django_db
def test_a_change_without_version_is_refused(api_as, pm, site):
    problem = problem_at(site)

    response = api_as(pm).patch(f"/api/v1/problems/{problem.pk}/", {"status": "triaged"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the problem's current version with every change."]}
    assert Problem.objects.get().version == 1


@pytest.mark.django_db
def test_a_stale_version_is_409_saying_who_changed_it_and_when(api_as, users, site):
    problem = problem_at(site)
    first = api_as(users[Role.PRODUCT_MANAGER]).patch(
        f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}, format="json"
    )

    second = api_as(users[Role.PRODUCT_MANAGER]).patch(
        f"/api/v1/problems/{problem.pk}/", {"status": "declined", "decline_reason": "Duplicate.", "version": 1}
    )

    assert first.status_code == 200
    assert second.status_code == 409
    audit = AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).get()
    body = second.json()
    assert body["current_version"] == 2
    assert body["changed_by"] == "product_manager"
    assert body["changed_at"] == audit.at.isoformat().replace("+00:00", "Z")
    assert body["detail"].startswith("This problem was changed by product_manager at ")
    assert Problem.objects.get().status == Status.TRIAGED


@pytest.mark.django_db
def test_it_lead_marks_a_planned_item_in_progress_with_a_jira_key(api_as, users, site):
    problem = problem_at(site, status=Status.PLANNED)

    response = api_as(users[Role.IT_LEAD]).patch(
        f"/api/v1/problems/{problem.pk}/",
        {"status": "in_progress", "external_ref": "IT-1234", "effort_weeks": 1.5, "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["external_ref"], body["effort_weeks"]) == ("in_progress", "IT-1234", 1.5)
    assert body["allowed_moves"] == ["delivered", "planned"]


@pytest.mark.parametrize(
    ("status", "change", "code", "errors"),
    [
        (
            Status.NEW,
            {"status": "triaged"},
            400,
            {"status": ["Cannot move from new to triaged. Allowed: none for your role."]},
        ),
        (Status.PLANNED, {"status": "declined", "decline_reason": "No."}, 403, None),
        (
            Status.IN_PROGRESS,
            {"status": "new"},
            400,
            {"status": ["Cannot move from in_progress to new. Allowed: delivered, planned."]},
        ),
    ],
)
@pytest.mark.django_db
def test_it_lead_may_make_only_delivery_moves(api_as, users, site, status, change, code, errors):
    problem = problem_at(site, status=status)

    response = api_as(users[Role.IT_LEAD]).patch(
        f"/api/v1/problems/{problem.pk}/", {**change, "version": 1}, format="json"
    )

    assert response.status_code == code
    if errors:
        assert response.json() == errors
    else:
        assert response.json() == {"detail": "Only product managers decline problems."}
    assert Problem.objects.get().status == status
    assert AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).count() == 0


@pytest.mark.django_db
def test_status_merged_is_not_a_patch(api_as, pm, site):
    problem = problem_at(site)

    response = api_as(pm).patch(f"/api/v1/problems/{problem.pk}/", {"status": "merged", "version": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"status": ["Use the merge action to merge a problem into another."]}


@pytest.mark.django_db
def test_me_too_adds_then_replaces_my_report_for_a_site(api_as, users, site, other_site):
    problem = problem_at(site)
    informatics = api_as(users[Role.INFORMATICS])
    report = {"site": "south", "minutes_lost_per_occurrence": 4, "occurrences_per_shift": 6, "after_hours_pct": 50}

    added = informatics.post(f"/api/v1/problems/{problem.pk}/site-reports/", report, format="json")
    replaced = informatics.post(
        f"/api/v1/problems/{problem.pk}/site-reports/", {**report, "minutes_lost_per_occurrence": 5}, format="json"
    )

    assert (added.status_code, replaced.status_code) == (201, 200)
    assert replaced.json()["site"] == "SOUTH"
    assert replaced.json()["reporter"] == "informatics"
    assert replaced.json()["minutes_lost_per_occurrence"] == 5.0
    assert replaced.json()["after_hours_pct"] == 50.0
    assert SiteReport.objects.filter(problem=problem, site=other_site).count() == 1


@pytest.mark.django_db
def test_reports_on_a_merged_problem_are_refused(api_as, users, site):
    target = problem_at(site)
    merged = problem_at(site, status=Status.MERGED, merged_into=target)

    response = api_as(users[Role.CLINICIAN]).post(
        f"/api/v1/problems/{merged.pk}/site-reports/",
        {"site": "NORTH", "minutes_lost_per_occurrence": 1, "occurrences_per_shift": 1},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [f"This problem was merged into #{target.pk}; add to that one instead."]
    }


@pytest.mark.django_db
def test_informatics_adds_a_time_study(api_as, users, site):
    problem = problem_at(site)

    response = api_as(users[Role.INFORMATICS]).post(
        f"/api/v1/problems/{problem.pk}/evidence/",
        {"kind": "time_study", "value": 2.5, "sample_size": 12, "site": "NORTH", "note": "Stopwatch, 3 shifts."},
        format="json",
    )

    assert response.status_code == 201, response.json()
    evidence = Evidence.objects.get()
    assert response.json() == {
        "id": evidence.pk,
        "problem": problem.pk,
        "kind": "time_study",
        "site": "NORTH",
        "value": 2.5,
        "sample_size": 12,
        "note": "Stopwatch, 3 shifts.",
        "added_by": "informatics",
        "created_at": evidence.created_at.isoformat().replace("+00:00", "Z"),
    }


@pytest.mark.django_db
def test_a_clinician_adds_a_note_but_not_a_measurement(api_as, clinician, site):
    problem = problem_at(site)
    client = api_as(clinician)

    note = client.post(f"/api/v1/problems/{problem.pk}/evidence/", {"kind": "note", "note": "Worse on Mondays."})
    study = client.post(
        f"/api/v1/problems/{problem.pk}/evidence/", {"kind": "time_study", "value": 2, "sample_size": 3}
    )

    assert note.status_code == 201
    assert study.status_code == 403
    assert study.json() == {
        "detail": "Only clinical informatics staff and product managers may do this. Anyone may add a note."
    }
    assert list(Evidence.objects.values_list("kind", flat=True)) == ["note"]


@pytest.mark.django_db
def test_merge_moves_the_problem_into_another(api_as, pm, site, other_site):
    target = problem_at(site)
    source = problem_at(other_site)

    response = api_as(pm).post(f"/api/v1/problems/{source.pk}/merge/", {"into": target.pk}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["merged_into"]) == ("merged", target.pk)
    detail = api_as(pm).get(f"/api/v1/problems/{target.pk}/").json()
    assert [r["site"] for r in detail["site_reports"]] == ["NORTH", "SOUTH"]


@pytest.mark.parametrize(
    ("into", "errors"),
    [
        ("self", {"into": ["A problem cannot be merged into itself."]}),
        (987654321, {"into": ["There is no problem #987654321."]}),
        ("text", {"into": ["A valid integer is required."]}),
    ],
)
@pytest.mark.django_db
def test_merge_refusals_name_the_field(api_as, pm, site, into, errors):
    problem = problem_at(site)

    response = api_as(pm).post(
        f"/api/v1/problems/{problem.pk}/merge/", {"into": problem.pk if into == "self" else into}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert Problem.objects.get().status == Status.NEW


@pytest.mark.django_db
def test_merge_with_a_stale_version_is_409(api_as, pm, site, other_site):
    target, source = problem_at(site), problem_at(other_site, version=3)

    response = api_as(pm).post(f"/api/v1/problems/{source.pk}/merge/", {"into": target.pk, "version": 2})

    assert response.status_code == 409
    assert response.json()["current_version"] == 3


@pytest.mark.django_db
def test_outcomes_open_once_delivered_and_answering_again_replaces(api_as, users, site):
    planned = problem_at(site, status=Status.PLANNED)
    delivered = problem_at(site, status=Status.DELIVERED)
    client = api_as(users[Role.CLINICIAN])
    answer = {
        "site": "NORTH",
        "better_care": 4,
        "less_frustrated": 5,
        "more_confident": 3,
        "minutes_saved_per_shift": 6,
    }

    too_early = client.post(f"/api/v1/problems/{planned.pk}/outcomes/", answer, format="json")
    first = client.post(f"/api/v1/problems/{delivered.pk}/outcomes/", answer, format="json")
    again = client.post(f"/api/v1/problems/{delivered.pk}/outcomes/", {**answer, "better_care": 2}, format="json")

    assert too_early.status_code == 400
    assert too_early.json() == {"non_field_errors": ["Outcome answers open once the change is delivered."]}
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["better_care"] == 2
    assert again.json()["respondent"] == "clinician"
    assert Outcome.objects.count() == 1


@pytest.mark.django_db
def test_outcome_summary_compares_realized_with_estimated_hours(api_as, users, site, settings):
    settings.OUTCOME_MIN_RESPONSES = 2
    problem = problem_at(site, status=Status.DELIVERED)  # 10 providers × 100% × 10 × 4 × 3 min = 20 h estimated
    scores_recompute(problem_ids=[problem.pk])
    other = UserFactory(username="other-clinician", home_site=site, role=Role.CLINICIAN)
    for user, minutes, better in ((users[Role.CLINICIAN], 6, 4), (other, 12, 5)):
        api_as(user).post(
            f"/api/v1/problems/{problem.pk}/outcomes/",
            {
                "site": "NORTH",
                "better_care": better,
                "less_frustrated": 3,
                "more_confident": 4,
                "minutes_saved_per_shift": minutes,
            },
            format="json",
        )

    outcomes = api_as(users[Role.IT_LEAD]).get(f"/api/v1/problems/{problem.pk}/").json()["outcomes"]

    # realized: 10 providers × 100% × 4 shifts × median(6, 12) = 9 min / 60 = 6 h; accuracy 6 / 20
    assert outcomes == {
        "responses": 2,
        "better_care": 4.5,
        "less_frustrated": 3.0,
        "more_confident": 4.0,
        "realized_provider_hours_per_week": pytest.approx(6.0),
        "estimate_accuracy": pytest.approx(0.3),
        "too_early": False,
        "min_responses": 2,
        "sites_answered": 1,
        "sites_affected": 1,
    }


@pytest.mark.django_db
def test_outcome_summary_holds_realized_hours_back_until_enough_answers(api_as, users, site, other_site):
    problem = problem_at(site, status=Status.DELIVERED)
    SiteReportFactory(problem=problem, site=other_site, reporter=users[Role.INFORMATICS])
    scores_recompute(problem_ids=[problem.pk])
    answer = {"site": "NORTH", "better_care": 4, "less_frustrated": 3, "more_confident": 4}
    api_as(users[Role.CLINICIAN]).post(
        f"/api/v1/problems/{problem.pk}/outcomes/", answer | {"minutes_saved_per_shift": 9}, format="json"
    )

    outcomes = api_as(users[Role.IT_LEAD]).get(f"/api/v1/problems/{problem.pk}/").json()["outcomes"]

    # One answer of the three needed (OUTCOME_MIN_RESPONSES): means shown, hours held back
    assert outcomes == {
        "responses": 1,
        "better_care": 4.0,
        "less_frustrated": 3.0,
        "more_confident": 4.0,
        "realized_provider_hours_per_week": None,
        "estimate_accuracy": None,
        "too_early": True,
        "min_responses": 3,
        "sites_answered": 1,
        "sites_affected": 2,
    }


@pytest.mark.django_db
def test_similar_returns_up_to_five_with_a_similarity(api_as, clinician, site):
    for n in range(7):
        problem_at(site, title=f"Discharge medication list lost {n}", statement="Medication list lost at discharge.")
    problem_at(site, title="Printer jams", statement="The label printer jams.")

    response = api_as(clinician).get("/api/v1/problems/similar/", {"q": "medication list lost at discharge"})

    assert response.status_code == 200
    body = response.json()
    assert (body["next"], body["previous"]) == (None, None)
    assert len(body["results"]) == 5
    assert all(0 <= r["similarity"] <= 1 for r in body["results"])
    assert all(r["title"].startswith("Discharge medication list lost") for r in body["results"])
    assert set(body["results"][0]) == {
        "id",
        "title",
        "status",
        "workflow_area",
        "url",
        "similarity",
        "likely_same",
        "why",
        "sites",
    }
    assert body["results"][0]["sites"] == ["NORTH"]


@pytest.mark.django_db
def test_similar_needs_a_query(api_as, clinician):
    response = api_as(clinician).get("/api/v1/problems/similar/")

    assert response.status_code == 400
    assert response.json() == {"q": ["This field is required."]}


@pytest.mark.django_db
def test_updated_at_moves_with_a_triage_write(api_as, pm, site):
    problem = problem_at(site)
    before = timezone.now()

    body = api_as(pm).patch(f"/api/v1/problems/{problem.pk}/", {"external_ref": "IT-9", "version": 1}).json()

    assert body["external_ref"] == "IT-9"
    assert datetime.fromisoformat(body["updated_at"]) >= before


@pytest.mark.django_db(transaction=True)
def test_an_after_hours_metric_replaces_the_reported_share_at_its_site(api_as, users, site):
    # Given a problem reported at NORTH (10 providers, 4 shifts): 3 min × 10 a shift, 20 % made up after hours
    clinician, informatics = api_as(users[Role.CLINICIAN]), api_as(users[Role.INFORMATICS])
    created = clinician.post("/api/v1/problems/", {**INTAKE, "after_hours_pct": 20}, format="json").json()
    before = clinician.get(f"/api/v1/problems/{created['id']}/").json()["score"]
    # 10 × 1 × 10 × 4 × 3 = 1200 min = 20 h; 20 % after hours: 20 + 0.5 × 4 = 22 h; confidence 0.5
    assert (before["provider_hours_per_week"], before["confidence"]) == (pytest.approx(22.0), 0.5)

    # When informatics posts what the EHR audit log measured there: 60 % of it after hours
    response = informatics.post(
        f"/api/v1/problems/{created['id']}/evidence/",
        {"kind": "after_hours_metric", "value": 60, "site": "NORTH", "note": "Pajama time, last 30 days."},
        format="json",
    )

    # Then the metric is stored, and the score (recomputed after commit) counts 60 %, measured
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("kind", "site", "value", "sample_size")} == {
        "kind": "after_hours_metric",
        "site": "NORTH",
        "value": 60.0,
        "sample_size": None,
    }
    after = clinician.get(f"/api/v1/problems/{created['id']}/").json()["score"]
    # 20 h, 60 % of it after hours: 20 + 0.5 × 12 = 26 h; confidence 0.5 + 0.2 (measured)
    assert after["provider_hours_per_week"] == pytest.approx(26.0)
    assert after["confidence"] == pytest.approx(0.7)
    assert after["score_pending"] is False


@pytest.mark.django_db(transaction=True)
def test_a_revenue_report_counts_once_the_revenue_weight_says_what_money_is_worth(api_as, users, site):
    # Given a problem at NORTH: 3 min × 10 a shift × 10 providers × 4 shifts = 20 h a week
    clinician, pm = api_as(users[Role.CLINICIAN]), api_as(users[Role.PRODUCT_MANAGER])
    pid = clinician.post("/api/v1/problems/", INTAKE, format="json").json()["id"]
    before = clinician.get(f"/api/v1/problems/{pid}/").json()["score"]

    # When a product manager reports what it costs NORTH in revenue: 1,500 a week
    response = pm.post(
        f"/api/v1/problems/{pid}/evidence/", {"kind": "revenue_report", "value": 1500, "site": "NORTH"}, format="json"
    )

    # Then the score carries it, and by default (revenue weight 0) the priority is exactly as before
    assert response.status_code == 201, response.json()
    reported = clinician.get(f"/api/v1/problems/{pid}/").json()["score"]
    assert reported["revenue_per_week"] == 1500.0
    assert (reported["priority"], reported["value_hours_per_week"]) == (before["priority"], 20.0)
    listed = clinician.get("/api/v1/backlog/").json()["results"][0]
    assert listed["revenue_per_week"] == 1500.0

    # When the network decides 100 a week is worth an hour (0.01), with a reason
    changed = pm.put(
        "/api/v1/scoring/policy/",
        {
            "after_hours_weight": 0.5,
            "patient_weight": 0.25,
            "breadth_weight": 1.0,
            "default_effort_weeks": 2.0,
            "revenue_weight": 0.01,
            "reason": "Finance values an hour of provider time at 100.",
        },
        format="json",
    )

    # Then value gains 15 hours: (20 + 15) × 1 × 0.5 / 2 = 8.75
    assert changed.status_code == 202, changed.json()
    weighted = clinician.get(f"/api/v1/problems/{pid}/").json()["score"]
    assert weighted["value_hours_per_week"] == pytest.approx(35.0)
    assert weighted["priority"] == pytest.approx(8.75)

    # And back at 0 (a PUT that leaves revenue_weight out keeps it; this one sets it) the priority
    # is exactly the first one
    back = pm.put(
        "/api/v1/scoring/policy/",
        {
            "after_hours_weight": 0.5,
            "patient_weight": 0.25,
            "breadth_weight": 1.0,
            "default_effort_weeks": 2.0,
            "revenue_weight": 0,
            "reason": "Back to hours only.",
        },
        format="json",
    )
    assert back.status_code == 202
    assert clinician.get(f"/api/v1/problems/{pid}/").json()["score"]["priority"] == before["priority"]
