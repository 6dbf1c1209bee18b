"""A function's verification conditions as a picture: what the checker had to show, and how
each obligation ended.

The function is on the left. Each obligation the checker derived from it (a call's
argument, an index, a loop invariant, the result) is a box to its right, headed by its line
and its outcome: ``proved``, ``refuted`` or ``unknown``. A refuted obligation is red and
leads to its counterexample; the path from the function through the first failure to its
counterexample is drawn thick, as the model-checking chapters draw a trace.

>>> from fmlab.refine._checker import check_source
>>> report = check_source('''
... from typing import Annotated
... def inc(x: int) -> Annotated[int, "_ > 0"]:
...     return x + 1
... ''')
>>> source = draw_obligations(report.function("inc")).source
>>> "line 4: refuted" in source, "x = -1" in source
(True, True)
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from fmlab.core.result import Refuted, Unknown
from fmlab.refine._report import FunctionReport, ObligationError

if TYPE_CHECKING:
    from fmlab.viz import Drawing

LABEL_WIDTH = 34
"""Characters per line inside a box: keeps the drawing narrower than a book page."""

# A node is (kind, index, text): the index keeps two boxes with the same text apart.
_Node = tuple[str, int, str]


def _wrapped(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH, break_long_words=False))


def _box_text(message: str) -> str:
    """The words, then the quoted predicate from its own line, so that it breaks less."""
    words, quote, rest = message.partition("`")
    if not quote:
        return _wrapped(message)
    return _wrapped(words.rstrip()) + "\n" + _wrapped(quote + rest)


def _outcome(error: ObligationError | None) -> str:
    if error is None:
        return "proved"
    if isinstance(error.result, Refuted) or error.counterexample is not None:
        return "refuted"
    if isinstance(error.result, Unknown) or error.kind == "unsupported":
        return "unknown"
    return "not proved"


# The checker words an obligation as the risk it rules out; a box headed "proved" reads
# better with the claim itself. Messages not listed are shown as the checker words them.
_CLAIMS = (
    ("assertion may fail", "assertion holds"),
    ("divisor may be zero", "divisor is not zero"),
    ("function may reach its end without returning", "function always returns"),
    ("index may be out of range", "index is in range"),
    ("loop invariant may not be preserved", "loop invariant is preserved"),
    ("loop invariant may not hold on entry", "loop invariant holds on entry"),
    ("raise statement may be reached", "raise statement is unreachable"),
    ("recursive call may not terminate", "recursive call terminates"),
)


def as_claim(message: str) -> str:
    """The checker's message about a risk, worded as what was to be shown.

    >>> as_claim("index may be out of range: `0 <= i < len(xs)`")
    'index is in range: `0 <= i < len(xs)`'
    """
    for risk, claim in _CLAIMS:
        if message.startswith(risk):
            return claim + message.removeprefix(risk)
    return message


def _risk(message: str) -> str:
    """The words before the first quoted term: what two messages at one place differ by."""
    return message.partition("`")[0]


def _obligations(function: FunctionReport) -> list[tuple[int, str, ObligationError | None]]:
    """(line, message, its error or None when proved), in the checker's order.

    The verification conditions list every obligation decided; errors that no condition
    stands for (an unsupported construct, a termination order not found) come last.
    """
    unmatched = list(function.errors)
    listed: list[tuple[int, str, ObligationError | None]] = []
    for header, _ in function.vcs:
        place, _, message = header.partition(": ")
        line_text, _, column_text = place.removeprefix("line ").partition(", column ")
        line, column = int(line_text), int(column_text)
        error = next(
            (
                e
                for e in unmatched
                if (e.line, e.column) == (line, column) and _risk(e.message) == _risk(message)
            ),
            None,
        )
        if error is not None:
            unmatched.remove(error)
            message = error.message  # in the user's terms, with the checker's notes
        listed.append((line, message, error))
    listed.extend((e.line, e.message, e) for e in unmatched)
    return listed


def _counterexample_text(error: ObligationError) -> str:
    from fmlab.viz import show_value

    assert error.counterexample is not None  # only refuted obligations get one
    if not error.counterexample:
        return "counterexample:\nfor every input"
    values = [f"{name} = {show_value(value)}" for name, value in error.counterexample.items()]
    return "counterexample:\n" + "\n".join(_wrapped(value) for value in values)


def draw_obligations(function: FunctionReport, *, title: str | None = None) -> Drawing:
    """Draw ``function``'s obligations, each with its outcome, and its counterexamples.

    ``function`` is one entry of a report (``check_source(...).function(name)``). The
    labels are the checker's own words, wrapped to a narrow column. Raises ``ValueError``
    for a report that lacks the verification conditions of its obligations (one rebuilt
    from JSON output, say): its proved obligations could not be drawn.
    """
    if len(function.vcs) < function.obligations:
        raise ValueError(
            f"{function.name}: the report holds {len(function.vcs)} verification conditions "
            f"for {function.obligations} obligations; draw a report from check_source or "
            "check_file"
        )
    from fmlab.viz import draw_state_graph

    start: _Node = (
        "function",
        0,
        f"{function.name} (line {function.line})\n{function.status.value}",
    )
    nodes: list[_Node] = [start]
    edges: list[tuple[_Node, _Node, str | None]] = []
    bad: list[_Node] = []
    path: list[_Node] = []
    for index, (line, message, error) in enumerate(_obligations(function)):
        outcome = _outcome(error)
        box: _Node = (
            "obligation",
            index,
            f"line {line}: {outcome}\n{_box_text(as_claim(message))}",
        )
        nodes.append(box)
        edges.append((start, box, None))
        if error is None or error.counterexample is None:
            continue
        witness: _Node = ("counterexample", index, _counterexample_text(error))
        nodes.append(witness)
        edges.append((box, witness, "fails for"))
        bad.extend([box, witness])
        if not path:
            path = [start, box, witness]
    return draw_state_graph(
        nodes,
        edges,
        initial=start,
        label=lambda node: node[2],
        bad=bad,
        highlight_path=path,
        title=title,
    )
