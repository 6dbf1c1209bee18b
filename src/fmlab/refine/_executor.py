"""Statements: walking every path of a function body and collecting obligations.

The walk forks at each ``if`` and carries the rest of the enclosing blocks along
(a continuation), so no join of states is ever needed; ``return``, ``raise`` and the
end of a loop body end a path. Loops are summarised by invariants: given with
``#@ invariant``, or inferred (:mod:`fmlab.refine._inference`). With ``unroll`` set, loops
are instead unrolled that many times (bounded checking), which gives exact paths
whose counterexamples can be trusted.
"""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import z3

from fmlab.core.errors import InputError, UndecidedError
from fmlab.refine._expressions import Evaluator, element_predicate, merge, truth
from fmlab.refine._predicates import Predicate
from fmlab.refine._pytypes import INT, NONE, Kind, read_annotation
from fmlab.refine._specs import (
    RESULT,
    ModuleSpec,
    Signature,
    check_predicate_names,
    function_metric,
    int_constants,
)
from fmlab.refine._state import Obligation, State
from fmlab.refine._termination import Metric, RecursiveCall, plan
from fmlab.refine._unsupported import UnsupportedError, describe
from fmlab.refine._values import Value, fresh, sort

MAX_PATHS = 4096
"""Paths explored per function before giving up with ``unknown``."""
FUNCTION_BUDGET_S = 10.0
"""Wall-clock seconds for walking one function (inference included) before ``unknown``."""


_HIDDEN_INDEX = re.compile(r"([A-Za-z_]\w*)#index@\d+")


def user_terms(text: str) -> str:
    """``text`` with the hidden counter of ``for x in xs`` written as ``(index of x)``.

    The counter is named ``x#index@LINE`` inside the checker so that it can clash with
    no Python name; a reader should see what it stands for instead.
    """
    return _HIDDEN_INDEX.sub(r"(index of \1)", text)


class TooManyPathsError(UndecidedError):
    """The function has more paths, or takes longer, than the checker explores."""


@dataclass(frozen=True)
class Invariant:
    """A loop invariant: its text (for messages), where it was written, and its formula."""

    text: str
    line: int
    column: int
    build: Callable[[Mapping[str, Value]], z3.BoolRef]
    given: bool


@dataclass(frozen=True)
class _LoopEnd:
    """Marks the end of a loop body in the work list."""

    loop: ast.While | ast.For
    invariants: tuple[Invariant, ...]
    counter: str | None


@dataclass(frozen=True)
class _Unrolled:
    """Marks the end of one unrolled iteration: go round the loop again."""

    loop: ast.While | ast.For
    counter: str | None
    bound: z3.ArithRef | None


@dataclass(frozen=True)
class _BindElement:
    """Start of an iteration of ``for x in xs``: bind ``x`` to the current element."""

    target: str
    counter: str
    sequence: Value


WorkItem = ast.stmt | _LoopEnd | _Unrolled | _BindElement
Work = Sequence[WorkItem]


@dataclass(frozen=True)
class LoopShape:
    """What inference needs to know about a loop: its counter and bound for ``for``."""

    node: ast.While | ast.For
    counter: str | None
    bound: z3.ArithRef | None


InferFunction = Callable[
    ["FunctionExecutor", LoopShape, State, tuple[Invariant, ...]], tuple[Invariant, ...]
]


@dataclass(frozen=True)
class LoopRecord:
    """A loop as the main run summarised it (for the Horn back end).

    ``head`` is the havocked state before any invariant was assumed; ``assumed`` are the
    invariant formulas then assumed there; ``depth`` counts the loops around this one.
    """

    shape: LoopShape
    entry: State
    head: State
    assumed: tuple[z3.BoolRef, ...]
    depth: int


@dataclass(frozen=True)
class LoopEndState:
    """Where one iteration of a loop body ends: the variables' values and the path's facts."""

    env: Mapping[str, Value]
    facts: tuple[z3.BoolRef, ...]


class FunctionExecutor:
    """Runs one function symbolically; ``obligations`` is what must be proved."""

    def __init__(
        self,
        spec: ModuleSpec,
        node: ast.FunctionDef,
        signature: Signature,
        *,
        unroll: int | None = None,
        infer: InferFunction | None = None,
        candidates: Sequence[Predicate] | None = None,
        deadline: float | None = None,
    ) -> None:
        self.candidates = candidates
        self.deadline = deadline if deadline is not None else time.monotonic() + FUNCTION_BUDGET_S
        self.spec = spec
        self.node = node
        self.signature = signature
        self.obligations: list[Obligation] = []
        self.evaluator = Evaluator(spec, self._emit, function=node.name)
        self.unroll = unroll
        self.infer = infer
        self.paths = 0
        self.collecting = 0
        self.loop_ends: dict[int, list[LoopEndState]] = {}
        self.inputs: dict[str, Value] = {}
        self.entry_facts: tuple[z3.BoolRef, ...] = ()
        self.inferred: dict[int, tuple[Invariant, ...]] = {}
        self.loops: list[LoopRecord] = []
        self._elements: dict[int, _BindElement] = {}
        self.loop_depth = 0
        # range(start, stop, step): the step of each such loop (1 when not listed).
        self.steps: dict[int, int] = {}
        # The abstract refinements of the function, uninterpreted (shown in counterexamples).
        self.predicates: dict[str, z3.FuncDeclRef] = {}
        # Where a ``break`` goes: the work after the loop, for the loop being summarised
        # (None while inference runs a lone iteration: a break path then just ends).
        self._after: dict[int, list[WorkItem] | None] = {}
        # Recursive calls met on the way (their termination is checked at the end), and the
        # message when no order of the parameters' sizes proves it (see _termination).
        self._calls: list[RecursiveCall] = []
        self.termination_unknown: str | None = None

    def _emit(self, obligation: Obligation) -> None:
        if not self.collecting:
            self.obligations.append(obligation)

    # --- entry ---------------------------------------------------------------------

    def run(self) -> list[Obligation]:
        env: dict[str, Value] = {}
        for param in self.signature.params:
            env[param.name] = fresh(param.name, param.type, exact_name=True)
        facts = []
        for abstract in self.signature.abstract:
            # Checked for every p: p is uninterpreted here.
            function = z3.Function(
                abstract.name, *[sort(t) for t in abstract.arguments], z3.BoolSort()
            )
            self.evaluator.abstract[abstract.name] = _apply(function)
            self.predicates[abstract.name] = function
        entry = dict(env)  # what a parameter's element refinement may mention
        for param in self.signature.params:
            env[param.name] = self.evaluator.note_value(env[param.name], entry)
            facts.extend(self.evaluator.record_facts(env[param.name]))
            if param.refinement is not None:
                local = {**env, RESULT: env[param.name]}
                facts.append(self.evaluator.predicate_formula(param.refinement, local))
        self.inputs = dict(env)
        self.entry_facts = tuple(facts)
        group = self.spec.recursive_groups.get(self.node.name)
        if group:
            raise UnsupportedError.at(
                self.node, f"mutual recursion between {', '.join(group)} (termination)"
            )
        self.evaluator.entry = dict(env)
        metric = self._metric()
        self.evaluator.on_recursive_call = self._recursive_call
        self._exec(list(self.node.body), State(env, tuple(facts)))
        if self._calls:
            self._termination(metric)
        return self.obligations

    def _metric(self) -> Metric | None:
        metric = function_metric(self.node, self.signature, self.spec)
        if metric is None:
            return None
        names = {param.name for param in self.signature.params} | int_constants(self.spec)
        for component in metric.components:
            try:
                check_predicate_names(component, names, self.spec.measures)
            except InputError as problem:
                raise UnsupportedError(
                    f"termination metric: {problem.message}", component.line, problem.column or 1
                ) from None
        return metric

    def _recursive_call(self, node: ast.Call, bindings: Mapping[str, Value], state: State) -> None:
        if self.collecting:
            return  # a lone iteration run for inference: its calls are met again later
        if function_metric(self.node, self.signature, self.spec) is None:
            raise UnsupportedError.at(
                node,
                f"recursive call to {self.node.name} without a termination metric "
                "(add #@ decreases EXPR after the def line)",
            )
        self._calls.append(RecursiveCall(node, state, dict(bindings)))

    def _termination(self, metric: Metric | None) -> None:
        """Emit what every recursive call must show for the function to terminate."""
        assert metric is not None  # a call without one was refused where it was made
        try:
            found = plan(metric, self._calls, self.inputs, self.evaluator.metric_value)
        except InputError as problem:
            line = metric.components[0].line
            raise UnsupportedError(
                f"termination metric: {problem.message}", line, problem.column or 1
            ) from None
        for call, goal in zip(self._calls, found.goals, strict=True):
            self.obligation(call.state, "termination", call.node, found.message, goal)
        if found.search_failed:
            self.termination_unknown = found.message

    def obligation(
        self,
        state: State,
        kind: str,
        node: ast.AST | tuple[int, int],
        message: str,
        goal: z3.BoolRef,
    ) -> None:
        if isinstance(node, tuple):
            line, column = node
        else:
            line, column = getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1
        self._emit(
            Obligation(kind, line, column, message, state.facts, goal, state.exact, state.modular)
        )

    # --- statements ----------------------------------------------------------------

    def _exec(self, work: Work, state: State) -> None:
        """Run ``work`` from ``state`` to the end of every path."""
        work = list(work)
        while work:
            self.check_budget()
            item = work.pop(0)
            if isinstance(item, _LoopEnd):
                self._loop_end(item, state)
                return
            if isinstance(item, _Unrolled):
                self._unrolled_again(item, work, state)
                return
            if isinstance(item, _BindElement):
                element = _element(item.sequence, state.env[item.counter])
                facts = self.evaluator.element_fact(item.sequence, element)
                state = state.bind(item.target, element).assume(*facts)
                continue
            method = getattr(self, "_run_" + type(item).__name__.lower(), None)
            if method is None:
                raise UnsupportedError.at(item, describe(item))
            next_state: State | None = method(item, state, work)
            if next_state is None:
                return  # the statement ended the path (or forked and ran the rest itself)
            state = next_state
        self._fall_off(state)

    def _count_path(self) -> None:
        self.paths += 1
        if self.paths > MAX_PATHS:
            raise TooManyPathsError("too many paths to explore (split the function)")
        self.check_budget()

    def check_budget(self) -> None:
        """Give up (as ``unknown``) once the function's time budget is spent."""
        if time.monotonic() > self.deadline:
            raise TooManyPathsError(
                f"gave up after {FUNCTION_BUDGET_S:.0f} s (split the function or simplify it)"
            )

    def _fall_off(self, state: State) -> None:
        self._count_path()
        result = self.signature.result
        end = (getattr(self.node, "end_lineno", None) or self.node.lineno, 1)
        if result.type.kind is not Kind.NONE:
            self.obligation(
                state,
                "return",
                end,
                f"function may reach its end without returning a {result.type}",
                z3.BoolVal(False),
            )
            return
        self._check_result(state, Value(NONE), end)

    def _check_result(self, state: State, value: Value, where: ast.AST | tuple[int, int]) -> None:
        if self.candidates is not None:
            # Inferring the result's refinement: each candidate is its own obligation.
            for candidate in self.candidates:
                goal = self.evaluator.predicate_formula(candidate, {**self.inputs, RESULT: value})
                self.obligation(state, "candidate", where, candidate.text, goal)
            return
        result = self.signature.result
        wanted = result.type.element
        if wanted is not None and not self.evaluator.same_elements(value.type.element, wanted):
            goal = self.evaluator.element_goal(value, wanted, self.inputs)
            self.obligation(
                state,
                "postcondition",
                where,
                f"every element of the result must satisfy `{wanted.text}`",
                goal,
            )
        if result.refinement is None:
            return
        local = {**self.inputs, RESULT: value}
        goal = self.evaluator.predicate_formula(result.refinement, local)
        self.obligation(
            state, "postcondition", where, f"result must satisfy `{result.refinement.text}`", goal
        )

    def _run_pass(self, node: ast.Pass, state: State, work: list[WorkItem]) -> State:
        return state

    def _run_break(self, node: ast.Break, state: State, work: list[WorkItem]) -> None:
        index, marker = _loop_marker(node, work)
        if isinstance(marker, _Unrolled):
            # Bounded unrolling: what follows the marker is the code after the loop.
            self._exec(work[index + 1 :], _with_unrolled(state, marker.loop, 0))
            return
        after = self._after.get(id(marker.loop))
        if after is None:
            self._count_path()  # inference's lone iteration: this path leaves the loop
            return
        self._exec(after, state)

    def _run_continue(self, node: ast.Continue, state: State, work: list[WorkItem]) -> None:
        index, _ = _loop_marker(node, work)
        self._exec(work[index:], state)  # straight to the end of the iteration

    def _run_expr(self, node: ast.Expr, state: State, work: list[WorkItem]) -> State:
        if isinstance(node.value, ast.Constant):
            return state  # a docstring or a bare constant does nothing
        _, state = self.evaluator.expr(node.value, state)
        return state

    def _run_assign(self, node: ast.Assign, state: State, work: list[WorkItem]) -> State:
        value, state = self.evaluator.expr(node.value, state)
        for target in node.targets:
            state = self._bind(target, value, state)
        return state

    def _bind(self, target: ast.expr, value: Value, state: State) -> State:
        if isinstance(target, ast.Name):
            return state.bind(target.id, value)
        if isinstance(target, ast.Tuple | ast.List) and value.type.kind is Kind.TUPLE:
            if len(target.elts) != len(value.items):
                raise UnsupportedError.at(target, "unpacking a tuple of another length")
            for element, item in zip(target.elts, value.items, strict=True):
                state = self._bind(element, item, state)
            return state
        if isinstance(target, ast.Subscript | ast.Attribute):
            raise UnsupportedError.at(target, "assignment into a list or object (mutation)")
        raise UnsupportedError.at(target, f"assignment to {describe(target)}")

    def _run_annassign(self, node: ast.AnnAssign, state: State, work: list[WorkItem]) -> State:
        if node.value is None:
            return state
        if not isinstance(node.target, ast.Name):
            raise UnsupportedError.at(node.target, "annotated assignment into a list or object")
        pytype, refinement_text = read_annotation(node.annotation, self.spec.types)
        value, state = self.evaluator.expr(node.value, state, pytype)
        if value.type != pytype:
            raise UnsupportedError.at(
                node, f"a {value.type} assigned to {node.target.id}: {pytype}"
            )
        if pytype.element is not None:
            # Its element refinement may mention the variables in scope (``_ < pivot``).
            element = element_predicate(pytype.element, self.spec.source)
            names = set(state.env) | {RESULT} | set(self.spec.constants)
            check_predicate_names(element, names, self.spec.measures)
            if not self.evaluator.same_elements(value.type.element, pytype.element):
                self.obligation(
                    state,
                    "refinement",
                    node.value,
                    f"every element of `{node.target.id}` must satisfy `{pytype.element.text}`",
                    self.evaluator.element_goal(value, pytype.element, state.env),
                )
            # What is known of a list's elements is known of its term in every query: the
            # local gets a term of its own, equal to the value only from here on (noted on
            # the value's term, the annotation would prove its own obligation above).
            named = fresh(node.target.id, pytype)
            state = state.assume(named.term == value.term)
            value = self.evaluator.note_value(named, state.env)
        if refinement_text is not None:
            from fmlab.refine._predicates import parse_predicate

            predicate = parse_predicate(
                refinement_text.text,
                source=self.spec.source,
                line=refinement_text.line,
                column=refinement_text.column,
            )
            names = set(state.env) | {RESULT, node.target.id} | set(self.spec.constants)
            check_predicate_names(predicate, names, self.spec.measures)
            local = {**state.env, node.target.id: value, RESULT: value}
            goal = self.evaluator.predicate_formula(predicate, local)
            self.obligation(
                state,
                "refinement",
                node.value,
                f"`{node.target.id}` must satisfy `{predicate.text}`",
                goal,
            )
        return state.bind(node.target.id, value)

    def _run_augassign(self, node: ast.AugAssign, state: State, work: list[WorkItem]) -> State:
        if not isinstance(node.target, ast.Name):
            raise UnsupportedError.at(node.target, "augmented assignment into a list or object")
        current = state.env.get(node.target.id)
        if current is not None and current.type.kind is Kind.LIST:
            # xs += ys and xs *= n extend the list object in place (list.__iadd__), so every
            # alias of it (the caller's argument too) changes: mutation, outside the subset.
            # On ints, strings and tuples the same statement is a plain rebinding.
            operator = ast.unparse(ast.AugAssign(ast.Name("_"), node.op, ast.Constant(0)))
            symbol = operator.split()[1]
            raise UnsupportedError.at(
                node,
                f"augmented assignment `{node.target.id} {symbol} ...` to a list mutates it "
                "in place (mutation)",
            )
        combined = ast.BinOp(ast.Name(node.target.id, ast.Load()), node.op, node.value)
        ast.copy_location(combined, node)
        ast.fix_missing_locations(combined)
        value, state = self.evaluator.expr(combined, state)
        return state.bind(node.target.id, value)

    def _run_assert(self, node: ast.Assert, state: State, work: list[WorkItem]) -> State:
        test, state = self.evaluator.expr(node.test, state)
        condition = truth(test, node.test)
        self.obligation(
            state, "assert", node.test, f"assertion may fail: `{ast.unparse(node.test)}`", condition
        )
        return state.assume(condition)

    def _run_raise(self, node: ast.Raise, state: State, work: list[WorkItem]) -> None:
        self._count_path()
        self.obligation(state, "raise", node, "raise statement may be reached", z3.BoolVal(False))

    def _run_return(self, node: ast.Return, state: State, work: list[WorkItem]) -> None:
        self._count_path()
        expected = self.signature.result.type
        if node.value is None:
            value = Value(NONE)
        else:
            value, state = self.evaluator.expr(node.value, state, expected)
        if value.type != expected:
            raise UnsupportedError.at(node, f"returns a {value.type} where {expected} is declared")
        self._check_result(state, value, node.value or node)

    def _run_if(self, node: ast.If, state: State, work: list[WorkItem]) -> State | None:
        if _straight(node.body) and _straight(node.orelse):
            # Neither branch leaves early: run both and join them with if-then-else
            # values, so that a run of such ifs is one path, not exponentially many.
            return self._joined_if(node, state)
        test, state = self.evaluator.expr(node.test, state)
        condition = truth(test, node.test)
        rest = list(work)
        self._exec([*node.body, *rest], state.assume(condition))
        self._exec([*node.orelse, *rest], state.assume(z3.Not(condition)))
        return None

    def _joined_if(self, node: ast.If, state: State) -> State:
        test, state = self.evaluator.expr(node.test, state)
        condition = truth(test, node.test)
        then = self._straight_block(node.body, state.assume(condition))
        other = self._straight_block(node.orelse, state.assume(z3.Not(condition)))
        env: dict[str, Value] = {}
        for name in then.env.keys() & other.env.keys():
            left, right = then.env[name], other.env[name]
            if left is right:
                env[name] = left
            elif left.type == right.type:
                env[name] = merge(condition, left, right, node)
            # else: a name whose type depends on the branch is left unbound (unsupported
            # if read), as is a name only one branch assigns (a NameError in Python).
        learnt_then = then.facts[len(state.facts) + 1 :]
        learnt_else = other.facts[len(state.facts) + 1 :]
        facts = list(state.facts)
        if learnt_then:
            facts.append(z3.Implies(condition, z3.And(*learnt_then)))
        if learnt_else:
            facts.append(z3.Implies(z3.Not(condition), z3.And(*learnt_else)))
        return State(
            env,
            tuple(facts),
            then.exact and other.exact,
            state.unrolled,
            then.modular or other.modular,
        )

    def _straight_block(self, statements: list[ast.stmt], state: State) -> State:
        for statement in statements:
            if isinstance(statement, ast.If):
                state = self._joined_if(statement, state)
                continue
            method = getattr(self, "_run_" + type(statement).__name__.lower())
            following: State = method(statement, state, [])
            state = following
        return state

    # --- loops ---------------------------------------------------------------------

    def _run_while(self, node: ast.While, state: State, work: list[WorkItem]) -> None:
        if node.orelse:
            raise UnsupportedError.at(node, "while ... else")
        self._check_loop_body(node)
        if self.unroll is not None:
            self._unroll(node, None, None, state, list(work))
            return
        invariants = self._invariants(LoopShape(node, None, None), state, ())
        self._summarise(node, state, work, invariants, counter=None, bound=None)

    def _run_for(self, node: ast.For, state: State, work: list[WorkItem]) -> None:
        if node.orelse:
            raise UnsupportedError.at(node, "for ... else")
        if not isinstance(node.target, ast.Name):
            raise UnsupportedError.at(node.target, "for loop target that is not a single name")
        counter = node.target.id
        iterator = node.iter
        if not (isinstance(iterator, ast.Call) and getattr(iterator.func, "id", None) == "range"):
            self._run_for_each(node, state, work)
            return
        if not (
            isinstance(iterator, ast.Call)
            and isinstance(iterator.func, ast.Name)
            and iterator.func.id == "range"
            and not iterator.keywords
            and 1 <= len(iterator.args) <= 3
            and "range" not in self.spec.signatures
        ):
            raise UnsupportedError.at(
                iterator,
                "for loop over anything but range(stop), range(start, stop) or "
                "range(start, stop, step)",
            )
        step = 1
        if len(iterator.args) == 3:
            step = _constant_step(iterator.args[2])
            self.steps[id(node)] = step
        self._check_loop_body(node)
        if any(counter in _assigned_names(stmt) for stmt in node.body):
            raise UnsupportedError.at(
                node, f"assignment to the loop variable {counter!r} in the body"
            )
        bounds = []
        for argument in iterator.args[:2]:
            value, state = self.evaluator.expr(argument, state)
            if value.type.kind is not Kind.INT:
                raise UnsupportedError.at(argument, "range over a non-integer")
            bounds.append(value.int)
        start, stop = (z3.IntVal(0), bounds[0]) if len(bounds) == 1 else (bounds[0], bounds[1])
        before = state.env.get(counter)
        state = state.bind(counter, Value(INT, start))
        if self.unroll is not None:
            self._unroll(node, counter, stop, state, list(work), before=before, start=start)
            return

        def within(env: Mapping[str, Value]) -> z3.BoolRef:
            i = env[counter].int
            if step == 1:
                return z3.Or(z3.And(start <= i, i <= stop), i == start)
            # The counter moves from start by whole steps and stops within a step past stop.
            if step > 0:
                return z3.Or(
                    i == start, z3.And(start < i, i < stop + step, (i - start) % step == 0)
                )
            return z3.Or(i == start, z3.And(i < start, i > stop + step, (start - i) % (-step) == 0))

        self._summarise_counted(
            node,
            state,
            work,
            f"{ast.unparse(iterator)} bounds {counter}",
            within,
            counter=counter,
            bound=stop,
            start=start,
            before=before,
        )

    def _run_for_each(self, node: ast.For, state: State, work: list[WorkItem]) -> None:
        # for x in xs: a hidden index runs over range(len(xs)); each iteration starts by
        # binding x to xs[index]. The sequence is evaluated once, as Python does.
        assert isinstance(node.target, ast.Name)
        sequence, state = self.evaluator.expr(node.iter, state)
        if sequence.type.kind not in (Kind.LIST, Kind.STR):
            raise UnsupportedError.at(node.iter, f"for loop over a {sequence.type}")
        self._check_loop_body(node)
        counter = f"{node.target.id}#index@{node.lineno}"
        self._elements[id(node)] = _BindElement(node.target.id, counter, sequence)
        length = z3.Length(sequence.term)
        state = state.bind(counter, Value(INT, z3.IntVal(0)))
        if self.unroll is not None:
            self._unroll(node, counter, length, state, list(work), start=z3.IntVal(0))
            return

        def within(env: Mapping[str, Value]) -> z3.BoolRef:
            k = env[counter].int
            return z3.And(k >= 0, k <= length)

        self._summarise_counted(
            node,
            state,
            work,
            f"the position in {ast.unparse(node.iter)}",
            within,
            counter=counter,
            bound=length,
            start=z3.IntVal(0),
        )

    def _summarise_counted(
        self,
        node: ast.For,
        state: State,
        work: list[WorkItem],
        description: str,
        within: Callable[[Mapping[str, Value]], z3.BoolRef],
        *,
        counter: str,
        bound: z3.ArithRef,
        start: z3.ArithRef,
        before: Value | None = None,
    ) -> None:
        # Both kinds of for loop carry a counter; the range it stays in is an invariant
        # the checker adds itself, ahead of the written or inferred ones.
        automatic = Invariant(description, node.lineno, node.col_offset + 1, within, given=False)
        invariants = self._invariants(LoopShape(node, counter, bound), state, (automatic,))
        self._summarise(
            node,
            state,
            work,
            (automatic, *invariants),
            counter=counter,
            bound=bound,
            before=before,
            start=start,
        )

    def _body(self, node: ast.While | ast.For) -> list[WorkItem]:
        """The work of one iteration: the body, after binding the element of ``for x in xs``."""
        element = self._elements.get(id(node))
        return [*([element] if element else []), *node.body]

    def modified(self, node: ast.While | ast.For, counter: str | None) -> set[str]:
        """The variables an iteration may change."""
        names: set[str] = set().union(*(_assigned_names(stmt) for stmt in node.body))
        if counter is not None:
            names.add(counter)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        return names

    def _check_loop_body(self, node: ast.While | ast.For) -> None:
        # break and continue are followed through the work list (see _loop_marker).
        return

    def _invariants(
        self, shape: LoopShape, state: State, automatic: tuple[Invariant, ...]
    ) -> tuple[Invariant, ...]:
        given = self.given_invariants(shape.node)
        if given or self.infer is None:
            return given
        # An invariant inferred from one path's facts may be false on entry from another:
        # reuse it when it holds there, infer afresh when it does not.
        previous = self.inferred.get(id(shape.node))
        if previous is not None and _hold(previous, state):
            return previous
        inferred = self.infer(self, shape, state, automatic)
        self.inferred[id(shape.node)] = inferred
        return inferred

    def given_invariants(self, node: ast.While | ast.For) -> tuple[Invariant, ...]:
        first_body_line = node.body[0].lineno
        found: list[Invariant] = []
        for line in range(node.lineno, first_body_line):
            for predicate in self.spec.invariants.get(line, []):
                found.append(self._invariant_from(predicate))
        return tuple(found)

    def _invariant_from(self, predicate: Predicate) -> Invariant:
        def build(env: Mapping[str, Value]) -> z3.BoolRef:
            names = set(env) | set(self.spec.constants)
            check_predicate_names(predicate, names, self.spec.measures)
            return self.evaluator.predicate_formula(predicate, env)

        return Invariant(predicate.text, predicate.line, predicate.column, build, given=True)

    def havoc(self, node: ast.While | ast.For, state: State, counter: str | None) -> State:
        """The state at an arbitrary iteration: variables the body assigns forgotten."""
        assigned = self.modified(node, counter)
        env = dict(state.env)
        for name in sorted(assigned):
            if name in env:
                # What the elements satisfied is forgotten too: the body may assign a list
                # whose elements do not.
                env[name] = fresh(name, env[name].type.plain())
            elif name != counter:
                env.pop(name, None)
        return State(env, state.facts, exact=False, unrolled=state.unrolled, modular=state.modular)

    def _summarise(
        self,
        node: ast.While | ast.For,
        state: State,
        work: list[WorkItem],
        invariants: tuple[Invariant, ...],
        *,
        counter: str | None,
        bound: z3.ArithRef | None,
        before: Value | None = None,
        start: z3.ArithRef | None = None,
    ) -> None:
        for invariant in invariants:
            self.obligation(
                state,
                "invariant-entry",
                (invariant.line, invariant.column),
                f"loop invariant may not hold on entry: `{invariant.text}`",
                invariant.build(state.env),
            )
        self._count_path()  # each arrival at a loop costs inference: it counts as a path
        shape = LoopShape(node, counter, bound)
        start_head = self.havoc(node, state, counter)
        assumed = tuple(invariant.build(start_head.env) for invariant in invariants)
        head, condition = self.enter(shape, start_head, assumed)
        if not self.collecting:
            self.loops.append(LoopRecord(shape, state, start_head, assumed, self.loop_depth))
        self.loop_depth += 1
        saved_after = self._after.get(id(node))
        self._after[id(node)] = list(work)
        try:
            self._exec(
                [*self._body(node), _LoopEnd(node, invariants, counter)], head.assume(condition)
            )
        finally:
            self.loop_depth -= 1
            self._after[id(node)] = saved_after
        after = head.assume(z3.Not(condition))
        if counter is not None:
            after = self._counter_after_loop(node, after, counter, before, start, bound)
        self._exec(work, after)

    def iteration(
        self, shape: LoopShape, state: State, invariants: Sequence[Invariant]
    ) -> tuple[State, z3.BoolRef]:
        """An arbitrary loop head where ``invariants`` hold, and the loop condition there."""
        head = self.havoc(shape.node, state, shape.counter)
        assumed = tuple(invariant.build(head.env) for invariant in invariants)
        return self.enter(shape, head, assumed)

    def enter(
        self, shape: LoopShape, head: State, assumed: Sequence[z3.BoolRef]
    ) -> tuple[State, z3.BoolRef]:
        """Assume ``assumed`` at a havocked loop head and evaluate the loop condition."""
        head = head.assume(*assumed)
        if shape.counter is not None:
            assert shape.bound is not None
            return head, self._counter_test(shape.node, head.env[shape.counter].int, shape.bound)
        assert isinstance(shape.node, ast.While)
        test, head = self.evaluator.expr(shape.node.test, head)
        return head, truth(test, shape.node.test)

    def loop_ends_from(self, shape: LoopShape, head: State) -> list[LoopEndState]:
        """Run one iteration from ``head`` without emitting obligations: the states where
        the body ends (what inference and the Horn back end build on)."""
        self.collecting += 1
        self.loop_ends.pop(id(shape.node), None)
        saved_after = self._after.get(id(shape.node))
        self._after[id(shape.node)] = None
        try:
            self._exec([*self._body(shape.node), _LoopEnd(shape.node, (), shape.counter)], head)
        finally:
            self._after[id(shape.node)] = saved_after
            self.collecting -= 1
        return self.loop_ends.pop(id(shape.node), [])

    def _counter_test(
        self, node: ast.While | ast.For, counter: z3.ArithRef, bound: z3.ArithRef
    ) -> z3.BoolRef:
        step = self.steps.get(id(node), 1)
        return counter < bound if step > 0 else counter > bound

    def _counter_after_loop(
        self,
        node: ast.While | ast.For,
        state: State,
        counter: str,
        before: Value | None,
        start: z3.ArithRef | None,
        stop: z3.ArithRef | None,
    ) -> State:
        # Python leaves the loop variable at the last value it took, stop - 1, or
        # untouched when the range was empty (unbound if it was never assigned).
        assert start is not None
        assert stop is not None
        if before is None or before.type.kind is not Kind.INT:
            # Reading it later would be unbound after an empty range: make that unsupported.
            return state.unbind(counter)
        step = self.steps.get(id(node), 1)
        if step > 0:
            last = start + ((stop - start - 1) / step) * step
            return state.bind(counter, Value(INT, z3.If(start < stop, last, before.int)))
        last = start - ((start - stop - 1) / -step) * -step
        return state.bind(counter, Value(INT, z3.If(start > stop, last, before.int)))

    def _loop_end(self, end: _LoopEnd, state: State) -> None:
        self._count_path()
        if end.counter is not None:
            i = state.env[end.counter].int
            state = state.bind(end.counter, Value(INT, i + self.steps.get(id(end.loop), 1)))
        if self.collecting:
            self.loop_ends.setdefault(id(end.loop), []).append(LoopEndState(state.env, state.facts))
            return
        for invariant in end.invariants:
            self.obligation(
                state,
                "invariant-preserved",
                (invariant.line, invariant.column),
                f"loop invariant may not be preserved: `{invariant.text}`",
                invariant.build(state.env),
            )

    # --- bounded unrolling ---------------------------------------------------------

    def _unroll(
        self,
        node: ast.While | ast.For,
        counter: str | None,
        bound: z3.ArithRef | None,
        state: State,
        work: list[WorkItem],
        *,
        before: Value | None = None,
        start: z3.ArithRef | None = None,
    ) -> None:
        assert self.unroll is not None
        done = state.unrolled.get(id(node), 0)
        if counter is not None:
            assert bound is not None
            condition = self._counter_test(node, state.env[counter].int, bound)
        else:
            assert isinstance(node, ast.While)
            test, state = self.evaluator.expr(node.test, state)
            condition = truth(test, node.test)
        if done == 0:
            for invariant in self.given_invariants(node):
                self.obligation(
                    state,
                    "invariant-entry",
                    (invariant.line, invariant.column),
                    f"loop invariant may not hold on entry: `{invariant.text}`",
                    invariant.build(state.env),
                )
        exit_state = state.assume(z3.Not(condition))
        if counter is not None and done == 0:
            exit_state = self._counter_after_loop(node, exit_state, counter, before, start, bound)
        elif counter is not None:
            step = self.steps.get(id(node), 1)
            exit_state = exit_state.bind(counter, Value(INT, state.env[counter].int - step))
        self._exec(work, _with_unrolled(exit_state, node, 0))
        if done >= self.unroll:
            self._count_path()
            return  # deeper iterations are not explored: bounded checking
        inside = _with_unrolled(state.assume(condition), node, done + 1)
        self._exec([*self._body(node), _Unrolled(node, counter, bound), *work], inside)

    def _unrolled_again(self, item: _Unrolled, work: list[WorkItem], state: State) -> None:
        if item.counter is not None:
            i = state.env[item.counter].int
            state = state.bind(item.counter, Value(INT, i + self.steps.get(id(item.loop), 1)))
        for invariant in self.given_invariants(item.loop):
            self.obligation(
                state,
                "invariant-preserved",
                (invariant.line, invariant.column),
                f"loop invariant may not be preserved: `{invariant.text}`",
                invariant.build(state.env),
            )
        self._unroll(item.loop, item.counter, item.bound, state, list(work))


def _loop_marker(node: ast.stmt, work: Sequence[WorkItem]) -> tuple[int, _LoopEnd | _Unrolled]:
    """The end-of-iteration marker of the innermost loop around a ``break``/``continue``."""
    for index, item in enumerate(work):
        if isinstance(item, _LoopEnd | _Unrolled):
            return index, item
    raise UnsupportedError.at(node, f"{describe(node)} outside a loop")


def _constant_step(node: ast.expr) -> int:
    step = None
    if isinstance(node, ast.Constant) and type(node.value) is int:
        step = node.value
    elif (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        step = -node.operand.value
    if not step:
        raise UnsupportedError.at(node, "range step that is not a non-zero integer constant")
    return step


def _apply(function: z3.FuncDeclRef) -> Callable[[tuple[Value, ...]], z3.BoolRef]:
    def apply(values: tuple[Value, ...]) -> z3.BoolRef:
        formula: z3.BoolRef = function(*[value.term for value in values])
        return formula

    return apply


def _with_unrolled(state: State, node: ast.AST, count: int) -> State:
    from dataclasses import replace

    return replace(state, unrolled={**state.unrolled, id(node): count})


def _assigned_names(node: ast.AST) -> set[str]:
    names: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
            names.add(inner.id)
    return names


def _element(sequence: Value, index: Value) -> Value:
    if sequence.type.kind is Kind.STR:
        return Value(sequence.type, z3.SubString(sequence.term, index.int, 1))
    return Value(sequence.type.args[0], sequence.term[index.int])


_STRAIGHT = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Pass, ast.Assert)


def _straight(statements: list[ast.stmt]) -> bool:
    """Whether a block always runs to its end: no return, raise or loop, even nested."""
    for statement in statements:
        if isinstance(statement, ast.If):
            if not (_straight(statement.body) and _straight(statement.orelse)):
                return False
        elif not isinstance(statement, _STRAIGHT):
            return False
    return True


def _hold(invariants: Sequence[Invariant], state: State) -> bool:
    """Whether every invariant provably holds in ``state`` (a quick reuse test)."""
    solver = z3.Solver()
    solver.set("timeout", 1000)
    solver.add(*state.facts)
    try:
        solver.add(z3.Not(z3.And(*[invariant.build(state.env) for invariant in invariants])))
    except KeyError:
        return False
    return bool(solver.check() == z3.unsat)
