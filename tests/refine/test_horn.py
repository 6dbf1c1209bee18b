"""The Horn back end, and its cross-check against qualifier inference on the corpus."""

from __future__ import annotations

from fmlab.core.result import Proved, Refuted
from fmlab.refine._decide import decide, group_obligations
from fmlab.refine._executor import FunctionExecutor
from fmlab.refine._horn import HornAnswer, horn_check
from fmlab.refine._inference import houdini
from fmlab.refine._specs import parse, read_module
from tests.refine.corpus_support import PROGRAMS

LINEAR = """
from typing import Annotated


def steps(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == 3 * n + 1"]:
    i = 0
    j = 1
    while i < n:
        i = i + 1
        j = j + 3
    return j
"""


def _executors(text: str, source: str):  # type: ignore[no-untyped-def]
    spec = read_module(parse(text, source), text, source)
    for node in spec.functions:
        if node.name not in spec.signatures:
            continue
        executor = FunctionExecutor(spec, node, spec.signatures[node.name], infer=houdini)
        try:
            obligations = executor.run()
        except Exception:  # unsupported or too many paths: nothing to cross-check
            continue
        yield executor, group_obligations(obligations)


def test_spacer_finds_an_invariant_the_qualifiers_miss() -> None:
    [(executor, groups)] = list(_executors(LINEAR, "linear.py"))
    [post] = [members for key, members in groups.items() if key[0] == "postcondition"]
    summarised = [o for o in post if not o.exact]
    assert not isinstance(decide(summarised, executor.inputs), Proved)  # Houdini alone
    answer = horn_check(executor, summarised)
    assert answer.answer is HornAnswer.PROVED
    assert answer.invariant  # an actual formula
    assert "Inv" not in answer.invariant


def test_spacer_refutes_a_wrong_claim() -> None:
    wrong = LINEAR.replace("_ == 3 * n + 1", "_ == 3 * n")
    [(executor, groups)] = list(_executors(wrong, "wrong.py"))
    [post] = [members for key, members in groups.items() if key[0] == "postcondition"]
    assert horn_check(executor, [o for o in post if not o.exact]).answer is HornAnswer.FAILS


def test_measures_are_left_to_the_qualifiers() -> None:
    text = LINEAR.replace("n: Annotated[int", "xs: list[int], n: Annotated[int").replace(
        "j = j + 3", "j = j + 3 + len(xs) * 0"
    )
    [(executor, groups)] = list(_executors(text, "measures.py"))
    [post] = [members for key, members in groups.items() if key[0] == "postcondition"]
    answer = horn_check(executor, [o for o in post if not o.exact])
    assert answer.answer is HornAnswer.NOT_APPLICABLE


def test_back_ends_never_contradict_each_other_on_the_corpus() -> None:
    compared = 0
    for path in PROGRAMS:
        for executor, groups in _executors(path.read_text(encoding="utf-8"), str(path)):
            for members in groups.values():
                summarised = [o for o in members if not o.exact]
                if not summarised:
                    continue
                answer = horn_check(executor, summarised, timeout_ms=1000)
                if answer.answer in (HornAnswer.NOT_APPLICABLE, HornAnswer.UNKNOWN):
                    continue
                compared += 1
                qualifiers = decide(summarised, executor.inputs)
                context = (path.name, members[0].message)
                if isinstance(qualifiers, Proved):
                    assert answer.answer is HornAnswer.PROVED, context
                assert not isinstance(qualifiers, Refuted), context  # summaries never refute
    assert compared >= 10
