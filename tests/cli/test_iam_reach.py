"""``fmlab iam reach`` end to end on a world file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fmlab.cli.main import main
from tests.iam.facts.worlds import OFFICE, bucket_policy, document, statement

FIXED = bucket_policy(
    statement(
        "Deny",
        {
            "NotIpAddress": {"aws:SourceIp": OFFICE},
            "StringNotEquals": {"aws:SourceVpce": "vpce-app"},
        },
    )
)


def _world(tmp_path: Path, raw: dict[str, Any]) -> str:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(raw))
    return str(path)


def test_reach_reports_a_replayed_witness_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = _world(tmp_path, document(reports_policy=FIXED))
    code = main(
        ["iam", "reach", world, "example-reports", "--instance", "i-legacy", "--anywhere", "--json"]
    )
    payload = json.loads(capsys.readouterr().out)
    assert code == 1
    assert payload["verdict"] == "refuted"
    assert payload["witness"]["subnet"] == "subnet-private"
    assert payload["witness"]["request"]["context"]["aws:sourcevpce"] == "vpce-app"


def test_reach_proves_the_legacy_instance_out_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = _world(tmp_path, document(reports_policy=FIXED))
    code = main(["iam", "reach", world, "example-reports", "--instance", "i-legacy"])
    assert code == 0
    assert capsys.readouterr().out.startswith("proved:")


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--instance", "i-nobody"], 'no instance "i-nobody"'), (["--subnet", "x"], 'no subnet "x"')],
)
def test_reach_names_unknown_facts_in_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    world = _world(tmp_path, document())
    code = main(["iam", "reach", world, "example-reports", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_reach_rejects_a_bad_world_with_its_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = document()
    raw["endpoints"][0]["type"] = "Gateway"
    code = main(["iam", "reach", _world(tmp_path, raw), "example-reports"])
    err = capsys.readouterr().err
    assert code == 2
    assert "/endpoints/0/type" in err


def test_reach_fills_in_a_key_pattern(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = _world(tmp_path, document(reports_policy=FIXED))
    code = main(["iam", "reach", world, "example-reports", "--key", "finance/*", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 1
    assert payload["witness"]["key"].startswith("finance/")
