"""Messages as JSON: every message the todo app's view offers round-trips."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest

from fmlab.core.errors import InputError
from fmlab.mvu import App, decode_messages, encode_message, explore
from fmlab.mvu.examples import todo


class Colour(enum.Enum):
    RED = 1


@dataclass(frozen=True)
class Paint:
    colour: Colour
    where: tuple[int, ...]


def test_every_offered_message_round_trips() -> None:
    app = App.from_module(todo)
    messages = {message for _, message, _ in explore(app, max_states=300).edges()}
    assert len(messages) > 5
    for message in messages:
        assert decode_messages([encode_message(message)], vars(todo)) == [message]


def test_enums_tuples_and_plain_values() -> None:
    message = Paint(Colour.RED, (1, 2))
    encoded = encode_message(message)
    assert encoded == {
        "type": "Paint",
        "colour": {"type": "Colour", "member": "RED"},
        "where": [1, 2],
    }
    namespace = {"Paint": Paint, "Colour": Colour}
    assert decode_messages([encoded, "tick", 3, None], namespace) == [message, "tick", 3, None]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"type": "Add"}, "expected a JSON list"),
        ([{"id": 1}], '/0: a message object needs "type"'),
        ([{"type": "Nope"}], "/0/type: the app defines no class 'Nope'"),
        ([{"type": "Add"}, {"type": "Toggle", "idx": 1}], "/1/idx: Toggle has no field 'idx'"),
        ([{"type": "Toggle"}], "/0: cannot make Toggle"),
        ([{"type": "FILTERS"}], "/0/type: the app defines no class 'FILTERS'"),
    ],
)
def test_bad_messages_name_the_place(data: object, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_messages(data, vars(todo), source="m.json")
    assert expected in str(caught.value)
    assert str(caught.value).startswith("m.json")
