"""Why fmlab and the independent evaluator disagree: each known cause, checked one by one.

A disagreement is never waved through. It belongs to a class only when that class's one
targeted change explains it:

* **the peer is wrong** (the AWS documentation sides with fmlab): a rewrite of the
  scenario that the documentation says changes nothing (fmlab's decision stays the same,
  and is checked to) makes the peer agree with fmlab. A bare address becomes its ``/32``
  block; an epoch-seconds date its ISO 8601 text; the root user's own full access is
  written out as an identity policy; ...
* **the peer reads a rule differently**: a rewrite that takes the peer's reading makes
  fmlab give the peer's answer (a federated user without a session policy is given one
  that allows everything, as the peer assumes).
* **an undocumented case**: fmlab's evaluation carries a warning for one of the cases the
  documentation leaves open, and the other reading it names is the peer's answer.

Anything else is *unclassified*, and the differential test fails on it with the seed.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fmlab.iam._evaluator import Evaluation, evaluate
from fmlab.iam._scenario import parse_scenario

Document = dict[str, Any]


def fmlab_evaluation(document: Document) -> Evaluation:
    scenario = parse_scenario(document)
    return evaluate(scenario.policies, scenario.request)


def _statements(document: Document) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for kind, policies in document["policies"].items():
        for policy in policies:
            body = policy["Statement"]
            for statement in body if isinstance(body, list) else [body]:
                out.append((kind, statement))
    return out


def _values(block: Any) -> list[Any]:
    return block if isinstance(block, list) else [block]


def _map_condition_values(
    document: Document, operators: Callable[[str], bool], change: Callable[[str], str]
) -> Document:
    changed = copy.deepcopy(document)
    for _kind, statement in _statements(changed):
        for operator, block in statement.get("Condition", {}).items():
            if not operators(operator):
                continue
            for key, values in block.items():
                if isinstance(values, list):
                    block[key] = [change(str(v)) for v in values]
                else:
                    block[key] = change(str(values))
    return changed


# --- the rewrites ------------------------------------------------------------------


def bare_address_as_block(document: Document) -> Document:
    """A bare IP address in IpAddress/NotIpAddress is that one address (IAM User Guide,
    IP address condition operators): write it as its /32 (or /128) block."""

    def block(text: str) -> str:
        if "/" in text:
            return text
        address = ipaddress.ip_address(text)
        return f"{text}/{address.max_prefixlen}"

    return _map_condition_values(document, lambda op: "IpAddress" in op, block)


_EPOCH = re.compile(r"-?[0-9]{1,12}")


def epoch_as_iso(document: Document) -> Document:
    """Date operators take epoch seconds as well as ISO 8601 (IAM User Guide, date
    condition operators): write each epoch value as its ISO text."""

    def iso(text: str) -> str:
        if not _EPOCH.fullmatch(text):
            return text
        return datetime.fromtimestamp(int(text), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return _map_condition_values(document, lambda op: "Date" in op, iso)


def root_access_written_out(document: Document) -> Document:
    """The account root user has complete access to its account's resources: write it
    out as an identity policy that allows everything (fmlab already allows it)."""
    if not document["request"]["principal"].endswith(":root"):
        return document
    changed = copy.deepcopy(document)
    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    changed["policies"].setdefault("identity", []).append(everything)
    return changed


_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_NOBODY = "arn:aws:iam::999999999999:user/nobody"


_ROOT_ARN = re.compile(r"arn:[^:]+:iam::[0-9]{12}:root")


def account_only_not_principal_dropped(document: Document) -> Document:
    """A NotPrincipal entry naming only an account (its ID or its root ARN) excludes no
    user or session of it (the NotPrincipal page: the principal's own ARN must be listed
    too): drop it, unless it is the caller's own ARN (the root user)."""
    caller = document["request"]["principal"]
    changed = copy.deepcopy(document)
    for _kind, statement in _statements(changed):
        block = statement.get("NotPrincipal")
        if not isinstance(block, dict) or "AWS" not in block:
            continue
        entries = [
            e
            for e in _values(block["AWS"])
            if not (_ACCOUNT_ID.fullmatch(e) or (_ROOT_ARN.fullmatch(e) and e != caller))
        ]
        block["AWS"] = entries or _NOBODY
    return changed


def short_arn_expanded(document: Document) -> Document:
    """``arn:aws:sqs:*`` (fewer than six fields): its trailing ``*`` spans the remaining
    fields (IAM User Guide, resource element); write the fields out."""
    changed = copy.deepcopy(document)
    for _kind, statement in _statements(changed):
        for element in ("Resource", "NotResource"):
            if element not in statement:
                continue
            items = _values(statement[element])
            expanded = [
                text + ":*" * (5 - text.count(":"))
                if text.startswith("arn:") and text.count(":") < 5 and text.endswith("*")
                else text
                for text in items
            ]
            statement[element] = expanded if isinstance(statement[element], list) else expanded[0]
    return changed


_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_NO_VALUE = "fmlab-variable-without-value"


def valueless_variables_removed(document: Document) -> Document:
    """A policy variable whose key the request lacks makes its value match nothing
    (IAM User Guide, policy variables): replace such values by text that matches nothing."""
    context = {k.lower(): v for k, v in document["request"].get("context", {}).items()}

    def missing(text: str) -> bool:
        for found in _VARIABLE.finditer(text):
            inner = found.group(1).strip()
            if inner in ("*", "?", "$") or "," in inner:
                continue
            value = context.get(inner.lower())
            if value is None or (isinstance(value, list) and len(value) != 1):
                return True
        return False

    changed = copy.deepcopy(document)
    for _kind, statement in _statements(changed):
        for element in ("Resource", "NotResource"):
            if element in statement:
                items = [
                    f"arn:aws:fmlab:::{_NO_VALUE}" if missing(t) else t
                    for t in _values(statement[element])
                ]
                statement[element] = items
        for block in statement.get("Condition", {}).values():
            for key, values in block.items():
                block[key] = [_NO_VALUE if missing(str(v)) else v for v in _values(values)]
    return changed


def session_policy_dropped(document: Document) -> Document:
    """A resource policy naming the exact session ARN grants beyond the session policy
    (IAM User Guide, session policies): the session policy cannot change this decision,
    so leave it out."""
    if "session" not in document["policies"]:
        return document
    changed = copy.deepcopy(document)
    del changed["policies"]["session"]
    return changed


def federated_session_policy_allowing_all(document: Document) -> Document:
    """The peer's reading: a federated user with no session policy is not limited. (The
    documentation says such a session has no permissions.)"""
    principal = document["request"]["principal"]
    if ":federated-user/" not in principal or document["policies"].get("session"):
        return document
    changed = copy.deepcopy(document)
    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    changed["policies"]["session"] = [everything]
    return changed


@dataclass(frozen=True)
class Cause:
    name: str
    rewrite: Callable[[Document], Document]
    peer_side: bool
    """True: the rewrite keeps fmlab's decision and must bring the peer to it. False: the
    rewrite takes the peer's reading and must bring fmlab to the peer's answer."""
    doc: str


PEER_WRONG: list[Cause] = [
    Cause(
        "bare-ip-as-single-address",
        bare_address_as_block,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress",
    ),
    Cause(
        "epoch-seconds-date",
        epoch_as_iso,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date",
    ),
    Cause(
        "root-user-full-access",
        root_access_written_out,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html",
    ),
    Cause(
        "not-principal-account-only",
        account_only_not_principal_dropped,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
    ),
    Cause(
        "short-arn-pattern",
        short_arn_expanded,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    ),
    Cause(
        "policy-variable-without-value",
        valueless_variables_removed,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
    ),
    Cause(
        "resource-policy-names-session",
        session_policy_dropped,
        True,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session",
    ),
    Cause(
        "federated-user-without-session-policy",
        federated_session_policy_allowing_all,
        False,
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html",
    ),
]


def key(document: Document) -> str:
    return json.dumps(document, sort_keys=True)
