"""Facts about list elements, instantiated where a verification condition reads elements.

What the checker knows about the elements of a list is a statement about *every* element:
``list[Annotated[int, "_ > 0"]]``, the free theorem of a generic result ("each element is
one of the arguments' elements"), an abstract refinement instantiated at a call, or a
relation between any element and every later one (``#@ relation ascending(a: int, b: int):
a <= b``: a sorted list). Universal facts would need quantifiers, which make the solver's
"sat" answers unreliable. Instead, before a query is decided, :func:`instantiate` looks for
the element reads ``s[i]`` the formula makes and adds, for each, what is known of it: the
registered element facts of ``s``, and, for a relation known to hold of ``s``, the relation
between every two reads of ``s``. A read of a slice, a concatenation, a one-element list or
an if-then-else of lists is also a read of the list it comes from, so what is known of a
parameter reaches ``xs[1:][k]`` and ``([x] + ys)[k]``. A relation applied to such a
structure is split the same way (a concatenation is sorted when both parts are and the last
element of the first is related to the first of the second, for a transitive relation; for
another, such as ``a != b``, a failing pair of positions is named and read instead).

Every added fact is a consequence of the definitions, so a proof with them is a proof
without them; a model may still be one the definitions rule out, which is why
counterexamples are replayed on concrete values before they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

import z3

from fmlab.refine._terms import applications, conjunction, implication

ElementFacts = Callable[[z3.ExprRef], list[z3.BoolRef]]
"""Facts about one element of a list, given the term that stands for the element."""

ROUNDS = 6
"""Rounds of instantiation: each round reads what the previous one added."""
FUEL = 24
"""Rounds when a reflected function is applied: each unfolds one more level of its definition
(an application with a literal argument is evaluated, so ``total(20)`` needs 21)."""
MAX_FACTS = 4000
"""Instances added to one query at most (a bound on a query's growth)."""
MAX_READS_PER_LIST = 48
"""Reads of one list related pairwise at most (pairs grow with the square)."""


@dataclass(frozen=True)
class Relation:
    """``#@ relation name(a: T, b: T): predicate``: ``name(xs)`` holds when the predicate
    relates every element of ``xs`` to every later one.

    A declared relation is checked for transitivity; one that is not (``a != b``), like a
    predicate variable of two arguments applied to a list (``#@ abstract r(int, int)``,
    ``r(xs)``), has a concatenation split only as far as that allows (see
    :func:`_structural_relation`).
    """

    name: str
    declaration: z3.FuncDeclRef
    holds: Callable[[z3.ExprRef, z3.ExprRef], z3.BoolRef]
    transitive: bool = True


@dataclass(frozen=True)
class Definition:
    """A reflected function (see :mod:`fmlab.refine._reflect`): ``unfold((a, ...))`` is the
    equation ``f(a, ...) == body(a, ...)``, whose body applies ``f`` again to smaller
    arguments."""

    name: str
    declaration: z3.FuncDeclRef
    unfold: Callable[[tuple[z3.ExprRef, ...]], z3.BoolRef]


@dataclass
class Knowledge:
    """What one function's symbolic run learnt about list terms (see the module's text),
    and the definitions of the reflected functions it applied."""

    elements: dict[int, tuple[z3.ExprRef, list[ElementFacts]]] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    # Instances already built, by the ids of the terms they are about (and, for a read, the
    # number of facts known of its list then): each query of a function reads the same
    # elements again, and building an instance through z3's Python API (an element
    # refinement is a predicate to evaluate) costs more than solving with it. The terms are
    # kept with the entry so that their ids are not reused while it lives.
    _built: dict[tuple[object, ...], tuple[tuple[z3.ExprRef, ...], list[z3.BoolRef]]] = field(
        default_factory=dict
    )

    def built(
        self,
        key: tuple[object, ...],
        terms: tuple[z3.ExprRef, ...],
        build: Callable[[], list[z3.BoolRef]],
    ) -> list[z3.BoolRef]:
        """The instances ``build`` makes for ``terms``, made once per ``key``."""
        found = self._built.get(key)
        if found is None:
            found = (terms, build())
            self._built[key] = found
        return found[1]

    def note_elements(self, term: z3.ExprRef, facts: ElementFacts) -> None:
        """Every element of the list ``term`` satisfies ``facts``."""
        entry = self.elements.setdefault(term.get_id(), (term, []))
        entry[1].append(facts)

    def facts_of_element(self, term: z3.ExprRef, item: z3.ExprRef) -> list[z3.BoolRef]:
        entry = self.elements.get(term.get_id())
        if entry is None:
            return []
        return [fact for build in entry[1] for fact in build(item)]

    def read_instances(self, sequence: z3.ExprRef, index: z3.ExprRef) -> list[z3.BoolRef]:
        """What a read ``sequence[index]`` is (see :func:`_structural_read`) and what is
        known of it."""
        entry = self.elements.get(sequence.get_id())
        key = ("read", sequence.get_id(), index.get_id(), len(entry[1]) if entry else 0)

        def build() -> list[z3.BoolRef]:
            produced = _structural_read(sequence, index)
            facts = self.facts_of_element(sequence, sequence[index])
            if facts:
                produced.append(implication(_in_range(sequence, index), conjunction(facts)))
            return produced

        return self.built(key, (sequence, index), build)

    @property
    def empty(self) -> bool:
        return not self.elements and not self.relations and not self.definitions


def _in_range(sequence: z3.ExprRef, index: z3.ExprRef) -> z3.BoolRef:
    return z3.And(index >= 0, index < z3.Length(sequence))


def _structural_read(sequence: z3.ExprRef, index: z3.ExprRef) -> list[z3.BoolRef]:
    """What a read of a list built from others is, in terms of reads of those others."""
    read = sequence[index]
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_CONCAT):
        left, right = sequence.arg(0), sequence.arg(1)
        size = z3.Length(left)
        return [
            z3.Implies(z3.And(index >= 0, index < size), read == left[index]),
            z3.Implies(z3.And(index >= size, index < size + z3.Length(right)),
                       read == right[index - size]),
        ]  # fmt: skip
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_EXTRACT):
        base, start = sequence.arg(0), sequence.arg(1)
        return [z3.Implies(_in_range(sequence, index), read == base[start + index])]
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_UNIT):
        return [z3.Implies(index == 0, read == sequence.arg(0))]
    if z3.is_app_of(sequence, z3.Z3_OP_ITE):
        condition, then, other = sequence.children()
        return [read == z3.If(condition, then[index], other[index])]
    return []


def _structural_relation(relation: Relation, sequence: z3.ExprRef) -> list[z3.BoolRef]:
    """A relation applied to a list built from others, in terms of those others."""
    applied = relation.declaration(sequence)
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_EMPTY) or z3.is_app_of(sequence, z3.Z3_OP_SEQ_UNIT):
        return [applied == z3.BoolVal(True)]
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_CONCAT) and not relation.transitive:
        # Without transitivity the parts are related when the whole is; the other way needs
        # every element of the left related to every one of the right, which the failing
        # pair named below reaches through the reads of the parts.
        left, right = sequence.arg(0), sequence.arg(1)
        return [
            z3.Implies(applied, z3.And(relation.declaration(left), relation.declaration(right))),
            *_failing_pair(relation, sequence),
        ]
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_CONCAT):
        left, right = sequence.arg(0), sequence.arg(1)
        # Transitivity makes "last of the left is related to first of the right" enough.
        joined = z3.Or(
            z3.Length(left) == 0,
            z3.Length(right) == 0,
            relation.holds(left[z3.Length(left) - 1], right[0]),
        )
        return [applied == z3.And(relation.declaration(left), relation.declaration(right), joined)]
    if z3.is_app_of(sequence, z3.Z3_OP_ITE):
        condition, then, other = sequence.children()
        return [
            applied == z3.If(condition, relation.declaration(then), relation.declaration(other))
        ]
    facts = []
    if z3.is_app_of(sequence, z3.Z3_OP_SEQ_EXTRACT):
        facts.append(z3.Implies(relation.declaration(sequence.arg(0)), applied))
    return facts + _failing_pair(relation, sequence)


def _failing_pair(relation: Relation, sequence: z3.ExprRef) -> list[z3.BoolRef]:
    """Where the relation fails, it fails between two positions: name them."""
    applied = relation.declaration(sequence)
    first = z3.FreshInt("i")
    second = z3.FreshInt("j")
    return [
        z3.Implies(
            z3.Not(applied),
            z3.And(
                first >= 0,
                first < second,
                second < z3.Length(sequence),
                z3.Not(relation.holds(sequence[first], sequence[second])),
            ),
        )
    ]


def _pair(
    relation: Relation,
    sequence: z3.ExprRef,
    i: z3.ExprRef,
    j: z3.ExprRef,
    applied: z3.BoolRef,
    length: z3.ArithRef,
) -> list[z3.BoolRef]:
    """``relation`` between ``sequence[i]`` and ``sequence[j]`` when the list is related
    (``applied``) and ``i < j`` are positions in it; nothing when there is nothing to add."""
    holds = relation.holds(sequence[i], sequence[j])
    if z3.is_true(holds):
        return []  # nothing to add (a relation instance on its own list, in order)
    return [implication(conjunction([applied, i >= 0, i < j, j < length]), holds)]


@dataclass
class _Scan:
    """What the instantiation has seen so far, across rounds."""

    terms: set[int] = field(default_factory=set)
    reads: dict[int, list[z3.ExprRef]] = field(default_factory=dict)
    applied: dict[int, tuple[Relation, z3.ExprRef]] = field(default_factory=dict)
    paired: set[tuple[int, int, int]] = field(default_factory=set)


def instantiate(
    formulas: Sequence[z3.ExprRef],
    knowledge: Knowledge,
    *,
    cut: set[str] | None = None,
    fuel: int = FUEL,
    literal_only: bool = False,
) -> list[z3.BoolRef]:
    """The element facts, relation instances and unfolded definitions the terms in
    ``formulas`` call for. The names of reflected functions whose unfolding stopped at the
    bound (``fuel`` levels) with applications left over are added to ``cut``; with
    ``literal_only``, so are those applied to anything but a literal, which stay folded
    (evaluation: a literal argument unfolds to a number in as many levels as it recurses)."""
    if knowledge.empty:
        return []
    scan = _Scan()
    relations = {relation.declaration.name(): relation for relation in knowledge.relations.values()}
    definitions = {d.declaration.name(): d for d in knowledge.definitions.values()}
    added: list[z3.BoolRef] = []
    frontier: Iterable[z3.ExprRef] = formulas
    for _ in range(fuel if definitions else ROUNDS):
        produced: list[z3.BoolRef] = []
        new_reads: list[tuple[z3.ExprRef, z3.ExprRef]] = []
        new_applied: list[tuple[Relation, z3.ExprRef]] = []
        for term in _wanted(frontier, scan, knowledge):
            definition = _definition_of(term, definitions)
            if definition is not None:
                arguments = tuple(term.children())
                if literal_only and not all(_is_literal(z3.simplify(a)) for a in arguments):
                    if cut is not None:
                        cut.add(definition.name)
                else:
                    produced.append(definition.unfold(arguments))
            if term.get_id() in knowledge.elements:
                # A list with known elements is known to have none that break it: if it is
                # not empty, its first element is one of them (a query need not read it).
                new_reads.append((term, z3.IntVal(0)))
            if z3.is_app_of(term, z3.Z3_OP_SEQ_NTH):
                new_reads.append((term.arg(0), term.arg(1)))
            elif z3.is_app(term) and term.num_args() == 1 and term.decl().name() in relations:
                relation = relations[term.decl().name()]
                if term.decl().eq(relation.declaration):
                    new_applied.append((relation, term.arg(0)))
        for sequence, index in new_reads:
            produced += knowledge.read_instances(sequence, index)
            scan.reads.setdefault(sequence.get_id(), []).append(index)
        for relation, sequence in new_applied:
            applied_id = relation.declaration(sequence).get_id()
            scan.applied[applied_id] = (relation, sequence)
            produced += knowledge.built(
                ("relation", applied_id),
                (sequence,),
                partial(_structural_relation, relation, sequence),
            )
        for applied_id, (relation, sequence) in scan.applied.items():
            indices = scan.reads.get(sequence.get_id(), [])[:MAX_READS_PER_LIST]
            if len(indices) < 2:
                continue
            # Built once per list rather than once per pair (pairs grow with the square).
            applied = relation.declaration(sequence)
            length = z3.Length(sequence)
            ids = [index.get_id() for index in indices]
            for a, i in enumerate(indices):
                for b, j in enumerate(indices):
                    key = (applied_id, ids[a], ids[b])
                    if ids[a] == ids[b] or key in scan.paired:
                        continue
                    scan.paired.add(key)
                    produced += knowledge.built(
                        ("pair", *key),
                        (sequence, i, j),
                        partial(_pair, relation, sequence, i, j, applied, length),
                    )
        if not produced:
            break
        added += produced
        frontier = produced
        if len(added) > MAX_FACTS:
            break
    if definitions and cut is not None:
        # Applications in what the last round added were not unfolded: the bound was hit.
        left = (_definition_of(t, definitions) for t in _wanted(frontier, scan, knowledge))
        cut.update(definition.name for definition in left if definition is not None)
    return added


def _is_literal(term: z3.ExprRef) -> bool:
    return bool(
        z3.is_int_value(term) or z3.is_true(term) or z3.is_false(term) or z3.is_string_value(term)
    )


def _definition_of(term: z3.ExprRef, definitions: dict[str, Definition]) -> Definition | None:
    if not (z3.is_app(term) and term.num_args() >= 1):
        return None
    definition = definitions.get(term.decl().name())
    return definition if definition is not None and term.decl().eq(definition.declaration) else None


_WANTED_KINDS = frozenset({z3.Z3_OP_UNINTERPRETED, z3.Z3_OP_SEQ_NTH})
"""Reads, and applications of relations and reflected functions (both uninterpreted)."""


def _wanted(formulas: Iterable[z3.ExprRef], scan: _Scan, knowledge: Knowledge) -> list[z3.ExprRef]:
    # The new subterms the loop above can use: element reads, applications of relations and
    # definitions, and lists with known elements.
    return applications(formulas, scan.terms, kinds=_WANTED_KINDS, ids=knowledge.elements)


__all__ = ["Definition", "ElementFacts", "Knowledge", "Relation", "instantiate"]
