"""Alloy-style relational modelling on z3: signatures, relations, facts, ``run`` and ``check``.

>>> from fmlab.relational import Model, check, all_, no
>>> m = Model("tree", default_scope=3)
>>> Node = m.sig("Node")
>>> parent = m.relation("parent", Node, Node, multiplicity="lone")
>>> acyclic = all_(Node, lambda n: no(n & n @ parent.closure()))
>>> check(m, acyclic).verdict.value      # nothing forbids a cycle yet
'refuted'
>>> m.fact(acyclic)
>>> check(m, all_(Node, lambda n: no(n @ parent & n))).verdict.value
'proved'

Besides the language and the analyses, the face offers the pieces the chapter takes
apart: the bounded translation (:class:`Encoding`), an independent evaluator
(:func:`holds`), enumeration of every world (:func:`world_count`), the exercise grader
(:func:`grade`) and the chapter's example model (:func:`access_model` and its claims).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.relational._analysis import check, instances, run
    from fmlab.relational._encode import Encoding
    from fmlab.relational._enumerate import counterexample_by_enumeration, world_count
    from fmlab.relational._evaluate import holds
    from fmlab.relational._examples import (
        AccessModel,
        access_model,
        deny_never_overlaps_allow,
        no_contradiction,
        reaches_one_resource_only,
        unusable_role_reference,
    )
    from fmlab.relational._grading import Feedback, grade
    from fmlab.relational._model import Model, RelationDecl, SignatureDecl, pred
    from fmlab.relational._syntax import (
        FALSE,
        TRUE,
        Expr,
        Formula,
        Named,
        Relation,
        Signature,
        Variable,
        all_,
        conjunction,
        exists,
        lone,
        no,
        one,
        some,
    )

__all__ = [
    "FALSE",
    "TRUE",
    "AccessModel",
    "Encoding",
    "Expr",
    "Feedback",
    "Formula",
    "Model",
    "Named",
    "Relation",
    "RelationDecl",
    "Signature",
    "SignatureDecl",
    "Variable",
    "access_model",
    "all_",
    "check",
    "conjunction",
    "counterexample_by_enumeration",
    "deny_never_overlaps_allow",
    "exists",
    "grade",
    "holds",
    "instances",
    "lone",
    "no",
    "no_contradiction",
    "one",
    "pred",
    "reaches_one_resource_only",
    "run",
    "some",
    "unusable_role_reference",
    "world_count",
]

_HOMES = {
    "_syntax": (
        "FALSE",
        "TRUE",
        "Expr",
        "Formula",
        "Named",
        "Relation",
        "Signature",
        "Variable",
        "all_",
        "conjunction",
        "exists",
        "lone",
        "no",
        "one",
        "some",
    ),
    "_model": ("Model", "RelationDecl", "SignatureDecl", "pred"),
    "_analysis": ("check", "instances", "run"),
    "_encode": ("Encoding",),
    "_evaluate": ("holds",),
    "_enumerate": ("counterexample_by_enumeration", "world_count"),
    "_grading": ("Feedback", "grade"),
    "_examples": (
        "AccessModel",
        "access_model",
        "deny_never_overlaps_allow",
        "no_contradiction",
        "reaches_one_resource_only",
        "unusable_role_reference",
    ),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
