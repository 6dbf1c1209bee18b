"""Reading specifications: comments, annotations and their errors, located."""

from __future__ import annotations

import pytest

from fmlab.core.errors import InputError
from fmlab.refine._pytypes import Kind
from fmlab.refine._specs import parse, read_module

HEARTBLEED = """\
from typing import NewType
Text = NewType("Text", str)
#@ measure tlen(t: Text) -> int
# @ assume take(n: int, t: {t: Text | tlen(t) >= n}) -> Text
"""


def _spec(text: str):  # type: ignore[no-untyped-def]
    return read_module(parse(text, "s.py"), text, "s.py")


def test_measure_and_assume_in_either_comment_form() -> None:
    spec = _spec(HEARTBLEED)
    assert spec.measures["tlen"].argument.kind is Kind.OPAQUE
    take = spec.signatures["take"]
    assert take.trusted
    assert [p.name for p in take.params] == ["n", "t"]
    assert take.params[1].refinement is not None
    assert take.params[1].refinement.text == "tlen(t) >= n"
    assert spec.assumed == ["take"]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("#@ measure m(x: int) -> str\n", 1, None, "returns int or bool"),
        ("#@ assume f(x) -> int\n", 1, None, "expected name: type"),
        ("#@ assume f(x: int) -> {v: int | v > y}\n", 1, 38, "unknown name 'y'"),
        ("#@ assume f(x: int) -> {v: int | nope(v) > 0}\n", 1, 34, "unknown measure"),
        ("#@ invariant i <\n", 1, None, "predicate syntax error"),
        ("#@ qualif Q(v: int): v > w\n", 1, None, "unknown name 'w'"),
        ("#@\n", 1, None, "unknown specification"),
    ],
)
def test_spec_errors_are_located(text: str, line: int, column: int | None, words: str) -> None:
    with pytest.raises(InputError) as raised:
        _spec(text)
    assert raised.value.line == line
    if column is not None:
        assert raised.value.column == column
    assert words in raised.value.message


def test_decreases_reads_a_lexicographic_metric_and_keeps_a_broken_one_for_its_function() -> None:
    from fmlab.refine._termination import Metric

    spec = _spec("#@ decreases m, n - 1\n#@ decreases n +\n")
    lexicographic = spec.decreases[1]
    assert isinstance(lexicographic, Metric)
    assert [c.text for c in lexicographic.components] == ["m", "n - 1"]
    assert lexicographic.given
    assert [c.column for c in lexicographic.components] == [14, 17]
    broken = spec.decreases[2]
    assert isinstance(broken, InputError)
    assert broken.line == 2


def test_annotated_predicate_errors_point_into_the_string() -> None:
    text = 'from typing import Annotated\ndef f(x: Annotated[int, "_ @ 1"]) -> int:\n  return x\n'
    with pytest.raises(InputError) as raised:
        _spec(text)
    assert raised.value.line == 2
    assert raised.value.column is not None
    assert raised.value.column > 20


def test_unsupported_signatures_are_recorded_not_assumed() -> None:
    spec = _spec("def f(x, y: int = 3) -> int:\n    return 1\n")
    assert "f" in spec.broken
    assert "f" not in spec.signatures


def test_enforce_is_the_one_decorator_the_checker_accepts() -> None:
    from fmlab.refine import Status, check_source

    head = "from typing import Annotated\nfrom fmlab.refine import enforce\nimport functools\n\n"
    body = 'def f(x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ >= 0"]:\n    return x - 1\n'
    for decorator in ("@enforce\n", "@enforce(only_unproved=True)\n", "@fmlab.refine.enforce\n"):
        assert check_source(head + decorator + body).all_safe
    other = check_source(head + "@functools.cache\n" + body)
    assert other.functions[0].status is Status.UNSUPPORTED


def test_frozen_dataclasses_are_records_and_others_stay_opaque() -> None:
    from fmlab.refine._pytypes import Kind
    from fmlab.refine._specs import parse, read_module

    text = (
        "from dataclasses import dataclass\nfrom typing import Annotated\n\n\n"
        "@dataclass(frozen=True)\nclass Span:\n    lo: int\n"
        '    hi: Annotated[int, "_ >= lo"]\n\n\n'
        "@dataclass(frozen=True, eq=False)\nclass Handle:\n    n: int\n\n\n"
        "@dataclass\nclass Box:\n    n: int\n"
    )
    spec = read_module(parse(text, "f.py"), text, "f.py")
    assert spec.types.aliases["Span"].kind is Kind.RECORD
    assert spec.types.aliases["Span"].fields == ("lo", "hi")
    [lo, hi] = spec.records["Span"].params
    assert lo.refinement is None
    assert hi.refinement is not None
    assert hi.refinement.text == "_ >= lo"
    assert "Handle" not in spec.types.aliases
    assert "Box" not in spec.types.aliases


def test_module_int_constants_may_be_named_in_refinements() -> None:
    # Read before the functions, so a constant bound further down is known too.
    spec = _spec('def f(x: Annotated[int, "_ < LIMIT"]) -> int:\n    return x\n\n\nLIMIT = 10\n')
    assert spec.constants["LIMIT"] == 10
    assert "f" in spec.signatures


def test_a_name_bound_twice_is_no_constant_for_refinements() -> None:
    with pytest.raises(InputError, match="unknown name 'LIMIT'"):
        _spec(
            "LIMIT = 1\nLIMIT = 2\n\n\n"
            'def f(x: Annotated[int, "_ < LIMIT"]) -> int:\n    return x\n'
        )


def test_an_element_refinement_may_mention_the_parameters_but_not_other_names() -> None:
    signature = 'def f(p: int, xs: list[Annotated[int, "_ < p"]]) -> list[Annotated[int, "_ < p"]]:'
    spec = _spec(f"{signature}\n    return xs\n")
    assert "f" in spec.signatures
    with pytest.raises(InputError, match="unknown name 'q'"):
        _spec('def f(p: int, xs: list[Annotated[int, "_ < q"]]) -> int:\n    return p\n')
    # A dataclass field's element refinement is read without the other fields: refused.
    record = (
        "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass Box:\n"
        '    top: int\n    items: list[Annotated[int, "_ < top"]]\n'
    )
    with pytest.raises(InputError, match="unknown name 'top'"):
        _spec(record)
