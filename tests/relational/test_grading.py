"""Exercise feedback: right answers pass, wrong ones get a world, never the answer."""

from __future__ import annotations

from fmlab.core.instance import Instance
from fmlab.relational._evaluate import holds
from fmlab.relational._examples import access_model, unusable_role_reference
from fmlab.relational._grading import grade
from fmlab.relational._syntax import exists, some


def test_the_reference_grades_itself_correct() -> None:
    world = access_model(2)
    feedback = grade(world.model, unusable_role_reference(world), unusable_role_reference(world))
    assert feedback.correct
    assert feedback.world is None
    assert feedback._repr_markdown_().startswith("✅")


def test_a_too_weak_answer_gets_a_world_where_it_wrongly_holds() -> None:
    world = access_model(2)
    too_weak = exists(world.Role, lambda r: some(world.statements_of(r)))
    feedback = grade(world.model, too_weak, unusable_role_reference(world), what="it")
    assert not feedback.correct
    assert isinstance(feedback.world, Instance)
    assert holds(too_weak, feedback.world)
    assert not holds(unusable_role_reference(world), feedback.world)
    assert "it holds in this world" in feedback.message
    # The reference's name may appear, its text must not.
    assert "allowed" not in feedback.message


def test_a_too_strong_answer_gets_a_world_where_it_wrongly_fails() -> None:
    world = access_model(2)
    too_strong = exists(world.Role, lambda r: some(r) & ~some(r))
    feedback = grade(world.model, too_strong, unusable_role_reference(world))
    assert not feedback.correct
    assert "is false in this world" in feedback.message
