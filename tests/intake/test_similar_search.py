"""Search by meaning (docs/similar.md): synonyms and abbreviations, `why`, vectors after commit, PHI in `q`,
and a search that keeps answering when the sentence model is gone."""

import logging

import pytest
from django.core.management import call_command
from django.test import override_settings

from intake.models import Problem
from intake.similar import encoder as encoder_module
from intake.similar.models import SearchEntry
from intake.similar.scoring import LIKELY_SAME
from intake.similar.selectors import problems_like, problems_similar
from tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db

SUBMISSION = {
    "site": "NORTH",
    "workflow_area": "charting",
    "minutes_lost_per_occurrence": 2,
    "occurrences_per_shift": 10,
}


def submit(api, title, statement):
    response = api.post("/api/v1/problems/", {**SUBMISSION, "title": title, "statement": statement}, format="json")
    assert response.status_code == 201, response.json()
    return Problem.objects.get(pk=response.json()["id"])


@pytest.fixture
def network(api_as, clinician, django_capture_on_commit_callbacks):
    """Three problems submitted through the API, their after-commit work (the vectors) run."""
    api = api_as(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        medrec = submit(
            api,
            "Medication reconciliation takes 11 clicks per visit",
            "Reconciling home medications takes 11 clicks and three screens at every visit.",
        )
        priorauth = submit(
            api,
            "Prior authorizations still go by fax",
            "For MRI and durable equipment we fill the payer's form, print it and fax it.",
        )
        board = submit(
            api,
            "Tracking board refreshes only every 60 to 90 seconds",
            "The board lags behind the rooms, so we walk to rooms that were already discharged.",
        )
    return {"medrec": medrec, "priorauth": priorauth, "board": board}


def test_a_problem_submitted_gets_its_terms_at_once_and_its_vector_after_commit(network):
    entry = SearchEntry.objects.get(problem=network["medrec"])

    assert entry.title_terms.split()[:3] == ["~medication_reconciliation", "~medication", "reconciliation"]
    assert entry.vector is not None and len(entry.vector) == 768
    assert entry.vector_digest == entry.text_digest


@pytest.mark.parametrize(
    ("query", "target", "reason"),
    [
        ("med rec is way too many clicks every pt", "medrec", "med rec = medication reconciliation"),
        ("PA forms for MRI still faxed to insurance", "priorauth", "pa = prior authorization"),
        ("the board is always behind", "board", "the board = tracking board"),
        ("reconcilation of meds takes forever", "medrec", "meds = medication"),
    ],
)
def test_clinicians_words_find_the_problem_and_say_why(api_as, clinician, network, query, target, reason):
    response = api_as(clinician).get("/api/v1/problems/similar/", {"q": query})

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["id"] == network[target].pk
    assert reason in first["why"]
    assert first["likely_same"] is (first["similarity"] >= LIKELY_SAME)
    assert first["sites"] == ["NORTH"]


def test_a_problem_that_does_not_exist_is_not_called_likely_the_same(api_as, clinician, network):
    response = api_as(clinician).get("/api/v1/problems/similar/", {"q": "the staff lounge fridge is too small"})

    assert response.status_code == 200
    assert [r for r in response.json()["results"] if r["likely_same"]] == []


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("pt John Smith waits for med rec", "a patient name"),
        ("MRN 48213377 med rec clicks", "a medical record number"),
        ("call back at 415-555-0134 about refills", "a phone number"),
    ],
)
def test_a_query_with_patient_information_is_refused_without_quoting_it(api_as, clinician, network, query, kind):
    response = api_as(clinician).get("/api/v1/problems/similar/", {"q": query})

    assert response.status_code == 400
    (message,) = response.json()["q"]
    assert f"The search text holds what looks like {kind}" in message
    for secret in ("John Smith", "48213377", "555-0134"):
        assert secret not in message


def test_without_the_sentence_model_the_search_is_lexical_and_never_fails(api_as, clinician, network, caplog):
    def broken():
        raise FileNotFoundError("model.onnx is missing")

    encoder_module.encoder_reset()
    # Another test's logging.config call (Celery, gunicorn) may have disabled loggers created before it.
    logging.getLogger("intake.similar.encoder").disabled = False
    caplog.set_level(logging.WARNING, logger="intake.similar.encoder")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(encoder_module, "Encoder", broken)
            response = api_as(clinician).get("/api/v1/problems/similar/", {"q": "med rec too many clicks"})
    finally:
        encoder_module.encoder_reset()

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["id"] == network["medrec"].pk
    assert first["why"] == ["med rec = medication reconciliation", "clicks"]
    assert "the sentence model could not be loaded (FileNotFoundError: model.onnx is missing)" in caplog.text


@override_settings(SIMILAR_EMBEDDINGS=False)
def test_vectors_can_be_switched_off_and_problems_are_still_found(network):
    encoder_module.encoder_reset()
    try:
        (first, *_) = problems_similar("prior auth by fax")
    finally:
        encoder_module.encoder_reset()

    assert first.problem == network["priorauth"]
    assert first.why[:2] == ("prior auth = prior authorization", "fax")


def test_similar_index_fills_what_is_missing_and_is_idempotent(db, clinician, capsys):
    problem = ProblemFactory(title="Dictation microphones lose their pairing between rooms", submitted_by=clinician)
    assert SearchEntry.objects.get(problem=problem).vector is None  # no commit in a test: no vector yet
    assert problems_similar("dragon mic disconnects")[0].problem == problem  # found by its words meanwhile

    call_command("similar_index")
    call_command("similar_index")

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Search index: 0 problem(s) given terms, 1 vector(s) computed")
    assert out[1].startswith("Search index: 0 problem(s) given terms, 0 vector(s) computed")
    assert len(SearchEntry.objects.get(problem=problem).vector) == 768


def test_problems_like_gives_the_open_problems_most_likely_the_same(db, clinician):
    original = ProblemFactory(title="Prior authorizations still go by fax", submitted_by=clinician)
    duplicate = ProblemFactory(title="Prior auth forms are faxed to the payer", submitted_by=clinician)
    ProblemFactory(
        title="Prior authorisation faxes get lost",
        submitted_by=clinician,
        status="declined",
        decline_reason="Out of scope.",
    )
    ProblemFactory(title="Wi-Fi drops in the back exam rooms", submitted_by=clinician)

    (like,) = problems_like(original.pk)

    assert like.problem == duplicate
    assert like.why[:2] == ("prior authorizations", "fax")
    assert 0 < like.similarity <= 1


def test_the_index_each_process_keeps_sees_problems_written_after_it_loaded(db, clinician):
    first = ProblemFactory(title="Label printer jams twice a shift", submitted_by=clinician)
    assert [s.problem for s in problems_similar("label printer jams")] == [first]

    later = ProblemFactory(title="Wristband printer jams every morning", submitted_by=clinician)

    assert [s.problem for s in problems_similar("wristband printer jams")][:1] == [later]
    assert {s.problem for s in problems_similar("printer jams")} == {first, later}
