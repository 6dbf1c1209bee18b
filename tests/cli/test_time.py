"""fmlab time resolve / transitions: answers, findings and one-line errors."""

from __future__ import annotations

import json

import pytest

from fmlab.cli.main import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_resolve_the_future(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["time", "resolve", "1985-10-26T01:24", "--zone", "America/Los_Angeles", "--json"], capsys
    )
    assert code == 0
    assert json.loads(out)["utc"] == "1985-10-26T08:24:00+00:00"


def test_resolve_an_overlap_with_fold(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["time", "resolve", "1985-10-27T01:30", "--zone", "America/Los_Angeles"]
    code, out, _ = run([*argv, "--fold", "1"], capsys)
    assert code == 0
    # The text is folded to the page: read it with its line breaks as spaces.
    assert "(ambiguous, fold=1) is 1985-10-27T09:30:00+00:00" in " ".join(out.split())
    code, out, _ = run([*argv, "--policy", "strict", "--json"], capsys)
    assert code == 1
    report = json.loads(out)
    assert report["kind"] == "ambiguous"
    assert "happens twice" in report["error"]


def test_resolve_a_half_hour_gap_strictly(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["time", "resolve", "2023-10-01T02:15", "--zone", "Australia/Lord_Howe"]
    code, out, _ = run([*argv, "--policy", "strict"], capsys)
    assert code == 1
    assert out.startswith("rejected (nonexistent)")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["time", "resolve", "2024-01-01T00:00", "--zone", "Asia/Shangai"], "unknown time zone"),
        (["time", "resolve", "tuesday", "--zone", "UTC"], "not an ISO 8601"),
        (["time", "resolve", "2024-01-01T00:00Z", "--zone", "UTC"], "without an offset"),
        (["time", "transitions", "--zone", "UTC", "--from", "1990", "--to", "1980"], "first year"),
        (["time", "transitions", "--zone", "UTC", "--from", "1", "--to", "9000"], "at most"),
        (["time", "transitions", "--zone", "../etc/passwd", "--from", "1", "--to", "2"], "unknown"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_transitions_of_china_1985_to_1993(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["time", "transitions", "--zone", "Asia/Shanghai", "--from", "1985", "--to", "1993"]
    code, out, _ = run([*argv, "--json"], capsys)
    assert code == 0
    changes = json.loads(out)["transitions"]
    assert len(changes) == 12  # spring and autumn, 1986-1991
    assert changes[0] == {
        "zone": "Asia/Shanghai",
        "utc": "1986-05-03T18:00:00+00:00",
        "kind": "gap",
        "wall_before": "1986-05-04T02:00:00",
        "wall_after": "1986-05-04T03:00:00",
        "offset_before": "+08:00",
        "offset_after": "+09:00",
    }
    assert changes[-1]["utc"] == "1991-09-14T17:00:00+00:00"


def test_transitions_text_and_none(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["time", "transitions", "--zone", "Australia/Lord_Howe", "--from", "2024", "--to", "2024"],
        capsys,
    )
    assert code == 0
    assert "overlap of 30 min (UTC+11:00 -> UTC+10:30)" in " ".join(out.split())
    assert "gap of 30 min" in out
    code, out, _ = run(
        ["time", "transitions", "--zone", "Asia/Tokyo", "--from", "2000", "--to", "2001"], capsys
    )
    assert (code, out.strip()) == (0, "no offset changes in Asia/Tokyo from 2000 to 2001")


WIDEST = 76
"""The site's output boxes hold 77 characters at 1280 px; the text stays within."""


@pytest.mark.parametrize(
    "argv",
    [
        ["resolve", "1985-10-27T01:30", "--zone", "America/Los_Angeles", "--policy", "strict"],
        ["resolve", "1986-05-04T02:30", "--zone", "Asia/Shanghai", "--policy", "strict"],
        ["resolve", "1985-10-27T01:30", "--zone", "America/Argentina/ComodRivadavia"],
        ["transitions", "--zone", "Asia/Shanghai", "--from", "1986", "--to", "1991"],
        ["transitions", "--zone", "Australia/Lord_Howe", "--from", "2020", "--to", "2024"],
        [
            "transitions",
            "--zone",
            "America/Argentina/ComodRivadavia",
            "--from",
            "1960",
            "--to",
            "2010",
        ],
    ],
)
def test_the_text_fits_the_page_and_the_json_is_unchanged(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = run(["time", *argv], capsys)
    assert code in (0, 1)  # an answer or a finding, never an error
    _, raw, _ = run(["time", *argv, "--json"], capsys)
    assert max(len(line) for line in text.splitlines()) <= WIDEST, text
    report = json.loads(raw)
    # The machine form keeps one-line strings; the text says the same, folded.
    if "error" in report:
        assert "\n" not in report["error"]
        assert report["error"] in " ".join(text.split())
    if "utc" in report:
        assert report["utc"] in text
    for change in report.get("transitions", []):
        assert change["utc"][:10] in text
