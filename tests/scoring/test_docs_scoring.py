"""docs/scoring.md and the engine agree: the worked example's numbers and the policy's defaults.

Given the page a product manager reads to check a score by hand, when the engine scores the same
worked example, then every headline number on the page is the engine's, and every weight of the
policy is listed with its default.
"""

from dataclasses import fields
from pathlib import Path

import pytest

from scoring.engine import Answer, Policy, realized_provider_hours, score

from .test_engine import DEFAULT, worked_example

DOC = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text()


def test_worked_example_numbers_are_the_engines():
    result = score(worked_example(), DEFAULT)
    shown = {
        "provider_hours_per_week": f"{result.provider_hours_per_week:.4f}",
        "patient_hours_per_week": f"{result.patient_hours_per_week:.4f}",
        "value_hours_per_week": f"{result.value_hours_per_week:.4f}",
        "breadth": f"{result.breadth:.4f}",
        "priority": f"{result.priority:.5f}",
    }
    for name, number in shown.items():
        assert f"= {number}" in DOC, f"docs/scoring.md does not show {name} = {number}"
    assert f"= {result.cost_hours_per_week:g}\n" in DOC
    assert f"= {result.confidence:g}\n" in DOC


def test_worked_example_realized_value_is_the_engines():
    result = score(worked_example(), DEFAULT)
    p_by_site = {b.site: b.providers_affected_pct for b in result.per_site}
    answers = [Answer(site="NORTH", minutes_saved_per_shift=m) for m in (30, 10, 20)]
    answers += [Answer(site="LAKESIDE", minutes_saved_per_shift=m) for m in (15, 5)]
    realized = realized_provider_hours(answers, worked_example().sites, p_by_site)
    assert realized == pytest.approx(17)
    assert f"= {realized / result.provider_hours_unweighted:.4f}\n" in DOC


@pytest.mark.parametrize("weight", [f for f in fields(Policy) if f.name != "version"], ids=lambda f: f.name)
def test_every_policy_weight_is_documented_with_its_default(weight):
    assert f"| `{weight.name}` | {weight.default} |" in DOC
