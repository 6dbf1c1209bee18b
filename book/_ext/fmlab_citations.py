"""Citations that say which talk: one author's works of one year get letters (2018a, 2018b).

sphinxcontrib-bibtex's ``author_year`` style prints ``[ccvanishing, 2018]`` for each of
three different talks of 2018, so a reader cannot tell which one a sentence means. After
the extension has read ``book/references.bib`` (on ``builder-inited``), this adds a letter
to the year of every entry whose authors (as cited) and year another entry shares, in the
order the entries appear in the file (Part 1 of the file is in order of publication).

The year field carries the letter, and the bibliography's labels are the citations' own
text (``ccvanishing, 2018b``, through the ``fmlab`` pybtex style registered here) instead
of pybtex's alpha labels (``ccv18b``), so a reader finds the entry a citation names.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from typing import Any

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.application import Sphinx

# A year this module has lettered already (the parsed data is cached between builds).
_LETTERED = re.compile(r"^(?P<year>\d{4})[a-z]$")


def _surname(person: Any) -> str:
    latex = " ".join([*person.prelast_names, *person.last_names])
    return str(Text.from_latex(latex).render_as("text"))


def cited_authors(entry: Any) -> str:
    """The authors as an author-year citation names them: X, X and Y, or X et al."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surname(person) for person in people]
    if not names:
        return str(Text.from_latex(entry.fields.get("title", "")).render_as("text"))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class CitationLabels(BaseLabelStyle):  # type: ignore[misc]
    """Bibliography labels that read like the citations: ``ccvanishing, 2018b``."""

    def format_labels(self, sorted_entries: Any) -> Any:
        for entry in sorted_entries:
            yield f"{cited_authors(entry)}, {entry.fields.get('year', 'n.d.')}"


class CitationLabelledStyle(PlainStyle):  # type: ignore[misc]
    """pybtex's plain style with the labels above (``bibtex_default_style: fmlab``)."""

    default_label_style = "fmlab_citation"


def plain_year(year: str) -> str:
    """The year without a letter this module added.

    >>> plain_year("2018b"), plain_year("2018"), plain_year("n.d.")
    ('2018', '2018', 'n.d.')
    """
    match = _LETTERED.match(year)
    return match["year"] if match else year


def letter_years(entries: dict[str, Any]) -> dict[str, str]:
    """Give every entry sharing its first author and year with another a lettered year.

    ``entries`` maps keys to pybtex entries in file order; their ``year`` fields are
    rewritten in place. Returns key -> the new year, for the entries that got a letter.
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, entry in entries.items():
        year = plain_year(str(entry.fields.get("year", "")))
        if year:
            groups[(cited_authors(entry), year)].append(key)
    lettered: dict[str, str] = {}
    for (_, year), keys in groups.items():
        for key in keys:
            entries[key].fields["year"] = year
        if len(keys) < 2:
            continue
        for letter, key in zip(string.ascii_lowercase, keys, strict=False):
            entries[key].fields["year"] = lettered[key] = f"{year}{letter}"
    return lettered


def _letter_the_bibliography(app: Sphinx) -> None:
    domain = app.env.get_domain("cite")
    bibdata = domain.data.get("bibdata")
    if bibdata is not None:
        letter_years(bibdata.data.entries)


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.labels", "fmlab_citation", CitationLabels)
    register_plugin("pybtex.style.formatting", "fmlab", CitationLabelledStyle)
    # After sphinxcontrib-bibtex's own builder-inited handler (priority 500) parsed the files.
    app.connect("builder-inited", _letter_the_bibliography, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
