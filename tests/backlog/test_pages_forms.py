"""The problem page's forms, posted through the test client: each calls its service, refuses the
wrong roles with 403, and on an error answers 422 with the message on its field and what was typed."""

import re

import pytest
from django.test import TestCase

from backlog.models import Outcome
from backlog.services import problem_triage
from intake.audit.models import TRIAGE_ACTIONS, AuditEvent
from intake.models import Evidence, Problem, Role, SiteReport, Status
from scoring.models import ProblemScore
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

ME_TOO = {
    "site": "SOUTH",
    "minutes_lost_per_occurrence": "4",
    "occurrences_per_shift": "6",
    "providers_affected_pct": "50",
    "after_hours_pct": "0",
    "patient_wait_minutes": "0",
    "visits_affected_pct": "0",
}


@pytest.fixture
def problem(users, site, other_site):
    users[Role.CLINICIAN].sites.add(other_site)  # the clinician works at SOUTH too (docs/domain.md, Roles)
    problem = ProblemFactory(submitted_by=users[Role.CLINICIAN], title="Med rec re-typed at every discharge")
    SiteReportFactory(problem=problem, site=site, reporter=users[Role.CLINICIAN])
    scores_recompute(problem_ids=[problem.pk])
    return problem


def login(client, users, role):
    client.force_login(users[role])
    return client


def deliver(problem, pm):
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED):
        problem = problem_triage(problem_id=problem.pk, actor=pm, version=problem.version, status=status)
    return problem


# --- "this happens at my site too" -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER])
def test_me_too_adds_a_site_report_and_rescores(client, users, problem, other_site, role):
    login(client, users, role)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/problems/{problem.pk}/site-reports/", ME_TOO)

    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/#site-reports"
    report = SiteReport.objects.get(problem=problem, site=other_site)
    assert (report.reporter, report.minutes_lost_per_occurrence, report.providers_affected_pct) == (users[role], 4, 50)
    assert ProblemScore.objects.get(problem=problem).sites == ["NORTH", "SOUTH"]
    page = client.get(response["Location"])
    assert (
        "SOUTH&#x27;s report added; SOUTH now counts toward this problem (2 sites instead of 1)"
        in page.content.decode()
    )


@pytest.mark.django_db
def test_me_too_at_a_site_that_already_counts_says_which_median_moved_and_the_priority(client, users, problem, site):
    # Given NORTH counts already (3 minutes each time); a second NORTH report says 1 minute.
    before = ProblemScore.objects.get(problem=problem).priority
    login(client, users, Role.INFORMATICS)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/problems/{problem.pk}/site-reports/", ME_TOO | {"site": "NORTH", "minutes_lost_per_occurrence": "1"}
        )

    after = ProblemScore.objects.get(problem=problem).priority
    assert after < before
    page = client.get(response["Location"]).content.decode()
    # The median of 3 and 1 is 2; the message's new priority is the one the recompute stored.
    assert (
        "NORTH&#x27;s report added; NORTH already counted, and the median minutes lost per occurrence at NORTH "
        "fell from 3 to 2, the median occurrences per shift at NORTH fell from 10 to 8 and the median share of "
        f"providers affected (%) at NORTH fell from 100 to 75, so the priority goes from {before:.2f} to {after:.2f}."
    ) in page
    assert "now counts" not in page


@pytest.mark.django_db
def test_me_too_twice_at_the_same_site_replaces_my_report(client, users, problem, other_site):
    login(client, users, Role.CLINICIAN)
    client.post(f"/problems/{problem.pk}/site-reports/", ME_TOO)

    response = client.post(f"/problems/{problem.pk}/site-reports/", ME_TOO | {"minutes_lost_per_occurrence": "9"})

    assert response.status_code == 302
    mine = SiteReport.objects.filter(problem=problem, site=other_site, reporter=users[Role.CLINICIAN])
    assert list(mine.values_list("minutes_lost_per_occurrence", flat=True)) == [9]


@pytest.mark.django_db
def test_me_too_form_starts_from_my_own_report_at_my_home_site(client, users, problem):
    login(client, users, Role.CLINICIAN)  # reported 3 minutes, 10 times per shift at NORTH, their home site

    html = client.get(f"/problems/{problem.pk}/").content.decode()

    assert 'name="minutes_lost_per_occurrence" value="3"' in html
    assert 'name="occurrences_per_shift" value="10"' in html
    assert '<option value="NORTH" selected>' in html


@pytest.mark.django_db
def test_me_too_out_of_range_shows_the_error_on_the_field_and_keeps_the_input(client, users, problem):
    login(client, users, Role.CLINICIAN)

    response = client.post(
        f"/problems/{problem.pk}/site-reports/", ME_TOO | {"minutes_lost_per_occurrence": "0", "after_hours_pct": "35"}
    )

    assert response.status_code == 422
    form = response.context["forms"]["me_too"]
    assert form.errors == {
        "minutes_lost_per_occurrence": ["Minutes lost each time: enter a number above 0 and at most 240."]
    }
    html = response.content.decode()
    assert 'id="report_minutes_lost_per_occurrence_error"' in html
    assert 'name="after_hours_pct" value="35"' in html
    assert 'aria-invalid="true"' in html
    assert SiteReport.objects.filter(problem=problem).count() == 1


@pytest.mark.django_db
def test_me_too_on_a_merged_problem_is_refused_with_a_message(client, users, problem):
    target = ProblemFactory(submitted_by=users[Role.CLINICIAN])
    Problem.objects.filter(pk=problem.pk).update(status=Status.MERGED, merged_into=target)
    login(client, users, Role.CLINICIAN)

    response = client.post(f"/problems/{problem.pk}/site-reports/", ME_TOO)

    assert response.status_code == 422
    assert f"This problem was merged into #{target.pk}; add to that one instead." in response.content.decode()
    assert SiteReport.objects.filter(problem=problem).count() == 1


# --- evidence ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.IT_LEAD, Role.ADMIN])
def test_anyone_may_add_a_note(client, users, problem, role):
    login(client, users, role)

    response = client.post(f"/problems/{problem.pk}/evidence/", {"kind": "note", "note": "Seen again at huddle."})

    assert response.status_code == 302
    note = Evidence.objects.get(problem=problem)
    assert (note.kind, note.note, note.value, note.added_by) == ("note", "Seen again at huddle.", None, users[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.INFORMATICS, Role.PRODUCT_MANAGER])
def test_measured_evidence_from_informatics_and_pm_changes_the_score(client, users, problem, role):
    login(client, users, role)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/problems/{problem.pk}/evidence/",
            {"kind": "time_study", "value": "6", "sample_size": "12", "site": "", "note": ""},
        )

    assert response.status_code == 302
    study = Evidence.objects.get(problem=problem)
    assert (study.kind, study.value, study.sample_size, study.site) == ("time_study", 6, 12, None)
    # NORTH: 10 providers × 10/shift × 4 shifts × 6 min (the study replaces the reported 3) = 40 h
    assert ProblemScore.objects.get(problem=problem).provider_hours_per_week == pytest.approx(40.0)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["time_study", "ehr_metric", "cost_report", "survey"])
@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.IT_LEAD, Role.ADMIN])
def test_measured_evidence_from_other_roles_is_forbidden(client, users, problem, role, kind):
    login(client, users, role)

    response = client.post(
        f"/problems/{problem.pk}/evidence/", {"kind": kind, "value": "3", "sample_size": "5", "site": "NORTH"}
    )

    assert response.status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"kind": "time_study", "value": "6"},
            {"sample_size": ["Say how many observations the time study made."]},
        ),
        ({"kind": "ehr_metric", "value": "6"}, {"site": ["Choose the site this was measured at."]}),
        (
            {"kind": "ehr_metric", "value": "201", "site": "NORTH"},
            {"value": ["Enter a number more than 0 and at most 200."]},
        ),
        (
            {"kind": "cost_report", "site": "NORTH"},
            {"value": ["Enter the provider hours per week the change would cost the site."]},
        ),
        ({"kind": "survey", "value": "2.5"}, {"value": ["Enter a whole number from 1 to 5."]}),
        ({"kind": "note", "note": "   "}, {"note": ["Write the note."]}),
    ],
)
def test_evidence_rules_per_kind_show_on_their_fields(client, users, problem, data, errors):
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(f"/problems/{problem.pk}/evidence/", data)

    assert response.status_code == 422
    assert response.context["forms"]["evidence"].errors == errors
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_patient_information_in_a_note_is_refused_on_the_note_field_and_the_text_kept(client, users, problem):
    login(client, users, Role.CLINICIAN)
    typed = "Patient called back on 555-123-4567 twice"

    response = client.post(f"/problems/{problem.pk}/evidence/", {"kind": "note", "note": typed})

    assert response.status_code == 422
    (message,) = response.context["forms"]["evidence"].errors["note"]
    assert "looks like a phone number (line 1, characters 24–35)" in message
    html = response.content.decode()
    assert f">{typed}</textarea>" in html
    assert 'id="evidence_note_error"' in html
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_evidence_fields_follow_the_chosen_kind_and_keep_what_was_typed(client, users, problem):
    login(client, users, Role.INFORMATICS)

    response = client.get(f"/problems/{problem.pk}/evidence/fields/", {"kind": "ehr_metric", "note": "From Epic logs"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Occurrences per provider per shift" in html
    assert "Sample size" not in html
    assert ">From Epic logs</textarea>" in html
    assert "<html" not in html


# --- triage --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pm_triage_moves_status_sets_effort_and_is_audited(client, users, problem):
    login(client, users, Role.PRODUCT_MANAGER)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/problems/{problem.pk}/triage/",
            {"version": "1", "status": "triaged", "effort_weeks": "4", "external_ref": "EHR-12", "decline_reason": ""},
        )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.effort_weeks, problem.external_ref, problem.version) == ("triaged", 4, "EHR-12", 2)
    audit = AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).get(problem=problem)
    assert (audit.actor, audit.before["status"], audit.after["status"]) == (
        users[Role.PRODUCT_MANAGER],
        "new",
        "triaged",
    )
    assert ProblemScore.objects.get(problem=problem).effort_weeks == 4


@pytest.mark.django_db
def test_triage_with_a_stale_version_shows_the_conflict_and_the_fresh_state(client, users, problem):
    pm = users[Role.PRODUCT_MANAGER]
    problem_triage(problem_id=problem.pk, actor=pm, version=1, status=Status.NEEDS_INFO, question="Which sites?")
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "triaged", "effort_weeks": "3.5", "external_ref": "", "decline_reason": ""},
    )

    assert response.status_code == 422
    html = response.content.decode()
    changed = AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).get(problem=problem).at
    assert (
        f"This problem was changed by product_manager at {changed:%H:%M} UTC on {changed.day} {changed:%b %Y}; " in html
    )
    assert "it is now at version 2. Reload it and apply your change again." in html
    form = response.context["forms"]["triage"]
    assert form["version"].value() == "2"
    assert form["effort_weeks"].value() == "3.5"
    assert [value for value, _ in form.fields["status"].choices] == ["", "new", "declined"]
    assert response.context["problem"].status == "needs_info"
    problem.refresh_from_db()
    assert (problem.status, problem.effort_weeks) == ("needs_info", None)


@pytest.mark.django_db
def test_declining_without_a_reason_is_refused_on_the_reason_field(client, users, problem):
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "declined", "decline_reason": "", "effort_weeks": "", "external_ref": ""},
    )

    assert response.status_code == 422
    assert response.context["forms"]["triage"].errors == {"decline_reason": ["Say why the problem is declined."]}
    problem.refresh_from_db()
    assert problem.status == "new"


@pytest.mark.django_db
def test_patient_information_in_a_decline_reason_is_refused_on_its_field(client, users, problem):
    login(client, users, Role.PRODUCT_MANAGER)
    typed = "Duplicate of the request from MRN 12345678"

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "declined", "decline_reason": typed, "effort_weeks": "", "external_ref": ""},
    )

    assert response.status_code == 422
    (message,) = response.context["forms"]["triage"].errors["decline_reason"]
    assert "looks like a medical record number (line 1, characters " in message
    assert f"\n{typed}</textarea>" in response.content.decode()
    problem.refresh_from_db()
    assert (problem.status, problem.decline_reason) == ("new", "")


@pytest.mark.django_db
def test_it_lead_may_not_triage_a_new_problem_but_may_estimate_effort(client, users, problem):
    login(client, users, Role.IT_LEAD)

    refused = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "triaged", "effort_weeks": "", "external_ref": "", "decline_reason": ""},
    )
    estimated = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "", "effort_weeks": "6", "external_ref": "EHR-7", "decline_reason": ""},
    )

    assert refused.status_code == 422
    assert refused.context["forms"]["triage"].errors == {
        "status": ["Cannot move from new to triaged. Allowed: none for your role."]
    }
    assert estimated.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.effort_weeks, problem.external_ref) == ("new", 6, "EHR-7")


@pytest.mark.django_db
def test_it_lead_moves_planned_work_into_progress(client, users, problem):
    problem = problem_triage(problem_id=problem.pk, actor=users[Role.PRODUCT_MANAGER], version=1, status="planned")
    login(client, users, Role.IT_LEAD)
    page = client.get(f"/problems/{problem.pk}/")
    assert [v for v, _ in page.context["forms"]["triage"].fields["status"].choices] == ["", "in_progress"]

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "2", "status": "in_progress", "effort_weeks": "", "external_ref": "", "decline_reason": ""},
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "in_progress"


@pytest.mark.django_db
def test_inline_triage_from_the_backlog_answers_with_the_updated_row(client, users, problem):
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "planned", "effort_weeks": "2.5", "external_ref": "", "decline_reason": ""},
        headers={"HX-Request": "true", "HX-Target": f"row-{problem.pk}"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{problem.pk}"')
    assert "<html" not in html
    assert 'status-planned">Planned</span>' in html
    assert f"Saved. #{problem.pk} is Planned (version 2)." in html
    assert 'name="version" value="2"' in html


@pytest.mark.django_db
def test_inline_triage_without_javascript_returns_to_the_backlog_it_came_from(client, users, problem):
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "triaged", "effort_weeks": "", "external_ref": "", "next": "/backlog/?site=NORTH"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/backlog/?site=NORTH"


@pytest.mark.django_db
def test_triage_never_redirects_off_site(client, users, problem):
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "triaged", "effort_weeks": "", "external_ref": "", "next": "https://evil.example/"},
    )

    assert response["Location"] == f"/problems/{problem.pk}/#triage"


# --- merge ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pm_merges_a_duplicate_and_lands_on_the_problem_kept(client, users, problem, other_site):
    duplicate = ProblemFactory(submitted_by=users[Role.INFORMATICS], title="Home meds typed again")
    SiteReportFactory(problem=duplicate, site=other_site, reporter=users[Role.INFORMATICS])
    login(client, users, Role.PRODUCT_MANAGER)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/problems/{duplicate.pk}/merge/", {"version": "1", "into": str(problem.pk)})

    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/"
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", problem.pk)
    assert ProblemScore.objects.get(problem=problem).sites == ["NORTH", "SOUTH"]
    kept = client.get(response["Location"]).content.decode()
    assert f"#{duplicate.pk} Home meds typed again" in kept
    merged_page = client.get(f"/problems/{duplicate.pk}/").content.decode()
    assert f'This problem was merged into <a href="/problems/{problem.pk}/">#{problem.pk}' in merged_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("into", "field", "message"),
    [
        ("self", "into", "A problem cannot be merged into itself."),
        ("999999", "into", "There is no problem #999999."),
    ],
)
def test_merge_errors_show_on_the_into_field(client, users, problem, into, field, message):
    login(client, users, Role.PRODUCT_MANAGER)
    target = str(problem.pk) if into == "self" else into

    response = client.post(f"/problems/{problem.pk}/merge/", {"version": "1", "into": target})

    assert response.status_code == 422
    assert response.context["forms"]["merge"].errors == {field: [message]}
    assert response.context["forms"]["merge"]["into"].value() == target


@pytest.mark.django_db
def test_merge_with_a_stale_version_shows_the_conflict_and_keeps_the_target(client, users, problem):
    target = ProblemFactory(submitted_by=users[Role.CLINICIAN])
    problem_triage(problem_id=problem.pk, actor=users[Role.IT_LEAD], version=1, effort_weeks=2)
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(f"/problems/{problem.pk}/merge/", {"version": "1", "into": str(target.pk)})

    assert response.status_code == 422
    form = response.context["forms"]["merge"]
    assert form.non_field_errors()[0].startswith("This problem was changed by it_lead")
    assert (form["version"].value(), form["into"].value()) == ("2", str(target.pk))
    problem.refresh_from_db()
    assert problem.status == "new"


@pytest.mark.django_db
def test_inline_merge_from_the_backlog_answers_with_the_merged_row(client, users, problem):
    target = ProblemFactory(submitted_by=users[Role.CLINICIAN])
    login(client, users, Role.PRODUCT_MANAGER)

    response = client.post(
        f"/problems/{problem.pk}/merge/",
        {"version": "1", "into": str(target.pk)},
        headers={"HX-Request": "true", "HX-Target": f"row-{problem.pk}"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{problem.pk}"')
    assert f'status-merged">Merged</span> <a href="/problems/{target.pk}/">into #{target.pk}</a>' in html
    assert "<details" not in html


# --- outcome survey ------------------------------------------------------------------------

ANSWER = {
    "site": "NORTH",
    "better_care": "4",
    "less_frustrated": "5",
    "more_confident": "3",
    "minutes_saved_per_shift": "6",
}


@pytest.mark.django_db
def test_outcome_survey_is_offered_once_delivered_with_the_exact_questions(client, users, problem):
    login(client, users, Role.CLINICIAN)
    assert "outcome" not in client.get(f"/problems/{problem.pk}/").context["forms"]
    deliver(problem, users[Role.PRODUCT_MANAGER])

    html = client.get(f"/problems/{problem.pk}/").content.decode()

    assert "<legend>The change helps me deliver better care</legend>" in html
    assert "<legend>I am less frustrated</legend>" in html
    assert "<legend>I feel more confident using the system</legend>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER])
def test_outcome_answer_is_recorded_and_summarised(client, users, problem, role, settings):
    settings.OUTCOME_MIN_RESPONSES = 1
    deliver(problem, users[Role.PRODUCT_MANAGER])
    login(client, users, role)

    response = client.post(f"/problems/{problem.pk}/outcomes/", ANSWER)

    assert response.status_code == 302
    answer = Outcome.objects.get(problem=problem)
    assert (answer.respondent, answer.better_care, answer.minutes_saved_per_shift) == (users[role], 4, 6)
    summary = client.get(f"/problems/{problem.pk}/").context["d"].outcomes
    # NORTH: 10 providers × 100% × 4 shifts × 6 min / 60 = 4 h; estimate 20 h
    assert (summary.responses, summary.realized_provider_hours_per_week, summary.estimate_accuracy) == (1, 4.0, 0.2)


@pytest.mark.django_db
def test_after_an_answer_the_outcome_form_shows_the_answer_given(client, users, problem):
    deliver(problem, users[Role.PRODUCT_MANAGER])
    login(client, users, Role.CLINICIAN)

    response = client.post(f"/problems/{problem.pk}/outcomes/", ANSWER, follow=True)

    form = response.context["forms"]["outcome"]
    assert {name: form[name].value() for name in ANSWER} == {
        "site": "NORTH",
        "better_care": 4,
        "less_frustrated": 5,
        "more_confident": 3,
        "minutes_saved_per_shift": 6,
    }
    html = response.content.decode()
    checked = re.findall(r'<input type="radio" name="([a-z_]+)" value="(\d)"[^>]*checked', html)
    assert checked == [("better_care", "4"), ("less_frustrated", "5"), ("more_confident", "3")]
    assert "Your answer for NORTH, sent " in html
    assert "better care 4/5, less frustrated 5/5, more confident 3/5, 6 minutes saved per shift." in html
    assert ">Change my outcome answer</a>" in html


@pytest.mark.django_db
def test_a_delivered_problems_main_action_is_the_outcome_survey(client, users, problem):
    login(client, users, Role.CLINICIAN)
    before = client.get(f"/problems/{problem.pk}/").content.decode()
    assert '<a class="button" href="#me-too">This happens at my site too</a>' in before

    deliver(problem, users[Role.PRODUCT_MANAGER])
    html = client.get(f"/problems/{problem.pk}/").content.decode()

    actions = html.split('aria-label="Actions on this problem">')[1].split("</nav>")[0]
    links = re.findall(r'<a class="([^"]+)" href="#([a-z-]+)">', actions)
    assert links[0] == ("button", "outcomes")
    # A delivered problem takes no "me too" (issue 13: a closed problem says what that means instead).
    assert "me-too" not in [anchor for _, anchor in links]
    assert "This problem was delivered: tell us whether the change helped with the outcome survey." in html


@pytest.mark.django_db
def test_outcome_before_delivery_is_refused_with_a_message(client, users, problem):
    login(client, users, Role.CLINICIAN)

    response = client.post(f"/problems/{problem.pk}/outcomes/", ANSWER)

    assert response.status_code == 422
    assert response.context["forms"]["outcome"].non_field_errors() == [
        "Outcome answers open once the change is delivered."
    ]
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_outcome_out_of_range_keeps_the_answers(client, users, problem):
    deliver(problem, users[Role.PRODUCT_MANAGER])
    login(client, users, Role.CLINICIAN)

    response = client.post(f"/problems/{problem.pk}/outcomes/", ANSWER | {"better_care": "7"})

    assert response.status_code == 422
    form = response.context["forms"]["outcome"]
    assert form.errors == {"better_care": ["Select a valid choice. 7 is not one of the available choices."]}
    assert 'name="less_frustrated" value="5" id="outcome_less_frustrated_4" required checked' in (
        response.content.decode()
    )


# --- role refusals -------------------------------------------------------------------------

POSTS = {
    "site-reports": ME_TOO,
    "triage": {"version": "1", "status": "triaged"},
    "merge": {"version": "1", "into": "1"},
    "outcomes": ANSWER,
}
FORBIDDEN = [
    ("site-reports", Role.IT_LEAD),
    ("site-reports", Role.ADMIN),
    ("triage", Role.CLINICIAN),
    ("triage", Role.INFORMATICS),
    ("triage", Role.ADMIN),
    ("merge", Role.CLINICIAN),
    ("merge", Role.INFORMATICS),
    ("merge", Role.IT_LEAD),
    ("merge", Role.ADMIN),
    ("outcomes", Role.IT_LEAD),
    ("outcomes", Role.ADMIN),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role"), FORBIDDEN)
def test_roles_without_the_right_are_refused_403(client, users, problem, action, role):
    login(client, users, role)

    response = client.post(f"/problems/{problem.pk}/{action}/", POSTS[action])

    assert response.status_code == 403
    problem.refresh_from_db()
    assert (problem.status, problem.version, SiteReport.objects.count(), Outcome.objects.count()) == ("new", 1, 1, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["site-reports", "evidence", "triage", "merge", "outcomes"])
def test_anonymous_posts_are_sent_to_login(client, problem, action):
    response = client.post(f"/problems/{problem.pk}/{action}/", {})

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_posting_to_a_missing_problem_is_404(client, users):
    login(client, users, Role.PRODUCT_MANAGER)

    assert client.post("/problems/999999/site-reports/", ME_TOO).status_code == 404
    assert client.get("/problems/999999/").status_code == 404
