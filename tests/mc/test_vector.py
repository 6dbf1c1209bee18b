"""The fast path gives the same answers as the plain path: state and transition counts,
verdicts and shortest trace lengths, in both its dense and its sparse store."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.cli.main import main
from fmlab.mc import (
    Model,
    ModelError,
    Report,
    Status,
    VectorAction,
    VectorModel,
    check,
    load_model,
)

BENCH_MODELS = Path(__file__).resolve().parents[2] / "benchmarks" / "mc" / "models"


@pytest.fixture(params=["dense", "sparse", "sparse, small chunks"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param.startswith("sparse"):
        monkeypatch.setattr("fmlab.mc._vector.DENSE_CODES", 0)
    if request.param.endswith("small chunks"):
        monkeypatch.setattr("fmlab.mc._vector._CHUNK", 7)
    return str(request.param)


def summary(report: Report) -> list[tuple[str, str, int | None]]:
    return [
        (p.name, p.status.value, None if p.trace is None else len(p.trace))
        for p in report.properties
    ]


def _load_grid(name: str, monkeypatch: pytest.MonkeyPatch, k: int, m: int) -> Any:
    monkeypatch.setenv("GRID_K", str(k))
    monkeypatch.setenv("GRID_M", str(m))
    return load_model(BENCH_MODELS / f"{name}.py")


@pytest.mark.parametrize(("k", "m"), [(1, 5), (3, 4), (4, 3)])
def test_grid_fast_path_matches_the_plain_files(
    store: str, monkeypatch: pytest.MonkeyPatch, k: int, m: int
) -> None:
    vector = check(_load_grid("grid_vector", monkeypatch, k, m))
    for plain_file in ("grid", "grid_tuple"):
        plain = check(_load_grid(plain_file, monkeypatch, k, m))
        assert (vector.states, vector.transitions) == (plain.states, plain.transitions)
        assert vector.states == m**k
        assert vector.transitions == k * m**k
        assert summary(vector) == summary(plain)
    assert vector.holds
    assert os.environ["GRID_K"] == str(k)


def test_a_violation_has_a_shortest_trace_of_named_tuples(store: str) -> None:
    model = VectorModel(
        variables={"x": 5, "y": 5},
        init=[{"x": 0}],
        actions=[
            VectorAction("incx", lambda v: v["x"] < 4, lambda v: {"x": v["x"] + 1}),
            VectorAction("incy", lambda v: v.y < 4, lambda v: {"y": v.y + 1}),
        ],
        invariants={"inv_corner": lambda v: (v["x"] < 3) | (v["y"] < 2)},
    )
    report = check(model)
    trace = report["inv_corner"].trace
    assert trace is not None
    assert len(trace) == 5
    assert (trace.states[-1].x, trace.states[-1].y) == (3, 2)
    assert report["deadlock"].status is Status.VIOLATED  # (4, 4) has no successor
    assert len(report["deadlock"].trace or ()) == 8


def test_terminal_accepts_ends(store: str) -> None:
    model = VectorModel(
        variables={"x": 3},
        init=[{"x": 0}],
        actions=[VectorAction("inc", lambda v: v["x"] < 2, lambda v: {"x": v["x"] + 1})],
        terminal=lambda v: v["x"] == 2,
    )
    assert check(model).holds


def test_an_update_outside_the_domain_is_bad_input(store: str) -> None:
    model = VectorModel(
        variables={"x": 3},
        init=[{"x": 0}],
        actions=[VectorAction("inc", None, lambda v: {"x": v["x"] + 1})],
    )
    with pytest.raises(ModelError, match=r"sets x to 3, outside 0\.\.2"):
        check(model)
    with pytest.raises(ModelError, match=r"sets x to 3, outside 0\.\.2"):
        check(model.to_plain_model())


def test_bounds_answer_unknown_on_both_paths(store: str) -> None:
    model = VectorModel(
        variables={"x": 10, "y": 10},
        init=[{}],
        actions=[
            VectorAction("incx", None, lambda v: {"x": (v["x"] + 1) % 10}),
            VectorAction("incy", None, lambda v: {"y": (v["y"] + 1) % 10}),
        ],
        invariants={"inv_true": lambda v: v["x"] >= 0},
    )
    for bounds in ({"max_states": 30}, {"max_depth": 3}):
        fast = check(model, **bounds)
        plain = check(model.to_plain_model(), **bounds)
        assert summary(fast) == summary(plain)
        assert {p.status for p in fast.properties} == {Status.UNKNOWN}
    assert check(model, max_states=30).states == 30
    assert check(model, max_depth=3).states == check(model.to_plain_model(), max_depth=3).states
    assert check(model, max_depth=18).holds  # the diameter is 18: nothing lies beyond


# --- random models ------------------------------------------------------------------------

NAMES = ("a", "b", "c")


def _guard(kind: str, name: str, constant: int) -> Callable[[Any], Any] | None:
    if kind == "always":
        return None
    if kind == "less":
        return lambda v: v[name] < constant
    return lambda v: v[name] != constant


def _update(target: str, source: str, add: int, size: int) -> Callable[[Any], Any]:
    return lambda v: {target: (v[source] + add) % size}


@st.composite
def vector_models(draw: st.DrawFn) -> VectorModel:
    sizes = {name: draw(st.integers(1, 4)) for name in NAMES}
    actions = []
    for index in range(draw(st.integers(1, 4))):
        target, source, guarded = (draw(st.sampled_from(NAMES)) for _ in range(3))
        kind = draw(st.sampled_from(["always", "less", "not"]))
        actions.append(
            VectorAction(
                f"act{index}",
                _guard(kind, guarded, draw(st.integers(0, 3))),
                _update(target, source, draw(st.integers(0, 3)), sizes[target]),
            )
        )
    invariant_name = draw(st.sampled_from(NAMES))
    forbidden = draw(st.integers(0, 3))
    init = [
        {name: draw(st.integers(0, sizes[name] - 1)) for name in NAMES}
        for _ in range(draw(st.integers(1, 2)))
    ]
    return VectorModel(
        variables=sizes,
        init=init,
        actions=actions,
        invariants={"inv_avoid": lambda v: v[invariant_name] != forbidden},
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vector_models(), st.sampled_from(["dense", "sparse"]), st.sampled_from([2, 5, 1 << 17]))
def test_random_models_agree_with_the_plain_path(model: VectorModel, mode: str, chunk: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if mode == "sparse":
            patch.setattr("fmlab.mc._vector.DENSE_CODES", 0)
        patch.setattr("fmlab.mc._vector._CHUNK", chunk)  # levels split into chunks too
        fast = check(model)
    plain = check(model.to_plain_model())
    if fast.complete and plain.complete:
        # (A search that found every property violated stops early, each path at its own
        # granularity: a state for the plain path, a level for the fast one.)
        assert (fast.states, fast.transitions) == (plain.states, plain.transitions)
    assert summary(fast) == summary(plain)


def test_the_plain_view_is_a_model_in_the_convention() -> None:
    model = VectorModel(
        variables={"x": 2},
        init=[{"x": 0}],
        actions=[VectorAction("flip", None, lambda v: {"x": 1 - v["x"]})],
    )
    plain = model.to_plain_model()
    assert isinstance(plain, Model)
    (start,) = plain.init()
    steps: Iterator[tuple[str, Any]] = iter(plain.next(start))
    assert [(label, state.x) for label, state in steps] == [("flip", 1)]


def _vector_file(folder: Path, guard_body: str, init: str = '{"x": 0}') -> Path:
    path = folder / "vector_model.py"
    path.write_text(
        "from fmlab.mc import VectorAction, VectorModel\n\n\n"
        f"def guard(v):\n    return {guard_body}\n\n\n"
        'model = VectorModel(\n    variables={"x": 3},\n'
        f"    init=[{init}],\n"
        '    actions=[VectorAction("inc", guard, lambda v: {"x": (v["x"] + 1) % 3})],\n)\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("guard_body", "says"),
    [
        ('v["y"] < 1', "guard() raised KeyError: \"no variable 'y' (the model has x)\""),
        # numpy only warns on arrays; the fast path makes it an error, as on integers.
        ('v["x"] / 0 < 1', "guard() raised FloatingPointError: invalid value"),
    ],
    ids=["unknown variable", "division by zero"],
)
def test_an_error_in_a_guard_names_the_guards_line(
    tmp_path: Path, guard_body: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The plain view's wrappers live in fmlab's own files: an error was once located at
    # their line under the model file's name.
    file = _vector_file(tmp_path, guard_body)
    assert main(["mc", "check", str(file)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"fmlab: error: {file}:5: {says}")
    assert error.count("\n") == 1


@pytest.mark.parametrize(
    ("init", "says"),
    [
        ('{"x": 5}', "init[0] sets x to 5, outside 0..2"),
        ('{"y": 0}', "init[0] names unknown variable 'y' (the model has x)"),
    ],
)
def test_initial_values_are_checked_against_the_domains(
    tmp_path: Path, init: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _vector_file(tmp_path, "True", init)
    assert main(["mc", "check", str(file)]) == 2
    error = capsys.readouterr().err
    assert error == f"fmlab: error: {file}:8: while importing the model: {says}\n"


@pytest.mark.parametrize(
    ("guard_body", "says"),
    [
        ('v["x"] < 2 and v["y"] == 0', "combine conditions with & and |"),
        ('v["x"] < 2 if v["y"] == 0 else False', "combine conditions with & and |"),
    ],
    ids=["and", "if"],
)
def test_python_logic_on_arrays_gets_a_hint(
    tmp_path: Path, guard_body: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _vector_file(tmp_path, guard_body.replace('v["y"]', 'v["x"]'), '{"x": 0}, {"x": 1}')
    assert main(["mc", "check", str(file)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"fmlab: error: {file}:5: guard() raised ValueError")
    assert says in error


@pytest.mark.parametrize("where", ["guard", "invariant"])
def test_a_vector_function_returning_none_is_bad_input(where: str) -> None:
    # Read as False, it silently disabled an action or broke an invariant (and the replay,
    # through bool(), agreed).
    def missing_return(v: Any) -> None:
        v["x"] < 2  # noqa: B015 (the bug this test is about)

    model = VectorModel(
        variables={"x": 3},
        init=[{"x": 0}],
        actions=[
            VectorAction(
                "inc",
                missing_return if where == "guard" else None,
                lambda v: {"x": (v["x"] + 1) % 3},
            )
        ],
        invariants={"inv_x": missing_return} if where == "invariant" else {},
    )
    for candidate in (model, model.to_plain_model()):
        with pytest.raises(ModelError, match=r"returned None \(a missing return\?\)"):
            check(candidate)
