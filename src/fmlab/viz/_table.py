"""HTML-like table labels: the "record" nodes of z3 values and trace states.

Cells are escaped here, so callers pass plain text.

>>> html_table([("x", "1"), ("y", "<2>")], header="State 0", emphasise={1}).startswith("<<TABLE")
True
>>> "&lt;2&gt;" in html_table([("y", "<2>")])
True
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from fmlab.viz._text import html_text
from fmlab.viz._theme import CHANGED_FILL

# Graphviz reads a label wrapped in <...> as HTML; the python-graphviz quoting passes it as is.
_OPEN = '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
_CLOSE = "</TABLE>>"


def html_table(
    rows: Sequence[tuple[str, str]],
    *,
    header: str | None = None,
    header_fill: str = "#DDDDDD",
    emphasise: Collection[int] = (),
) -> str:
    """A two-column name/value table; rows whose index is in ``emphasise`` stand out.

    Emphasis is bold text on a pale yellow background, so it does not rely on colour.
    """
    parts = [_OPEN]
    if header is not None:
        parts.append(
            f'<TR><TD COLSPAN="2" BGCOLOR="{header_fill}"><B>{html_text(header)}</B></TD></TR>'
        )
    for index, (name, value) in enumerate(rows):
        name_html, value_html = html_text(name), html_text(value)
        if index in emphasise:
            fill = f' BGCOLOR="{CHANGED_FILL}"'
            name_html, value_html = f"<B>{name_html}</B>", f"<B>{value_html}</B>"
        else:
            fill = ""
        parts.append(
            f'<TR><TD ALIGN="LEFT"{fill}>{name_html}</TD>'
            f'<TD ALIGN="LEFT"{fill}>{value_html}</TD></TR>'
        )
    if not rows and header is None:
        parts.append("<TR><TD> </TD></TR>")
    parts.append(_CLOSE)
    return "".join(parts)


TABLE_NODE = {"shape": "plaintext", "margin": "0"}
