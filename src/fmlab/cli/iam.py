"""``fmlab iam``: evaluate a request, compare two policies, find conflicts, synthesize, reach.

Exit codes are :class:`fmlab.core.ExitCode`: ``evaluate`` exits 0 with any decision;
``compare`` exits 0 when the policies are equivalent and 1 when they differ (as ``diff``
does); ``conflicts`` exits 1 when it finds something and 0 when it finds nothing;
``synthesize`` exits 0 when it finds a policy and 1 when no policy of the template space
meets the specification; ``reach`` exits 0 when no such access exists (proved) and 1 when
one does (with the witness placement, replayed concretely); all exit 3 when the solver
could not decide and 2 on bad input. The solver-heavy parts of the chapter (synthesis,
the facts about networks, instances and buckets) are imported inside their handlers to
keep the other commands' start-up cheap.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from fmlab.cli.conventions import (
    OneLineParser,
    add_group,
    add_json_flag,
    add_timeout_flag,
    emit,
    timeout_ms,
    whole_number,
)
from fmlab.core import ExitCode, InputError, Unknown, exit_code
from fmlab.iam import (
    CatalogWarning,
    ConflictReport,
    FindingKind,
    PolicyKind,
    Relation,
    RequestWarning,
    compare,
    evaluate,
    evaluate_symbolic,
    find_conflicts,
    load_catalog,
    load_policy_files,
    load_policy_set,
    load_scenario,
    request_warnings,
    unknown_actions_in,
)


def _warning_lines(warnings: Sequence[CatalogWarning | RequestWarning]) -> list[str]:
    return [f"warning: {w}" for w in warnings]


def _evaluate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    warnings: list[CatalogWarning | RequestWarning] = [
        *unknown_actions_in(scenario.policies.policies()),
        *request_warnings(scenario.request),
    ]
    if args.engine == "symbolic":
        result = evaluate_symbolic(scenario.policies, scenario.request, timeout_ms=timeout_ms(args))
        if isinstance(result, Unknown):
            unknown = {"decision": None, "unknown": result.to_json(), "engine": "symbolic"}
            emit(args, unknown, result.explain())
            return ExitCode.UNKNOWN
    else:
        result = evaluate(scenario.policies, scenario.request)
    payload: dict[str, Any] = {
        **result.to_json(),
        "engine": args.engine,
        "warnings": [w.to_json() for w in warnings],
    }

    def text() -> str:
        lines = [f"{result.decision.value}: {result.reason}"]
        lines += [f"  {ref}  {ref.pointer}" for ref in result.statements]
        return "\n".join(lines + _warning_lines(warnings))

    emit(args, payload, text)
    return ExitCode.OK


def _compare(args: argparse.Namespace) -> int:
    kind = PolicyKind(args.kind)
    first = load_policy_set(args.a, kind)
    second = load_policy_set(args.b, kind)
    warnings = unknown_actions_in([*first.policies(), *second.policies()])
    result = compare(first, second, catalog=load_catalog(), timeout_ms=timeout_ms(args))
    payload = {**result.to_json(), "warnings": [w.to_json() for w in warnings]}
    emit(args, payload, lambda: "\n".join([result.explain(), *_warning_lines(warnings)]))
    if result.relation is Relation.UNKNOWN:
        return ExitCode.UNKNOWN
    return ExitCode.OK if result.relation is Relation.EQUIVALENT else ExitCode.FINDING


def _conflicts(args: argparse.Namespace) -> int:
    policies, where = load_policy_files(args.policies)
    catalog = load_catalog()
    warnings = unknown_actions_in(policies, catalog)
    report = find_conflicts(policies, catalog=catalog, timeout_ms=timeout_ms(args))
    if args.format == "sarif":
        emit(argparse.Namespace(json=True), _sarif(report, where), "")
    else:
        args.json = args.json or args.format == "json"
        payload = {**report.to_json(), "warnings": [w.to_json() for w in warnings]}
        emit(args, payload, lambda: _conflicts_text(report, warnings))
    if report.findings:
        return ExitCode.FINDING
    return ExitCode.UNKNOWN if report.unknown else ExitCode.OK


def _conflicts_text(report: ConflictReport, warnings: list[CatalogWarning]) -> str:
    return "\n".join([report.explain(), *_warning_lines(warnings)])


_RULES = {
    FindingKind.OVERLAP: "An Allow and a Deny statement apply to the same request.",
    FindingKind.SHADOWED: "An Allow statement is denied wherever it applies: it has no effect.",
    FindingKind.REDUNDANT: "A statement is covered by another statement with the same effect.",
}


def _sarif(report: ConflictReport, where: dict[str, str]) -> dict[str, Any]:
    results = []
    for finding in report.findings:
        first = finding.statements[0]
        message = finding.message
        if finding.witness is not None:
            message += f"; for example {finding.witness.to_json()}"
        results.append(
            {
                "ruleId": finding.kind.value,
                "level": "warning",
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": where.get(first.policy, first.policy)}
                        },
                        "logicalLocations": [{"fullyQualifiedName": first.pointer or "/"}],
                    }
                ],
            }
        )
    rules = [
        {"id": kind.value, "shortDescription": {"text": text}} for kind, text in _RULES.items()
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "fmlab iam", "rules": rules}}, "results": results}],
    }


def _synthesize(args: argparse.Namespace) -> int:
    # z3 and the catalog load only when this command runs.
    from fmlab.iam import SynthesisStatus, excess, load_spec, synthesize

    spec = load_spec(args.spec)
    result = synthesize(
        spec,
        form=args.form,
        max_statements=args.max_statements,
        solutions=args.solutions,
        timeout_ms=timeout_ms(args),
        objective=args.objective,
    )
    # What each policy grants beyond the allow list, for a reviewer of the don't-care region.
    beyond = [excess(s.policy, spec, space=result.space) for s in result.solutions]
    payload = {**result.to_json(beyond), "warnings": [w.to_json() for w in spec.warnings]}
    emit(args, payload, lambda: "\n".join([result.explain(beyond), *_warning_lines(spec.warnings)]))
    return {
        SynthesisStatus.FOUND: ExitCode.OK,
        SynthesisStatus.INFEASIBLE: ExitCode.FINDING,
        SynthesisStatus.UNKNOWN: ExitCode.UNKNOWN,
    }[result.status]


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "iam", "analyse AWS IAM policies offline")

    evaluate_parser = group.add_parser(
        "evaluate", help="decide one request against the policies of a scenario file"
    )
    evaluate_parser.add_argument("scenario", help="SCENARIO.json: policies by kind and a request")
    evaluate_parser.add_argument(
        "--engine",
        choices=("concrete", "symbolic"),
        default="concrete",
        help="the concrete evaluator (default) or the z3 formula",
    )
    add_json_flag(evaluate_parser)
    add_timeout_flag(evaluate_parser)
    evaluate_parser.set_defaults(handler=_evaluate)

    compare_parser = group.add_parser(
        "compare", help="is A less permissive, more permissive or equivalent to B?"
    )
    compare_parser.add_argument("a", help='policy (or {"policies": ...}) file A')
    compare_parser.add_argument("b", help='policy (or {"policies": ...}) file B')
    compare_parser.add_argument(
        "--kind",
        choices=[k.value for k in PolicyKind],
        default="identity",
        help="how a single policy file is attached (default: identity)",
    )
    add_json_flag(compare_parser)
    add_timeout_flag(compare_parser)
    compare_parser.set_defaults(handler=_compare)

    conflicts_parser = group.add_parser(
        "conflicts",
        help="Allow/Deny overlaps, shadowed and redundant statements (policies on one principal)",
    )
    conflicts_parser.add_argument("policies", nargs="+", metavar="POLICY.json")
    conflicts_parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    add_json_flag(conflicts_parser)
    add_timeout_flag(conflicts_parser)
    conflicts_parser.set_defaults(handler=_conflicts)

    synthesize_parser = group.add_parser(
        "synthesize",
        help="derive minimal policies from an access specification (must allow / must deny)",
    )
    synthesize_parser.add_argument(
        "spec", help="SPEC.json: allow and deny request entries (see fmlab.iam.load_spec)"
    )
    synthesize_parser.add_argument(
        "--form",
        choices=("any", "allow-action", "deny-notaction"),
        default="any",
        help='statement shapes: any, Allow+Action, or "Allow *" with Deny+NotAction',
    )
    synthesize_parser.add_argument(
        "--objective",
        choices=("least-privilege", "smallest"),
        default=None,
        help="what best means: grant least (default for allow-action) or fewest statements",
    )
    synthesize_parser.add_argument(
        "--max-statements",
        type=whole_number(1, 8),
        default=3,
        metavar="N",
        help="the largest policy tried, in statements (default 3)",
    )
    synthesize_parser.add_argument(
        "--solutions",
        type=whole_number(1, 100),
        default=1,
        metavar="N",
        help="how many distinct minimal policies to list (default 1)",
    )
    add_json_flag(synthesize_parser)
    add_timeout_flag(synthesize_parser)
    synthesize_parser.set_defaults(handler=_synthesize)

    _register_reach(group)


def _reach(args: argparse.Namespace) -> int:
    from fmlab.iam.facts import Goal, Question, RouteKind, find_access, load_world

    world = load_world(args.world)

    def known(
        names: list[str] | None, table: Mapping[str, object], what: str
    ) -> frozenset[str] | None:
        if not names:
            return None
        for name in names:
            if name not in table:
                raise InputError(f'no {what} "{name}" in the world', source=args.world)
        return frozenset(names)

    if args.bucket not in world.buckets:
        raise InputError(f'no bucket "{args.bucket}" in the world', source=args.world)
    subnets = known(args.subnet, world.network.subnets, "subnet")
    if args.anywhere:
        subnets = frozenset(world.network.subnets)
    routes = frozenset(RouteKind(r) for r in args.route) if args.route else None
    question = Question(
        args.bucket,
        action=args.action,
        key=args.key,
        instances=known(args.instance, world.instances, "instance"),
        subnets=subnets,
        routes=routes or frozenset({RouteKind.ENDPOINT, RouteKind.INTERNET}),
        goal=Goal.DENIED if args.denied else Goal.ALLOWED,
    )
    result = find_access(world, question, timeout_ms=timeout_ms(args))
    emit(args, result.to_json(), result.explain())
    return exit_code(result)


def _register_reach(group: argparse._SubParsersAction[OneLineParser]) -> None:
    """Add ``reach`` to the ``fmlab iam`` group."""
    parser = group.add_parser(
        "reach",
        help="is some access of a world's instances to a bucket allowed (or denied)?",
    )
    parser.add_argument("world", help="WORLD.json: VPCs, subnets, endpoints, roles, instances...")
    parser.add_argument("bucket", help="the bucket's name")
    parser.add_argument("--instance", action="append", help="only this instance (repeatable)")
    parser.add_argument("--subnet", action="append", help="place instances here (repeatable)")
    parser.add_argument("--anywhere", action="store_true", help="place instances in any subnet")
    parser.add_argument(
        "--route", action="append", choices=("endpoint", "internet"), help="only this path"
    )
    parser.add_argument("--denied", action="store_true", help="look for a denied access instead")
    parser.add_argument("--action", default="s3:GetObject")
    parser.add_argument(
        "--key", default="data.csv", help="object key, or a pattern with * and ? (default data.csv)"
    )
    add_json_flag(parser)
    add_timeout_flag(parser)
    parser.set_defaults(handler=_reach)
