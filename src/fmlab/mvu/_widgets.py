"""The live renderer: an app as ipywidgets in a kernel, updated by diffing virtual trees.

Every message gives a new model and a new view. Instead of building all widgets again
(a *full redraw*), :class:`LiveApp` pairs the old and the new virtual tree by position,
as :func:`fmlab.mvu.diff` does, and touches only what changed: a text, a button's label,
an input's value, one child of a box. Equal subtrees are skipped whole (nodes are frozen
and compare by value), so one changed row of a thousand costs one widget update.

How nodes become widgets:

* an element whose subtree has no handler is one ``HTML`` widget showing its
  :func:`~fmlab.mvu.render_html` (text, lists, tables: whatever needs no events);
* a ``button`` with a handler is a ``Button``; an ``input`` with a handler is a
  ``Checkbox`` (``type="checkbox"``), a ``Password`` or a ``Text``; typed text is sent
  when the reader presses Enter or leaves the field;
* any other element with handlers inside is a box (``HBox`` for inline and row-like
  tags, ``VBox`` for the rest) of its children's widgets.

The layout is therefore an approximation of the browser's; the models and messages are
exactly the app's. ipywidgets is imported on first use.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import counter
>>> live = to_widgets(App.from_module(counter))
>>> live.stats.widgets_created  # a box, three buttons, the count
5
>>> live.click("+")
>>> live.model, live.stats.widgets_created, live.stats.updates
(Model(count=1), 5, 3)

The three updates: the box's node, the "-" button (now enabled) and the count; the "+"
and "reset" buttons did not change and were not touched.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fmlab.mvu._app import App, Message
from fmlab.mvu._html import escape_text, render_html
from fmlab.mvu._nodes import Element, Node, Text, Typed, is_disabled, walk

if TYPE_CHECKING:
    from fmlab.mvu._debugger import Debugger

_INLINE = frozenset(
    {"span", "label", "li", "header", "footer", "p", "a", "em", "strong", "b", "i", "tr", "nav"}
)


@dataclass
class Stats:
    """What the renderer did since it started."""

    widgets_created: int = 0
    updates: int = 0
    """Widget properties set (a label, a value, a box's children) by patches."""
    redraws: int = 0


class _Mount:
    """A virtual node and the widget that shows it; ``children`` for boxes only."""

    __slots__ = ("children", "kind", "node", "quiet", "widget")

    def __init__(self, node: Node, kind: str, widget: Any, children: list[_Mount] | None) -> None:
        self.node = node
        self.kind = kind
        self.widget = widget
        self.children = children
        self.quiet = False
        """True while the renderer itself writes the widget's value (that sends nothing)."""


def _has_handlers(node: Node) -> bool:
    return any(isinstance(each, Element) and each.on for _, each in walk(node))


def _kind(node: Node) -> str:
    if isinstance(node, Text):
        return "text"
    if not _has_handlers(node):
        return "html"
    if node.tag == "button" and node.on:
        return "button"
    if node.tag == "input" and node.on:
        kind = node.attr("type")
        if kind == "checkbox":
            return "checkbox"
        return "password" if kind == "password" else "text-input"
    return "hbox" if node.tag in _INLINE else "vbox"


def _text_of(node: Node) -> str:
    return "".join(each.text for _, each in walk(node) if isinstance(each, Text))


class WidgetTree:
    """Widgets for a virtual tree, patched in place by :meth:`update`."""

    def __init__(self, node: Node, send: Callable[[Message], None]) -> None:
        import ipywidgets

        self._widgets = ipywidgets
        self._send = send
        self.stats = Stats()
        self.root = self._build(node)
        self.container = ipywidgets.VBox([self.root.widget])
        self.container.add_class("fmlab-mvu-live")

    # --- building ------------------------------------------------------------------------

    def _build(self, node: Node) -> _Mount:
        w = self._widgets
        kind = _kind(node)
        self.stats.widgets_created += 1
        if kind == "text":
            assert isinstance(node, Text)
            return _Mount(node, kind, w.HTML(value=escape_text(node.text)), None)
        assert isinstance(node, Element)
        if kind == "html":
            return _Mount(node, kind, w.HTML(value=render_html(node)), None)
        if kind == "button":
            mount = _Mount(node, kind, w.Button(), None)
            self._set_button(mount, node)
            mount.widget.on_click(lambda _button: self._fire(mount, "click"))
            return mount
        if kind in {"checkbox", "password", "text-input"}:
            return self._build_input(node, kind)
        children = [self._build(child) for child in node.children]
        box = w.HBox if kind == "hbox" else w.VBox
        widget = box([child.widget for child in children])
        widget.add_class(f"fmlab-{node.tag}")
        return _Mount(node, kind, widget, children)

    def _build_input(self, node: Element, kind: str) -> _Mount:
        w = self._widgets
        if kind == "checkbox":
            widget = w.Checkbox(indent=False, description="")
        elif kind == "password":
            widget = w.Password(continuous_update=False)
        else:
            widget = w.Text(continuous_update=False)
        mount = _Mount(node, kind, widget, None)
        self._set_input(mount, node)

        def changed(change: dict[str, Any]) -> None:
            if mount.quiet:
                return
            event = "click" if kind == "checkbox" else "input"
            self._fire(mount, event, None if kind == "checkbox" else str(change["new"]))

        widget.observe(changed, names="value")
        return mount

    def _set_button(self, mount: _Mount, node: Element) -> None:
        mount.widget.description = _text_of(node)
        mount.widget.disabled = is_disabled(node)

    def _set_input(self, mount: _Mount, node: Element) -> None:
        widget = mount.widget
        mount.quiet = True
        try:
            if mount.kind == "checkbox":
                widget.value = node.attr("checked") not in (None, False)
            else:
                widget.value = str(node.attr("value") or "")
                widget.placeholder = str(node.attr("placeholder") or "")
            widget.disabled = is_disabled(node)
        finally:
            mount.quiet = False

    def _fire(self, mount: _Mount, event: str, typed: str | None = None) -> None:
        node = mount.node
        if not isinstance(node, Element) or is_disabled(node):
            return
        for name, message in node.on:
            if name == event or (typed is not None and name in {"input", "change"}):
                if isinstance(message, Typed):
                    if typed is None:
                        continue
                    message = message.constructor(typed)
                self._send(message)
                if mount.kind in {"checkbox", "password", "text-input"}:
                    # A controlled input: it shows what the view says, not what was typed.
                    assert isinstance(mount.node, Element)
                    self._set_input(mount, mount.node)
                return

    # --- patching ------------------------------------------------------------------------

    def update(self, node: Node) -> None:
        """Show ``node``, patching the widgets of the previous tree in place."""
        mount = self._patch(self.root, node)
        if mount is not self.root:
            self.root = mount
            self.container.children = (mount.widget,)
            self.stats.updates += 1

    def redraw(self, node: Node) -> None:
        """Show ``node`` by building every widget again (the baseline patches beat)."""
        self.stats.redraws += 1
        self.root = self._build(node)
        self.container.children = (self.root.widget,)

    def _patch(self, mount: _Mount, node: Node) -> _Mount:
        old = mount.node
        if old is node or old == node:
            return mount
        kind = _kind(node)
        if kind != mount.kind or (
            isinstance(old, Element) and isinstance(node, Element) and old.tag != node.tag
        ):
            return self._build(node)
        mount.node = node
        self.stats.updates += 1
        if kind == "text":
            assert isinstance(node, Text)
            mount.widget.value = escape_text(node.text)
        elif kind == "html":
            mount.widget.value = render_html(node)
        elif kind == "button":
            assert isinstance(node, Element)
            self._set_button(mount, node)
        elif kind in {"checkbox", "password", "text-input"}:
            assert isinstance(node, Element)
            self._set_input(mount, node)
        else:
            assert isinstance(node, Element)
            assert mount.children is not None
            self._patch_children(mount, node)
        return mount

    def _patch_children(self, mount: _Mount, node: Element) -> None:
        assert mount.children is not None
        old_children = mount.children
        new_children: list[_Mount] = []
        changed = len(old_children) != len(node.children)
        for index, child in enumerate(node.children):
            if index < len(old_children):
                patched = self._patch(old_children[index], child)
                changed = changed or patched is not old_children[index]
                new_children.append(patched)
            else:
                new_children.append(self._build(child))
        mount.children = new_children
        if changed:
            mount.widget.children = tuple(child.widget for child in new_children)


class LiveApp:
    """An app running in the kernel: send messages, and the widgets follow."""

    def __init__(self, app: App, *, patch: bool = True) -> None:
        # Through the package face: _debugger reaches this module's debugger_widget.
        from fmlab.mvu import Debugger

        self.app = app
        self.patch = patch
        self.debugger = Debugger(app)
        self._view = app.render(self.debugger.model)
        self.tree = WidgetTree(self._view, self.dispatch)

    @property
    def model(self) -> Hashable:
        return self.debugger.model

    @property
    def stats(self) -> Stats:
        return self.tree.stats

    @property
    def widget(self) -> Any:
        return self.tree.container

    def dispatch(self, message: Message) -> None:
        """Send ``message``: update the model, record it, and patch (or redraw) the widgets."""
        self.debugger.dispatch(message)
        self.show(self.app.render(self.debugger.model))

    def show(self, view: Node) -> None:
        self._view = view
        if self.patch:
            self.tree.update(view)
        else:
            self.tree.redraw(view)

    def click(self, label: str) -> None:
        """Click the enabled button whose label is ``label`` (for tests and notebooks)."""
        for _, each in walk(self._view):
            if (
                isinstance(each, Element)
                and each.tag == "button"
                and _text_of(each) == label
                and not is_disabled(each)
            ):
                for event, message in each.on:
                    if event == "click":
                        self.dispatch(message)
                        return
        raise LookupError(f"no enabled button labelled {label!r}")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Shown as its widget in a notebook.
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<live {self.app.name}: {self.model!r}>"


def to_widgets(app: App, *, patch: bool = True) -> LiveApp:
    """Run ``app`` as ipywidgets; ``patch=False`` redraws everything on every message."""
    return LiveApp(app, patch=patch)


def debugger_widget(debugger: Debugger) -> Any:
    """Controls to step through ``debugger``'s session, above the view of the current step.

    The view stays live: sending a message from a past step continues the session from
    there (the later steps are dropped).

    The step is chosen in a number field labelled "step" (its arrows and arrow keys move
    one step), not an ``IntSlider``: ipywidgets 8 draws its slider with noUiSlider and
    gives the handle (``role="slider"``) no accessible name, whatever the description or
    tooltip say (axe: aria-input-field-name), while a number field's ``<label for>``
    names it. Buttons are as wide as their labels and the bar wraps, so at 390 px no
    label is cut to "for...".
    """
    import ipywidgets as w

    status = w.HTML()
    stepper = w.BoundedIntText(
        min=0,
        max=0,
        description="step",
        style={"description_width": "initial"},
        layout=w.Layout(width="8em"),
    )
    labels = {"back": "back", "forward": "forward", "violation": "jump to violation"}
    buttons = {
        name: w.Button(description=label, layout=w.Layout(width="auto"))
        for name, label in labels.items()
    }
    tree: WidgetTree | None = None

    def refresh() -> None:
        entry = debugger.current
        stepper.max = len(debugger.entries) - 1
        stepper.value = debugger.cursor
        broken = f" <b>breaks {', '.join(entry.broken)}</b>" if entry.broken else ""
        sent = "init" if entry.message is None else repr(entry.message)
        status.value = (
            f"<code>step {entry.index}: {escape_text(sent)} &rarr; "
            f"{escape_text(repr(entry.model))}</code>{broken}"
        )
        buttons["violation"].disabled = debugger.first_violation() is None
        if tree is not None:
            tree.update(debugger.view())

    def send(message: Message) -> None:
        debugger.dispatch(message)
        refresh()

    tree = WidgetTree(debugger.view(), send)

    def moved_by(move: Callable[[], object]) -> Callable[[Any], None]:
        def clicked(_button: Any) -> None:
            move()
            refresh()

        return clicked

    buttons["back"].on_click(moved_by(debugger.back))
    buttons["forward"].on_click(moved_by(debugger.forward))
    buttons["violation"].on_click(moved_by(debugger.jump_to_violation))

    def stepped(change: dict[str, Any]) -> None:
        if change["new"] != debugger.cursor:
            debugger.goto(int(change["new"]))
            refresh()

    stepper.observe(stepped, names="value")
    refresh()
    controls = w.HBox(
        [buttons["back"], buttons["forward"], stepper, buttons["violation"]],
        layout=w.Layout(flex_flow="row wrap", align_items="center"),
    )
    return w.VBox([controls, status, tree.container])
