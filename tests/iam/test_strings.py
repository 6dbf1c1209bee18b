"""String classes: the enumeration finds every combination of atoms a string can realise."""

from __future__ import annotations

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.iam._patterns import arn_matches, glob, glob_matches
from fmlab.iam._strings import StringSpace
from fmlab.iam._z3text import any_char, arn_re, glob_re, string_val

PATTERNS = [
    "arn:aws:s3:::reports/*",
    "arn:aws:s3:::reports",
    "arn:aws:s3:::*/secret*",
    "arn:aws:s3:::re?orts/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    "arn:aws:sqs:*",
    "arn:aws:iam::*:user/a*",
]
TEXTS = st.text(alphabet="arnwsec2:3/*?-x1ipoqtu", max_size=24).map(lambda t: "arn:aws:" + t)
SAMPLES = [
    "arn:aws:s3:::reports/a",
    "arn:aws:s3:::reports",
    "arn:aws:s3:::x/secret1",
    "arn:aws:s3:::rexorts/z",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    "arn:aws:ec2:eu:1:instance/i-2",
    "arn:aws:sqs:us:1:q",
    "arn:aws:iam::1:user/al",
    "*",
]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=4, unique=True),
    st.lists(TEXTS, max_size=10),
)
def test_every_string_falls_in_an_enumerated_class(patterns: list[str], texts: list[str]) -> None:
    space = StringSpace("resource")
    pruned = StringSpace("resource")
    for pattern in patterns:
        space.add(pattern, arn_re(glob(pattern)), tag=frozenset({pattern.split(":")[2]}))
        # With the concrete tests, samples and pattern shapes: the same classes.
        pruned.add(
            pattern,
            arn_re(glob(pattern)),
            tag=frozenset({pattern.split(":")[2]}),
            test=lambda text, pattern=pattern: arn_matches(pattern, text),
            samples=(pattern.replace("*", "").replace("?", "x"),),
            globs=(glob(pattern),),
            arn=True,
        )
    space.enumerate(timeout_ms=10_000)
    pruned.enumerate(timeout_ms=10_000)
    cells = {atoms for atoms, _ in space.cells}
    assert {atoms for atoms, _ in pruned.cells} == cells
    for text in [*texts, *SAMPLES]:
        # The atoms a string satisfies, by the concrete matcher, form a class z3 found.
        atoms = frozenset(p for p in patterns if arn_matches(p, text))
        assert atoms in cells, (text, atoms)
    for atoms, representative in space.cells:
        assert frozenset(p for p in patterns if arn_matches(p, representative)) == atoms


def test_universal_atoms_hold_in_every_class() -> None:
    space = StringSpace("key", z3.Star(any_char()))
    space.add("like:a*", glob_re(glob("a*")))
    space.add("eq:b", z3.Re(string_val("b")))
    space.add("all", glob_re(glob("*")), universal=True)
    space.enumerate(timeout_ms=10_000)
    assert len(space) == 3
    assert all("all" in atoms for atoms, _ in space.cells)
    for atoms, representative in space.cells:
        assert ("like:a*" in atoms) == glob_matches(glob("a*"), representative)
    assert space.cells[space.add_text("abc")][0] == frozenset({"like:a*", "all"})


def test_not_colon_is_every_character_but_the_colon() -> None:
    from fmlab.iam._z3text import MAX_CHAR, not_colon

    for text, inside in [("a", True), (":", False), ("\u00e9", True), ("\x00", True)]:
        assert z3.is_true(z3.simplify(z3.InRe(string_val(text), not_colon()))) is inside
    top = z3.StringVal(f"\\u{{{MAX_CHAR:x}}}")
    assert z3.is_true(z3.simplify(z3.InRe(top, not_colon())))
    # Nothing lies above MAX_CHAR: z3 reads a larger escape as literal text.
    assert z3.simplify(z3.Length(z3.StringVal(f"\\u{{{MAX_CHAR + 1:x}}}"))).as_long() > 1
