"""Every notebook has the teaching form the chapter template asks for.

book/chapter-template.md describes it; this holds each notebook to the parts a program
can see, reading the MyST source (nothing is executed):

* it **opens with objectives**: an ``{admonition} Objectives`` block before the first code
  cell, with a line of prerequisites and an estimated time;
* it **ends with at least two exercises** (``{exercise}`` directives);
* at least one exercise has a **checking cell**: a code cell the reader sees, after the
  first exercise, that calls a checker (a function whose name starts with ``check``:
  ``check_weekend_test(answer)``, ``check_attempt(source, "share")``, ``check(policy)``),
  and the checker is **tested by an assert** in a cell after the first exercise that calls
  it (on the placeholder answer, which it must reject with a counterexample, and on a
  right one; usually in a cell tagged ``remove-cell``), so that a checker that accepts
  everything fails the build.

The checker may live in the chapter's library (``fmlab.timetravel.check_weekend_test``) or
in the notebook; what the checker answers (a counterexample, not the solution) is for a
reader to judge and for the asserts to pin down.

Notebooks that do not have the form yet are listed in ``NOT_YET``: their test is an
expected failure, strictly, so it turns into a failure the day a notebook complies, and
the notebook must then leave the list. A new notebook is expected to comply from the start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"

# Notebooks without the whole form: none since 2026-12-07 (every chapter was brought to it).
NOT_YET: set[str] = set()

_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}(?P<argument>.*)$")
_CHECKER_CALL = re.compile(r"(?<![\w.])(?P<name>check\w*)\s*\(")
_TAGS = re.compile(r"^(?::tags:|tags:)\s*\[(?P<tags>[^\]]*)\]", re.MULTILINE)
_HIDDEN = {"remove-cell", "remove-input"}


@dataclass(frozen=True)
class Block:
    """One top-level directive of a MyST notebook: its name, argument, body, position."""

    name: str
    argument: str
    body: str
    line: int

    @property
    def tags(self) -> set[str]:
        found = _TAGS.search(self.body)
        if found is None:
            return set()
        return {tag.strip().strip("'\"") for tag in found["tags"].split(",")}


def blocks(text: str) -> list[Block]:
    """The notebook's top-level directives (code cells, admonitions, exercises...), in order."""
    lines = text.splitlines()
    found: list[Block] = []
    number = 0
    while number < len(lines):
        opening = _FENCE_OPEN.match(lines[number])
        if opening is None:
            number += 1
            continue
        fence = opening["fence"]
        end = number + 1
        while end < len(lines) and lines[end].rstrip() != fence:
            end += 1
        body = "\n".join(lines[number + 1 : end])
        found.append(Block(opening["name"], opening["argument"].strip(), body, number + 1))
        number = end + 1
    return found


def _calls(code: str) -> set[str]:
    """The checkers a cell calls (a ``def`` line defines one, it does not call it)."""
    return {
        match["name"]
        for line in code.splitlines()
        if not line.lstrip().startswith("def ")
        for match in _CHECKER_CALL.finditer(line)
    }


def problems(text: str) -> list[str]:
    """What the notebook lacks of the teaching form; empty when it has it all."""
    found = blocks(text)
    missing: list[str] = []
    code = [block for block in found if block.name == "code-cell"]
    first_code = code[0].line if code else 10**9
    objectives = [
        block
        for block in found
        if block.name == "admonition" and block.argument.startswith("Objectives")
    ]
    if not objectives or objectives[0].line > first_code:
        missing.append("no {admonition} Objectives before the first code cell")
    elif "Prerequisite" not in objectives[0].body or not re.search(
        r"\bTime\b|\bminutes\b|\bhours?\b", objectives[0].body
    ):
        missing.append("the objectives name no prerequisites or no estimated time")
    exercises = [block for block in found if block.name == "exercise"]
    if len(exercises) < 2:
        missing.append(f"{len(exercises)} {{exercise}} blocks, at least 2 wanted")
    if not exercises:
        return [*missing, "no checking cell (there is no exercise)"]
    after = [block for block in code if block.line > exercises[0].line]
    checkers = {name for block in after if not block.tags & _HIDDEN for name in _calls(block.body)}
    tested = {
        name
        for name in checkers
        for block in after
        if name in _calls(block.body)
        and any(line.lstrip().startswith("assert") for line in block.body.splitlines())
    }
    if not checkers:
        missing.append(
            "no checking cell: no visible cell after the first exercise calls a check... function"
        )
    elif not tested:
        missing.append(f"no assert after the first exercise tests {', '.join(sorted(checkers))}")
    return missing


def notebook_names() -> list[str]:
    return sorted(
        path.relative_to(NOTEBOOKS).with_suffix("").as_posix() for path in NOTEBOOKS.glob("*/*.md")
    )


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                strict=True, reason="not yet in the teaching form: remove it from NOT_YET"
            ),
        )
        if name in NOT_YET
        else name
        for name in notebook_names()
    ],
)
def test_notebook_has_the_teaching_form(name: str) -> None:
    text = (NOTEBOOKS / f"{name}.md").read_text(encoding="utf-8")
    assert problems(text) == [], f"notebooks/{name}.md"


def test_the_list_of_late_notebooks_names_only_notebooks_that_exist() -> None:
    assert set(notebook_names()) >= NOT_YET


# --- the checker of the form, on small notebooks of its own --------------------------

_GOOD = """\
# A notebook

:::{admonition} Objectives
:class: tip
After this notebook you can find a counterexample.

Prerequisites: none. Time: about 30 minutes.
:::

```{code-cell} ipython3
from fmlab.mc import check_thing
```

```{exercise}
:label: first
Do one thing.
```

```{code-cell} ipython3
print(check_thing(answer).explain())
```

```{code-cell} ipython3
:tags: [remove-cell]
assert check_thing(answer).refuted
```

```{exercise}
:label: second
Do another.
```
"""


def test_a_notebook_in_the_form_passes() -> None:
    assert problems(_GOOD) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda text: text.replace("{admonition} Objectives", "{admonition} Goals"), "Objectives"),
        (lambda text: text.replace("Prerequisites: none. ", ""), "prerequisites"),
        (lambda text: text.replace("```{exercise}\n:label: second", "```{note}\n"), "1 {exercise}"),
        (lambda text: text.replace("assert check_thing", "check_thing"), "no assert"),
        (lambda text: text.replace("print(check_thing(answer)", "print(answer"), "no checking"),
        (
            lambda text: text.replace(
                "```{code-cell} ipython3\nprint(",
                "```{code-cell} ipython3\n:tags: [remove-input]\nprint(",
            ),
            "no checking cell",
        ),
    ],
    ids=["no-objectives", "no-prerequisites", "one-exercise", "untested", "no-call", "hidden"],
)
def test_each_missing_part_is_named(change: object, complaint: str) -> None:
    assert callable(change)
    found = problems(change(_GOOD))
    assert any(complaint in problem for problem in found), found
