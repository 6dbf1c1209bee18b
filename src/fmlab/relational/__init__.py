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
"""

from fmlab.relational.analysis import check, instances, run
from fmlab.relational.model import Model, pred
from fmlab.relational.syntax import (
    FALSE,
    TRUE,
    Expr,
    Formula,
    Relation,
    Signature,
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
    "Expr",
    "Formula",
    "Model",
    "Relation",
    "Signature",
    "all_",
    "check",
    "conjunction",
    "exists",
    "instances",
    "lone",
    "no",
    "one",
    "pred",
    "run",
    "some",
]
