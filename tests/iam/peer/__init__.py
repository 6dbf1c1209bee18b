"""The independent evaluator, run beside fmlab: install, translate, decide.

``@cloud-copilot/iam-simulate`` is installed (pinned, into a cache outside the repository)
by ``scripts/iam_peer.py``; :class:`Peer` runs ``driver.cjs`` as one long-lived Node.js
process and sends it scenarios one per line. :func:`to_peer` translates an fmlab scenario
document into the peer's vocabulary: the SCPs and RCPs of a scenario are one layer each
(one organisational unit), the resource's account is the one fmlab reads from the ARN.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from fmlab.iam._request import resource_account as _owner
from fmlab.iam._scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("driver.cjs")
DECISIONS = {
    "Allowed": "Allow",
    "ExplicitlyDenied": "ExplicitDeny",
    "ImplicitlyDenied": "ImplicitDeny",
}


def _installer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("iam_peer", ROOT / "scripts" / "iam_peer.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PeerMissingError(RuntimeError):
    """The peer is not installed and could not be."""


def peer_directory() -> Path:
    """The pinned install, made now if ``make`` has not made it yet."""
    installer = _installer()
    if shutil.which("node") is None:
        raise PeerMissingError("node is not installed (make test installs nodejs and npm)")
    try:
        return Path(installer.install())
    except installer.PeerUnavailableError as error:
        raise PeerMissingError(str(error)) from None


def resource_account(document: dict[str, Any]) -> str:
    """The account that owns the request's resource, as fmlab reads it."""
    return _owner(parse_scenario(document).request) or ""


def to_peer(document: dict[str, Any], identifier: int) -> dict[str, Any]:
    """An fmlab scenario document in the driver's vocabulary."""
    policies = document["policies"]
    request = document["request"]
    context = {
        key: value if isinstance(value, list) else [str(value)]
        for key, value in request.get("context", {}).items()
    }
    resource = policies.get("resource") or []
    if len(resource) > 1:
        raise ValueError("the peer takes one resource policy")
    session = policies.get("session") or []
    if len(session) > 1:
        raise ValueError("the peer takes one session policy")
    return {
        "id": identifier,
        "request": {
            "principal": request["principal"],
            "action": request["action"],
            "resource": request["resource"],
            "accountId": resource_account(document),
            "context": context,
        },
        "identity": policies.get("identity", []),
        "resource": resource[0] if resource else None,
        # An empty list is the same as none at all (it is in fmlab too).
        "boundary": policies.get("boundary") or None,
        "scps": [policies["scp"]] if policies.get("scp") else [],
        "rcps": [policies["rcp"]] if policies.get("rcp") else [],
        "session": session[0] if session else None,
    }


class Peer:
    """One Node.js process running the driver; :meth:`decide` sends many scenarios."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else peer_directory()

    def decide(self, documents: Iterable[dict[str, Any]]) -> Iterator[str]:
        """The peer's decision for each document, in order (``Allow``, ``ExplicitDeny``,
        ``ImplicitDeny``, or ``error: ...``)."""
        lines = [json.dumps(to_peer(doc, n)) + "\n" for n, doc in enumerate(documents)]
        process = subprocess.Popen(
            ["node", str(DRIVER), str(self.directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NODE_OPTIONS": ""},
        )
        assert process.stdin is not None
        assert process.stdout is not None

        def feed() -> None:
            assert process.stdin is not None
            for line in lines:
                process.stdin.write(line)
            process.stdin.close()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        answers: dict[int, str] = {}
        for raw in process.stdout:
            answer = json.loads(raw)
            if "error" in answer:
                answers[answer["id"]] = "error: " + answer["error"].splitlines()[0]
            else:
                answers[answer["id"]] = DECISIONS[answer["result"]]
        writer.join()
        code = process.wait()
        if code != 0 or len(answers) != len(lines):
            stderr = process.stderr.read() if process.stderr is not None else ""
            raise RuntimeError(f"the peer driver stopped (exit {code}): {stderr[-500:]}")
        for number in range(len(lines)):
            yield answers[number]


__all__ = ["DECISIONS", "Peer", "PeerMissingError", "peer_directory", "to_peer"]
