"""``fmlab time``: resolve wall-clock times and list daylight-saving changes.

    fmlab time resolve 1985-10-27T01:30 --zone America/Los_Angeles --policy strict
    fmlab time transitions --zone Australia/Lord_Howe --from 2024 --to 2024 --json

``resolve`` exits 1 when, under ``--policy strict``, the time falls in a gap or an
overlap (a finding), and 2 for an unknown zone or a time it cannot parse.
"""

from __future__ import annotations

import argparse
import textwrap
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from fmlab.cli.conventions import OneLineParser, add_group, add_json_flag, emit
from fmlab.core import ExitCode, InputError
from fmlab.timetravel import (
    AmbiguousLocalTimeError,
    NonexistentLocalTimeError,
    classify,
    load_zone,
    resolve_local,
    transitions,
)


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "time", "wall-clock times, zones and daylight saving")

    resolve = group.add_parser("resolve", help="the UTC instant a local time names in a zone")
    resolve.add_argument("local", help="a naive ISO 8601 date-time, e.g. 1985-10-26T01:24")
    resolve.add_argument("--zone", required=True, help="an IANA zone, e.g. Asia/Tokyo")
    resolve.add_argument("--fold", type=int, choices=(0, 1), default=0)
    resolve.add_argument("--policy", choices=("fold", "strict"), default="fold")
    add_json_flag(resolve)
    resolve.set_defaults(handler=_resolve)

    listing = group.add_parser("transitions", help="list a zone's offset changes")
    listing.add_argument("--zone", required=True, help="an IANA zone, e.g. Asia/Shanghai")
    listing.add_argument("--from", dest="first", type=int, required=True, metavar="YEAR")
    listing.add_argument("--to", dest="last", type=int, required=True, metavar="YEAR")
    add_json_flag(listing)
    listing.set_defaults(handler=_transitions)


def _zone(name: str) -> str:
    try:
        return load_zone(name).key
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {name!r}", pointer="--zone") from None


def _resolve(args: argparse.Namespace) -> int:
    zone = _zone(args.zone)
    try:
        local = datetime.fromisoformat(args.local)
    except ValueError:
        raise InputError(f"not an ISO 8601 date-time: {args.local!r}", pointer="LOCAL") from None
    if local.tzinfo is not None:
        raise InputError(
            "give a wall-clock time without an offset; it is read in --zone", pointer="LOCAL"
        )
    kind = classify(local, zone)
    payload: dict[str, Any] = {
        "local": local.isoformat(),
        "zone": zone,
        "kind": kind.value,
        "fold": args.fold,
        "policy": args.policy,
    }
    try:
        instant = resolve_local(local, zone, fold=args.fold, policy=args.policy)
    except (NonexistentLocalTimeError, AmbiguousLocalTimeError) as error:
        payload["error"] = str(error)
        # The text folded to the page (the JSON keeps the message as one string).
        emit(args, payload, _folded(f"rejected ({kind.value}): {error}"))
        return ExitCode.FINDING
    payload["utc"] = instant.isoformat()
    text = (
        f"{local.isoformat()} in {zone} ({kind.value}, fold={args.fold}) is {instant.isoformat()}"
    )
    emit(args, payload, _folded(text))
    return ExitCode.OK


def _folded(text: str) -> str:
    """``text`` cut at spaces into lines of at most 76 characters (an 80-column terminal,
    and the site's output boxes, which hold 77), continuations indented two spaces."""
    return textwrap.fill(
        text, width=76, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )


def _transitions(args: argparse.Namespace) -> int:
    zone = _zone(args.zone)
    try:
        found = transitions(zone, args.first, args.last)
    except ValueError as error:
        raise InputError(str(error), pointer="--from/--to") from None
    lines = [change.describe() for change in found] or [
        f"no offset changes in {zone} from {args.first} to {args.last}"
    ]
    emit(args, {"zone": zone, "transitions": [c.to_json() for c in found]}, "\n".join(lines))
    return ExitCode.OK
