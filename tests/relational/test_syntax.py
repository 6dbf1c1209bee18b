"""Terms are well-typed by arity and print as Alloy text."""

from __future__ import annotations

import pytest

from fmlab.relational._syntax import (
    Relation,
    Signature,
    all_,
    conjunction,
    exists,
    lone,
    no,
    one,
    some,
)

Person = Signature("Person")
Car = Signature("Car")
parent = Relation("parent", (Person, Person))
owns = Relation("owns", (Person, Car))
Color = Signature("Color", ("Red", "Blue"))


def test_arity_of_operators() -> None:
    assert (Person * Car).arity() == 2
    assert (parent @ owns).arity() == 2
    assert (Person @ owns).arity() == 1
    assert (~owns).arity() == 2
    assert (Person * Car * Person).arity() == 3


@pytest.mark.parametrize(
    "build",
    [
        lambda: Person + parent,
        lambda: Person & parent,
        lambda: Person - parent,
        lambda: Person @ Car,
        lambda: ~Person,
        lambda: Person.closure(),
        lambda: Person.in_(parent),
        lambda: Person.eq(parent),
    ],
)
def test_ill_typed_terms_are_rejected(build: object) -> None:
    with pytest.raises(TypeError):
        build()  # type: ignore[operator]


def test_alloy_text() -> None:
    assert str(Person @ owns) == "Person.owns"
    assert str(Person * Car) == "(Person -> Car)"
    assert str(~parent + parent) == "(~parent + parent)"
    assert str(parent.closure() - parent) == "(^parent - parent)"
    assert str(some(owns) & no(parent)) == "(some owns and no parent)"
    assert str(~one(Person)) == "not one Person"
    assert str(lone(Car).implies(some(Car))) == "(lone Car implies some Car)"
    assert str(exists(Person, Car, lambda p, c: (p * c).in_(owns))) == (
        "some p: Person | some c: Car | (p -> c) in owns"
    )
    assert str(Color["Red"]) == "Red"


def test_quantifier_variables_are_distinct_objects() -> None:
    formula = all_(Person, lambda p: all_(Person, lambda p: no(p @ parent)))
    inner = formula.body  # type: ignore[attr-defined]
    assert formula.variable is not inner.variable  # type: ignore[attr-defined]


def test_quantifier_misuse() -> None:
    with pytest.raises(TypeError):
        all_(Person)
    with pytest.raises(TypeError):
        all_(parent, lambda p: no(p))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        exists(Person, lambda p: p)  # type: ignore[arg-type, return-value]


def test_enum_atoms() -> None:
    with pytest.raises(KeyError):
        Color["Green"]
    with pytest.raises(KeyError):
        Person["x"]


def test_conjunction() -> None:
    assert str(conjunction()) == "true"
    assert str(conjunction(some(Person))) == "some Person"
    assert str(conjunction(some(Person), no(Car))) == "(some Person and no Car)"
