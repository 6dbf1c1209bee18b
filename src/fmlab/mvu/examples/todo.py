"""A todo list, after TodoMVC: add, tick, delete, filter, clear the completed entries.

Its models are unbounded (every entry gets a fresh id), so exploration is bounded by a
number of models; the invariants are about ids and the filter.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import todo
>>> app = App.from_module(todo)
>>> model = app.run([SetField("milk"), Add(), SetField("eggs"), Add(), Toggle(0)])[-1]
>>> [(entry.text, entry.done) for entry in model.entries]
[('milk', True), ('eggs', False)]
>>> left(model)
1
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fmlab.mvu import Element, Typed, h

FILTERS = ("all", "active", "done")
MAX_ENTRIES = 4
"""The input is disabled once the list is this long (it keeps the example small)."""


@dataclass(frozen=True)
class Entry:
    id: int
    text: str
    done: bool = False


@dataclass(frozen=True)
class Model:
    entries: tuple[Entry, ...] = ()
    field: str = ""
    next_id: int = 0
    filter: str = "all"


@dataclass(frozen=True)
class SetField:
    text: str


@dataclass(frozen=True)
class Add:
    pass


@dataclass(frozen=True)
class Toggle:
    id: int


@dataclass(frozen=True)
class Delete:
    id: int


@dataclass(frozen=True)
class ToggleAll:
    pass


@dataclass(frozen=True)
class ClearDone:
    pass


@dataclass(frozen=True)
class Show:
    filter: str


Msg = SetField | Add | Toggle | Delete | ToggleAll | ClearDone | Show

INPUT_SAMPLES = ("", "milk", "eggs")


def init() -> Model:
    return Model()


def left(model: Model) -> int:
    """How many entries are not done."""
    return sum(1 for entry in model.entries if not entry.done)


def update(model: Model, msg: Msg) -> Model:
    match msg:
        case SetField(text):
            return replace(model, field=text)
        case Add() if model.field.strip() and len(model.entries) < MAX_ENTRIES:
            entry = Entry(model.next_id, model.field.strip())
            return replace(
                model, entries=(*model.entries, entry), field="", next_id=model.next_id + 1
            )
        case Toggle(id):
            return replace(
                model,
                entries=tuple(
                    replace(entry, done=not entry.done) if entry.id == id else entry
                    for entry in model.entries
                ),
            )
        case Delete(id):
            return replace(model, entries=tuple(e for e in model.entries if e.id != id))
        case ToggleAll():
            everything_done = left(model) == 0
            return replace(
                model,
                entries=tuple(replace(e, done=not everything_done) for e in model.entries),
            )
        case ClearDone():
            return replace(model, entries=tuple(e for e in model.entries if not e.done))
        case Show(name) if name in FILTERS:
            return replace(model, filter=name)
    return model


def _shown(model: Model) -> tuple[Entry, ...]:
    if model.filter == "active":
        return tuple(entry for entry in model.entries if not entry.done)
    if model.filter == "done":
        return tuple(entry for entry in model.entries if entry.done)
    return model.entries


def _item(entry: Entry) -> Element:
    return h(
        "li",
        {"class": "done" if entry.done else "active"},
        [
            h("input", {"type": "checkbox", "checked": entry.done, "on_click": Toggle(entry.id)}),
            h("span", {}, [entry.text]),
            h("button", {"class": "delete", "on_click": Delete(entry.id)}, ["×"]),
        ],
    )


def view(model: Model) -> Element:
    full = len(model.entries) >= MAX_ENTRIES
    header = h(
        "header",
        {},
        [
            h(
                "input",
                {
                    "placeholder": "What needs doing?",
                    "value": model.field,
                    "disabled": full,
                    "on_input": Typed(SetField),
                },
            ),
            h("button", {"on_click": Add(), "disabled": full or not model.field.strip()}, ["Add"]),
        ],
    )
    filters = [
        h(
            "button",
            {"class": "selected" if name == model.filter else "", "on_click": Show(name)},
            [name],
        )
        for name in FILTERS
    ]
    footer = h(
        "footer",
        {},
        [
            h("span", {"class": "left"}, [f"{left(model)} left"]),
            *filters,
            h("button", {"on_click": ToggleAll(), "disabled": not model.entries}, ["tick all"]),
            h(
                "button",
                {"on_click": ClearDone(), "disabled": left(model) == len(model.entries)},
                ["clear done"],
            ),
        ],
    )
    return h(
        "section",
        {"class": "todo"},
        [header, h("ul", {}, [_item(entry) for entry in _shown(model)]), footer],
    )


def inv_ids_are_unique(model: Model) -> bool:
    ids = [entry.id for entry in model.entries]
    return len(ids) == len(set(ids))


def inv_ids_below_next(model: Model) -> bool:
    return all(0 <= entry.id < model.next_id for entry in model.entries)


def inv_no_blank_entries(model: Model) -> bool:
    return all(entry.text.strip() for entry in model.entries)


def inv_known_filter(model: Model) -> bool:
    return model.filter in FILTERS
