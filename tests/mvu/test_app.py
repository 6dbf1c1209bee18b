"""Apps: loading a file, running messages, effects, and errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from fmlab.mvu import App, AppError, load_app
from fmlab.mvu.examples import counter, form, path

DATA = Path(__file__).with_name("data")


def test_an_app_runs_messages_from_init() -> None:
    app = App.from_module(counter)
    models = app.run([counter.Increment(), counter.Increment(), counter.Decrement()])
    assert [model.count for model in models] == [0, 1, 2, 1]


def test_effects_are_returned_as_data_and_never_change_the_model_by_themselves() -> None:
    app = App.from_module(form)
    filled = app.run(
        [
            form.SetName("Ada"),
            form.SetEmail("ada@example.org"),
            form.SetPassword("s3cret!!"),
            form.SetConfirm("s3cret!!"),
        ]
    )[-1]
    step = app.step(filled, form.Submit())
    assert step.effects == (form.Post("/signup", "Ada", "ada@example.org"),)
    assert step.model.sent == filled.fields
    assert app.step(app.init_model(), form.Submit()).effects == ()


def test_offered_messages_are_those_of_enabled_handlers() -> None:
    app = App.from_module(counter)
    at_top = app.run([counter.Increment()] * counter.MAXIMUM)[-1]
    assert [h.message for h in app.offered(at_top)] == [counter.Decrement(), counter.Reset()]


def test_the_examples_load_from_their_files() -> None:
    app = load_app(path("todo"))
    assert app.name == "todo"
    assert "inv_ids_are_unique" in app.invariants
    assert app.source == str(path("todo"))


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("no_view.py", "no_view.py:1: defines no view()"),
        ("import_raises.py", "import_raises.py:1: importing the app raised ValueError"),
        ("missing.py", "missing.py: no such file"),
    ],
)
def test_bad_app_files_are_named_with_their_line(file: str, expected: str) -> None:
    with pytest.raises(AppError) as caught:
        load_app(DATA / file)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def init():\n    return 0\n\ndef update(model, msg)\n    return model\n")
    with pytest.raises(AppError, match=r"broken.py:4:23: syntax error"):
        load_app(broken)


def test_a_view_that_returns_no_node_names_the_view() -> None:
    app = load_app(DATA / "view_returns_int.py")
    with pytest.raises(AppError, match=r"view_returns_int.py:17: view\(model\) returned int 0"):
        app.render(app.init_model())


def test_an_exception_in_update_names_the_line_that_raised() -> None:
    app = load_app(DATA / "update_raises.py")
    model = app.init_model()
    assert app.next_model(model, app.offered(model)[0].message) == 10
    expected = r"update_raises.py:16: update\(model, msg\) .* ZeroDivision"
    with pytest.raises(AppError, match=expected):
        app.next_model(1, app.offered(model)[0].message)


def test_models_must_be_hashable() -> None:
    app = load_app(DATA / "unhashable_model.py")
    with pytest.raises(AppError, match="unhashable list"):
        app.init_model()


def test_an_app_from_a_notebooks_namespace() -> None:
    namespace = dict(vars(counter))
    app = App.from_namespace(namespace, name="my counter")
    assert app.name == "my counter"
    assert app.run([counter.Increment()])[-1] == counter.Model(1)
    del namespace["update"]
    with pytest.raises(AppError, match=r"defines no update\(\)"):
        App.from_namespace(namespace)


_PLAIN = """from fmlab.mvu import h


def init():
    return 0


def update(model, msg):
    return model


def view(model):
    return h("button", {"on_click": "go"}, [str(model)])
"""


@pytest.mark.parametrize(
    ("change", "call", "expected"),
    [
        (
            ("def init():\n    return 0", "def init():\n    0"),
            lambda app: app.init_model(),
            r"app.py:4: init\(\) returned None, not a model \(a missing return\?\)",
        ),
        (
            ("def update(model, msg):\n    return model", "def update(model, msg):\n    model"),
            lambda app: app.next_model(0, "go"),
            r"app.py:8: update\(model, msg\) returned None",
        ),
        (
            ("", "\n\ndef inv_small(model):\n    model < 3\n"),
            lambda app: app.check_invariant("inv_small", 0),
            r"app.py:16: inv_small\(model\) returned None, not True or False",
        ),
    ],
)
def test_a_forgotten_return_is_refused_not_read_as_a_model_or_false(
    tmp_path: Path, change: tuple[str, str], call: object, expected: str
) -> None:
    source = _PLAIN.replace(*change) if change[0] else _PLAIN + change[1]
    (tmp_path / "app.py").write_text(source)
    app = load_app(tmp_path / "app.py")
    assert callable(call)
    with pytest.raises(AppError, match=expected):
        call(app)


@pytest.mark.parametrize(("levels", "refused"), [(200, False), (201, True), (5000, True)])
def test_views_deeper_than_the_limit_are_refused_with_the_reason(
    levels: int, refused: bool
) -> None:
    from fmlab.mvu import check, h

    def view(model: int) -> object:
        node = h("button", {"on_click": "go"}, [str(model)])
        for _ in range(levels - 1):
            node = h("div", {}, [node])
        return node

    app = App.from_namespace(
        {"init": lambda: 0, "update": lambda m, msg: min(m + 1, 2), "view": view}, name="deep"
    )
    if refused:
        with pytest.raises(AppError, match=f"{levels:,} elements deep; fmlab.mvu takes at most"):
            app.render(0)
    else:
        # Every walk (diff, hydration, static page) copes with the deepest accepted view.
        assert check(app).exit_code == 0
