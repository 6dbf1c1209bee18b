"""Citations name the talk: no two entries of book/references.bib are cited alike.

A one-page Sphinx project cites every entry of the book's own bibliography with the
book's citation settings (``bibtex_*`` in ``_config.yml``) and ``fmlab_citations``, and
is built with sphinx-build. Each citation's text must differ from every other's, and the
bibliography must list each entry under that same text. Without the extension three of
ccvanishing's talks are all ``ccvanishing, 2018`` (the probe below shows the check fails
then).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIB = ROOT / "book" / "references.bib"
SPHINX_BUILD = Path(sys.executable).parent / "sphinx-build"
KEY = re.compile(r"^@\w+\{(?P<key>[^,\s]+),", flags=re.MULTILINE)


def _book_bibtex_config() -> dict[str, Any]:
    project = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config: dict[str, Any] = project["sphinx"]["config"]
    return {name: value for name, value in config.items() if name.startswith("bibtex_")}


def _build(tmp_path: Path, *, extension: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """Build the probe; returns (key, citation text) per citation and the bibliography labels."""
    keys = KEY.findall(BIB.read_text(encoding="utf-8"))
    source = tmp_path / "src"
    source.mkdir()
    (source / "references.bib").write_text(BIB.read_text(encoding="utf-8"), encoding="utf-8")
    settings = {**_book_bibtex_config(), "bibtex_bibfiles": ["references.bib"]}
    extensions = ["sphinxcontrib.bibtex", *(["fmlab_citations"] if extension else [])]
    if not extension:
        settings.pop("bibtex_default_style", None)  # the style is the extension's
    conf = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})",
        f"extensions = {extensions!r}",
        *(f"{name} = {value!r}" for name, value in settings.items()),
    ]
    (source / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    lines = ["Probe", "=====", ""]
    for key in keys:  # one paragraph each
        lines += [f"Key {key}: :cite:p:`{key}`.", ""]
    lines += ["", ".. bibliography::", ""]
    (source / "index.rst").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "html"
    done = subprocess.run(
        [str(SPHINX_BUILD), "-q", "-b", "html", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    # A citation ties "de Moura" with a no-break space; the label uses a plain one.
    cited = [
        (key, html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ").strip(" []()"))
        for key, text in re.findall(r"Key (\S+): (.*?)\.</p>", page)
    ]
    labels = [
        html.unescape(re.sub(r"<[^>]+>", "", label)).strip(" []")
        for label in re.findall(r'<span class="label">(.*?\]</span>)</span>', page)
    ]
    return cited, labels


def _repeated(texts: list[str]) -> list[str]:
    return sorted(text for text, count in Counter(texts).items() if count > 1)


@pytest.mark.slow
def test_every_entry_is_cited_by_its_own_text(tmp_path: Path) -> None:
    cited, labels = _build(tmp_path, extension=True)
    assert len(cited) == len(KEY.findall(BIB.read_text(encoding="utf-8")))
    texts = [text for _, text in cited]
    assert not _repeated(texts), f"cited alike: {_repeated(texts)}"
    by_key = dict(cited)
    assert by_key["ccvanishing2018iam"].endswith("2018b"), by_key["ccvanishing2018iam"]
    assert by_key["ccvanishing2017timemachine"].endswith("2017a")
    # The bibliography lists each entry under its citation's text.
    assert sorted(labels) == sorted(texts)


@pytest.mark.slow
def test_without_the_extension_talks_are_cited_alike(tmp_path: Path) -> None:
    cited, _ = _build(tmp_path, extension=False)
    assert "ccvanishing, 2018" in _repeated([text for _, text in cited])


def test_talks_on_the_blog_link_to_the_post_or_to_nothing() -> None:
    # A link to the blog's front page does not lead to the talk (issue 13).
    urls = re.findall(r"url\s*=\s*\{([^}]*)\}", BIB.read_text(encoding="utf-8"))
    front_pages = [url for url in urls if re.fullmatch(r"https?://[^/]+/?", url)]
    assert not front_pages
