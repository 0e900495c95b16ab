"""The merge page: find the problem to keep (search, number or likely duplicates), then a confirmation
that names both problems and says what happens; both audits show the merge."""

import pytest

from intake.audit.models import AuditEvent
from intake.models import Problem, Role, Status
from tests.factories import EvidenceFactory, ProblemFactory, SiteReportFactory

MED_REC = "Every discharge we re-enter the home medication list by hand because the list does not carry over."


def problem_at(site, *, title, statement=MED_REC, **fields):
    problem = ProblemFactory(title=title, statement=statement, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    return problem


@pytest.fixture
def pair(site, other_site):
    kept = problem_at(site, title="Medication reconciliation takes too many clicks")
    duplicate = problem_at(other_site, title="Med rec needs too many clicks at discharge", status=Status.TRIAGED)
    EvidenceFactory(problem=duplicate, kind="note", note="Also on weekends.", added_by=duplicate.submitted_by)
    printer = problem_at(site, title="Label printer jams", statement="The wristband label printer jams daily.")
    return {"kept": kept, "duplicate": duplicate, "printer": printer}


@pytest.mark.django_db
def test_the_merge_page_offers_the_likely_duplicates_first(client, pm, pair):
    client.force_login(pm)

    html = client.get(f"/problems/{pair['duplicate'].pk}/merge/").content.decode()

    assert "Likely the same as #" in html
    assert f'href="?into={pair["kept"].pk}"' in html
    assert f'href="?into={pair["printer"].pk}"' not in html


@pytest.mark.django_db
def test_searching_finds_the_problem_to_keep_by_words_or_number(client, pm, pair):
    client.force_login(pm)
    url = f"/problems/{pair['duplicate'].pk}/merge/"

    by_words = client.get(url, {"q": "printer jams"}).content.decode()
    by_number = client.get(url, {"q": f"#{pair['printer'].pk}"}).content.decode()

    assert f'href="?into={pair["printer"].pk}"' in by_words
    assert f'href="?into={pair["duplicate"].pk}"' not in by_words  # never itself
    assert by_number.index(f'href="?into={pair["printer"].pk}"') < by_number.find("</ul>", by_number.index("h-results"))


@pytest.mark.django_db
def test_a_search_with_patient_information_is_refused_on_the_field(client, pm, pair):
    client.force_login(pm)

    html = client.get(f"/problems/{pair['duplicate'].pk}/merge/", {"q": "MRN 12345678 clicks"}).content.decode()

    assert 'id="merge_search_q_error"' in html
    assert "12345678" not in html.split('id="merge_search_q_error"')[1].split("</ul>")[0]
    assert "?into=" not in html


@pytest.mark.django_db
def test_the_confirmation_names_both_problems_and_what_happens(client, pm, pair):
    duplicate, kept = pair["duplicate"], pair["kept"]
    client.force_login(pm)

    html = client.get(f"/problems/{duplicate.pk}/merge/", {"into": kept.pk}).content.decode()

    assert f"#{duplicate.pk} Med rec needs too many clicks at discharge" in html
    assert f"#{kept.pk} Medication reconciliation takes too many clicks" in html
    assert "Sites: SOUTH" in html and "Sites: NORTH" in html
    assert "Triaged" in html and "New" in html
    assert f"#{duplicate.pk} closes as <strong>merged</strong> into #{kept.pk}." in html
    assert f"Its 1 site report and 1 evidence row count for #{kept.pk} from now on (sites SOUTH)." in html
    assert f"Keep #{duplicate.pk} instead (merge #{kept.pk} into it)" in html
    assert Problem.objects.get(pk=duplicate.pk).status == Status.TRIAGED  # nothing merged yet


@pytest.mark.django_db
def test_confirming_merges_and_both_pages_show_it_in_their_audit(client, pm, pair):
    duplicate, kept = pair["duplicate"], pair["kept"]
    client.force_login(pm)

    response = client.post(
        f"/problems/{duplicate.pk}/merge/", {"version": "1", "into": str(kept.pk), "confirmed": "1"}, follow=True
    )

    assert response.redirect_chain == [(f"/problems/{kept.pk}/", 302)]
    html = response.content.decode()
    assert f"Merged here from: — → #{duplicate.pk}" in html
    assert f"#{duplicate.pk} Med rec needs too many clicks at discharge" in html  # "Merged into this problem"
    assert [a.action for a in AuditEvent.objects.filter(problem=kept)] == ["merged_in"]
    source_page = client.get(f"/problems/{duplicate.pk}/").content.decode()
    assert f"Merged into: — → #{kept.pk}" in source_page


@pytest.mark.django_db
def test_a_stale_confirmation_shows_the_conflict_on_the_confirmation(client, pm, pair):
    duplicate, kept = pair["duplicate"], pair["kept"]
    client.force_login(pm)
    Problem.objects.filter(pk=duplicate.pk).update(version=2)

    response = client.post(f"/problems/{duplicate.pk}/merge/", {"version": "1", "into": str(kept.pk), "confirmed": "1"})

    assert response.status_code == 422
    html = response.content.decode()
    assert "This problem was changed" in html and "Confirm the merge" in html
    assert 'name="version" value="2"' in html
    assert Problem.objects.get(pk=duplicate.pk).status == Status.TRIAGED


@pytest.mark.django_db
def test_the_queue_links_to_the_confirmation(client, pm, pair):
    client.force_login(pm)

    html = client.get("/backlog/duplicates/").content.decode()

    low, high = sorted([pair["kept"].pk, pair["duplicate"].pk])
    assert f'href="/problems/{high}/merge/?into={low}"' in html


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.IT_LEAD])
@pytest.mark.django_db
def test_only_product_managers_open_the_merge_page(client, users, pair, role):
    client.force_login(users[role])

    assert client.get(f"/problems/{pair['duplicate'].pk}/merge/").status_code == 403
