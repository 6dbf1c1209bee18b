"""Input errors print as one line that says where."""

from __future__ import annotations

import pytest

from fmlab.core.errors import InputError


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (InputError("bad", source="f.json", pointer="/a/0"), "f.json: /a/0: bad"),
        (InputError("bad", source="f.py", line=3), "f.py:3: bad"),
        (InputError("bad", source="f.py", line=3, column=7), "f.py:3:7: bad"),
        (InputError("bad", line=3), "line 3: bad"),
        (InputError("bad", pointer="spec.containers[0]"), "spec.containers[0]: bad"),
        (InputError("bad"), "bad"),
        (InputError("two\nlines", source="f"), "f: two lines"),
    ],
)
def test_format(error: InputError, text: str) -> None:
    assert str(error) == text
    assert "\n" not in str(error)


def test_with_source_fills_in_a_missing_file_only() -> None:
    assert str(InputError("bad", line=2).with_source("x.yaml")) == "x.yaml:2: bad"
    assert InputError("bad", source="a").with_source("b").source == "a"
