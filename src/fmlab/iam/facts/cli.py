"""``fmlab iam reach``: can instances of a world reach a bucket, allowed or denied?

Exit codes: 0 when no such access exists (proved), 1 when one does (with the witness
placement, replayed concretely), 3 when the solver could not decide, 2 on bad input.
Heavy modules (z3, the encoder) are imported inside the handler to keep start-up cheap.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from fmlab.cli.conventions import (
    OneLineParser,
    add_json_flag,
    add_timeout_flag,
    emit,
    timeout_ms,
)
from fmlab.core.errors import InputError


def _reach(args: argparse.Namespace) -> int:
    from fmlab.core.result import exit_code
    from fmlab.iam.facts.network import RouteKind
    from fmlab.iam.facts.search import Goal, Question, find_access
    from fmlab.iam.facts.world import load_world

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


def register_reach(group: argparse._SubParsersAction[OneLineParser]) -> None:
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
