"""Strings as finitely many classes: where the symbolic engine does its string reasoning.

A policy looks at a string (the resource, a context value) only through a few
*atoms*: "matches ``arn:aws:s3:::reports/*``", "equals ``alice``", "is ``true`` in any
case". Two strings that satisfy the same atoms are interchangeable for every statement.
So the engine first asks z3, with string constraints alone, which combinations of atoms
some string realises (one small query per combination, each yielding a representative
string), and the main decision query then only chooses among those classes: no string
theory in the big query, where it is slow.

>>> from fmlab.iam.patterns import glob
>>> from fmlab.iam.z3text import arn_re
>>> space = StringSpace("resource")
>>> space.add("arn:aws:s3:::reports/*", arn_re(glob("arn:aws:s3:::reports/*")))
>>> space.add("arn:aws:s3:::*", arn_re(glob("arn:aws:s3:::*")))
>>> space.enumerate(timeout_ms=5000)
>>> sorted(sorted(atoms) for atoms, _ in space.cells)
[[], ['arn:aws:s3:::*'], ['arn:aws:s3:::*', 'arn:aws:s3:::reports/*']]
"""

from __future__ import annotations

import z3

from fmlab.core.result import UnknownReason
from fmlab.core.solving import Satisfiability, solve
from fmlab.iam.z3text import any_char, decode_string, string_val

MAX_CELLS = 2000


class StringSpaceError(Exception):
    """The classes of a string space could not be computed."""

    def __init__(self, message: str, reason: UnknownReason) -> None:
        super().__init__(message)
        self.reason = reason


class StringSpace:
    """The atoms a policy set tests on one string, and the classes they induce."""

    def __init__(self, name: str, domain: z3.ReRef | None = None) -> None:
        self.name = name
        self.domain = domain
        self.atoms: dict[str, z3.ReRef] = {}
        self.tags: dict[str, frozenset[str] | None] = {}
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
    ) -> None:
        """Add an atom. Atoms whose ``tag`` sets are disjoint must match disjoint
        strings (``None``: no such promise); classes are then found group by group. A
        ``universal`` atom matches every string (a ``"*"`` resource): it splits nothing."""
        if self.cells:
            raise RuntimeError("atoms must all be added before the classes are computed")
        if universal:
            self.universal.add(atom)
            return
        if atom not in self.atoms:
            self.atoms[atom] = regex
            self.tags[atom] = tag

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
        not), and each split asks z3 whether its two halves are empty. Asking about one
        combined expression, rather than many memberships at once, keeps every query a
        plain emptiness check, which z3 answers quickly.
        """
        text = z3.String(f"{self.name}.text")
        everything = z3.Star(any_char()) if self.domain is None else self.domain
        atoms: list[tuple[str, z3.ReRef]] = []

        def witness(regex: z3.ReRef) -> str | None:
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

        def split(position: int, regex: z3.ReRef, chosen: frozenset[str], sample: str) -> None:
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
            # The sample already lies on one side; only the other side needs a query.
            if _matches(sample, atom):
                split(position + 1, inside, chosen | {name}, sample)
                other = witness(outside)
                if other is not None:
                    split(position + 1, outside, chosen, other)
            else:
                split(position + 1, outside, chosen, sample)
                other = witness(inside)
                if other is not None:
                    split(position + 1, inside, chosen | {name}, other)

        groups = self._groups()
        if len(groups) <= 1:
            atoms = list(self.atoms.items())
            first = witness(everything)
            if first is not None:
                split(0, everything, frozenset(), first)
            return
        # Atoms of different groups are disjoint: a string satisfies atoms of one group
        # at most. Split each group inside the union of its atoms, then add the class of
        # strings that satisfy no atom at all.
        for group in groups:
            atoms = [(name, self.atoms[name]) for name in group]
            union = z3.Intersect(everything, _union([regex for _, regex in atoms]))
            first = witness(union)
            if first is not None:
                split(0, union, frozenset(), first)
        outside = z3.Intersect(everything, z3.Complement(_union(list(self.atoms.values()))))
        sample = witness(outside)
        if sample is not None:
            self._record(frozenset(), sample)

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

    def holds(self, variable: z3.ArithRef, atom: str) -> z3.BoolRef:
        """``variable`` (a class number) names a class whose strings satisfy ``atom``."""
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


def _matches(text: str, regex: z3.ReRef) -> bool:
    return bool(z3.is_true(z3.simplify(z3.InRe(string_val(text), regex))))


def _union(regexes: list[z3.ReRef]) -> z3.ReRef:
    return regexes[0] if len(regexes) == 1 else z3.Union(*regexes)
