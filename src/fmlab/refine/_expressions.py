"""Expressions to z3: the same evaluator reads program code and predicates.

In *program* mode an expression may fail at run time, so evaluating it emits
obligations (an index in range, a divisor that is not zero, a callee's precondition);
in *predicate* mode it is logic, and only measures and ``len`` may be applied. Python's
semantics are kept where the two differ from SMT: ``//`` and ``%`` round towards minus
infinity, slices clamp their bounds, ``and``/``or`` short-circuit (so ``i < len(xs) and
xs[i] > 0`` checks the index only when the left side holds).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import z3

from fmlab.core.errors import InputError
from fmlab.core.solving import Satisfiability, solve
from fmlab.refine._abstract import Application, Interpretation, Strongest, strongest
from fmlab.refine._generics import membership, shared_element, substitute, unify
from fmlab.refine._instances import Definition, Knowledge, Relation
from fmlab.refine._predicates import Predicate, parse_predicate
from fmlab.refine._pytypes import BOOL, INT, NONE, STR, Kind, PyType, RefinementText, list_of
from fmlab.refine._reflect import definition_expression
from fmlab.refine._specs import RESULT, Measure, ModuleSpec, Signature
from fmlab.refine._state import Obligation, State
from fmlab.refine._unsupported import UnsupportedError, describe
from fmlab.refine._values import Value, equal, field_term, fresh, record_sort, sort

Emit = Callable[[Obligation], None]
RecursiveCallHook = Callable[[ast.Call, Mapping[str, Value], State], None]


@dataclass(frozen=True)
class Site:
    """Where an obligation comes from, and how to say it."""

    kind: str
    node: ast.AST
    message: str


# [start:floor-div]
def floor_div(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    """Python's ``a // b`` (SMT ``div`` is Euclidean: they differ when ``b < 0``)."""
    euclid = a / b
    return z3.If(z3.Or(b > 0, a % b == 0), euclid, euclid - 1)


def python_mod(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    """Python's ``a % b``, which takes the sign of ``b``."""
    return a - b * floor_div(a, b)


# [end:floor-div]


# [start:slice-bound]
def _clamp_slice_bound(
    bound: z3.ArithRef | None, length: z3.ArithRef, default: z3.ArithRef
) -> z3.ArithRef:
    if bound is None:
        return default
    from_end = bound + length
    return z3.If(
        bound < 0,
        z3.If(from_end < 0, z3.IntVal(0), from_end),
        z3.If(bound > length, length, bound),
    )


# [end:slice-bound]


def truth(value: Value, node: ast.AST) -> z3.BoolRef:
    """Python truthiness of a value, as a formula."""
    kind = value.type.kind
    if kind is Kind.BOOL:
        return value.bool
    if kind is Kind.INT:
        return value.int != 0
    if kind in (Kind.STR, Kind.LIST):
        return z3.Length(value.term) > 0
    if kind is Kind.NONE:
        return z3.BoolVal(False)
    if kind is Kind.TUPLE:
        return z3.BoolVal(bool(value.items))
    if kind is Kind.RECORD:
        return z3.BoolVal(True)  # a dataclass without __bool__ or __len__ is always true
    raise UnsupportedError.at(node, f"truth value of a {value.type}")


def merge(condition: z3.BoolRef, then: Value, other: Value, node: ast.AST) -> Value:
    """``then if condition else other`` for two values of the same type."""
    if then.type != other.type:
        raise UnsupportedError.at(node, f"branches of types {then.type} and {other.type}")
    if then.type.kind is Kind.TUPLE:
        return Value(
            then.type,
            None,
            tuple(
                merge(condition, a, b, node) for a, b in zip(then.items, other.items, strict=True)
            ),
        )
    if then.type.kind is Kind.NONE:
        return then
    return Value(common_type(then.type, other.type), z3.If(condition, then.term, other.term))


def common_type(left: PyType, right: PyType) -> PyType:
    """The type of a value that is one of two: element refinements kept only if shared."""
    if (
        left.element is not None
        and right.element is not None
        and (left.element.text == right.element.text)
    ):
        return left
    return left.plain()


_ELEMENT_PREDICATES: dict[tuple[str, int, int], Predicate] = {}


def element_predicate(text: RefinementText, source: str | None) -> Predicate:
    key = (text.text, text.line, text.column)
    found = _ELEMENT_PREDICATES.get(key)
    if found is None:
        found = parse_predicate(text.text, source=source, line=text.line, column=text.column)
        _ELEMENT_PREDICATES[key] = found
    return found


@dataclass(frozen=True)
class Chosen:
    """A value the checker does not compute: a callee's result, or a measure of a value.

    ``name(arguments)`` is ``result``; the counterexample of a failure that depends on it
    says which value the model chose (see :mod:`fmlab.refine._assumptions`).
    """

    name: str
    arguments: tuple[Value, ...]
    result: Value
    measure: bool = False


class Evaluator:
    """Evaluates expressions of one function (or one predicate) against a state."""

    def __init__(self, spec: ModuleSpec, emit: Emit, *, function: str = "") -> None:
        self.spec = spec
        self.emit = emit
        self.function = function
        self.predicate: Predicate | None = None
        # Set by the function's executor: told of every recursive call (its termination is
        # checked once the whole body has been seen, see fmlab.refine._termination).
        self.on_recursive_call: RecursiveCallHook | None = None
        self.entry: Mapping[str, Value] = {}
        # Abstract refinements in scope: uninterpreted inside their function, instantiated
        # while a callee's refinements are read at a call.
        self.abstract: dict[str, Interpretation] = {}
        # While a callee's refinements are read to instantiate its predicate variables: the
        # ones being recorded, and the "any position" constants of the value being read.
        self._recording: set[str] = set()
        self._positions: tuple[tuple[z3.ArithRef, ...], z3.BoolRef | None] = ((), None)
        # A predicate variable of two arguments applied to lists, per interpretation.
        self._abstract_relations: dict[int, tuple[Interpretation, Relation]] = {}
        self._unfolding: set[str] = set()
        # While a predicate is read: its list reads' range conditions (see predicate_formula).
        self._reads: list[z3.BoolRef] | None = None
        # Every callee result and uninterpreted measure application met so far: a failure
        # that depends on their values holds only for what the model chose for them.
        self.sites: list[Chosen] = []
        # What is known of every element of list terms: instantiated where a query reads
        # elements (see fmlab.refine._instances).
        self.knowledge = Knowledge()
        # The facts that are a callee's promise about its result, rather than a condition
        # of the path: a counterexample whose path a promise-keeping result avoids relies on
        # the callee's choice (see fmlab.refine._decide).
        self.promises: set[int] = set()
        # The fresh constants of goals that stand for every value (an index for "every
        # element"): a goal holds when it holds for all of them.
        self.universal: set[int] = set()

    # --- facts that come with values -------------------------------------------------

    def record_facts(self, value: Value) -> list[z3.BoolRef]:
        """What the field refinements of a dataclass value say about it."""
        if value.type.kind is not Kind.RECORD:
            return []
        signature = self.spec.records.get(value.type.name)
        if signature is None:
            return []
        fields = {
            name: Value(arg, field_term(value.term, value.type, name))
            for name, arg in zip(value.type.fields, value.type.args, strict=True)
        }
        facts = []
        for param in signature.params:
            if param.refinement is not None:
                local = {**fields, RESULT: fields[param.name]}
                facts.append(self.predicate_formula(param.refinement, local))
        return facts

    def element_fact(self, container: Value, item: Value) -> list[z3.BoolRef]:
        """What ``list[Annotated[T, "p"]]`` says about one of its elements."""
        text = container.type.element
        if text is None:
            return []
        predicate = element_predicate(text, self.spec.source)
        return [self.predicate_formula(predicate, {RESULT: item}), *self.record_facts(item)]

    def dependent(self, text: RefinementText | None) -> bool:
        """Whether an element refinement mentions a function's parameters (``_ < pivot``).

        Its meaning is then that of the parameters where it is read: at entry, their
        values; at a call, the arguments. Two such texts are never compared as text (the
        same words name different values in the caller and the callee), and a value never
        carries one out of the scope that gave it a meaning: :meth:`note_value` records
        what it says of the elements and gives back the value without it.
        """
        if text is None:
            return False
        names = element_predicate(text, self.spec.source).names()
        return bool(names - {RESULT} - set(self.spec.constants))

    def note_value(self, value: Value, bindings: Mapping[str, Value] | None = None) -> Value:
        """Remember what ``value``'s type says of its elements (a list parameter or result),
        with ``bindings`` giving the parameters an element refinement mentions. The value is
        returned without its element refinement when that refinement mentions them."""
        if value.type.kind is not Kind.LIST or value.type.element is None or value.term is None:
            return value
        predicate = element_predicate(value.type.element, self.spec.source)
        element_type = value.type.args[0]
        abstract = dict(self.abstract)  # the meaning of p(...) where the value was made
        scope = dict(bindings) if bindings is not None else {}

        def facts(item: z3.ExprRef) -> list[z3.BoolRef]:
            saved = self.abstract
            self.abstract = abstract
            try:
                element = Value(element_type, item)
                return [
                    self.predicate_formula(predicate, {**scope, RESULT: element}),
                    *self.record_facts(element),
                ]
            finally:
                self.abstract = saved

        self.knowledge.note_elements(value.term, facts)
        if self.dependent(value.type.element):
            return Value(replace(value.type, element=None), value.term, value.items)
        return value

    def element_goal(
        self, value: Value, text: RefinementText, bindings: Mapping[str, Value] | None = None
    ) -> z3.BoolRef:
        """Every element of ``value`` satisfies ``text`` (whose other names have the values
        ``bindings`` give them): checked at a fresh index.

        An obligation is valid for every value of its free constants, so a fresh ``k``
        stands for all of them, without a quantifier.
        """
        k = fresh("k", INT).int
        self.universal.add(k.get_id())
        item = Value(value.type.args[0], value.term[k])
        predicate = element_predicate(text, self.spec.source)
        scope = dict(bindings) if bindings is not None else {}
        holds = self.predicate_formula(predicate, {**scope, RESULT: item})
        return z3.Implies(z3.And(k >= 0, k < z3.Length(value.term)), holds)

    def same_elements(self, given: RefinementText | None, wanted: RefinementText) -> bool:
        """Whether a value whose elements satisfy ``given`` meets ``wanted`` by its text."""
        return (
            given is not None
            and given.text == wanted.text
            and not self.dependent(given)
            and not self.dependent(wanted)
        )

    # --- predicates ----------------------------------------------------------------

    def predicate_formula(self, predicate: Predicate, bindings: Mapping[str, Value]) -> z3.BoolRef:
        """The formula a predicate denotes when its names have these values."""
        saved, saved_reads = self.predicate, self._reads
        self.predicate = predicate
        self._reads = []
        try:
            value, _ = self.expr(predicate.node, State(dict(bindings)))
            reads = self._reads
        except UnsupportedError as problem:
            raise predicate.error(
                predicate.node, f"cannot read predicate: {problem.what}"
            ) from None
        finally:
            self.predicate, self._reads = saved, saved_reads
        if value.type.kind is not Kind.BOOL:
            raise predicate.error(
                predicate.node, f"a predicate must be a bool, this is {value.type}"
            )
        # Python raises on a read out of range: the predicate holds only where its reads
        # (each under the conditions that guard it, `len(_) > 0 and _[0] == x`) are in range.
        return z3.And(value.bool, *reads) if reads else value.bool

    def _fail(self, node: ast.AST, message: str) -> Exception:
        if self.predicate is not None:
            return self.predicate.error(node, message)
        return UnsupportedError.at(node, message)

    def _require(self, state: State, site: Site, goal: z3.BoolRef) -> State:
        """Emit an obligation, and continue as if it held (the program stops if it fails)."""
        if self.predicate is not None:
            return state  # logic has no run-time failures
        line = getattr(site.node, "lineno", 0)
        column = getattr(site.node, "col_offset", 0) + 1
        self.emit(
            Obligation(
                site.kind,
                line,
                column,
                site.message,
                state.facts,
                goal,
                state.exact,
                state.modular,
            )
        )
        return state.assume(goal)

    # --- expressions ---------------------------------------------------------------

    def expr(
        self, node: ast.expr, state: State, expected: PyType | None = None
    ) -> tuple[Value, State]:
        """Evaluate ``node``; the returned state carries facts learnt on the way."""
        method = getattr(self, "_eval_" + type(node).__name__.lower(), None)
        if method is None:
            raise self._fail(node, describe(node))
        result: tuple[Value, State] = method(node, state, expected)
        return result

    def _eval_constant(
        self, node: ast.Constant, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        value = node.value
        if isinstance(value, bool):
            return Value(BOOL, z3.BoolVal(value)), state
        if isinstance(value, int):
            return Value(INT, z3.IntVal(value)), state
        if isinstance(value, str) and self.predicate is None:
            return Value(STR, z3.StringVal(value)), state
        if value is None and self.predicate is None:
            return Value(NONE), state
        raise self._fail(node, f"constant {value!r}")

    def _eval_name(
        self, node: ast.Name, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        if node.id in state.env:
            return state.env[node.id], state
        constant = self.spec.constants.get(node.id)
        if constant is not None:
            return self._eval_constant(ast.Constant(constant), state, expected)
        if self.predicate is not None:
            raise self.predicate.error(node, f"unknown name {node.id!r} in predicate")
        raise UnsupportedError.at(
            node, f"name {node.id!r} (not a local variable or parameter here)"
        )

    def _eval_attribute(
        self, node: ast.Attribute, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        record, state = self.expr(node.value, state)
        if record.type.kind is not Kind.RECORD or node.attr not in record.type.fields:
            raise self._fail(node, f"attribute {node.attr!r} of a {record.type}")
        position = record.type.fields.index(node.attr)
        value = Value(record.type.args[position], field_term(record.term, record.type, node.attr))
        if self.predicate is None:
            # Reading a field: the dataclass's field refinements hold (checked when built).
            state = state.assume(*self.record_facts(record), *self.record_facts(value))
        return value, state

    def _eval_tuple(
        self, node: ast.Tuple, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        if self.predicate is not None:
            raise self._fail(node, "tuple in a predicate")
        hints = (
            expected.args
            if expected and expected.kind is Kind.TUPLE and len(expected.args) == len(node.elts)
            else (None,) * len(node.elts)
        )
        items = []
        for element, hint in zip(node.elts, hints, strict=True):
            value, state = self.expr(element, state, hint)
            items.append(value)
        return Value(PyType(Kind.TUPLE, tuple(v.type for v in items)), None, tuple(items)), state

    def _eval_list(
        self, node: ast.List, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        if self.predicate is not None:
            raise self._fail(node, "list in a predicate")
        hint = expected.args[0] if expected and expected.kind is Kind.LIST else None
        # Each element is a unit sequence; [*xs, x] splices xs in.
        pieces: list[tuple[bool, Value]] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                value, state = self.expr(element.value, state, expected)
                if value.type.kind is not Kind.LIST:
                    raise UnsupportedError.at(element, f"unpacking a {value.type} into a list")
                hint = hint or value.type.args[0]
                pieces.append((True, value))
            else:
                value, state = self.expr(element, state, hint)
                hint = hint or value.type
                pieces.append((False, value))
        if hint is None:
            raise UnsupportedError.at(node, "empty list whose element type is not annotated")
        element_type = hint
        for spliced, value in pieces:
            if (value.type.args[0] if spliced else value.type) != element_type:
                raise UnsupportedError.at(node, "list with elements of different types")
        try:
            seq_sort = z3.SeqSort(sort(element_type))
        except ValueError:
            raise UnsupportedError.at(node, f"list of {element_type}") from None
        parts = [value.term if spliced else z3.Unit(value.term) for spliced, value in pieces]
        if not parts:
            return Value(list_of(element_type), z3.Empty(seq_sort)), state
        term = parts[0] if len(parts) == 1 else z3.Concat(*parts)
        return Value(list_of(element_type), term), state

    def _eval_unaryop(
        self, node: ast.UnaryOp, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        operand, state = self.expr(node.operand, state)
        if isinstance(node.op, ast.Not):
            return Value(BOOL, z3.Not(truth(operand, node))), state
        if operand.type.kind is not Kind.INT:
            raise self._fail(node, f"unary {type(node.op).__name__} on {operand.type}")
        if isinstance(node.op, ast.USub):
            return Value(INT, -operand.int), state
        if isinstance(node.op, ast.UAdd):
            return operand, state
        raise self._fail(node, "bitwise inversion (~)")

    def _eval_binop(
        self, node: ast.BinOp, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        left, state = self.expr(node.left, state)
        right, state = self.expr(node.right, state)
        op = node.op
        kinds = (left.type.kind, right.type.kind)
        if (
            isinstance(op, ast.Add)
            and left.type == right.type
            and left.type.kind in (Kind.STR, Kind.LIST)
        ):
            combined = common_type(left.type, right.type)
            return Value(combined, z3.Concat(left.term, right.term)), state
        if kinds != (Kind.INT, Kind.INT):
            raise self._fail(node, f"operator {type(op).__name__} on {left.type} and {right.type}")
        a, b = left.int, right.int
        if isinstance(op, ast.Add):
            return Value(INT, a + b), state
        if isinstance(op, ast.Sub):
            return Value(INT, a - b), state
        if isinstance(op, ast.Mult):
            return Value(INT, a * b), state
        if isinstance(op, ast.FloorDiv | ast.Mod):
            state = self._require(
                state,
                Site("division", node, f"divisor may be zero: `{ast.unparse(node.right)} != 0`"),
                b != 0,
            )
            if isinstance(op, ast.FloorDiv):
                return Value(INT, floor_div(a, b)), state
            return Value(INT, python_mod(a, b)), state
        raise self._fail(node, f"operator {type(op).__name__}")

    def _eval_boolop(
        self, node: ast.BoolOp, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        # Short-circuit: each operand is evaluated only where the earlier ones let it run,
        # and facts learnt inside an operand are guarded by that condition.
        is_and = isinstance(node.op, ast.And)
        conditions: list[z3.BoolRef] = []
        for operand in node.values:
            guard = z3.And(*conditions) if is_and else z3.Not(z3.Or(*conditions))
            inner = state.assume(guard) if conditions else state
            value, after = self.expr(operand, inner)
            if value.type.kind is not Kind.BOOL:
                raise self._fail(
                    operand,
                    f"`{'and' if is_and else 'or'}` on a {value.type} "
                    "(only bool operands are supported)",
                )
            learnt = after.facts[len(inner.facts) :]
            if learnt:
                state = state.assume(
                    z3.Implies(guard, z3.And(*learnt)) if conditions else z3.And(*learnt)
                )
            conditions.append(value.bool)
        combined = z3.And(*conditions) if is_and else z3.Or(*conditions)
        return Value(BOOL, combined), state

    def _eval_ifexp(
        self, node: ast.IfExp, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        test, state = self.expr(node.test, state)
        condition = truth(test, node.test)
        then_state = state.assume(condition)
        then, then_after = self.expr(node.body, then_state, expected)
        else_state = state.assume(z3.Not(condition))
        other, else_after = self.expr(node.orelse, else_state, expected)
        learnt_then = then_after.facts[len(then_state.facts) :]
        learnt_else = else_after.facts[len(else_state.facts) :]
        if learnt_then:
            state = state.assume(z3.Implies(condition, z3.And(*learnt_then)))
        if learnt_else:
            state = state.assume(z3.Implies(z3.Not(condition), z3.And(*learnt_else)))
        return merge(condition, then, other, node), state

    def _eval_compare(
        self, node: ast.Compare, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        left, state = self.expr(node.left, state)
        parts = []
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right, state = self.expr(right_node, state)
            parts.append(self._compare(node, op, left, right))
            left = right
        return Value(BOOL, z3.And(*parts) if len(parts) > 1 else parts[0]), state

    def _compare(self, node: ast.AST, op: ast.cmpop, left: Value, right: Value) -> z3.BoolRef:
        if isinstance(op, ast.In | ast.NotIn) and self.predicate is None:
            contained = self._contains(node, left, right)
            return contained if isinstance(op, ast.In) else z3.Not(contained)
        if isinstance(op, ast.Eq | ast.NotEq):
            if left.type != right.type or (
                left.type.kind in (Kind.OPAQUE, Kind.TYPEVAR) and (self.predicate is None)
            ):
                raise self._fail(node, f"comparing {left.type} with {right.type}")
            same = equal(left, right)
            return same if isinstance(op, ast.Eq) else z3.Not(same)
        if (left.type.kind, right.type.kind) != (Kind.INT, Kind.INT):
            raise self._fail(node, f"ordering {left.type} against {right.type}")
        a, b = left.int, right.int
        if isinstance(op, ast.Lt):
            return a < b
        if isinstance(op, ast.LtE):
            return a <= b
        if isinstance(op, ast.Gt):
            return a > b
        if isinstance(op, ast.GtE):
            return a >= b
        raise self._fail(node, f"comparison {type(op).__name__}")

    def _contains(self, node: ast.AST, item: Value, container: Value) -> z3.BoolRef:
        if container.type.kind is Kind.STR and item.type.kind is Kind.STR:
            return z3.Contains(container.term, item.term)
        # Opaque elements compare with a user's __eq__, which SMT equality need not match.
        if (
            container.type.kind is Kind.LIST
            and container.type.args[0] == item.type
            and item.type.kind not in (Kind.OPAQUE, Kind.TYPEVAR)
        ):
            return z3.Contains(container.term, z3.Unit(item.term))
        raise self._fail(node, f"`in` on {item.type} and {container.type}")

    def _eval_subscript(
        self, node: ast.Subscript, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        container, state = self.expr(node.value, state)
        if isinstance(node.slice, ast.Slice):
            return self._slice(node, node.slice, container, state)
        if container.type.kind is Kind.TUPLE:
            index_node = node.slice
            if not (isinstance(index_node, ast.Constant) and type(index_node.value) is int):
                raise UnsupportedError.at(node, "tuple indexed by a non-constant")
            position = index_node.value
            if not 0 <= position < len(container.items):
                raise UnsupportedError.at(node, f"tuple index {position} out of range")
            return container.items[position], state
        if container.type.kind not in (Kind.LIST, Kind.STR):
            raise UnsupportedError.at(node, f"indexing a {container.type}")
        index, state = self.expr(node.slice, state)
        if index.type.kind is not Kind.INT:
            raise self._fail(node, f"index of type {index.type}")
        if self.predicate is not None and container.type.kind is Kind.LIST:
            # In logic a read is total: out of range it is some value (Python would raise,
            # so a predicate guards it: `len(_) > 0 and _[0] == x`); below zero it counts
            # from the end, as in Python.
            length = z3.Length(container.term)
            position = z3.If(index.int >= 0, index.int, length + index.int)
            if self._reads is not None:
                inside = z3.And(position >= 0, position < length)
                self._reads.append(z3.Implies(z3.And(*state.facts), inside))
            return Value(container.type.args[0], container.term[position]), state
        if self.predicate is not None:
            raise self._fail(node, f"indexing a {container.type} in a predicate")
        # [start:index-bounds]
        length = z3.Length(container.term)
        shown = f"0 <= {ast.unparse(node.slice)} < len({ast.unparse(node.value)})"
        state = self._require(
            state,
            Site("index", node, f"index may be out of range: `{shown}`"),
            z3.And(index.int >= 0, index.int < length),
        )
        # [end:index-bounds]
        if container.type.kind is Kind.STR:
            return Value(STR, z3.SubString(container.term, index.int, 1)), state
        item = Value(container.type.args[0], container.term[index.int])
        return item, state.assume(*self.element_fact(container, item))

    def _slice(
        self, node: ast.AST, bounds: ast.Slice, container: Value, state: State
    ) -> tuple[Value, State]:
        if container.type.kind not in (Kind.LIST, Kind.STR):
            raise UnsupportedError.at(node, f"slicing a {container.type}")
        if bounds.step is not None:
            raise UnsupportedError.at(node, "slice with a step")
        length = z3.Length(container.term)
        lower = upper = None
        if bounds.lower is not None:
            low, state = self.expr(bounds.lower, state)
            if low.type.kind is not Kind.INT:
                raise UnsupportedError.at(node, "non-integer slice bound")
            lower = low.int
        if bounds.upper is not None:
            high, state = self.expr(bounds.upper, state)
            if high.type.kind is not Kind.INT:
                raise UnsupportedError.at(node, "non-integer slice bound")
            upper = high.int
        start = _clamp_slice_bound(lower, length, z3.IntVal(0))
        stop = _clamp_slice_bound(upper, length, length)
        size = z3.If(stop > start, stop - start, z3.IntVal(0))
        return Value(container.type, z3.Extract(container.term, start, size)), state

    def _eval_call(
        self, node: ast.Call, state: State, expected: PyType | None
    ) -> tuple[Value, State]:
        if not isinstance(node.func, ast.Name):
            raise self._fail(
                node, f"call of {ast.unparse(node.func)} (method calls are not supported)"
            )
        name = node.func.id
        if any(isinstance(arg, ast.Starred) for arg in node.args) or any(
            keyword.arg is None for keyword in node.keywords
        ):
            raise self._fail(node, f"call to {name} with * or ** arguments")
        if self.predicate is not None:
            return self._measure(node, name, state)
        if name in state.env and state.env[name].type.kind is Kind.CALLABLE:
            return self._call_callable(node, state.env[name], state)
        if name in self.spec.signatures:
            return self._call_signature(node, self.spec.signatures[name], state)
        if name in self.spec.measures:
            return self._measure(node, name, state)
        if name in self.spec.broken:
            raise UnsupportedError.at(
                node,
                f"call to {name}, whose signature is unsupported ({self.spec.broken[name].what})",
            )
        if node.keywords:
            raise UnsupportedError.at(node, f"call to {name} with keyword arguments")
        arguments = []
        for argument in node.args:
            value, state = self.expr(argument, state)
            arguments.append(value)
        return self._builtin(node, name, arguments), state

    def metric_value(self, metric: Predicate, bindings: Mapping[str, Value]) -> z3.ArithRef:
        """The integer a metric expression denotes when its names have these values."""
        saved = self.predicate
        self.predicate = metric
        try:
            value, _ = self.expr(metric.node, State(dict(bindings)))
        except UnsupportedError as problem:
            raise metric.error(metric.node, f"cannot read metric: {problem.what}") from None
        finally:
            self.predicate = saved
        if value.type.kind is not Kind.INT:
            raise metric.error(metric.node, f"a termination metric is an int, not {value.type}")
        return value.int

    def _measure(self, node: ast.Call, name: str, state: State) -> tuple[Value, State]:
        if name in self.abstract and self.predicate is not None:
            return self._abstract_application(node, name, state)
        several = name in self.spec.measures and len(self.spec.measures[name].arguments) > 1
        if (name in self.spec.reflected or several) and not node.keywords:
            reflected = self.spec.measures[name]
            if len(node.args) != len(reflected.arguments):
                raise self._fail(node, f"{name} takes {len(reflected.arguments)} arguments")
            arguments: list[Value] = []
            for argument_node, declared in zip(node.args, reflected.arguments, strict=True):
                value, state = self.expr(argument_node, state)
                if value.type != declared:
                    raise self._fail(node, f"{name} takes a {declared}, got {value.type}")
                arguments.append(value)
            if name in self.spec.reflected:
                return self.reflected(reflected, tuple(arguments)), state
            # Its reflection was withdrawn (its recursion is not shown to end): any function.
            function = z3.Function(
                name, *[sort(t) for t in reflected.arguments], sort(reflected.result)
            )
            applied = Value(reflected.result, function(*[a.term for a in arguments]))
            self.sites.append(Chosen(name, tuple(arguments), applied, measure=True))
            return applied, state
        if len(node.args) != 1 or node.keywords:
            raise self._fail(node, f"{name} takes one argument")
        argument, state = self.expr(node.args[0], state)
        if name == "len":
            return self._builtin(node, "len", [argument]), state
        if name in self.spec.relations:
            relation = self._relation(name)
            element = self.spec.relations[name].element
            if argument.type.plain() != list_of(element):
                raise self._fail(node, f"{name} relates the elements of a list[{element}]")
            return Value(BOOL, relation.declaration(argument.term)), state
        measure = self.spec.measures.get(name)
        if measure is None:
            raise self._fail(node, f"unknown measure {name!r}; declare it with #@ measure")
        if argument.type != measure.argument:
            raise self._fail(
                node, f"measure {name} takes a {measure.argument}, got {argument.type}"
            )
        unfolded = self._unfold(measure, argument)
        if unfolded is not None:
            return unfolded, state
        function = z3.Function(name, sort(measure.argument), sort(measure.result))
        applied = Value(measure.result, function(argument.term))
        self.sites.append(Chosen(name, (argument,), applied, measure=True))
        return applied, state

    def _abstract_application(self, node: ast.Call, name: str, state: State) -> tuple[Value, State]:
        """``p(a, ...)``, or ``r(xs)`` for a predicate variable of two arguments and a list."""
        declared = self.spec.abstracts[name]
        arity = len(declared.arguments)
        if node.keywords or len(node.args) not in (arity, 1):
            raise self._fail(node, f"{name} takes {arity} argument{'s' if arity > 1 else ''}")
        arguments: list[Value] = []
        for argument_node in node.args:
            value, state = self.expr(argument_node, state)
            arguments.append(value)
        if len(arguments) == arity:
            for value, expected in zip(arguments, declared.arguments, strict=True):
                self._abstract_argument(node, name, value.type, expected)
            return Value(BOOL, self.abstract[name](tuple(arguments))), state
        [sequence] = arguments
        if arity != 2 or sequence.type.kind is not Kind.LIST:
            raise self._fail(
                node, f"{name} takes {arity} arguments (or, with two, one list: r(xs))"
            )
        element = sequence.type.args[0]
        for expected in declared.arguments:
            self._abstract_argument(node, name, element, expected)
        if name in self._recording:
            # Instantiating: "r holds between the elements of this list at any i < j".
            i, j = fresh("i", INT).int, fresh("j", INT).int
            saved = self._positions
            self._positions = ((i, j), z3.And(i >= 0, i < j, j < z3.Length(sequence.term)))
            try:
                pair = (Value(element, sequence.term[i]), Value(element, sequence.term[j]))
                return Value(BOOL, self.abstract[name](pair)), state
            finally:
                self._positions = saved
        relation = self._abstract_relation(name, element)
        return Value(BOOL, relation.declaration(sequence.term)), state

    def _abstract_argument(
        self, node: ast.Call, name: str, given: PyType, expected: PyType
    ) -> None:
        # A type variable is matched at the call (the value's type is then the argument's).
        if not expected.mentions_typevar() and given.plain() != expected:
            raise self._fail(node, f"{name} takes {expected} here, not {given.plain()}")

    def _abstract_relation(self, name: str, element: PyType) -> Relation:
        """The relation ``r(xs)`` stands for under the meaning of ``r`` in scope (not assumed
        transitive: ``r`` is any predicate, or the instance chosen at a call)."""
        interpretation = self.abstract[name]
        found = self._abstract_relations.get(id(interpretation))
        if found is not None:
            return found[1]

        ordered = (
            interpretation.in_order if isinstance(interpretation, Strongest) else interpretation
        )

        def holds(first: z3.ExprRef, second: z3.ExprRef) -> z3.BoolRef:
            return ordered((Value(element, first), Value(element, second)))

        # One declaration per meaning: a call's instance is not the callee's r.
        label = f"{name}%{len(self._abstract_relations)}"
        declaration = z3.Function(label, z3.SeqSort(sort(element)), z3.BoolSort())
        relation = Relation(label, declaration, holds, transitive=False)
        self._abstract_relations[id(interpretation)] = (interpretation, relation)
        self.knowledge.relations[label] = relation
        return relation

    def _relation(self, name: str) -> Relation:
        """``#@ relation name(a: T, b: T): p``, applied to lists (see fmlab.refine._instances).

        A transitive relation (checked here) splits a concatenation at its joint: it is
        related when its two parts are and the last of one is related to the first of the
        other. Any other relation (``a != b``: LiquidHaskell's lists of distinct elements)
        needs every element of one part related to every element of the other, which the
        instantiation reaches through the reads of a failing pair, as for a predicate
        variable applied to a list.
        """
        found = self.knowledge.relations.get(name)
        if found is not None:
            return found
        declared = self.spec.relations[name]
        element = declared.element

        def holds(first: z3.ExprRef, second: z3.ExprRef) -> z3.BoolRef:
            bindings = {
                declared.first: Value(element, first),
                declared.second: Value(element, second),
            }
            return self.predicate_formula(declared.predicate, bindings)

        a, b, c = (fresh(label, element).term for label in ("a", "b", "c"))
        outcome = solve([holds(a, b), holds(b, c), z3.Not(holds(a, c))], timeout_ms=2000)
        transitive = outcome.status is Satisfiability.UNSAT  # unknown: not taken to be
        declaration = z3.Function(name, z3.SeqSort(sort(element)), z3.BoolSort())
        relation = Relation(name, declaration, holds, transitive=transitive)
        self.knowledge.relations[name] = relation
        return relation

    def reflected(self, measure: Measure, arguments: tuple[Value, ...]) -> Value:
        """A reflected function applied: defined by its equation (see fmlab.refine._reflect),
        which :func:`fmlab.refine._instances.instantiate` unfolds where a query needs it."""
        declaration = z3.Function(
            measure.name, *[sort(t) for t in measure.arguments], sort(measure.result)
        )
        if measure.name not in self.knowledge.definitions:
            self.knowledge.definitions[measure.name] = Definition(
                measure.name, declaration, self._equation(measure, declaration)
            )
        return Value(measure.result, declaration(*[a.term for a in arguments]))

    def _equation(
        self, measure: Measure, declaration: z3.FuncDeclRef
    ) -> Callable[[z3.ExprRef], z3.BoolRef]:
        node = self.spec.measure_bodies[measure.name]
        expression = definition_expression(node)
        assert expression is not None  # the spec reflects only such definitions
        body = parse_predicate(
            ast.unparse(expression),
            source=self.spec.source,
            line=expression.lineno,
            column=expression.col_offset + 1,
        )
        names = [argument.arg for argument in node.args.args]
        signature = self.spec.signatures.get(measure.name)
        preconditions = (
            [(p.name, p.refinement) for p in signature.params if p.refinement is not None]
            if signature is not None
            else []
        )
        # Its result refinement (written or inferred) is proved by its own check, as
        # LiquidHaskell gives a reflected function its refinement type.
        postcondition = signature.result.refinement if signature is not None else None

        unfolded: dict[tuple[int, ...], z3.BoolRef] = {}
        scalar = all(t.kind in (Kind.INT, Kind.BOOL) for t in measure.arguments)
        templates: list[tuple[list[z3.ExprRef], z3.ExprRef, z3.BoolRef, z3.BoolRef] | None] = []

        def equation(terms: tuple[z3.ExprRef, ...]) -> z3.BoolRef:
            # Each query of a function asks for the same applications again: the equation of
            # one application is built once (terms are shared, so their ids name them; the
            # equation mentions the terms, which keeps them alive and their ids unreused).
            key = tuple(term.get_id() for term in terms)
            found = unfolded.get(key)
            if found is None:
                found = unfolded[key] = unfold(terms)
            return found

        def parts(
            arguments: dict[str, Value], applied: Value
        ) -> tuple[z3.ExprRef, z3.BoolRef, z3.BoolRef] | None:
            """The body's value, the precondition and the postcondition, or None when the
            evaluator cannot read the body."""
            saved, self.predicate = self.predicate, body
            try:
                value, _ = self.expr(body.node, State(arguments))
                pre = z3.And(
                    True,
                    *[
                        self.predicate_formula(refinement, {**arguments, RESULT: arguments[name]})
                        for name, refinement in preconditions
                    ],
                )
                post = (
                    self.predicate_formula(postcondition, {**arguments, RESULT: applied})
                    if postcondition is not None
                    else z3.BoolVal(True)
                )
            except (InputError, UnsupportedError):
                return None
            finally:
                self.predicate = saved
            return value.term, pre, post

        def evaluated(
            terms: tuple[z3.ExprRef, ...], grounds: list[z3.ExprRef]
        ) -> tuple[z3.ExprRef, z3.BoolRef, z3.BoolRef] | None:
            # Evaluation walks down hundreds of literal arguments (total(2001) needs 2002
            # levels before the bound says no): the body is read once, on placeholders, and
            # each level substitutes its literals and simplifies.
            if not templates:
                holes = [z3.FreshConst(sort(t), "arg") for t in measure.arguments]
                result = z3.FreshConst(sort(measure.result), "result")
                arguments = {
                    name: Value(pytype, hole)
                    for name, pytype, hole in zip(names, measure.arguments, holes, strict=True)
                }
                read = parts(arguments, Value(measure.result, result))
                templates.append(None if read is None else ([*holes, result], *read))
            template = templates[0]
            if template is None:
                return None
            holes, defined, pre, post = template
            pairs = list(zip(holes, [*grounds, declaration(*terms)], strict=True))
            return (
                z3.simplify(z3.substitute(defined, *pairs[:-1])),
                z3.substitute(pre, *pairs[:-1]),
                z3.substitute(post, *pairs),
            )

        def unfold(terms: tuple[z3.ExprRef, ...]) -> z3.BoolRef:
            # PLE: literal arguments are evaluated (the if-then-else picks its branch), so
            # f(3) unfolds to 3 + f(2) and, in time, to a number.
            grounds = [z3.simplify(term) for term in terms]
            literal = all(
                z3.is_int_value(ground) or z3.is_true(ground) or z3.is_false(ground)
                for ground in grounds
            )
            read = evaluated(terms, grounds) if literal and scalar else None
            if read is None:  # symbolic arguments, or a body only literals let us read
                arguments = {
                    name: Value(pytype, ground)
                    for name, pytype, ground in zip(names, measure.arguments, grounds, strict=True)
                }
                read = parts(arguments, Value(measure.result, declaration(*terms)))
                if read is not None and literal:
                    read = (z3.simplify(read[0]), read[1], read[2])
            if read is None:
                return z3.BoolVal(True)  # a body the evaluator cannot read: no equation
            defined, pre, post = read
            # Only where the precondition holds does the Python function return (its
            # termination is checked there), so only there is the equation a fact.
            return z3.Implies(pre, z3.And(declaration(*terms) == defined, post))

        return equation

    def _unfold(self, measure: Measure, argument: Value) -> Value | None:
        """A measure whose definition is one ``return`` of a predicate expression, unfolded.

        ``def area(r: Rect) -> int: return r.w * r.h`` makes ``area(r)`` mean
        ``r.w * r.h``, as Python computes it. Definitions with ``//`` or ``%`` (which may
        raise) or recursion stay uninterpreted.
        """
        node = self.spec.measure_bodies.get(measure.name)
        if node is None or measure.name in self._unfolding:
            return None
        body = [statement for statement in node.body if not _is_docstring(statement)]
        if not (
            len(body) == 1
            and isinstance(body[0], ast.Return)
            and body[0].value is not None
            and len(node.args.args) == 1
            and not node.args.posonlyargs
            and not node.args.kwonlyargs
        ):
            return None
        expression = body[0].value
        if any(isinstance(n, ast.FloorDiv | ast.Mod) for n in ast.walk(expression)):
            return None
        try:
            predicate = parse_predicate(
                ast.unparse(expression),
                source=self.spec.source,
                line=expression.lineno,
                column=expression.col_offset + 1,
            )
        except InputError:
            return None
        self._unfolding.add(measure.name)
        saved = self.predicate
        self.predicate = predicate
        try:
            value, _ = self.expr(predicate.node, State({node.args.args[0].arg: argument}))
        except (InputError, UnsupportedError):
            return None
        finally:
            self.predicate = saved
            self._unfolding.discard(measure.name)
        return value if value.type == measure.result else None

    def _builtin(self, node: ast.Call, name: str, arguments: list[Value]) -> Value:
        kinds = [a.type.kind for a in arguments]
        if name == "len" and len(arguments) == 1:
            if kinds[0] in (Kind.LIST, Kind.STR):
                return Value(INT, z3.Length(arguments[0].term))
            if kinds[0] is Kind.TUPLE:
                return Value(INT, z3.IntVal(len(arguments[0].items)))
        if name == "abs" and kinds == [Kind.INT]:
            x = arguments[0].int
            return Value(INT, z3.If(x < 0, -x, x))
        if name in ("min", "max") and len(kinds) >= 2 and all(k is Kind.INT for k in kinds):
            result = arguments[0].int
            for other in arguments[1:]:
                pick = other.int < result if name == "min" else other.int > result
                result = z3.If(pick, other.int, result)
            return Value(INT, result)
        raise self._fail(node, f"call to {name}")

    def _call_signature(
        self, node: ast.Call, signature: Signature, state: State
    ) -> tuple[Value, State]:
        params = signature.params
        if len(node.args) + len(node.keywords) != len(params):
            raise UnsupportedError.at(
                node,
                f"call to {signature.name} with "
                f"{len(node.args) + len(node.keywords)} arguments, it takes "
                f"{len(params)}",
            )
        by_name: dict[str, ast.expr] = {}
        for param, argument in zip(params, node.args, strict=False):
            by_name[param.name] = argument
        for keyword in node.keywords:
            assert keyword.arg is not None
            if keyword.arg in by_name or keyword.arg not in {p.name for p in params}:
                raise UnsupportedError.at(
                    node, f"call to {signature.name}: argument {keyword.arg!r} does not match"
                )
            by_name[keyword.arg] = keyword.value
        bindings: dict[str, Value] = {}
        mapping: dict[str, PyType] = {}
        declared: dict[str, PyType] = {}
        for param in params:
            hint = None if param.type.mentions_typevar() else param.type
            if param.type.kind is Kind.CALLABLE:
                value, state = self._function_argument(by_name[param.name], param.type, state)
                bindings[param.name] = value
                continue
            value, state = self.expr(by_name[param.name], state, hint)
            if not unify(param.type, value.type, mapping):
                raise UnsupportedError.at(
                    by_name[param.name],
                    f"argument {param.name} of "
                    f"{signature.name} is a {value.type}, declared "
                    f"{param.type}",
                )
            bindings[param.name] = value
        for param in params:
            declared[param.name] = substitute(param.type, mapping)
        result_type = substitute(signature.result.type, mapping)
        unbound = signature.result.type.typevars() - set(mapping)
        if unbound:
            # A type variable no argument fixes (``def make() -> list[T]``): the caller
            # cannot know what it gets. One fixed by an argument may be the caller's own
            # type variable (a generic function calling a generic function): that is fine.
            raise UnsupportedError.at(
                node, f"call to {signature.name}: its result type {result_type} is not fixed"
            )
        saved = self.abstract
        self.abstract = {**saved, **self._instantiate(signature, bindings)}
        try:
            state = self._preconditions(node, signature, bindings, by_name, declared, state)
            if signature.name == self.function and self.predicate is None:
                if self.on_recursive_call is None:
                    raise UnsupportedError.at(node, f"recursive call to {signature.name}")
                self.on_recursive_call(node, bindings, state)
            if signature.name in self.spec.records:
                constructor = record_sort(result_type).constructor(0)
                terms = [bindings[param.name].term for param in params]
                return Value(result_type, constructor(*terms)), state
            result = fresh(f"{signature.name}()", result_type)
            if signature.name in self.spec.reflected:
                # Its result is its definition's value, not a choice: no site to report.
                measure = self.spec.measures[signature.name]
                result = self.reflected(measure, tuple(bindings[p.name] for p in params))
            elif self.predicate is None:
                arguments = tuple(bindings[param.name] for param in params)
                self.sites.append(Chosen(signature.name, arguments, result))
            if signature.abstract:
                # Its element refinement speaks of this call's instance of the predicate
                # variables: noted as such, then dropped (the caller's own p is another).
                self.note_value(result, bindings)
                result = Value(result.type.plain(), result.term, result.items)
            state = self._generic_result(signature, bindings, result, state)
            if signature.abstract:
                state = replace(state, modular=True)
            if result.type.kind is Kind.LIST and signature.result.type.mentions_typevar():
                variable = signature.result.type.args[0]
                if variable.kind is Kind.TYPEVAR:
                    shared = shared_element(
                        [p.type for p in params], list(bindings.values()), variable.name
                    )
                    if shared.kind is Kind.LIST:
                        result = Value(shared, result.term)
            if result.type.kind is Kind.LIST and signature.result.type.mentions_typevar():
                self._list_free_theorem(signature, bindings, result)
            result = self.note_value(result, bindings)
            if signature.result.refinement is not None:
                local = {**bindings, RESULT: result}
                if signature.result.binder:
                    local[signature.result.binder] = result
                state = self._promise(
                    state, self.predicate_formula(signature.result.refinement, local)
                )
            return result, self._promise(state, *self.record_facts(result))
        finally:
            self.abstract = saved

    def _preconditions(
        self,
        node: ast.Call,
        signature: Signature,
        bindings: Mapping[str, Value],
        by_name: Mapping[str, ast.expr],
        declared: Mapping[str, PyType],
        state: State,
    ) -> State:
        # [start:call-signature]
        for param in signature.params:
            argument = by_name[param.name]
            value = bindings[param.name]
            element = declared[param.name].element
            if element is not None and not self.same_elements(value.type.element, element):
                state = self._require(
                    state,
                    Site(
                        "precondition",
                        argument,
                        f"call to {signature.name}: every element of `{param.name}` must "
                        f"satisfy `{element.text}`",
                    ),
                    self.element_goal(value, element, bindings),
                )
            if param.refinement is None:
                continue
            local = {**bindings, RESULT: value}
            if param.binder:
                local[param.binder] = value
            goal = self.predicate_formula(param.refinement, local)
            state = self._require(
                state,
                Site(
                    "precondition",
                    argument,
                    f"call to {signature.name}: argument `{param.name}` must "
                    f"satisfy `{param.refinement.text}`",
                ),
                goal,
            )
        # [end:call-signature]
        return state

    def _instantiate(
        self, signature: Signature, bindings: Mapping[str, Value]
    ) -> dict[str, Interpretation]:
        """Each abstract refinement of the callee, instantiated for this call.

        Any predicate is a sound choice (the callee was checked for all of them); this takes
        the strongest one its parameters allow (see :mod:`fmlab.refine._abstract`): "one of
        the values ``p`` is applied to in the parameters' refinements", list elements and
        ordered pairs of elements included. Those applications then hold by construction,
        and the result's refinement says the result is one of them.
        """
        if not signature.abstract:
            return {}
        seen: dict[str, list[Application]] = {a.name: [] for a in signature.abstract}

        def recorder(name: str) -> Interpretation:
            def record(values: tuple[Value, ...]) -> z3.BoolRef:
                indices, guard = self._positions
                seen[name].append(Application(values, indices, guard))
                return z3.BoolVal(True)

            return record

        saved, saved_recording = self.abstract, self._recording
        self.abstract = {**saved, **{name: recorder(name) for name in seen}}
        self._recording = set(seen)
        try:
            for param in signature.params:
                value = bindings[param.name]
                if param.refinement is not None:
                    local = {**bindings, RESULT: value}
                    if param.binder:
                        local[param.binder] = value
                    self.predicate_formula(param.refinement, local)
                element = param.type.element
                if element is not None and value.type.kind is Kind.LIST:
                    # "p(_)" of every element: recorded at any position k in range.
                    k = fresh("k", INT).int
                    self._positions = ((k,), z3.And(k >= 0, k < z3.Length(value.term)))
                    item = Value(value.type.args[0], value.term[k])
                    self.predicate_formula(
                        element_predicate(element, self.spec.source), {**bindings, RESULT: item}
                    )
                    self._positions = ((), None)
        finally:
            self.abstract, self._recording = saved, saved_recording
            self._positions = ((), None)
        return {name: strongest(seen[name]) for name in seen}

    def _list_free_theorem(
        self, signature: Signature, bindings: Mapping[str, Value], result: Value
    ) -> None:
        """A generic ``list[T]`` result: each element is a ``T`` argument or an element of a
        ``list[T]`` argument (its body can make no ``T`` of its own)."""
        declared = signature.result.type
        if declared.args[0].kind is not Kind.TYPEVAR:
            return
        variable = declared.args[0].name
        sources = [(param.type, bindings[param.name]) for param in signature.params]
        if any(
            pytype.mentions_typevar()
            and pytype != declared.args[0]
            and not (pytype.kind is Kind.LIST and pytype.args[0] == declared.args[0])
            and variable in pytype.typevars()
            for pytype, _ in sources
        ):
            return  # T hidden in a tuple or a nested list: the formula below would miss it

        def facts(item: z3.ExprRef) -> list[z3.BoolRef]:
            choices: list[z3.BoolRef] = []
            for pytype, argument in sources:
                if pytype.kind is Kind.TYPEVAR and pytype.name == variable:
                    choices.append(item == argument.term)
                elif pytype.kind is Kind.LIST and pytype.args[0] == declared.args[0]:
                    k = fresh("k", INT).int
                    choices.append(
                        z3.And(k >= 0, k < z3.Length(argument.term), item == argument.term[k])
                    )
            return [z3.Or(*choices)]

        self.knowledge.note_elements(result.term, facts)

    def _generic_result(
        self, signature: Signature, bindings: Mapping[str, Value], result: Value, state: State
    ) -> State:
        declared = signature.result.type
        if declared.kind is not Kind.TYPEVAR:
            return state
        fact = membership(
            result,
            [param.type for param in signature.params],
            [bindings[param.name] for param in signature.params],
            declared.name,
            self.element_fact,
        )
        return state if fact is None else replace(self._promise(state, fact), modular=True)

    # --- functions passed as arguments (Callable[[A, ...], R]) ------------------------

    def _callable_refinement(
        self, pytype: PyType, position: int, value: Value
    ) -> z3.BoolRef | None:
        """The refinement a Callable type gives its ``position``-th parameter (or, at -1, its
        result), about ``value``; None when there is none."""
        text = pytype.refinements[position] if pytype.refinements else None
        if text is None:
            return None
        return self.predicate_formula(element_predicate(text, self.spec.source), {RESULT: value})

    def _call_callable(self, node: ast.Call, function: Value, state: State) -> tuple[Value, State]:
        """A call of a function parameter: its arguments must meet the Callable's parameter
        refinements, and its result meets the result refinement (the same arguments give the
        same result: the call is an uninterpreted function of the function and them)."""
        pytype = function.type
        name = ast.unparse(node.func)
        if node.keywords or len(node.args) != len(pytype.args) - 1:
            raise UnsupportedError.at(node, f"call to {name}: it takes {len(pytype.args) - 1}")
        arguments = []
        for position, (argument, declared) in enumerate(
            zip(node.args, pytype.args[:-1], strict=True)
        ):
            value, state = self.expr(argument, state, declared)
            if value.type.plain() != declared.plain():
                raise UnsupportedError.at(
                    argument, f"argument {position + 1} of {name} is a {value.type}, not {declared}"
                )
            needed = self._callable_refinement(pytype, position, value)
            if needed is not None:
                text = pytype.refinements[position]
                assert text is not None
                shown = f"argument {position + 1} of {name} must satisfy `{text.text}`"
                state = self._require(state, Site("precondition", argument, shown), needed)
            arguments.append(value)
        result_type = pytype.args[-1]
        if result_type.kind is Kind.NONE:
            return Value(NONE), state
        apply = z3.Function(
            f"call {pytype.plain()}",
            sort(pytype),
            *[sort(value.type) for value in arguments],
            sort(result_type),
        )
        result = Value(result_type, apply(function.term, *[value.term for value in arguments]))
        self.sites.append(Chosen(name, tuple(arguments), result))
        promised = self._callable_refinement(pytype, -1, result)
        if promised is not None:
            state = self._promise(state, promised)
        return result, state

    def _function_argument(
        self, node: ast.expr, declared: PyType, state: State
    ) -> tuple[Value, State]:
        """A function passed where ``declared`` (a Callable) is expected: a module function
        by name, or a function parameter. It must accept whatever the Callable's parameter
        refinements allow, and return what its result refinement promises: one obligation,
        for fresh arguments and a fresh result."""
        if not isinstance(node, ast.Name):
            raise UnsupportedError.at(node, "a function argument other than a function's name")
        xs = [fresh("x", arg) for arg in declared.args[:-1]]
        r = fresh("r", declared.args[-1])
        given_pre: list[z3.BoolRef] = []
        given_post: list[z3.BoolRef] = []
        if node.id in state.env and state.env[node.id].type.kind is Kind.CALLABLE:
            value = state.env[node.id]
            if value.type.plain() != declared.plain():
                raise UnsupportedError.at(node, f"{node.id} is a {value.type}, not {declared}")
            for position, x in enumerate(xs):
                found = self._callable_refinement(value.type, position, x)
                given_pre += [found] if found is not None else []
            found = self._callable_refinement(value.type, -1, r)
            given_post += [found] if found is not None else []
        elif node.id in self.spec.signatures and not self.spec.signatures[node.id].abstract:
            signature = self.spec.signatures[node.id]
            types = [param.type.plain() for param in signature.params]
            if types != [arg.plain() for arg in declared.args[:-1]] or (
                signature.result.type.plain() != declared.args[-1].plain()
            ):
                raise UnsupportedError.at(node, f"{node.id} does not have the type {declared}")
            local = {param.name: x for param, x in zip(signature.params, xs, strict=True)}
            for param in signature.params:
                if param.refinement is not None:
                    given_pre.append(
                        self.predicate_formula(
                            param.refinement, {**local, RESULT: local[param.name]}
                        )
                    )
            if signature.result.refinement is not None:
                given_post.append(
                    self.predicate_formula(signature.result.refinement, {**local, RESULT: r})
                )
            value = Value(declared.plain(), z3.Const(f"function {node.id}", sort(declared)))
        else:
            raise UnsupportedError.at(node, f"{node.id} is not a function of this file")
        needed_pre = [
            found
            for position, x in enumerate(xs)
            if (found := self._callable_refinement(declared, position, x)) is not None
        ]
        needed_post = self._callable_refinement(declared, -1, r)
        goal = z3.And(
            *given_pre,
            z3.Implies(
                z3.And(*given_post), needed_post if needed_post is not None else z3.BoolVal(True)
            ),
        )
        site = Site(
            "function-argument",
            node,
            f"{node.id} must fit `{_shown_callable(declared)}`: accept those arguments and "
            "return such a result",
        )
        self._require(state.assume(*needed_pre), site, goal)
        return Value(declared, value.term), state

    def _promise(self, state: State, *facts: z3.BoolRef) -> State:
        """Assume what a callee's signature promises of its result (see decide's ``forced``)."""
        self.promises.update(fact.get_id() for fact in facts)
        return state.assume(*facts)


def _shown_callable(pytype: PyType) -> str:
    """``Callable[[{int | _ > 0}], {int | _ > 0}]``: a Callable with its refinements."""
    parts = []
    for index, arg in enumerate(pytype.args):
        text = pytype.refinements[index] if pytype.refinements else None
        parts.append(f"{{{arg} | {text.text}}}" if text is not None else str(arg))
    return f"Callable[[{', '.join(parts[:-1])}], {parts[-1]}]"


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def input_error_at(node: ast.AST, message: str, source: str | None) -> InputError:
    return InputError(
        message,
        source=source,
        line=getattr(node, "lineno", None),
        column=getattr(node, "col_offset", -1) + 1,
    )
