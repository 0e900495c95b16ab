"""The bars of docs/similar.md on the labelled clinician queries (tests/data/similar/), on the demo backlog.

The same measurement as `make eval-similar`, on PostgreSQL: the demo loaded through the services,
vectors computed by `similar_index`, then every query of both sets through problems_similar.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.similar_eval import BARS, SETS, demo_problem_ids, evaluate, load_queries


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        call_command("load_demo", verbosity=0)
        call_command("similar_index", verbosity=0)
        yield demo_problem_ids()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SETS))
def test_paraphrases_are_found_and_absent_problems_are_not_called_likely_the_same(demo, name):
    result = evaluate(load_queries(SETS[name]), demo)

    assert result["recall_at_5"] >= BARS["recall_at_5"], result["misses"]
    assert result["false_likely_rate"] <= BARS["false_likely_rate"], result["misses"]
    assert result["queries"] >= (200 if name == "tuning" else 50)
    assert result["absent_queries"] >= (40 if name == "tuning" else 10)
