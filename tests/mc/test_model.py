"""Loading model files: the convention is read as documented, and every broken model is one
located line (file and line of the model's own code), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from fmlab.mc import LeadsTo, Model, ModelError, action_name, check, load_model
from tests.mc.conftest import MODELS

BROKEN = MODELS / "broken"


def test_the_convention_is_read_from_a_file() -> None:
    model = load_model(MODELS / "mutex_peterson.py")
    assert isinstance(model, Model)
    assert list(model.invariants) == ["inv_mutual_exclusion"]
    assert list(model.liveness) == ["leadsto_entry0"]
    assert isinstance(model.liveness["leadsto_entry0"], LeadsTo)
    assert model.weak_fairness == ("want", "yield", "enter", "leave")
    assert model.terminal is None
    assert model.where().endswith("mutex_peterson.py")


def test_a_namespace_works_like_a_file() -> None:
    namespace = {
        "init": lambda: [0],
        "next": lambda s: [("inc", s + 1)] if s < 2 else [],
        "inv_small": lambda s: s < 5,
        "terminal": lambda s: s == 2,
        "STRONG_FAIRNESS": ["inc"],
        "helper": 42,
    }
    model = Model.from_namespace(namespace, name="counter")
    assert list(model.invariants) == ["inv_small"]
    assert model.strong_fairness == ("inc",)
    assert check(model).holds


@pytest.mark.parametrize(
    ("label", "name"),
    [("StartContainer(c1)", "StartContainer"), ("tick", "tick"), (("msg", 1), "('msg', 1)")],
)
def test_action_names(label: object, name: str) -> None:
    assert action_name(label) == name


def _error(file: str) -> ModelError:
    with pytest.raises(ModelError) as caught:
        check(load_model(BROKEN / file))
    return caught.value


@pytest.mark.parametrize(
    ("file", "line", "words"),
    [
        ("raises_in_next.py", 7, "next() raised ZeroDivisionError: state two"),
        ("raises_in_invariant.py", 11, "inv_positive() raised ZeroDivisionError"),
        ("unhashable.py", 1, "not hashable"),
        ("not_pairs.py", 5, "must yield (action_label, next_state) pairs"),
    ],
)
def test_errors_in_the_model_name_its_line(file: str, line: int, words: str) -> None:
    error = _error(file)
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"{BROKEN / file}:{line}: ")
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("file", "line", "words"),
    [
        ("raises_on_import.py", 5, "ValueError"),
        ("no_next.py", None, "does not define next()"),
    ],
)
def test_files_that_do_not_load(file: str, line: int | None, words: str) -> None:
    with pytest.raises(ModelError) as caught:
        load_model(BROKEN / file)
    assert caught.value.line == line
    assert words in caught.value.message


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    # Written here rather than kept in the repository, where the linters would read it.
    broken = tmp_path / "syntax_error.py"
    broken.write_text("def init():\n    return [0]\n\n\ndef next(state)\n    yield 1\n")
    with pytest.raises(ModelError) as caught:
        load_model(broken)
    assert caught.value.line == 5
    assert "syntax error" in caught.value.message


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "absent.py")


def test_a_leadsto_that_is_not_a_pair() -> None:
    with pytest.raises(ModelError, match="leadsto_x must be a pair"):
        Model.from_namespace({"init": list, "next": list, "leadsto_x": 3})


def test_an_error_in_a_liveness_predicate_is_located() -> None:
    model = Model.from_namespace(
        {
            "init": lambda: [0],
            "next": lambda s: [("step", (s + 1) % 3)],
            "leadsto_broken": (lambda s: s == 0, lambda s: 1 / (s - 2) > 5),
        },
        name="live",
    )
    with pytest.raises(ModelError) as caught:
        check(model)
    assert "<lambda>() raised ZeroDivisionError" in caught.value.message
    assert caught.value.line is not None
