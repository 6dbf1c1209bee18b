"""Verifying AWS IAM policies: a parser, a concrete evaluator, a z3 engine, and analyses.

The chapter's public API. Start from :func:`parse_policy` and :func:`evaluate`; the
symbolic engine (:func:`evaluate_symbolic`, :class:`Encoder`) decides the same question
for every request at once, and :func:`compare`, :func:`find_conflicts` and
:func:`synthesize` are built on it. :mod:`fmlab.iam.facts` adds networks, instances and
buckets. Names load on first use, so reading a policy does not start z3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.iam._catalog import (
        Catalog,
        CatalogWarning,
        load_catalog,
        unknown_actions,
        unknown_actions_in,
    )
    from fmlab.iam._compare import Comparison, Relation, compare
    from fmlab.iam._conflicts import ConflictReport, Finding, FindingKind, find_conflicts
    from fmlab.iam._drawing import (
        comparison_instance,
        conflict_instance,
        draw_comparison,
        draw_conflict,
        draw_evaluation,
        evaluation_instance,
    )
    from fmlab.iam._evaluator import Decision, Evaluation, PolicySet, StatementRef, evaluate
    from fmlab.iam._excess import CellState, Excess, ExcessCell, draw_excess, excess
    from fmlab.iam._exercises import PolicyMistake, check_policy_exercise
    from fmlab.iam._grants import ActionGroup, GrantCells, ResourceGroup
    from fmlab.iam._managed import (
        MANAGED_POLICIES_PACKAGE,
        MANAGED_POLICIES_VERSION,
        latest_documents,
        load_managed_policies,
    )
    from fmlab.iam._matching import PrincipalMatch, statement_applies
    from fmlab.iam._model import (
        Condition,
        Effect,
        Operator,
        OperatorFamily,
        Policy,
        PolicyKind,
        PrincipalEntry,
        Principals,
        PrincipalType,
        SetQualifier,
        Statement,
    )
    from fmlab.iam._parser import load_policy, parse_policy
    from fmlab.iam._playground import Outcome, Playground, PlaygroundInput, analyse
    from fmlab.iam._readings import Readings, ReadingWarning, Undocumented
    from fmlab.iam._request import Request
    from fmlab.iam._resource_types import (
        ActionResources,
        RequestProblem,
        RequestWarning,
        ResourceType,
        ResourceTypes,
        load_resource_types,
        request_warnings,
    )
    from fmlab.iam._scenario import (
        Scenario,
        load_policy_files,
        load_policy_set,
        load_scenario,
        parse_scenario,
    )
    from fmlab.iam._spec import AccessSpec, Candidates, load_spec, parse_spec
    from fmlab.iam._symbolic import Encoder, StatementKey, decision_of, evaluate_symbolic
    from fmlab.iam._synthesis import Objective, Solution, Synthesis, SynthesisStatus, synthesize
    from fmlab.iam._templates import (
        Form,
        StatementShape,
        TemplateSpace,
        derive_space,
        smallest_by_enumeration,
    )

__all__ = [
    "MANAGED_POLICIES_PACKAGE",
    "MANAGED_POLICIES_VERSION",
    "AccessSpec",
    "ActionGroup",
    "ActionResources",
    "Candidates",
    "Catalog",
    "CatalogWarning",
    "CellState",
    "Comparison",
    "Condition",
    "ConflictReport",
    "Decision",
    "Effect",
    "Encoder",
    "Evaluation",
    "Excess",
    "ExcessCell",
    "Finding",
    "FindingKind",
    "Form",
    "GrantCells",
    "Objective",
    "Operator",
    "OperatorFamily",
    "Outcome",
    "Playground",
    "PlaygroundInput",
    "Policy",
    "PolicyKind",
    "PolicyMistake",
    "PolicySet",
    "PrincipalEntry",
    "PrincipalMatch",
    "PrincipalType",
    "Principals",
    "ReadingWarning",
    "Readings",
    "Relation",
    "Request",
    "RequestProblem",
    "RequestWarning",
    "ResourceGroup",
    "ResourceType",
    "ResourceTypes",
    "Scenario",
    "SetQualifier",
    "Solution",
    "Statement",
    "StatementKey",
    "StatementRef",
    "StatementShape",
    "Synthesis",
    "SynthesisStatus",
    "TemplateSpace",
    "Undocumented",
    "analyse",
    "check_policy_exercise",
    "compare",
    "comparison_instance",
    "conflict_instance",
    "decision_of",
    "derive_space",
    "draw_comparison",
    "draw_conflict",
    "draw_evaluation",
    "draw_excess",
    "evaluate",
    "evaluate_symbolic",
    "evaluation_instance",
    "excess",
    "find_conflicts",
    "latest_documents",
    "load_catalog",
    "load_managed_policies",
    "load_policy",
    "load_policy_files",
    "load_policy_set",
    "load_resource_types",
    "load_scenario",
    "load_spec",
    "parse_policy",
    "parse_scenario",
    "parse_spec",
    "request_warnings",
    "smallest_by_enumeration",
    "statement_applies",
    "synthesize",
    "unknown_actions",
    "unknown_actions_in",
]

_HOMES = {
    "_model": (
        "Condition",
        "Effect",
        "Operator",
        "OperatorFamily",
        "Policy",
        "PolicyKind",
        "PrincipalEntry",
        "PrincipalType",
        "Principals",
        "SetQualifier",
        "Statement",
    ),
    "_parser": ("load_policy", "parse_policy"),
    "_request": ("Request",),
    "_resource_types": (
        "ActionResources",
        "RequestProblem",
        "RequestWarning",
        "ResourceType",
        "ResourceTypes",
        "load_resource_types",
        "request_warnings",
    ),
    "_evaluator": ("Decision", "Evaluation", "PolicySet", "StatementRef", "evaluate"),
    "_matching": ("PrincipalMatch", "statement_applies"),
    "_scenario": (
        "Scenario",
        "load_policy_files",
        "load_policy_set",
        "load_scenario",
        "parse_scenario",
    ),
    "_catalog": (
        "Catalog",
        "CatalogWarning",
        "load_catalog",
        "unknown_actions",
        "unknown_actions_in",
    ),
    "_managed": (
        "MANAGED_POLICIES_PACKAGE",
        "MANAGED_POLICIES_VERSION",
        "latest_documents",
        "load_managed_policies",
    ),
    "_symbolic": ("Encoder", "StatementKey", "decision_of", "evaluate_symbolic"),
    "_compare": ("Comparison", "Relation", "compare"),
    "_conflicts": ("ConflictReport", "Finding", "FindingKind", "find_conflicts"),
    "_spec": ("AccessSpec", "Candidates", "load_spec", "parse_spec"),
    "_templates": (
        "Form",
        "StatementShape",
        "TemplateSpace",
        "derive_space",
        "smallest_by_enumeration",
    ),
    "_excess": ("CellState", "Excess", "ExcessCell", "draw_excess", "excess"),
    "_synthesis": ("Objective", "Solution", "Synthesis", "SynthesisStatus", "synthesize"),
    "_drawing": (
        "comparison_instance",
        "conflict_instance",
        "draw_comparison",
        "draw_conflict",
        "draw_evaluation",
        "evaluation_instance",
    ),
    "_playground": ("Outcome", "Playground", "PlaygroundInput", "analyse"),
    "_exercises": ("PolicyMistake", "check_policy_exercise"),
    "_grants": ("ActionGroup", "GrantCells", "ResourceGroup"),
    "_readings": ("ReadingWarning", "Readings", "Undocumented"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
