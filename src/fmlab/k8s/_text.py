"""Explanations folded to the page: what the chapter prints for people, at most 76 wide.

The published site's output boxes hold 77 characters of code at 1280 px, and a line
wider than that wraps a second time in the browser, mid-word. So every explanation this
package writes for a person (``explain()``, ``describe()``, ``table()``, a result's
``_repr_pretty_``) folds its lines to :data:`LINE_WIDTH` at word boundaries, keeping
each line's indentation and indenting continuations two spaces more. Machine-readable
forms (``to_json()``, ``reason`` and other fields, the CLI's ``--json``) stay unwrapped:
kube-scheduler's messages are compared with upstream's word for word.

>>> print(fold("  0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes"
...            " are available: 1 No preemption victims found for incoming pod.", 40))
  0/2 nodes are available: 2
    Insufficient cpu. preemption: 0/2
    nodes are available: 1 No preemption
    victims found for incoming pod.
"""

from __future__ import annotations

import textwrap

LINE_WIDTH = 76
"""The widest line an explanation prints (the site's output box holds 77 characters)."""


def fold(text: str, width: int = LINE_WIDTH) -> str:
    """Every line of ``text`` wrapped to ``width``; continuations indented two more spaces.

    A word longer than a whole line (a long pod key) is cut: a line that runs off the
    page hides more than a word split at the margin.
    """
    out: list[str] = []
    for line in text.splitlines() or [""]:
        # An indent of more than half the page would leave no room for words.
        indent = line[: len(line) - len(line.lstrip(" "))][: width // 2]
        out.extend(
            textwrap.wrap(
                line.strip(" "),
                width,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)
