"""Trace inclusion through a label mapping: internal steps stutter, nondeterministic
specifications are followed exactly, and a broken mapping is caught with its first
diverging trace."""

from __future__ import annotations

from fmlab.core.result import Proved, Refuted
from fmlab.mc import Divergence, Model, check_refinement


def _switch() -> Model:
    """The specification: a switch that alternates on and off."""
    return Model(
        lambda: ["off"],
        lambda s: [("turn_on", "on")] if s == "off" else [("turn_off", "off")],
        name="switch",
    )


def _impl(*, broken: bool) -> Model:
    """A switch with a button: press(s) and an internal debounce step."""

    def step(state: tuple[str, bool]) -> list[tuple[str, tuple[str, bool]]]:
        light, bouncing = state
        if bouncing:
            return [("debounce", (light, False))]
        flipped = "on" if light == "off" else "off"
        moves = [(f"press({flipped})", (flipped, True))]
        if broken and light == "on":
            moves.append(("press(on)", ("on", True)))  # pressing "on" again
        return moves

    return Model(lambda: [("off", False)], step, name="button")


MAPPING = {"debounce": None, "press(on)": "turn_on", "press(off)": "turn_off"}


def test_a_correct_implementation_is_included() -> None:
    result = check_refinement(_impl(broken=False), _switch(), label_map=MAPPING)
    assert isinstance(result, Proved)
    assert result.bound is not None
    assert result.bound.endswith("exhaustive")


def test_the_first_divergence_is_shortest_and_explained() -> None:
    result = check_refinement(_impl(broken=True), _switch(), label_map=MAPPING)
    assert isinstance(result, Refuted)
    divergence = result.witness
    assert isinstance(divergence, Divergence)
    assert divergence.implementation.actions == ("press(on)", "debounce", "press(on)")
    assert divergence.mapped == ("turn_on", None, "turn_on")
    assert divergence.rejected == "turn_on"
    assert divergence.offered == ("turn_off",)
    assert divergence.specification.states == ("off", "on")
    assert "cannot do turn_on" in repr(divergence)


def test_mapping_by_action_name_carries_arguments() -> None:
    spec = Model(lambda: [0], lambda s: [(f"Start(c{s})", s + 1)] if s < 2 else [])
    impl = Model(lambda: [0], lambda s: [(f"app_start(c{s})", s + 1)] if s < 2 else [])
    assert check_refinement(impl, spec, label_map={"app_start": "Start"}).proved
    wrong = Model(lambda: [0], lambda s: [(f"app_start(c{1 - s})", s + 1)] if s < 2 else [])
    result = check_refinement(wrong, spec, label_map={"app_start": "Start"})
    assert isinstance(result, Refuted)
    assert result.witness.implementation.actions == ("app_start(c1)",)


def test_a_nondeterministic_specification_is_followed_as_a_set() -> None:
    # The spec may go a->b or a->c; after b only x, after c only y. An implementation doing
    # "go" then "y" is included (through c), "go, x, y" is not.
    spec_steps = {"a": [("go", "b"), ("go", "c")], "b": [("x", "a")], "c": [("y", "a")]}
    spec = Model(lambda: ["a"], lambda s: spec_steps[s])
    good = Model(lambda: [0], lambda s: [("go", 1)] if s == 0 else [("y", 0)])
    assert check_refinement(good, spec).proved
    bad_steps = {0: [("go", 1)], 1: [("x", 2)], 2: [("y", 0)]}
    bad = Model(lambda: [0], lambda s: bad_steps[s])
    result = check_refinement(bad, spec)
    assert isinstance(result, Refuted)
    assert result.witness.implementation.actions == ("go", "x", "y")


def test_the_model_label_map_is_the_default() -> None:
    impl = _impl(broken=False)
    with_map = Model(impl.init, impl.next, label_map=MAPPING, name="button")
    assert check_refinement(with_map, _switch()).proved
    assert check_refinement(impl, _switch()).refuted  # without the map: press(on) is unknown
