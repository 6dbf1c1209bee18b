"""The live renderer: patching gives the same widgets as a full redraw, with less work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.mvu import App, Debugger, h, to_widgets
from fmlab.mvu._widgets import WidgetTree
from fmlab.mvu.examples import counter, leaky_counter, todo


def describe(widget: Any) -> Any:
    """What a reader sees and can do with a widget tree, as plain data."""
    name = type(widget).__name__
    if hasattr(widget, "children") and name in {"VBox", "HBox"}:
        return (name, tuple(describe(child) for child in widget.children))
    fields = ("value", "description", "disabled", "placeholder")
    return (name, tuple((f, getattr(widget, f)) for f in fields if hasattr(widget, f)))


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_patching_matches_a_full_redraw_on_the_todo_app(data: st.DataObject) -> None:
    app = App.from_module(todo)
    patched, redrawn = to_widgets(app), to_widgets(app, patch=False)
    for _ in range(data.draw(st.integers(1, 12))):
        offered = app.offered(patched.model)
        message = data.draw(st.sampled_from(offered)).message
        patched.dispatch(message)
        redrawn.dispatch(message)
        assert describe(patched.widget) == describe(redrawn.widget)
    assert patched.model == redrawn.model


def test_one_changed_row_of_a_thousand_is_one_update() -> None:
    @dataclass(frozen=True)
    class Bump:
        row: int

    def view(values: tuple[int, ...]) -> Any:
        rows = [
            h("li", {}, [f"row {i}: {v}", h("button", {"on_click": Bump(i)}, ["+1"])])
            for i, v in enumerate(values)
        ]
        return h("ul", {}, rows)

    before = tuple(range(1000))
    tree = WidgetTree(view(before), lambda message: None)
    created = tree.stats.widgets_created
    after = (*before[:500], -1, *before[501:])
    tree.update(view(after))
    assert tree.stats.widgets_created == created
    # The list, the row and the row's text: three widgets touched out of about 3,000.
    assert tree.stats.updates == 3


def test_widgets_send_the_messages_of_their_handlers() -> None:
    live = to_widgets(App.from_module(todo))
    header = live.tree.root.children[0]
    header.children[0].widget.value = "eggs"
    assert live.model.field == "eggs"
    live.click("Add")
    checkbox = live.tree.root.children[1].children[0].children[0].widget
    checkbox.value = True
    assert live.model.entries[0].done
    assert live.debugger.messages == (todo.SetField("eggs"), todo.Add(), todo.Toggle(0))


def test_a_controlled_input_shows_the_view_not_the_typing() -> None:
    live = to_widgets(App.from_module(todo))
    for index in range(todo.MAX_ENTRIES):
        live.tree.root.children[0].children[0].widget.value = f"item {index}"
        live.click("Add")
    field = live.tree.root.children[0].children[0].widget
    assert field.disabled
    assert field.value == ""


def test_clicking_a_disabled_button_is_refused() -> None:
    live = to_widgets(App.from_module(counter))
    with pytest.raises(LookupError, match="no enabled button"):
        live.click("-")


def test_the_debugger_widget_steps_through_the_session() -> None:
    debugger = Debugger(App.from_module(leaky_counter), [leaky_counter.Decrement()] * 2)
    panel = debugger.widget()
    controls, status, view = panel.children
    back, _forward, stepper, violation = controls.children
    assert stepper.max == 2
    assert "breaks inv_not_negative" in status.value
    stepper.value = 0
    assert debugger.cursor == 0
    assert "Model(count=0)" in status.value
    violation.click()
    assert debugger.cursor == 1
    back.click()
    assert debugger.cursor == 0
    # Sending a message from the past drops the later steps.
    plus = view.children[0].children[2]
    plus.click()
    assert debugger.messages == (leaky_counter.Increment(),)
    assert stepper.max == 1


def test_in_a_kernel_the_live_app_and_the_debugger_display_as_widgets() -> None:
    import nbclient
    import nbformat

    cells = [
        "from fmlab.mvu import App, Debugger, to_widgets\n"
        "from fmlab.mvu.examples import counter, leaky_counter\n"
        "live = to_widgets(App.from_module(counter))\nlive",
        "live.click('+'); live.click('+'); live.model",
        "app = App.from_module(leaky_counter)\n"
        "Debugger.replay(app, [leaky_counter.Decrement()]).widget()",
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    shown = [cell.outputs[0]["data"] for cell in notebook.cells]
    widget_view = "application/vnd.jupyter.widget-view+json"
    assert widget_view in shown[0]
    assert shown[0][widget_view]["model_id"]
    assert shown[1]["text/plain"] == "Model(count=2)"
    assert widget_view in shown[2]
