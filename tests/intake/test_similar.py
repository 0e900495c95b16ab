"""Similar problems as you type, and "this happens at my site too" instead of a duplicate."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Problem, SiteReport
from intake.similar.selectors import problems_similar
from tests.factories import ProblemFactory, SiteFactory, SiteReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def backlog(db, site, other_site):
    """Four problems: two about strep results (one merged away), one printer, one safety concern."""
    author = UserFactory(username="author", home_site=site)
    strep = ProblemFactory(
        title="Strep results take 20 minutes to reach the results tab",
        statement="The analyzer finishes but the result does not show in the results tab for 20 minutes.",
        workflow_area="results",
        submitted_by=author,
    )
    SiteReportFactory(problem=strep, site=site, reporter=author)
    SiteReportFactory(problem=strep, site=other_site, reporter=author)
    merged = ProblemFactory(
        title="Strep results are slow to reach the results tab",
        statement="Same as the other one.",
        submitted_by=author,
        status="merged",
        merged_into=strep,
    )
    SiteReportFactory(problem=merged, site=SiteFactory(code="EAST", name="East Clinic"), reporter=author)
    printer = ProblemFactory(
        title="Label printer jams twice a shift",
        statement="We walk to the front desk to reprint labels.",
        submitted_by=author,
    )
    safety = ProblemFactory(
        title="Allergy list does not show on the order screen",
        statement="Allergies entered at triage do not show when the provider orders antibiotics.",
        submitted_by=author,
        safety_concern=True,
        safety_details="An antibiotic can be ordered against a known allergy.",
    )
    return {"strep": strep, "merged": merged, "printer": printer, "safety": safety}


def test_a_few_words_of_the_title_find_the_problem_with_a_similarity_in_0_1(backlog):
    results = problems_similar("strep results take too long")

    assert [r.problem for r in results] == [backlog["strep"]]
    assert 0 < results[0].similarity <= 1


def test_merged_problems_are_not_offered_but_their_sites_count_for_their_target(backlog):
    (result,) = problems_similar("strep results slow results tab")

    assert result.problem == backlog["strep"]
    assert result.sites == ("EAST", "NORTH", "SOUTH")


def test_typos_and_word_order_still_match(backlog):
    assert [r.problem for r in problems_similar("lable printr jams")] == [backlog["printer"]]
    assert [r.problem for r in problems_similar("jams label printer")] == [backlog["printer"]]


def test_unrelated_or_empty_queries_find_nothing(backlog):
    assert problems_similar("vaccine inventory count is off") == []
    assert problems_similar("  ") == []
    assert problems_similar("a") == []


def test_the_closest_come_first_and_at_most_limit(db, clinician):
    exact = ProblemFactory(title="Fax queue stalls every morning", submitted_by=clinician)
    for n in range(7):
        ProblemFactory(
            title=f"Fax queue stalls every morning at site number {n} after the upgrade", submitted_by=clinician
        )

    results = problems_similar("Fax queue stalls every morning", limit=5)

    assert len(results) == 5
    assert results[0].problem == exact
    assert [r.similarity for r in results] == sorted((r.similarity for r in results), reverse=True)


def test_every_database_ranks_with_the_same_rules(backlog):
    # The search reads its in-memory index (intake/similar/index.py) on SQLite and PostgreSQL alike.
    ranked = problems_similar("label printer jams", limit=5)

    assert [r.problem.pk for r in ranked] == [backlog["printer"].pk]
    assert 0 < ranked[0].similarity <= 1
    assert problems_similar("strep results take", limit=5)[0].problem.pk == backlog["strep"].pk


def test_the_search_leaves_the_callers_settings_as_they_were(backlog):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        before = cursor.fetchone()[0]
        problems_similar("label printer jams")
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone()[0] == before


# The htmx panel and joining ----------------------------------------------------------------


@pytest.fixture
def as_clinician(client, clinician):
    client.force_login(clinician)
    return client


def test_the_panel_lists_similar_problems_with_status_sites_safety_and_a_join_button(as_clinician, backlog, site):
    response = as_clinician.post(
        reverse("intake-similar"),
        {"title": "Allergy list does not show", "statement": "", "site": site.code},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert backlog["safety"].title in html
    assert '<span class="badge badge-safety">Safety concern</span>' in html
    assert '<span class="badge">New</span>' in html
    assert f'formaction="{reverse("intake-join", args=[backlog["safety"].pk])}"' in html
    assert "This happens at my site too" in html
    # minutes and occurrences are not typed yet: the panel says joining asks for them, without
    # repeating the main form's fields
    assert "Joining asks for your site's minutes lost and times per shift" in html
    assert "<input" not in html
    # and the page's status line gets a short summary for screen readers
    assert '<span id="similar-status" hx-swap-oob="innerHTML">1 similar problem found.</span>' in html


def test_the_panel_costs_the_same_number_of_queries_for_one_or_many_results(as_clinician, backlog, site, clinician):
    def queries_for(title):
        with CaptureQueriesContext(connection) as captured:
            as_clinician.post(reverse("intake-similar"), {"title": title, "site": site.code})
        return len(captured)

    one = queries_for("Label printer jams")
    for n in range(4):
        p = ProblemFactory(title=f"Label printer jams on floor {n}", submitted_by=clinician)
        SiteReportFactory(problem=p, site=site, reporter=clinician)
    assert queries_for("Label printer jams") == one


def test_the_panel_does_not_search_with_patient_information(as_clinician, backlog, caplog):
    with caplog.at_level(logging.DEBUG):
        response = as_clinician.post(reverse("intake-similar"), {"title": "Pt Maria Lopez strep results take long"})

    html = response.content.decode()
    assert "Patient information spotted." in html
    assert "The one-line summary holds what looks like a patient name (line 1, characters 4–14)." in html
    assert response.context["similar"] == []
    assert "Lopez" not in caplog.text


def test_the_panel_nudges_when_the_title_is_a_solution(as_clinician, backlog):
    response = as_clinician.post(reverse("intake-similar"), {"title": "Add a button to reprint labels"})
    assert "This reads like a solution. What problem would it solve?" in response.content.decode()


def test_the_panel_refuses_get_so_typed_text_never_lands_in_a_url(as_clinician):
    assert as_clinician.get(reverse("intake-similar"), {"title": "label printer"}).status_code == 405


def test_joining_adds_a_site_report_with_the_numbers_typed_so_far_and_lands_on_the_problem(
    as_clinician, backlog, clinician, other_site
):
    clinician.sites.add(other_site)  # the clinician works at SOUTH too (docs/domain.md, Roles)
    strep = backlog["strep"]
    before = Problem.objects.count()

    response = as_clinician.post(
        reverse("intake-join", args=[strep.pk]),
        {
            "title": "Strep results slow",
            "site": other_site.code,
            "minutes_lost_per_occurrence": "5",
            "occurrences_per_shift": "3",
            "patient_wait_minutes": "10",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("problem-detail", args=[strep.pk])
    assert Problem.objects.count() == before
    report = SiteReport.objects.get(problem=strep, reporter=clinician)
    assert (report.site, report.minutes_lost_per_occurrence, report.occurrences_per_shift) == (other_site, 5, 3)
    assert (report.providers_affected_pct, report.after_hours_pct, report.patient_wait_minutes) == (100, 0, 10)


def test_joining_without_numbers_asks_for_them_calmly_and_never_invents_any(as_clinician, backlog, clinician, site):
    strep = backlog["strep"]

    asked = as_clinician.post(reverse("intake-join", args=[strep.pk]), {"site": site.code})

    assert asked.status_code == 200
    assert not SiteReport.objects.filter(reporter=clinician).exists()
    # Nothing was entered yet: the page asks, with no "required" error before anything was typed
    assert asked.context["form"].errors == {}
    assert "errorlist" not in asked.content.decode()
    assert "how many minutes it costs you each time and how often it happens are enough" in asked.content.decode()

    answered = as_clinician.post(
        reverse("intake-join", args=[strep.pk]),
        {"site": site.code, "minutes_lost_per_occurrence": "2", "occurrences_per_shift": "8"},
    )
    assert answered.status_code == 302
    assert SiteReport.objects.get(problem=strep, reporter=clinician).occurrences_per_shift == 8


def test_joining_with_half_the_numbers_says_which_one_is_missing(as_clinician, backlog, clinician, site):
    asked = as_clinician.post(
        reverse("intake-join", args=[backlog["strep"].pk]), {"site": site.code, "minutes_lost_per_occurrence": "2"}
    )

    assert asked.context["form"].errors == {
        "occurrences_per_shift": [
            "Times per shift, for one provider is required: enter a number above 0 and at most 200."
        ]
    }
    assert not SiteReport.objects.filter(reporter=clinician).exists()


def test_back_to_the_form_from_the_join_page_keeps_what_was_typed(as_clinician, backlog, site):
    typed = {
        "title": "Strep results slow to show",
        "statement": "The result takes twenty minutes to reach the tab.",
        "workflow_area": "results",
        "affected_roles": ["physician", "nurse"],
        "site": site.code,
    }
    join_page = as_clinician.post(reverse("intake-join", args=[backlog["strep"].pk]), typed).content.decode()
    assert '<input type="hidden" name="title" value="Strep results slow to show">' in join_page
    assert '<input type="hidden" name="affected_roles" value="nurse">' in join_page
    assert f'formaction="{reverse("intake")}" name="action" value="similar"' in join_page

    # "Back to the form" posts the join page's fields to the intake page (what the button does)
    back = as_clinician.post(reverse("intake"), typed | {"action": "similar", "minutes_lost_per_occurrence": "4"})

    form = back.context["form"]
    assert form["title"].value() == "Strep results slow to show"
    assert form["statement"].value() == "The result takes twenty minutes to reach the tab."
    assert form["minutes_lost_per_occurrence"].value() == "4"
    assert form["affected_roles"].value() == ["physician", "nurse"]
    assert not form.errors


def test_joining_says_what_the_report_changed(as_clinician, backlog, clinician, site):
    # strep counts NORTH (author: 3 minutes, 10 times a shift); the clinician's NORTH report lowers the median
    response = as_clinician.post(
        reverse("intake-join", args=[backlog["strep"].pk]),
        {"site": site.code, "minutes_lost_per_occurrence": "1", "occurrences_per_shift": "10"},
        follow=True,
    )

    page = response.content.decode()
    assert (
        "NORTH&#x27;s report added; NORTH already counted, and the median minutes lost per occurrence at NORTH "
        "fell from 3 to 2, so the priority goes from"
    ) in page
    assert "now counts toward this problem" not in page


def test_joining_a_merged_problem_points_to_its_target(as_clinician, backlog, site):
    response = as_clinician.post(
        reverse("intake-join", args=[backlog["merged"].pk]),
        {"site": site.code, "minutes_lost_per_occurrence": "2", "occurrences_per_shift": "8"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"This problem was merged into #{backlog['strep'].pk}; add to that one instead."
    ]


def test_it_leads_cannot_join(client, users, backlog, site):
    client.force_login(users["it_lead"])
    response = client.post(
        reverse("intake-join", args=[backlog["strep"].pk]),
        {"site": site.code, "minutes_lost_per_occurrence": "2", "occurrences_per_shift": "8"},
    )
    assert response.status_code == 403
