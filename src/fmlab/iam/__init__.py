"""Verifying AWS IAM policies: a parser, a concrete evaluator, a z3 engine, and analyses.

The chapter's library. Start from :func:`fmlab.iam.parser.parse_policy` and
:func:`fmlab.iam.evaluator.evaluate`.
"""

from fmlab.iam.evaluator import Decision, Evaluation, PolicySet, evaluate
from fmlab.iam.model import Effect, Policy, PolicyKind, Statement
from fmlab.iam.parser import load_policy, parse_policy
from fmlab.iam.request import Request

__all__ = [
    "Decision",
    "Effect",
    "Evaluation",
    "Policy",
    "PolicyKind",
    "PolicySet",
    "Request",
    "Statement",
    "evaluate",
    "load_policy",
    "parse_policy",
]
