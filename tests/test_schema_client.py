"""A client generated from docs/openapi.yaml (openapi-python-client, offline) works against the live app."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from intake.models import Role, Status
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory, api_token_key

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generated_client(tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\n")
    subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(ROOT / "docs" / "openapi.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "bridge_client"),
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("bridge_client")
    for name in [name for name in sys.modules if name.split(".")[0] == "bridge_client"]:
        del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_pulls_the_planned_backlog(generated_client, live_server, users, site):
    planned = [ProblemFactory(status=Status.PLANNED) for _ in range(3)]
    ProblemFactory(status=Status.NEW)
    for minutes, problem in zip((3, 9, 6), planned, strict=True):
        SiteReportFactory(problem=problem, site=site, minutes_lost_per_occurrence=minutes)
    scores_recompute(problem_ids=[p.pk for p in planned])
    backlog_list = importlib.import_module("bridge_client.api.backlog.backlog_list")
    status = importlib.import_module("bridge_client.models.backlog_list_status_item").BacklogListStatusItem
    client = generated_client.AuthenticatedClient(
        base_url=live_server.url, token=api_token_key(users[Role.IT_LEAD]), prefix="Token"
    )

    wanted = [status("planned"), status("in_progress")]
    page = backlog_list.sync(client=client, status=wanted, page_size=2)
    following = backlog_list.sync(client=client, status=wanted, page_size=2, cursor=_cursor(page.next_))

    assert [(item.id, item.rank) for item in page.results] == [(planned[1].pk, 1), (planned[2].pk, 2)]
    assert [(item.id, item.rank) for item in following.results] == [(planned[0].pk, 3)]
    assert following.next_ is None
    assert page.results[0].sites == ["NORTH"]
    assert page.results[0].score_pending is False


def _cursor(url: str) -> str:
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(url).query)["cursor"][0]
