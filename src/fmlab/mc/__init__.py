"""``fmlab.mc``: an explicit-state model checker for models written as plain Python.

**The file convention.** A model is a Python file (or any namespace, such as a
notebook's ``globals()``) that defines:

``init()``
    an iterable of initial states. A state is any hashable value: a tuple, a frozenset,
    a frozen dataclass, a named tuple.
``next(state)``
    yields ``(action_label, next_state)`` pairs, one per transition. A label is usually
    a string such as ``"StartContainer(c1)"``; any hashable value is allowed.
``inv_<name>(state) -> bool``
    any number of invariants, checked in every reachable state.

and, optionally (all plain Python, no fmlab import needed):

``terminal(state) -> bool``
    a state without successors is reported as a **deadlock** unless ``terminal`` says it
    is a proper end (``def terminal(state): return True`` accepts every end state).
``leadsto_<name> = (p, q)``
    a **liveness** property: whenever ``p(state)`` holds, ``q`` holds then or later, on
    every fair behaviour. Behaviours are the infinite paths of the state graph; a state
    without successors stays where it is forever.
``WEAK_FAIRNESS = [...]`` and ``STRONG_FAIRNESS = [...]``
    the actions that are fair. An action's **name** is its label up to the first ``(``
    (``"StopContainer(c1)"`` is named ``StopContainer``; see :func:`action_name`). An
    entry without ``(`` makes every label with that name fair *on its own*
    (``StopContainer(c1)`` and
    ``StopContainer(c2)`` separately, like per-process fairness); an entry with ``(``
    names one exact label. Weak fairness: an action that stays enabled is eventually
    taken. Strong fairness: an action enabled again and again is eventually taken.
``label_map(label)`` or ``LABEL_MAP = {...}``
    for **trace inclusion** (:func:`check_refinement`): maps this model's labels onto a
    specification's. ``None`` marks an internal step the specification does not see
    (it stutters). In a dict, a key may be an exact label or an action name; with a name
    the label's arguments are carried over (``{"app_start": "StartContainer"}`` maps
    ``app_start(c1)`` to ``StartContainer(c1)``); unmentioned labels map to themselves.

**Loading a model file runs it**: :func:`load_model` imports the file like any Python
module, so check only files you trust. A file without ``init``/``next``, an unhashable
state, or an exception raised inside ``init``, ``next`` or an invariant becomes a
:class:`ModelError` (an :class:`~fmlab.core.errors.InputError`) naming the file and the
line of the model's code where it happened.

**The checks** all search breadth-first, so every invariant and deadlock counterexample
is a shortest trace, and every counterexample is replayed from ``init`` by calling
``next`` again before it is returned (:func:`fmlab.core.result.refute`). Answers are
:mod:`fmlab.core.result`'s: ``Proved`` (its bound says how many states and transitions
the exhaustive search covered), ``Refuted`` (with a :class:`Trace`, a lasso
:class:`Trace` for liveness, or a :class:`Divergence` for trace inclusion) or
``Unknown``. The bounds ``max_states``, ``max_depth`` and ``timeout`` (seconds) turn an
unfinished search into ``Unknown`` with the counts reached, never into "holds".

>>> from fmlab.mc import Model, check, check_invariant
>>> def init():
...     return [(0, 0)]
>>> def next(state):
...     x, y = state
...     if x < 2:
...         yield "incx", (x + 1, y)
...     if y < 2:
...         yield "incy", (x, y + 1)
>>> model = Model(init, next, invariants={"inv_small": lambda s: s[0] + s[1] < 4},
...               terminal=lambda s: s == (2, 2))
>>> report = check(model)
>>> [(p.name, p.status.value) for p in report.properties]
[('inv_small', 'violated'), ('deadlock', 'holds')]
>>> report["inv_small"].trace.actions
('incx', 'incx', 'incy', 'incy')
>>> check_invariant(model, lambda s: s[0] <= 2).bound
'9 states, 12 transitions explored, exhaustive'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.mc._bounds import DEFAULT_MAX_STATES
    from fmlab.mc._check import (
        check,
        check_deadlock,
        check_invariant,
        check_leads_to,
        check_refinement,
        refinement_report,
    )
    from fmlab.mc._draw import StepThrough, draw_counterexample, draw_state_space, step_through
    from fmlab.mc._model import LeadsTo, Model, ModelError, action_name, load_model
    from fmlab.mc._report import PropertyKind, PropertyResult, Report, Status
    from fmlab.mc._search import Exploration
    from fmlab.mc._space import Edge, StateSpace, explore
    from fmlab.mc._spin import SpinError, run_spin
    from fmlab.mc._trace import Divergence, Step, Trace
    from fmlab.mc._vector import DENSE_CODES, VectorAction, VectorModel

__all__ = [
    "DEFAULT_MAX_STATES",
    "DENSE_CODES",
    "Divergence",
    "Edge",
    "Exploration",
    "LeadsTo",
    "Model",
    "ModelError",
    "PropertyKind",
    "PropertyResult",
    "Report",
    "SpinError",
    "StateSpace",
    "Status",
    "Step",
    "StepThrough",
    "Trace",
    "VectorAction",
    "VectorModel",
    "action_name",
    "check",
    "check_deadlock",
    "check_invariant",
    "check_leads_to",
    "check_refinement",
    "draw_counterexample",
    "draw_state_space",
    "explore",
    "load_model",
    "refinement_report",
    "run_spin",
    "step_through",
]

# Everything loads on first use: the fast path needs numpy, the pictures Graphviz's
# bindings, and `fmlab mc check` on a plain model needs neither.
_HOMES = {
    "_bounds": ("DEFAULT_MAX_STATES",),
    "_check": (
        "check",
        "check_deadlock",
        "check_invariant",
        "check_leads_to",
        "check_refinement",
        "refinement_report",
    ),
    "_draw": ("StepThrough", "draw_counterexample", "draw_state_space", "step_through"),
    "_model": ("LeadsTo", "Model", "ModelError", "action_name", "load_model"),
    "_report": ("PropertyKind", "PropertyResult", "Report", "Status"),
    "_space": ("Edge", "StateSpace", "explore"),
    "_spin": ("SpinError", "run_spin"),
    "_trace": ("Divergence", "Step", "Trace"),
    "_vector": ("DENSE_CODES", "VectorAction", "VectorModel"),
    "_search": ("Exploration",),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
