"""Strings as finitely many classes: where the symbolic engine does its string reasoning.

A policy looks at a string (the resource, a context value) only through a few
*atoms*: "matches ``arn:aws:s3:::reports/*``", "equals ``alice``", "is ``true`` in any
case". Two strings that satisfy the same atoms are interchangeable for every statement.
So the engine first asks z3, with string constraints alone, which combinations of atoms
some string realises (one small query per combination, each yielding a representative
string), and the main decision query then only chooses among those classes: no string
theory in the big query, where it is slow.

>>> from fmlab.iam._patterns import glob
>>> from fmlab.iam._z3text import arn_re
>>> space = StringSpace("resource")
>>> space.add("arn:aws:s3:::reports/*", arn_re(glob("arn:aws:s3:::reports/*")))
>>> space.add("arn:aws:s3:::*", arn_re(glob("arn:aws:s3:::*")))
>>> space.enumerate(timeout_ms=5000)
>>> sorted(sorted(atoms) for atoms, _ in space.cells)
[[], ['arn:aws:s3:::*'], ['arn:aws:s3:::*', 'arn:aws:s3:::reports/*']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import z3

from fmlab.core.errors import UndecidedError
from fmlab.core.result import UnknownReason
from fmlab.core.solving import Satisfiability, solve
from fmlab.iam._patterns import Glob, glob_disjoint, glob_subset
from fmlab.iam._z3text import any_char, decode_string, string_val

MAX_CELLS = 2000

Decisions = list[tuple[Callable[[str], bool], bool]] | None
"""A class so far, as Python tests: (atom test, wanted) per atom decided; ``None`` when
some atom has no Python test (z3 then decides everything)."""


class StringSpaceError(UndecidedError):
    """The classes of a string space could not be computed (``reason`` says why)."""


class StringSpace:
    """The atoms a policy set tests on one string, and the classes they induce."""

    def __init__(
        self,
        name: str,
        domain: z3.ReRef | None = None,
        *,
        domain_test: Callable[[str], bool] | None = None,
        samples: Iterable[str] = (),
        text_mode: bool = False,
    ) -> None:
        """``domain_test`` is ``domain`` as a Python predicate (needed, with a domain,
        for the concrete shortcuts); ``samples`` are extra candidate strings.

        In ``text_mode`` no classes are computed: the variable is a z3 string and an
        atom is a regular-expression membership (for strings compared with a policy
        variable's value, which classes cannot express)."""
        self.name = name
        self.text_mode = text_mode
        self.domain = domain
        self.domain_test = domain_test if domain is not None else _anything
        self.atoms: dict[str, z3.ReRef] = {}
        self.tags: dict[str, frozenset[str] | None] = {}
        self.tests: dict[str, Callable[[str], bool]] = {}
        self.finite: set[str] = set()
        self.members: dict[str, tuple[str, ...]] = {}
        self.shapes: dict[str, tuple[tuple[Glob, ...], bool]] = {}
        self._relations: dict[tuple[str, ...], bool] = {}
        self.samples: list[str] = list(samples)
        self.queries = 0
        self.universal: set[str] = set()
        self.cells: list[tuple[frozenset[str], str]] = []
        self._by_text: dict[str, int] = {}
        self._by_atoms: dict[frozenset[str], int] = {}

    def add(
        self,
        atom: str,
        regex: z3.ReRef,
        *,
        tag: frozenset[str] | None = None,
        universal: bool = False,
        test: Callable[[str], bool] | None = None,
        samples: Iterable[str] = (),
        finite: bool = False,
        globs: tuple[Glob, ...] | None = None,
        arn: bool = False,
    ) -> None:
        """Add an atom. Atoms whose ``tag`` sets are disjoint must match disjoint
        strings (``None``: no such promise); classes are then found group by group. A
        ``universal`` atom matches every string (a ``"*"`` resource): it splits nothing.

        ``test`` is the atom as a Python predicate, exactly the regular expression's
        language, and ``samples`` strings likely to fall in interesting classes (when
        ``finite``, they are *all* the strings the atom matches). With them most
        classes are found and checked concretely; z3 is asked only when no candidate
        fits a class half, to prove it empty or to find an unusual member.

        ``globs`` are the patterns whose union the atom is (ARN segment rules when
        ``arn``): with them many empty halves are seen from pattern inclusion and
        disjointness alone (``ec2:*:*:vpc/*`` and ``ec2:*:*:subnet/*`` share nothing),
        with no z3 query at all."""
        if self.cells:
            raise RuntimeError("atoms must all be added before the classes are computed")
        if universal:
            self.universal.add(atom)
            return
        if atom not in self.atoms:
            self.atoms[atom] = regex
            self.tags[atom] = tag
            if globs is not None:
                self.shapes[atom] = (globs, arn)
            if test is not None:
                self.tests[atom] = test
                chosen = list(samples)
                self.samples.extend(chosen)
                if finite:
                    self.finite.add(atom)
                    self.members[atom] = tuple(chosen)

    def _groups(self) -> list[list[str]]:
        """Atoms in groups that may overlap; atoms of different groups never do."""
        parent = {atom: atom for atom in self.atoms}

        def find(atom: str) -> str:
            while parent[atom] != atom:
                parent[atom] = parent[parent[atom]]
                atom = parent[atom]
            return atom

        names = list(self.atoms)
        untagged = [a for a in names if self.tags[a] is None]
        for atom in untagged[1:]:
            parent[find(atom)] = find(untagged[0])
        by_tag: dict[str, str] = {}
        for atom in names:
            tag = self.tags[atom]
            if tag is None:
                if untagged:
                    parent[find(atom)] = find(untagged[0])
                continue
            for word in tag:
                if word in by_tag:
                    parent[find(atom)] = find(by_tag[word])
                else:
                    by_tag[word] = atom
        if untagged:
            # An untagged atom may overlap anything.
            for atom in names:
                parent[find(atom)] = find(untagged[0])
        groups: dict[str, list[str]] = {}
        for atom in names:
            groups.setdefault(find(atom), []).append(atom)
        return list(groups.values())

    def enumerate(self, *, timeout_ms: int | None = None) -> None:
        """Find every realisable combination of atoms, with one string for each.

        The space is split atom by atom: a class so far is one regular expression (the
        intersection of the atoms it satisfies and the complements of those it does
        not), and each split asks whether its two halves are empty. A half is first
        searched among the candidate strings with the atoms' Python tests (a hit is a
        member, checked exactly); only when none fits does z3 decide it, asked about
        one combined expression, a plain emptiness check it answers quickly. The half
        inside a finite atom needs no z3 at all: its candidates are all its members.
        """
        if self.text_mode:
            return
        text = z3.String(f"{self.name}.text")
        everything = z3.Star(any_char()) if self.domain is None else self.domain
        atoms: list[tuple[str, z3.ReRef]] = []
        candidates = list(dict.fromkeys(self.samples))

        def concrete(decisions: Decisions) -> str | None:
            if decisions is None or self.domain_test is None:
                return None
            for candidate in candidates:
                if self.domain_test(candidate) and all(
                    test(candidate) is wanted for test, wanted in decisions
                ):
                    return candidate
            return None

        def witness(regex: z3.ReRef, decisions: Decisions, complete: bool = False) -> str | None:
            found_here = concrete(decisions)
            if found_here is not None or (complete and decisions is not None):
                return found_here
            self.queries += 1
            outcome = solve([z3.InRe(text, regex)], timeout_ms=timeout_ms)
            if outcome.status is Satisfiability.UNSAT:
                return None
            if outcome.status is Satisfiability.UNKNOWN or outcome.model is None:
                raise StringSpaceError(
                    f"no answer on the string classes of {self.name} ({outcome.reason})",
                    UnknownReason.TIMEOUT if outcome.timed_out else UnknownReason.INCOMPLETE,
                )
            found = decode_string(outcome.model, text)
            # Prefer a readable representative: the same string with unprintable
            # characters replaced, when it stays in the class (checked, not assumed).
            readable = "".join(c if " " <= c <= "~" else "x" for c in found)
            if readable != found and _matches(readable, regex):
                return readable
            return found

        def extend(decisions: Decisions, name: str, wanted: bool) -> Decisions:
            test = self.tests.get(name)
            if decisions is None or test is None:
                return None
            return [*decisions, (test, wanted)]

        def member(sample: str, name: str, atom: z3.ReRef) -> bool:
            test = self.tests.get(name)
            return test(sample) if test is not None else _matches(sample, atom)

        def split(
            position: int,
            regex: z3.ReRef,
            chosen: frozenset[str],
            sample: str,
            decisions: Decisions,
        ) -> None:
            if len(self.cells) > MAX_CELLS:
                raise StringSpaceError(
                    f"{self.name}: more than {MAX_CELLS} string classes", UnknownReason.UNSUPPORTED
                )
            if position == len(atoms):
                self._record(chosen, sample)
                return
            name, atom = atoms[position]
            inside = z3.Intersect(regex, atom)
            outside = z3.Intersect(regex, z3.Complement(atom))
            inside_decisions = extend(decisions, name, True)
            outside_decisions = extend(decisions, name, False)
            # The sample already lies on one side; only the other side needs a search,
            # and none when pattern inclusion or disjointness shows that side empty.
            if member(sample, name, atom):
                split(position + 1, inside, chosen | {name}, sample, inside_decisions)
                excluded = [n for n, _ in atoms[:position] if n not in chosen]
                # Inside a group's union, the region lies within the group atoms not
                # yet excluded: when all of them are inside this atom, nothing is out.
                within = [n for n in bounded if n not in excluded]
                if any(self._subset(x, [name]) for x in chosen) or (
                    within and all(self._subset(x, [name]) for x in within)
                ):
                    return
                other = witness(outside, outside_decisions)
                if other is not None:
                    split(position + 1, outside, chosen, other, outside_decisions)
            else:
                split(position + 1, outside, chosen, sample, outside_decisions)
                excluded = [n for n, _ in atoms[:position] if n not in chosen]
                if any(self._disjoint(x, name) for x in chosen) or self._subset(name, excluded):
                    return
                other = witness(inside, inside_decisions, complete=name in self.finite)
                if other is not None:
                    split(position + 1, inside, chosen | {name}, other, inside_decisions)

        start: Decisions = []
        bounded: list[str] = []  # the group whose union bounds the region, if any
        groups = self._groups()
        if len(groups) <= 1:
            atoms = list(self.atoms.items())
            first = witness(everything, start)
            if first is not None:
                split(0, everything, frozenset(), first, start)
            return
        # Atoms of different groups are disjoint: a string satisfies atoms of one group
        # at most. Split each group inside the union of its atoms, then add the class of
        # strings that satisfy no atom at all.
        for group in groups:
            atoms = [(name, self.atoms[name]) for name in group]
            bounded = list(group)
            union = z3.Intersect(everything, _union([regex for _, regex in atoms]))
            union_decisions: Decisions = None
            if all(name in self.tests for name in group):
                union_decisions = [(_any_test([self.tests[name] for name in group]), True)]
            first = witness(union, union_decisions)
            if first is not None:
                split(0, union, frozenset(), first, union_decisions)
        outside = z3.Intersect(everything, z3.Complement(_union(list(self.atoms.values()))))
        outside_decisions: Decisions = None
        if len(self.tests) == len(self.atoms):
            outside_decisions = [(t, False) for t in self.tests.values()]
        sample = witness(outside, outside_decisions)
        if sample is not None:
            self._record(frozenset(), sample)

    def _subset(self, atom: str, others: list[str]) -> bool:
        """Shown from the patterns: every string ``atom`` matches, one of ``others`` does."""
        if atom not in self.shapes or not others:
            return False
        key = ("subset", atom, "\x1e".join(sorted(others)))
        found = self._relations.get(key)
        if found is None:
            globs, arn = self.shapes[atom]
            outer = [
                g
                for other in others
                if other in self.shapes and self.shapes[other][1] == arn
                for g in self.shapes[other][0]
            ]
            found = all(any(glob_subset(g, h, arn=arn) for h in outer) for g in globs)
            self._relations[key] = found
        return found

    def _disjoint(self, atom: str, other: str) -> bool:
        """Shown from the patterns: no string matches both atoms."""
        if atom not in self.shapes or other not in self.shapes:
            return False
        key = ("disjoint", *sorted((atom, other)))
        found = self._relations.get(key)
        if found is None:
            (one, arn), (two, arn_two) = self.shapes[atom], self.shapes[other]
            found = arn == arn_two and all(glob_disjoint(g, h, arn=arn) for g in one for h in two)
            self._relations[key] = found
        return found

    def add_text(self, text: str) -> int:
        """The class of a concrete string, its atoms decided by z3's own regex semantics."""
        if text in self._by_text:
            return self._by_text[text]
        value = string_val(text)
        chosen = set()
        for atom, regex in self.atoms.items():
            reduced = z3.simplify(z3.InRe(value, regex))
            if not (z3.is_true(reduced) or z3.is_false(reduced)):
                raise StringSpaceError(
                    f"{self.name}: z3 did not decide a match on {text!r}", UnknownReason.INCOMPLETE
                )
            if z3.is_true(reduced):
                chosen.add(atom)
        atoms = frozenset(chosen)
        number = self._record(atoms, text)
        self._by_text[text] = number
        return number

    def _record(self, atoms: frozenset[str], text: str) -> int:
        atoms = atoms | self.universal
        if atoms not in self._by_atoms:
            self._by_atoms[atoms] = len(self.cells)
            self.cells.append((atoms, text))
        return self._by_atoms[atoms]

    def holds(self, variable: z3.ExprRef, atom: str) -> z3.BoolRef:
        """``variable`` (a class number) names a class whose strings satisfy ``atom``
        (in text mode: ``variable``, a z3 string, satisfies it)."""
        if self.text_mode:
            assert isinstance(variable, z3.SeqRef)
            if atom in self.universal:
                return z3.BoolVal(True)
            if atom in self.members:
                # Equations rather than a regular expression: far easier for z3.
                return z3.Or([variable == string_val(text) for text in self.members[atom]])
            return z3.InRe(variable, self.atoms[atom])
        chosen = [n for n, (atoms, _) in enumerate(self.cells) if atom in atoms]
        if not chosen:
            return z3.BoolVal(False)
        if len(chosen) == len(self.cells):
            return z3.BoolVal(True)
        return z3.Or([variable == n for n in chosen])

    def representative(self, number: int) -> str:
        return self.cells[number][1]

    def __len__(self) -> int:
        return len(self.cells)


def _any_test(tests: list[Callable[[str], bool]]) -> Callable[[str], bool]:
    def test(text: str) -> bool:
        return any(one(text) for one in tests)

    return test


def _anything(text: str) -> bool:
    return True


def _matches(text: str, regex: z3.ReRef) -> bool:
    return bool(z3.is_true(z3.simplify(z3.InRe(string_val(text), regex))))


def _union(regexes: list[z3.ReRef]) -> z3.ReRef:
    return regexes[0] if len(regexes) == 1 else z3.Union(*regexes)
