"""Strict JSON: duplicate keys rejected, and every error names its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.errors import InputError
from fmlab.core.jsonio import json_pointer, load_json_file, loads_strict


def test_duplicate_keys_are_located_by_pointer() -> None:
    text = '{"Statement": [{"Effect": "Allow"}, {"Effect": "Deny", "Effect": "Allow"}]}'
    with pytest.raises(InputError) as caught:
        loads_strict(text, source="p.json")
    assert str(caught.value) == 'p.json: /Statement/1: duplicate key "Effect"'


def test_duplicate_at_the_root() -> None:
    with pytest.raises(InputError, match=r'^p: /: duplicate key "a"$'):
        loads_strict('{"a": 1, "a": 1}', source="p")


def test_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(InputError) as caught:
        loads_strict('{\n  "a": 1,\n}', source="p.json")
    assert caught.value.line == 3
    assert str(caught.value).startswith("p.json:3:1: invalid JSON")


def test_deep_nesting_is_an_input_error() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        loads_strict("[" * 100_000 + "]" * 100_000)


def test_pointer_escapes() -> None:
    assert json_pointer([]) == ""
    assert json_pointer(["a/b", "m~n", 3]) == "/a~1b/m~0n/3"


def test_files(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text('{"x": [1, 2]}', encoding="utf-8")
    assert load_json_file(good) == {"x": [1, 2]}
    with pytest.raises(InputError, match="no such file"):
        load_json_file(tmp_path / "missing.json")
    with pytest.raises(InputError, match="is a directory"):
        load_json_file(tmp_path)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe{")
    with pytest.raises(InputError, match="not UTF-8"):
        load_json_file(binary)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_input_error(text: str) -> None:
    try:
        loads_strict(text)
    except InputError as error:
        message = str(error)
    else:
        return
    assert "\n" not in message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_valid_json_round_trips(value: object) -> None:
    import json

    assert loads_strict(json.dumps(value)) == value
