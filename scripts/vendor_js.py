"""Fetch the site's JavaScript from the npm registry into book/_vendor/.

The built site must work with no internet: the widget manager, require.js and MathJax
are served from the site itself instead of a CDN. ``npm pack`` downloads the exact
versions below (and npm checks their integrity against the registry); the tarballs'
files are unpacked under ``book/_vendor/``, which ``_config.yml`` adds to the static path.

Run by ``make book`` and ``make test``; does nothing when the stamp matches.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "book" / "_vendor"
STAMP = VENDOR / ".versions.json"

# package -> (version, files or folders to keep from the package, where they go)
PACKAGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "requirejs": ("2.3.8", [("require.js", "require.js")]),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        [("dist/embed-amd.js", "embed-amd.js"), ("dist", "@jupyter-widgets/html-manager/dist")],
    ),
    "mathjax": ("3.2.2", [("es5", "mathjax/es5")]),
}


def _wanted() -> dict[str, str]:
    return {name: version for name, (version, _) in PACKAGES.items()}


def _up_to_date() -> bool:
    try:
        return bool(json.loads(STAMP.read_text()) == _wanted())
    except (OSError, ValueError):
        return False


def _pack(name: str, version: str, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("vendor_js: npm not found; install Node.js (Debian: apt-get install nodejs npm)")
    done = subprocess.run(
        [npm, "pack", f"{name}@{version}", "--silent", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        sys.exit(f"vendor_js: npm pack {name}@{version} failed: {done.stderr.strip()}")
    tarball = workdir / done.stdout.strip().splitlines()[-1]
    if not tarball.exists():
        sys.exit(f"vendor_js: npm pack {name}@{version} wrote no tarball")
    return tarball


def main() -> int:
    if _up_to_date():
        print(f"vendor_js: {VENDOR.relative_to(ROOT)} is up to date")
        return 0
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for name, (version, keep) in PACKAGES.items():
            tarball = _pack(name, version, work)
            unpacked = work / tarball.stem
            with tarfile.open(tarball) as archive:
                archive.extractall(unpacked, filter="data")
            package = unpacked / "package"
            for source, target in keep:
                origin, destination = package / source, VENDOR / target
                destination.parent.mkdir(parents=True, exist_ok=True)
                if origin.is_dir():
                    shutil.copytree(origin, destination, dirs_exist_ok=True)
                else:
                    shutil.copy2(origin, destination)
            print(f"vendor_js: {name}@{version}")
    STAMP.write_text(json.dumps(_wanted(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
