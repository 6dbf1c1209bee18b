"""A playground: edit a policy and a request, see the decision, conflicts and witnesses.

:func:`analyse` does the work on plain text (a policy as JSON, an optional second policy
to compare with, a request and its context as JSON) and returns an :class:`Outcome`;
:class:`Playground` wires it to ipywidgets. The result pane is an ``ipywidgets.HTML``
whose content is computed when the playground is built, so a static page with embedded
widget state (the book) shows the first analysis in full; editing needs a live kernel.

Bad input never raises: the outcome carries the one-line located message of the
:class:`~fmlab.core.errors.InputError` (``policy:1:17: invalid JSON: ...``).

>>> outcome = analyse(PlaygroundInput(policy='{"Statement": []', action="s3:GetObject"))
>>> print(outcome.error)
policy:1:17: invalid JSON: Expecting ',' delimiter
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace
from typing import Any

import ipywidgets

from fmlab.core.errors import InputError
from fmlab.core.jsonio import loads_strict
from fmlab.iam._catalog import Catalog, CatalogWarning, unknown_actions
from fmlab.iam._compare import Comparison, compare
from fmlab.iam._conflicts import ConflictReport, find_conflicts
from fmlab.iam._drawing import draw_comparison, draw_conflict, draw_evaluation
from fmlab.iam._evaluator import Evaluation, PolicySet, evaluate
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request, parse_request
from fmlab.viz import Drawing, svg_fragment, to_svg

DRAWN_FINDINGS = 3
"""Conflict findings drawn (all are listed)."""

EXAMPLE_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::example-reports/*"},
    {"Sid": "NoFinance", "Effect": "Deny", "Action": "s3:*",
     "Resource": "arn:aws:s3:::example-reports/finance/*"}
  ]
}"""


@dataclass(frozen=True)
class PlaygroundInput:
    """Everything the reader can edit, as text. An empty ``second`` means no comparison."""

    policy: str = EXAMPLE_POLICY
    principal: str = "arn:aws:iam::111122223333:user/alice"
    action: str = "s3:GetObject"
    resource: str = "arn:aws:s3:::example-reports/finance/pay.csv"
    context: str = "{}"
    second: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the playground shows: either ``error`` or the analyses and their drawings."""

    error: str | None = None
    evaluation: Evaluation | None = None
    conflicts: ConflictReport | None = None
    comparison: Comparison | None = None
    warnings: tuple[CatalogWarning, ...] = ()
    drawings: tuple[tuple[str, Drawing], ...] = ()


def _policy(text: str, source: str, name: str) -> Policy:
    return parse_policy(
        loads_strict(text, source=source), source=source, name=name, kind=PolicyKind.IDENTITY
    )


def _request(given: PlaygroundInput) -> Request:
    context: Any = loads_strict(given.context or "{}", source="context")
    raw = {
        "principal": given.principal.strip(),
        "action": given.action.strip(),
        "resource": given.resource.strip(),
        "context": context,
    }
    return parse_request(raw, source="request", path=[])


def analyse(
    given: PlaygroundInput, *, catalog: Catalog | None = None, timeout_ms: int | None = None
) -> Outcome:
    """Parse, evaluate, look for conflicts and (with a second policy) compare."""
    try:
        policy = _policy(given.policy, "policy", "A")
        second = _policy(given.second, "second policy", "B") if given.second.strip() else None
        request = _request(given)
    except InputError as error:
        return Outcome(error=str(error))
    policies = PolicySet(identity=(policy,))
    evaluation = evaluate(policies, request)
    drawings: list[tuple[str, Drawing]] = [
        ("evaluation", draw_evaluation(policies, request, evaluation))
    ]
    report = find_conflicts([policy], catalog=catalog, timeout_ms=timeout_ms)
    for number, finding in enumerate(report.findings[:DRAWN_FINDINGS], start=1):
        drawings.append((f"finding {number}", draw_conflict(finding, [policy])))
    comparison = None
    warnings = list(unknown_actions(policy, catalog)) if catalog is not None else []
    if second is not None:
        other = PolicySet(identity=(second,))
        comparison = compare(policies, other, catalog=catalog, timeout_ms=timeout_ms)
        drawings.append(("comparison", draw_comparison(comparison, policies, other)))
        if catalog is not None:
            warnings += unknown_actions(second, catalog)
    return Outcome(None, evaluation, report, comparison, tuple(warnings), tuple(drawings))


def _code(value: Any) -> str:
    return f"<code>{html.escape(json.dumps(value))}</code>"


def render(outcome: Outcome) -> str:
    """The outcome as an HTML fragment (text first, then the drawings as inline SVG)."""
    if outcome.error is not None:
        return f'<pre class="fmlab-error">{html.escape(outcome.error)}</pre>'
    parts = []
    if outcome.evaluation is not None:
        evaluation = outcome.evaluation
        deciding = "".join(f"<li>{html.escape(str(ref))}</li>" for ref in evaluation.statements)
        parts.append(
            f"<p><b>Decision: {evaluation.decision.value}</b> "
            f"({html.escape(evaluation.reason)})</p>" + (f"<ul>{deciding}</ul>" if deciding else "")
        )
    if outcome.warnings:
        items = "".join(f"<li>{html.escape(str(w))}</li>" for w in outcome.warnings)
        parts.append(f"<p>Warnings:</p><ul>{items}</ul>")
    if outcome.conflicts is not None:
        report = outcome.conflicts
        items = "".join(
            f"<li>{html.escape(f.kind.value)}: {html.escape(f.message)}"
            + (f"<br>witness: {_code(f.witness.to_json())}" if f.witness else "")
            + "</li>"
            for f in report.findings
        )
        items += "".join(f"<li>unknown: {html.escape(u.explain())}</li>" for u in report.unknown)
        undecided = f", {len(report.unknown)} undecided" if report.unknown else ""
        parts.append(
            f"<p><b>Conflicts</b>: {len(report.findings)} finding(s){undecided}</p>"
            + (f"<ul>{items}</ul>" if items else "")
        )
    if outcome.comparison is not None:
        explained = html.escape(outcome.comparison.explain())
        parts.append(f"<p><b>Comparison with the second policy</b></p><pre>{explained}</pre>")
    for caption, drawing in outcome.drawings:
        # Scaled to the pane's width: a wide layout would otherwise hide behind a scrollbar.
        svg = svg_fragment(to_svg(drawing)).replace(
            "<svg ", '<svg style="max-width:100%;height:auto" ', 1
        )
        parts.append(f"<figure><figcaption>{html.escape(caption)}</figcaption>{svg}</figure>")
    return "\n".join(parts)


class Playground:
    """The widgets: two policy text areas, the request fields, and the result pane.

    ``refresh()`` re-runs :func:`analyse`; every edit calls it. ``outcome`` holds the
    last result and ``result.value`` its HTML, so tests drive the widgets directly.
    """

    def __init__(
        self,
        given: PlaygroundInput | None = None,
        *,
        catalog: Catalog | None = None,
        timeout_ms: int | None = None,
    ) -> None:
        start = given if given is not None else PlaygroundInput()
        self.catalog = catalog
        self.timeout_ms = timeout_ms
        area = ipywidgets.Layout(width="100%", height="14em")
        self.policy = ipywidgets.Textarea(
            value=start.policy, description="policy", layout=area, continuous_update=False
        )
        self.second = ipywidgets.Textarea(
            value=start.second,
            description="compare",
            placeholder="optional: a second policy to compare with",
            layout=area,
            continuous_update=False,
        )
        line = ipywidgets.Layout(width="100%")
        self.principal = ipywidgets.Text(
            value=start.principal, description="principal", layout=line, continuous_update=False
        )
        self.action = ipywidgets.Text(
            value=start.action, description="action", layout=line, continuous_update=False
        )
        self.resource = ipywidgets.Text(
            value=start.resource, description="resource", layout=line, continuous_update=False
        )
        self.context = ipywidgets.Textarea(
            value=start.context,
            description="context",
            layout=ipywidgets.Layout(width="100%", height="4em"),
            continuous_update=False,
        )
        self.result = ipywidgets.HTML()
        self.outcome = Outcome()
        for widget in self._inputs():
            widget.observe(self._changed, names="value")
        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox([self.policy, self.second]),
                self.principal,
                self.action,
                self.resource,
                self.context,
                self.result,
            ]
        )
        self.refresh()

    def _inputs(self) -> list[ipywidgets.ValueWidget]:
        return [self.policy, self.second, self.principal, self.action, self.resource, self.context]

    def _changed(self, _change: Any) -> None:
        self.refresh()

    def current(self) -> PlaygroundInput:
        """The text the widgets hold now."""
        return replace(
            PlaygroundInput(),
            policy=self.policy.value,
            principal=self.principal.value,
            action=self.action.value,
            resource=self.resource.value,
            context=self.context.value,
            second=self.second.value,
        )

    def refresh(self) -> Outcome:
        self.outcome = analyse(self.current(), catalog=self.catalog, timeout_ms=self.timeout_ms)
        self.result.value = render(self.outcome)
        return self.outcome
