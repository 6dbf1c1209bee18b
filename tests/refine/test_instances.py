"""Instantiating what is known of list elements and reflected definitions, per read."""

from __future__ import annotations

import z3

from fmlab.refine._instances import Definition, Knowledge, Relation, instantiate


def _entails(facts: list[z3.BoolRef], claim: z3.BoolRef) -> bool:
    solver = z3.Solver()
    solver.add(*facts, z3.Not(claim))
    return solver.check() == z3.unsat


def test_element_facts_reach_reads_of_slices_and_concatenations() -> None:
    xs = z3.Const("xs", z3.SeqSort(z3.IntSort()))
    knowledge = Knowledge()
    knowledge.note_elements(xs, lambda item: [item > 0])
    i = z3.Int("i")
    read = z3.Concat(z3.Unit(z3.IntVal(5)), z3.SubSeq(xs, 1, z3.Length(xs) - 1))[i]
    inside = z3.And(i >= 0, i < z3.Length(xs))
    facts = instantiate([read > 0], knowledge)
    assert _entails([*facts, inside], read > 0)
    assert not _entails([inside], read > 0)  # without the instances it does not follow


def test_a_definition_unfolds_until_the_fuel_runs_out_and_says_so() -> None:
    total = z3.Function("total", z3.IntSort(), z3.IntSort())

    def equation(arguments: tuple[z3.ExprRef, ...]) -> z3.BoolRef:
        [a] = arguments
        ground = z3.simplify(a)
        body = z3.If(ground <= 0, z3.IntVal(0), ground + total(ground - 1))
        return total(a) == z3.simplify(body)

    knowledge = Knowledge(definitions={"total": Definition("total", total, equation)})
    cut: set[str] = set()
    facts = instantiate([total(z3.IntVal(4)) == 10], knowledge, cut=cut)
    assert not cut
    assert _entails(facts, total(z3.IntVal(4)) == 10)
    n = z3.Int("n")
    cut = set()
    instantiate([total(n) > 0], knowledge, cut=cut, fuel=3)
    assert cut == {"total"}
    cut = set()
    instantiate([total(n) > 0], knowledge, cut=cut, literal_only=True)
    assert cut == {"total"}


def test_a_sorted_list_relation_proves_insertion_and_refutes_appending() -> None:
    from fmlab.refine import Status, check_source

    head = "from typing import Annotated\n\n#@ relation ascending(a: int, b: int): a <= b\n\n"
    sorted_list = 'Annotated[list[int], "ascending(_)"]'
    good = f"def cons(x: int, ys: {sorted_list}) -> {sorted_list}:\n"
    good += "    if len(ys) > 0 and x > ys[0]:\n        return ys\n    return [x, *ys]\n"
    bad = f"def snoc(x: int, ys: {sorted_list}) -> {sorted_list}:\n    return [*ys, x]\n"
    report = check_source(head + good + "\n" + bad)
    statuses = {f.name: f.status for f in report.functions}
    assert statuses == {"cons": Status.SAFE, "snoc": Status.UNSAFE}
    witness = report.functions[1].errors[0].counterexample
    assert witness is not None
    appended = [*witness["ys"], witness["x"]]
    assert appended != sorted(appended)  # the counterexample really is out of order


def test_a_relation_that_is_not_transitive_is_not_split_at_the_joint() -> None:
    from fmlab.refine import Status, check_source

    # For a transitive relation, the last of xs related to the first of ys would be enough;
    # for "differ", every element of xs must differ from every one of ys.
    text = (
        "from typing import Annotated\n#@ relation apart(a: int, b: int): a != b\n"
        "def glue(\n"
        '    xs: Annotated[list[int], "apart(_)"], ys: Annotated[list[int], "apart(_)"]\n'
        ') -> Annotated[list[int], "apart(_)"]:\n'
        "    if len(xs) > 0 and len(ys) > 0 and xs[len(xs) - 1] != ys[0]:\n"
        "        return [*xs, *ys]\n"
        "    return xs\n"
    )
    glue = check_source(text).function("glue")
    assert glue.status is Status.UNSAFE
    witness = glue.errors[0].counterexample
    assert witness is not None
    glued = [*witness["xs"], *witness["ys"]]
    assert len(set(glued)) < len(glued)  # the counterexample really repeats an element


def test_a_definition_of_two_arguments_unfolds_on_literals() -> None:
    plus = z3.Function("plus", z3.IntSort(), z3.IntSort(), z3.IntSort())

    def equation(arguments: tuple[z3.ExprRef, ...]) -> z3.BoolRef:
        x, y = (z3.simplify(a) for a in arguments)
        return plus(*arguments) == z3.simplify(z3.If(x <= 0, y, 1 + plus(x - 1, y)))

    knowledge = Knowledge(definitions={"plus": Definition("plus", plus, equation)})
    cut: set[str] = set()
    facts = instantiate([plus(z3.IntVal(5), z3.IntVal(6)) == 11], knowledge, cut=cut)
    assert not cut
    assert _entails(facts, plus(z3.IntVal(5), z3.IntVal(6)) == 11)
    y = z3.Int("y")
    cut = set()
    instantiate([plus(z3.IntVal(2), y) > 0], knowledge, cut=cut, literal_only=True)
    assert cut == {"plus"}  # a symbolic second argument stays folded


def test_a_relation_that_is_not_transitive_splits_a_concatenation_by_its_pairs() -> None:
    seq = z3.SeqSort(z3.IntSort())
    r = z3.Function("r", z3.IntSort(), z3.IntSort(), z3.BoolSort())
    declaration = z3.Function("r_list", seq, z3.BoolSort())
    relation = Relation("r_list", declaration, lambda a, b: r(a, b), transitive=False)
    knowledge = Knowledge(relations={"r_list": relation})
    x = z3.Int("x")
    ys = z3.Const("ys", seq)
    joined = z3.Concat(z3.Unit(x), ys)
    given = [declaration(ys), z3.Length(ys) == 2, r(x, ys[0]), r(x, ys[1])]
    facts = instantiate([*given, declaration(joined)], knowledge)
    assert _entails([*given, *facts], declaration(joined))
    # The last element related to the first of ys is not enough without transitivity.
    weaker = [declaration(ys), z3.Length(ys) == 2, r(x, ys[0])]
    facts = instantiate([*weaker, declaration(joined)], knowledge)
    assert not _entails([*weaker, *facts], declaration(joined))
