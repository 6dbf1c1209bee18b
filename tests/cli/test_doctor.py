"""fmlab doctor reports what the course needs."""

from __future__ import annotations

import json

import pytest

from fmlab.cli.main import main


def test_doctor_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    names = {probe["name"] for probe in report["probes"]}
    assert {"python", "z3", "graphviz dot", "chromium"} <= names
    assert code == (0 if report["ready"] else 1)
    z3_probe = next(p for p in report["probes"] if p["name"] == "z3")
    assert z3_probe["ok"], z3_probe


def test_doctor_flags_a_missing_dot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["doctor"]) == 1
    assert "MISSING  graphviz dot" in capsys.readouterr().out
