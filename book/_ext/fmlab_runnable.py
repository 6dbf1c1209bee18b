"""Running a chapter, not only reading it: the notebook file, one line on how, launch buttons.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. For every notebook page:

- its ``.ipynb`` is written at build time from the MyST source with jupytext
  (``_sources/<page>.ipynb``, no outputs: the reader runs it) and offered in the page's
  download menu next to the ``.md``;
- one line under the title says how to run it locally.

Launch buttons (Binder, Colab, JupyterHub) hang on ONE setting, ``repository.url`` in
``_config.yml``: while it is empty (a checkout with no public address) every launch button
is off, whatever ``launch_buttons`` says; once it is set, the services named under
``launch_buttons`` get a button (an empty service URL stays off). Binder builds the
environment from ``binder/`` (repo2docker: ``apt.txt`` for Graphviz, ``postBuild`` for the
editable install). Colab opens only ``.ipynb`` files stored in a GitHub repository, and the
chapters are stored as MyST Markdown, so its button stays off for them: download the
``.ipynb`` instead.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import jupytext
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
LAUNCH_SERVICES = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "thebe")
RUN_LOCALLY_CLASS = "fmlab-run-locally"


def launch_buttons_for(theme_options: dict[str, Any]) -> dict[str, Any]:
    """The ``launch_buttons`` the theme should see: none at all without a repository URL.

    >>> launch_buttons_for({"repository_url": "", "launch_buttons": {"binderhub_url": "b"}})
    {}
    >>> launch_buttons_for({"repository_url": "https://github.com/o/r",
    ...                     "launch_buttons": {"binderhub_url": "b", "colab_url": "c"}})
    {'binderhub_url': 'b'}
    """
    repository = str(theme_options.get("repository_url") or "").strip()
    wanted = dict(theme_options.get("launch_buttons") or {})
    if not repository:
        return {}
    # Colab cannot open a MyST Markdown notebook; see the module docstring.
    wanted.pop("colab_url", None)
    return {key: value for key, value in wanted.items() if value}


def _gate_launch_buttons(app: Sphinx, config: Config) -> None:
    options = dict(config.html_theme_options or {})
    options["launch_buttons"] = launch_buttons_for(options)
    config.html_theme_options = options


def is_notebook(app: Sphinx, pagename: str) -> bool:
    metadata = app.env.metadata.get(pagename, {})
    return "kernelspec" in metadata or "jupytext" in metadata


def write_ipynb(source: Path, target: Path) -> None:
    """The notebook of a MyST Markdown (or any jupytext) source, without outputs."""
    notebook = jupytext.read(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")


def run_locally_line(ipynb_href: str, source_path: str, how_to_href: str) -> str:
    """The one line under a notebook's title that says how to run it.

    >>> print(run_locally_line("x.ipynb", "notebooks/a/01.md", "how.html#run"))
    ... # doctest: +ELLIPSIS
    <p class="fmlab-run-locally"><strong>Run it yourself:</strong> ...notebooks/a/01.md...
    """
    return (
        f'<p class="{RUN_LOCALLY_CLASS}"><strong>Run it yourself:</strong> in a clone of the '
        "course, <code>make lab</code> opens JupyterLab offline, where "
        f"<code>{html.escape(source_path)}</code> opens as a notebook "
        f'(<a href="{html.escape(how_to_href)}">how</a>); or download '
        f'<a href="{html.escape(ipynb_href)}" download>this notebook (.ipynb)</a> for any '
        "Jupyter with <code>fmlab</code> installed.</p>"
    )


def _offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None or not is_notebook(app, pagename):
        return
    source = Path(app.env.doc2path(pagename))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    write_ipynb(source, target)
    # sphinx-book-theme adds ".ipynb" to the download menu when this is set.
    context["ipynb_source"] = f"{pagename}.ipynb"
    pathto = context["pathto"]
    ipynb_href = f"{pathto('_sources', 1)}/{pagename}.ipynb"
    how_to = pathto("book/how-to-use") + "#running-locally"
    relative_source = source.relative_to(Path(app.srcdir)).as_posix()
    line = run_locally_line(ipynb_href, relative_source, how_to)
    body = context.get("body", "")
    title_end = body.find("</h1>")
    if title_end == -1:
        LOGGER.warning("no <h1> on notebook page %s; run-locally line not added", pagename)
        return
    cut = title_end + len("</h1>")
    context["body"] = body[:cut] + "\n" + line + body[cut:]


def _keep_our_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # With launch buttons on, sphinx-book-theme (priority 501) copies the EXECUTED notebook
    # over _sources/<page>.ipynb; write the outputs-free one back after it.
    if doctree is None or not is_notebook(app, pagename):
        return
    write_ipynb(
        Path(app.env.doc2path(pagename)), Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    )


def setup(app: Sphinx) -> dict[str, Any]:
    # After jupyter-book has turned _config.yml's repository/launch_buttons into theme options.
    app.connect("config-inited", _gate_launch_buttons, priority=900)
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("html-page-context", _keep_our_notebook, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
