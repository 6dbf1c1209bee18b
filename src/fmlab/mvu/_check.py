"""The checks of an app, over every model exploration reaches.

* ``inv_<name>``: the invariant holds in every reachable model. A violation comes back
  as the shortest message sequence, replayed through ``update`` before it is shown. When
  the exploration is not exhaustive, an inductive proof with z3
  (:func:`fmlab.mvu.prove_inductive`) can still establish it for every model;
* ``view_is_function_of_model``: rendering a model "on the server" and "in the browser"
  (:mod:`fmlab.mvu._environment`: another instant, zone, locale and random seed) gives
  the same tree;
* ``hydration_never_falls_back``: the server's HTML of every model, parsed as a browser
  would, hydrates with the browser's first view of that model (strict rules).

Answers are holds, violated (with messages) or unknown (with the reason), as
:mod:`fmlab.core.result` has them; unknown is never reported as holds.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import leaky_counter
>>> report = check(App.from_module(leaky_counter), max_states=50)
>>> finding = report["inv_not_negative"]
>>> finding.status.value, finding.messages
('violated', (Decrement(),))
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.mc import Status
from fmlab.mvu._app import App, Message
from fmlab.mvu._diff import first_difference
from fmlab.mvu._environment import AFTERNOON_IN_SAO_PAULO, MORNING_IN_UTC, Environment, moved
from fmlab.mvu._explore import DEFAULT_MAX_STATES, Exploration, explore
from fmlab.mvu._html import render_html
from fmlab.mvu._hydrate import STRICT, HydrationRules, hydrate
from fmlab.mvu._messages import encode_message
from fmlab.mvu._nodes import Node
from fmlab.mvu._text import LINE_WIDTH

_STATUS = {"proved": Status.HOLDS, "refuted": Status.VIOLATED, "unknown": Status.UNKNOWN}

VIEW_PROPERTY = "view_is_function_of_model"
HYDRATION_PROPERTY = "hydration_never_falls_back"


@dataclass(frozen=True)
class Counterexample:
    """Messages from ``init()`` and the models they lead to (replayed), with what went wrong."""

    messages: tuple[Message, ...]
    models: tuple[Hashable, ...]
    detail: str = ""

    @property
    def model(self) -> Hashable:
        """The last model: the one that breaks the property."""
        return self.models[-1]

    def to_json(self) -> dict[str, Any]:
        return {
            "messages": [encode_message(message) for message in self.messages],
            "model": repr(self.model),
            "detail": self.detail,
        }

    def __str__(self) -> str:
        sent = ", ".join(map(repr, self.messages)) or "no message: the first model"
        return f"{sent} -> {self.model!r}"


Answer = Proved | Refuted[Counterexample] | Unknown


@dataclass(frozen=True)
class Finding:
    """One property's answer, and for invariants the inductive proof's answer too."""

    name: str
    kind: str
    result: Answer
    induction: Proved | Refuted[Any] | Unknown | None = None

    @property
    def status(self) -> Status:
        return _STATUS[self.result.verdict.value]

    @property
    def counterexample(self) -> Counterexample | None:
        if isinstance(self.result, Refuted):
            return self.result.witness
        return None

    @property
    def messages(self) -> tuple[Message, ...]:
        """The counterexample's messages (empty unless violated)."""
        found = self.counterexample
        return () if found is None else found.messages

    @property
    def reason(self) -> str:
        result = self.result
        if isinstance(result, Refuted):
            found = result.witness
            steps = len(found.messages)
            head = f"broken after {steps} message{'s' if steps != 1 else ''} (replayed)"
            return f"{head}: {found.detail}" if found.detail else head
        if isinstance(result, Proved):
            return result.bound or result.claim
        return f"{result.reason.value}: {result.detail}" if result.detail else result.reason.value

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "status": self.status.value,
            "reason": self.reason,
            "messages": [encode_message(message) for message in self.messages],
        }
        if self.counterexample is not None:
            data["model"] = repr(self.counterexample.model)
        if self.induction is not None:
            data["induction"] = self.induction.to_json()
        return data

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        indent = " " * 10
        out = [_clip(f"{self.status.value:<9} {self.name}", width)]
        for line in self.reason.split("\n"):
            out += _wrap(line, width, indent)
        found = self.counterexample
        if found is not None:
            steps = zip(found.messages, found.models[1:], strict=True)
            for index, (message, model) in enumerate(steps):
                out += _wrap(f"{index + 1}. {message!r} -> {model!r}", width, indent)
        # An unknown invariant's reason already ends with what induction answered.
        if self.induction is not None and not isinstance(self.result, Unknown):
            out += _wrap(f"induction: {_induction_text(self.induction)}", width, indent)
        return out


@dataclass(frozen=True)
class CheckReport:
    """Every property of an app, with what the exploration covered."""

    app: str
    states: int
    transitions: int
    seconds: float
    complete: bool
    findings: tuple[Finding, ...]
    exploration: Exploration | None = field(default=None, compare=False, repr=False)

    def __getitem__(self, name: str) -> Finding:
        for finding in self.findings:
            if finding.name == name:
                return finding
        raise KeyError(f"no property {name!r} (there are: {', '.join(self.names)})")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(finding.name for finding in self.findings)

    @property
    def holds(self) -> bool:
        return all(finding.status is Status.HOLDS for finding in self.findings)

    @property
    def exit_code(self) -> int:
        """0 all hold, 1 one is violated, 3 none violated but one unknown."""
        statuses = {finding.status for finding in self.findings}
        if Status.VIOLATED in statuses:
            return 1
        return 3 if Status.UNKNOWN in statuses else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "states": self.states,
            "transitions": self.transitions,
            "seconds": round(self.seconds, 6),
            "complete": self.complete,
            "properties": [finding.to_json() for finding in self.findings],
        }

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        search = "exhaustive" if self.complete else "not exhaustive"
        out = [
            _clip(
                f"{self.app}: {self.states:,} models, {self.transitions:,} transitions, "
                f"{self.seconds:.2f} s, {search}",
                width,
            )
        ]
        for finding in self.findings:
            out += ["  " + line for line in finding.lines(width - 2)]
        return out

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def check(
    app: App,
    *,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
    prove: bool = True,
    hydration_rules: HydrationRules = STRICT,
) -> CheckReport:
    """Explore ``app`` and check its invariants, its view's purity and its hydration.

    ``prove`` also tries an inductive proof of each invariant;
    ``hydration_rules`` are the rules of the hydration walk (:data:`~fmlab.mvu.MISO_RULES`
    checks what Miso itself would notice).
    """
    started = time.perf_counter()
    found = explore(app, max_states=max_states, max_depth=max_depth, timeout=timeout)
    findings = [_invariant(app, found, name, prove) for name in app.invariants]
    server, browser = _render_everywhere(app, found)
    findings.append(_view_is_pure(app, found, server, browser))
    findings.append(_hydrates(app, found, server, browser, hydration_rules))
    return CheckReport(
        app=app.name,
        states=len(found),
        transitions=found.transitions,
        seconds=time.perf_counter() - started,
        complete=found.complete,
        findings=tuple(findings),
        exploration=found,
    )


def _counterexample(found: Exploration, model: Hashable, detail: str) -> Counterexample:
    messages = found.messages_to(model)
    return Counterexample(messages, tuple(found.app.run(messages)), detail)


def _unfinished(claim: str, found: Exploration, extra: str = "") -> Unknown:
    reason = found.stop_reason or UnknownReason.INCOMPLETE
    detail = f"no counterexample among {len(found):,} models, but {found.stop_detail}"
    return Unknown(claim, reason, detail + extra)


def _invariant(app: App, found: Exploration, name: str, prove: bool) -> Finding:
    claim = f"{name} holds in every reachable model"
    induction = None
    if prove:
        from fmlab.mvu._prove import prove_inductive

        induction = prove_inductive(app, name, exploration=found)
    for model in found.models:
        if not app.check_invariant(name, model):
            witness = _counterexample(found, model, f"{name}({model!r}) is False")
            result: Answer = refute(
                claim,
                witness,
                replay=lambda w: not app.check_invariant(name, app.run(w.messages)[-1]),
                replayed_by="update, replaying the messages from init()",
            )
            return Finding(name, "invariant", result, induction)
    if found.complete:
        return Finding(name, "invariant", Proved(claim, found.bound()), induction)
    if isinstance(induction, Proved):
        bound = f"inductive (proved with z3 for every model); {found.bound()}"
        return Finding(name, "invariant", Proved(claim, bound), induction)
    note = "" if induction is None else f"; induction: {induction.explain()}"
    return Finding(name, "invariant", _unfinished(claim, found, note), induction)


def _render_everywhere(app: App, found: Exploration) -> tuple[list[Node], list[Node]]:
    def render_all(environment: Environment) -> list[Node]:
        with moved(environment):
            return [app.render(model) for model in found.models]

    return render_all(MORNING_IN_UTC), render_all(AFTERNOON_IN_SAO_PAULO)


def _view_is_pure(
    app: App, found: Exploration, server: Sequence[Node], browser: Sequence[Node]
) -> Finding:
    claim = "the view is a function of the model"
    for model, first, second in zip(found.models, server, browser, strict=True):
        difference = first_difference(first, second)
        if difference is None:
            continue
        detail = (
            f"the view of the same model differs between {MORNING_IN_UTC.describe()} and "
            f"{AFTERNOON_IN_SAO_PAULO.describe()}: {difference}"
        )

        def replay(witness: Counterexample) -> bool:
            last = app.run(witness.messages)[-1]
            with moved(MORNING_IN_UTC):
                one = app.render(last)
            with moved(AFTERNOON_IN_SAO_PAULO):
                two = app.render(last)
            return one != two

        result = refute(claim, _counterexample(found, model, detail), replay=replay)
        return Finding(VIEW_PROPERTY, "view", result)
    if found.complete:
        return Finding(VIEW_PROPERTY, "view", Proved(claim, found.bound()))
    return Finding(VIEW_PROPERTY, "view", _unfinished(claim, found))


def _hydrates(
    app: App,
    found: Exploration,
    server: Sequence[Node],
    browser: Sequence[Node],
    rules: HydrationRules,
) -> Finding:
    claim = f"hydration never falls back ({rules.name} rules)"
    for model, first, second in zip(found.models, server, browser, strict=True):
        hydration = hydrate(render_html(first), second, rules=rules)
        if hydration.attached:
            continue
        assert hydration.mismatch is not None
        # Unfolded: JSON keeps one line per item, and lines() folds to its own indent.
        detail = f"{hydration.mismatch.explain(width=None)}\n  {hydration.outcome}"

        def replay(witness: Counterexample) -> bool:
            last = app.run(witness.messages)[-1]
            with moved(MORNING_IN_UTC):
                html = render_html(app.render(last))
            with moved(AFTERNOON_IN_SAO_PAULO):
                view = app.render(last)
            return hydrate(html, view, rules=rules).fell_back

        result = refute(claim, _counterexample(found, model, detail), replay=replay)
        return Finding(HYDRATION_PROPERTY, "hydration", result)
    if found.complete:
        return Finding(HYDRATION_PROPERTY, "hydration", Proved(claim, found.bound()))
    return Finding(HYDRATION_PROPERTY, "hydration", _unfinished(claim, found))


def _induction_text(result: Proved | Refuted[Any] | Unknown) -> str:
    if isinstance(result, Proved):
        return f"proved {result.bound or ''}".strip()
    if isinstance(result, Refuted):
        return f"not inductive: {result.witness} (replayed)"
    return f"unknown ({result.reason.value}): {result.detail}"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """``text`` wrapped to ``width``, every line indented (continuations a bit more)."""
    lead = len(text) - len(text.lstrip(" "))
    return textwrap.wrap(
        text.strip(),
        width,
        initial_indent=indent + " " * lead,
        subsequent_indent=indent + " " * (lead + 2),
        break_on_hyphens=False,
    ) or [indent]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
