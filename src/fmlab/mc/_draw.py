"""Pictures of a model check: the state graph, a counterexample, a step-through page.

The drawings go through :mod:`fmlab.viz` (``draw_state_graph``, ``draw_trace``); the
step-through is a self-contained piece of HTML (its CSS and a few lines of JavaScript
inline, nothing fetched), so it works in a notebook, on the static site without a
kernel, and, with scripts off, still shows every step one below the other.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fmlab.mc._model import label_text
from fmlab.mc._trace import Divergence, Trace, state_fields

if TYPE_CHECKING:
    from fmlab.mc._space import StateSpace


def _note(trace: Trace) -> str:
    if trace.is_lasso:
        return "P holds here"
    return "violation"


def draw_counterexample(trace: Trace | Divergence, *, title: str | None = None) -> Any:
    """A trace as a row of state tables, changed values emphasised and the focused state
    (the violation, or where a liveness obligation starts) marked; a lasso gets a dashed
    edge back to where its cycle starts."""
    if isinstance(trace, Divergence):
        implementation = trace.implementation
        rejected = label_text(trace.rejected)
        return _draw(
            implementation,
            title or f"the specification cannot follow: {rejected}",
            note="specification cannot follow",
        )
    return _draw(trace, title, note=_note(trace))


def _draw(trace: Trace, title: str | None, *, note: str) -> Any:
    from fmlab.viz import draw_trace  # loads Graphviz's bindings: only when drawing

    steps = list(trace.steps)
    actions = [label_text(step.action) for step in steps[1:]]
    loop_to = None
    if trace.is_lasso and not trace.stutters:
        # The last state repeats the loop start: draw the cycle as a back edge instead.
        steps = steps[:-1]
        loop_to = trace.loop_start
    elif trace.stutters:
        loop_to = trace.loop_start
        actions.append("(stays: no successor)")
    return draw_trace(
        [state_fields(step.state) for step in steps],
        actions=actions,
        loop_to=loop_to,
        title=title,
        highlight=trace.focus_index if trace.focus_index < len(steps) else None,
        highlight_note=note,
    )


def draw_state_space(
    space: StateSpace,
    *,
    highlight: Trace | None = None,
    label: Callable[[Any], str] | None = None,
    title: str | None = None,
    max_states: int = 200,
) -> Any:
    """The explored state graph; a trace's steps drawn thick and its focused state red.

    Refuses (``ValueError``) beyond ``max_states`` states: a drawing of thousands of
    states helps nobody, and Graphviz would take minutes.
    """
    from fmlab.viz import draw_state_graph, show_state

    if len(space) > max_states:
        raise ValueError(
            f"{len(space):,} states are too many to draw (max_states={max_states}); "
            "draw a counterexample trace instead"
        )
    edges = [(e.source, e.target, label_text(e.action)) for e in space.edges()]
    path: list[Hashable] = []
    bad: list[Hashable] = []
    if highlight is not None:
        path = list(highlight.states)
        bad = [highlight.states[highlight.focus_index]]
    return draw_state_graph(
        space.states,
        edges,
        initial=list(space.initial),
        label=label or show_state,
        highlight_path=path,
        bad=bad,
        title=title,
    )


_STYLE = """
.fmlab-steps{font-family:system-ui,sans-serif;font-size:14px;max-width:100%;
  border:1px solid #bbb;border-radius:6px;padding:8px;box-sizing:border-box}
.fmlab-steps .bar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
.fmlab-steps .bar[hidden]{display:none}
.fmlab-steps button{font-size:14px;padding:2px 10px;cursor:pointer}
.fmlab-steps input[type=range]{flex:1;min-width:120px}
.fmlab-steps .step{margin:6px 0}
.fmlab-steps .js .step{display:none}
.fmlab-steps .js .step.on{display:block}
.fmlab-steps table{border-collapse:collapse;max-width:100%}
.fmlab-steps td,.fmlab-steps th{border:1px solid #ccc;padding:2px 8px;text-align:left;
  font-family:ui-monospace,monospace;font-size:13px;overflow-wrap:anywhere}
.fmlab-steps .changed td{background:#FFEE99;font-weight:bold}
.fmlab-steps .focus h4{background:#FFCCCC;border-left:4px solid #CC3311}
.fmlab-steps h4{margin:4px 0;padding:2px 6px;font-size:14px}
.fmlab-steps .action{color:#004488}
"""

_SCRIPT = """
(function(){var root=document.getElementById(%(id)s);if(!root)return;
var list=root.querySelector('.steps');list.classList.add('js');
var steps=list.querySelectorAll('.step');var range=root.querySelector('input');
var pos=root.querySelector('.pos');var i=%(start)d;
function show(k){i=Math.max(0,Math.min(steps.length-1,k));
for(var j=0;j<steps.length;j++){steps[j].classList.toggle('on',j===i);}
range.value=i;pos.textContent=(i)+' / '+(steps.length-1);}
root.querySelector('.prev').onclick=function(){show(i-1);};
root.querySelector('.next').onclick=function(){show(i+1);};
root.querySelector('.first').onclick=function(){show(0);};
root.querySelector('.last').onclick=function(){show(steps.length-1);};
range.oninput=function(){show(parseInt(range.value,10));};
root.querySelector('.bar').hidden=false;show(i);})();
"""

_ids = itertools.count()


@dataclass(frozen=True)
class StepThrough:
    """A trace as an HTML page fragment with buttons to step through it.

    Displays itself in Jupyter (``_repr_html_``); :attr:`html` is the fragment, which
    needs nothing from the network and no kernel.
    """

    html: str
    steps: int

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<step-through of {self.steps} steps (shown as HTML in a notebook)>"


def step_through(trace: Trace | Divergence, *, title: str | None = None) -> StepThrough:
    """An HTML step-through of ``trace``: one state at a time, what changed highlighted.

    The buttons (first, previous, next, last) and the slider are plain JavaScript inside
    the fragment; without scripts every step is shown in order.
    """
    from fmlab.viz import show_value

    note = "specification cannot follow" if isinstance(trace, Divergence) else _note(trace)
    if isinstance(trace, Divergence):
        trace = trace.implementation
    element_id = f"fmlab-steps-{next(_ids)}-{abs(hash(trace)) % 10**8}"
    parts = [f'<div class="fmlab-steps" id="{element_id}"><style>{_STYLE}</style>']
    if title:
        parts.append(f"<div><strong>{html.escape(title)}</strong></div>")
    last = len(trace.steps) - 1
    parts.append(
        '<div class="bar" hidden><button class="first" type="button">⏮</button>'
        '<button class="prev" type="button">◀</button>'
        f'<input type="range" min="0" max="{last}" value="0" aria-label="step">'
        '<button class="next" type="button">▶</button>'
        '<button class="last" type="button">⏭</button>'
        '<span class="pos"></span></div><div class="steps">'
    )
    previous: dict[str, str] | None = None
    for index, step in enumerate(trace.steps):
        fields = {name: show_value(value) for name, value in state_fields(step.state).items()}
        classes = "step focus" if index == trace.focus_index else "step"
        heading = f"Step {index}"
        if step.action is None:
            heading += ": initial state"
        else:
            heading += f': <span class="action">{html.escape(label_text(step.action))}</span>'
        if index == trace.focus_index:
            heading += " — " + html.escape(note)
        if trace.loop_start == index:
            heading += " (stays here forever)" if trace.stutters else " (the cycle starts here)"
        if trace.is_lasso and not trace.stutters and index == last:
            heading += f" (back to step {trace.loop_start}; repeats forever)"
        rows = []
        for name, value in fields.items():
            changed = previous is not None and previous.get(name) != value
            row_class = ' class="changed"' if changed else ""
            rows.append(
                f"<tr{row_class}><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
            )
        parts.append(
            f'<div class="{classes}"><h4>{heading}</h4><table>{"".join(rows)}</table></div>'
        )
        previous = fields
    parts.append("</div>")
    script = _SCRIPT % {"id": json.dumps(element_id), "start": trace.focus_index}
    parts.append(f"<script>{script}</script></div>")
    return StepThrough("".join(parts), len(trace))
