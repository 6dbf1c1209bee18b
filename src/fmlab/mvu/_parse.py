"""Parse HTML as a browser would, for the parts of the standard that repair bad nesting.

A browser does not build the tree the markup spells: HTML's tree-construction rules
(WHATWG HTML, section 13.2.6) *repair* markup that breaks the content model. A ``<div>``
inside a ``<p>`` closes the paragraph first; a ``<tr>`` directly inside a ``<table>`` gets
a ``<tbody>`` around it; text inside a table is moved in front of it. Server HTML
rendered from a view that nests this way therefore turns into a different tree in the
browser, and hydration, which expects the view's tree, falls back.

This module models a documented subset of those rules, enough to find the repairs a
view can cause (the tokenizer is the standard library's :mod:`html.parser`):

* "close a p element": the start tags of block elements (``div``, ``ul``, ``table``,
  ``h1``... ``h6``, ``pre``, ``form``, ``li``, ``dd``, ``dt``, ``hr``...) close an open
  ``p`` in button scope; a ``</p>`` with no ``p`` open inserts an empty ``<p></p>``;
* ``li`` closes an open ``li``, ``dd``/``dt`` close an open ``dd``/``dt``, a heading
  closes a heading that is the current node, ``button`` closes an open ``button``,
  ``option``/``optgroup`` close an open ``option``, a nested ``form`` is ignored, an ``a``
  closes an open ``a`` (the adoption agency algorithm is *not* modelled);
* tables: ``tr`` directly in ``table`` gets an implied ``tbody``; ``td``/``th`` directly
  in ``table``/``tbody`` get an implied ``tr``; ``tr`` in ``tr`` and ``td`` in ``td``
  close the open one; non-whitespace text and non-table elements inside a table's own
  content are foster-parented in front of the table; table-part tags outside any table
  are ignored;
* ``html``, ``head`` and ``body`` tags are skipped (their contents are kept), so a whole
  page can be given;
* void elements (``br``, ``img``, ``input``...) never have children; a leading newline
  right after ``<pre>``, ``<listing>`` or ``<textarea>`` is dropped; end tags that match
  no open element are ignored, and one that matches closes what is still open inside it.

Not modelled: the active formatting elements (their reconstruction and the adoption
agency), ``select`` and ``template`` contents, foreign content (SVG, MathML), quirks
mode, comments and doctypes (dropped). Tests check this subset against html5lib, an
implementation of the full algorithm, on generated markup.

>>> parsed = parse_html("<p>Total: <div>3</div></p>")
>>> render_tree(parsed.nodes)
'<p>Total: </p><div>3</div><p></p>'
>>> [repair.summary for repair in parsed.repairs]
['<div> closed the open <p>', '</p> with no open <p> made an empty <p></p>']
>>> render_tree(parse_html("<table><tr><td>1</td></tr></table>").nodes)
'<table><tbody><tr><td>1</td></tr></tbody></table>'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fmlab.mvu._html import NEWLINE_EATERS, render_html
from fmlab.mvu._nodes import VOID_ELEMENTS, Element, Node, Text

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "search",
        "section",
        "summary",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "listing",
        "form",
        "table",
        "hr",
        "xmp",
        "li",
        "dd",
        "dt",
        "plaintext",
    ]
)
_IMPLIED_END = frozenset(["dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"])
_SPECIAL = frozenset(
    [
        "address",
        "applet",
        "area",
        "article",
        "aside",
        "base",
        "basefont",
        "bgsound",
        "blockquote",
        "body",
        "br",
        "button",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "iframe",
        "img",
        "input",
        "keygen",
        "li",
        "link",
        "listing",
        "main",
        "marquee",
        "menu",
        "meta",
        "nav",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "ol",
        "p",
        "param",
        "plaintext",
        "pre",
        "script",
        "search",
        "section",
        "select",
        "source",
        "style",
        "summary",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "track",
        "ul",
        "wbr",
        "xmp",
    ]
)
_SCOPE_BOUNDARY = frozenset(
    ["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"]
)
_TABLE_PARTS = frozenset(
    ["caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"]
)
_TABLE_CONTEXT = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
_SECTIONS = frozenset({"tbody", "thead", "tfoot"})
_CELLS = frozenset({"td", "th"})
_DOCUMENT = frozenset({"html", "head", "body"})
"""A whole page is accepted: these tags are skipped and their contents kept in order."""
_ROOT = "#root"
"""The mount point the fragment is parsed into (it behaves as <body> does)."""


@dataclass(frozen=True)
class Repair:
    """One change the parser made to the tree the markup spells.

    ``line`` and ``column`` (1-based) locate the tag or text that caused it.
    """

    summary: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.summary}"


@dataclass(frozen=True)
class ParsedHTML:
    """The nodes a browser would build for an HTML fragment, and the repairs it made."""

    nodes: tuple[Node, ...]
    repairs: tuple[Repair, ...]

    @property
    def repaired(self) -> bool:
        return bool(self.repairs)


@dataclass(eq=False)  # identity: two empty tables are still two tables
class _Open:
    """An element under construction (mutable until the parse ends)."""

    tag: str
    attrs: list[tuple[str, str | bool]]
    children: list[_Open | str] = field(default_factory=list)
    parent: _Open | None = None

    def append(self, child: _Open | str) -> None:
        if isinstance(child, _Open):
            child.parent = self
        self.children.append(child)

    def insert_before(self, child: _Open | str, anchor: _Open) -> None:
        if isinstance(child, _Open):
            child.parent = self
        self.children.insert(self.children.index(anchor), child)


def parse_html(source: str) -> ParsedHTML:
    """Parse an HTML fragment into nodes, as a browser's parser would (see the module)."""
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return ParsedHTML(tuple(_freeze_children(builder.root)), tuple(builder.repairs))


def render_tree(nodes: Sequence[Node]) -> str:
    """The HTML of parsed nodes, for showing what the browser built."""
    return "".join(render_html(node) for node in nodes)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Open(_ROOT, [])
        self.stack: list[_Open] = [self.root]
        self.repairs: list[Repair] = []
        self.form: _Open | None = None
        self._drop_newline = False

    # --- helpers ---------------------------------------------------------------------

    @property
    def current(self) -> _Open:
        return self.stack[-1]

    def _repair(self, summary: str) -> None:
        line, offset = self.getpos()
        self.repairs.append(Repair(summary, line, offset + 1))

    def _in_scope(self, tag: str, extra: frozenset[str] = frozenset()) -> bool:
        boundary = _SCOPE_BOUNDARY | extra
        for node in reversed(self.stack):
            if node.tag == tag:
                return True
            if node.tag in boundary or node.tag == _ROOT:
                return False
        return False

    def _node_in_scope(self, wanted: _Open) -> bool:
        for node in reversed(self.stack):
            if node is wanted:
                return True
            if node.tag in _SCOPE_BOUNDARY or node.tag == _ROOT:
                return False
        return False

    def _in_table_scope(self, tags: frozenset[str]) -> bool:
        for node in reversed(self.stack):
            if node.tag in tags:
                return True
            if node.tag in {"table", "template", _ROOT}:
                return False
        return False

    def _pop_until(self, tags: frozenset[str], cause: str) -> None:
        """Pop up to and including the nearest element named in ``tags``.

        Elements popped on the way that may not be closed implicitly are a repair.
        """
        while len(self.stack) > 1:
            node = self.stack.pop()
            if node.tag in tags:
                return
            if node.tag not in _IMPLIED_END:
                self._repair(f"{cause} closed the unclosed <{node.tag}>")

    def _generate_implied_end_tags(self, except_tag: str | None = None) -> None:
        while self.current.tag in _IMPLIED_END and self.current.tag != except_tag:
            self.stack.pop()

    def _close_p(self, cause: str) -> None:
        self._repair(f"{cause} closed the open <p>")
        self._generate_implied_end_tags("p")
        self._pop_until(frozenset({"p"}), cause)

    def _insert(self, tag: str, attrs: list[tuple[str, str | bool]]) -> _Open:
        element = _Open(tag, attrs)
        self._place(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)
        return element

    def _place(self, child: _Open | str) -> None:
        """Append to the current node, or foster-parent in front of the table."""
        target = self.current
        belongs = child.isspace() if isinstance(child, str) else child.tag in _TABLE_PARTS
        if target.tag in _TABLE_CONTEXT and not belongs:
            table = next(node for node in reversed(self.stack) if node.tag == "table")
            described = f"<{child.tag}>" if isinstance(child, _Open) else f"text {child!r}"
            self._repair(f"{described} inside <{target.tag}> was moved in front of the table")
            parent = table.parent or self.root
            parent.insert_before(child, table)
            return
        target.append(child)

    # --- tokens ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._drop_newline = False
        # The DOM holds every attribute value as a string: a bare one is "".
        values: list[tuple[str, str | bool]] = [
            (name, "" if value is None else value) for name, value in attrs
        ]
        self._start(tag, values)
        if tag in NEWLINE_EATERS:
            self._drop_newline = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closing slash means nothing on an HTML element: <div/> opens a div.
        self.handle_starttag(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, str | bool]]) -> None:
        if tag in _DOCUMENT:
            return
        if self._table_start(tag, attrs):
            return
        if tag in _TABLE_PARTS:
            self._repair(f"<{tag}> outside a table was ignored")
            return
        if tag == "li":
            self._close_list_item(frozenset({"li"}), tag)
        elif tag in {"dd", "dt"}:
            self._close_list_item(frozenset({"dd", "dt"}), tag)
        if tag == "form" and self.form is not None:
            self._repair("a <form> inside a <form> was ignored")
            return
        if tag in _CLOSES_P and self._in_scope("p", frozenset({"button"})):
            self._close_p(f"<{tag}>")
        if tag in _HEADINGS and self.current.tag in _HEADINGS:
            self._repair(f"<{tag}> closed the open <{self.current.tag}>")
            self.stack.pop()
        elif tag == "button" and self._in_scope("button"):
            self._repair("<button> closed the open <button>")
            self._generate_implied_end_tags()
            self._pop_until(frozenset({"button"}), "<button>")
        elif tag == "a" and any(node.tag == "a" for node in self.stack):
            self._repair("<a> closed the open <a>")
            self._pop_until(frozenset({"a"}), "<a>")
        elif tag in {"option", "optgroup"} and self.current.tag == "option":
            self._repair(f"<{tag}> closed the open <option>")
            self.stack.pop()
        if tag == "form":
            self.form = self._insert(tag, attrs)
            return
        self._insert(tag, attrs)

    def _close_list_item(self, tags: frozenset[str], tag: str) -> None:
        for node in reversed(self.stack):
            if node.tag in tags:
                self._repair(f"<{tag}> closed the open <{node.tag}>")
                self._generate_implied_end_tags(node.tag)
                self._pop_until(frozenset({node.tag}), f"<{tag}>")
                return
            if node.tag in _SPECIAL and node.tag not in {"address", "div", "p"}:
                return

    def _mode(self) -> str:
        """The insertion mode, as "reset the insertion mode appropriately" finds it.

        An element foster-parented out of a table is still on the stack above the table,
        so table rules keep applying to table tags that follow it.
        """
        for node in reversed(self.stack):
            if node.tag in _CELLS:
                return "in cell"
            if node.tag == "tr":
                return "in row"
            if node.tag in _SECTIONS:
                return "in table body"
            if node.tag == "caption":
                return "in caption"
            if node.tag == "table":
                return "in table"
        return "in body"

    def _clear_back_to(self, tags: frozenset[str], cause: str) -> None:
        """Pop elements (foster-parented ones, say) until the current node is in ``tags``."""
        while self.current.tag not in tags and len(self.stack) > 1:
            node = self.stack.pop()
            self._repair(f"{cause} closed the unclosed <{node.tag}>")

    def _table_start(self, tag: str, attrs: list[tuple[str, str | bool]]) -> bool:
        """The start-tag rules of the table insertion modes; ``True`` when handled."""
        mode = self._mode()
        if mode in {"in cell", "in caption"}:
            closing = frozenset({"caption"}) if mode == "in caption" else _CELLS
            if tag in _TABLE_PARTS and self._in_table_scope(closing):
                name = next(n.tag for n in reversed(self.stack) if n.tag in closing)
                self._repair(f"<{tag}> closed the open <{name}>")
                self._generate_implied_end_tags()
                self._pop_until(closing, f"<{tag}>")
                self._start(tag, attrs)
                return True
            return False
        if mode == "in body":
            return False
        if tag == "form" or (tag == "input" and _is_hidden(attrs)):
            # Table rules insert these right where they are, and a form there stays empty.
            if tag == "form":
                if self.form is not None:
                    self._repair("a <form> inside a <form> was ignored")
                    return True
                self._repair("a <form> inside a table was left empty (its contents move)")
            element = _Open(tag, attrs)
            self.current.append(element)
            if tag == "form":
                self.form = element
            return True
        if tag not in _TABLE_PARTS and tag != "table":
            return False
        cause = f"<{tag}>"
        if mode == "in table":
            if tag in {"tr", "td", "th"}:
                self._clear_back_to(frozenset({"table"}), cause)
                self._repair(f"<{tag}> directly inside <table> got an implied <tbody>")
                self._insert("tbody", [])
                self._start(tag, attrs)
            elif tag in _SECTIONS or tag in {"caption", "colgroup"}:
                self._clear_back_to(frozenset({"table"}), cause)
                self._insert(tag, attrs)
            elif tag == "col":
                self._clear_back_to(frozenset({"table"}), cause)
                self._repair("<col> directly inside <table> got an implied <colgroup>")
                self._insert("colgroup", [])
                self._insert(tag, attrs)
                self.stack.pop()  # the colgroup ends at the next non-col token
            else:  # table
                self._repair("<table> inside a <table> closed the outer table")
                self._pop_until(frozenset({"table"}), cause)
                self._start(tag, attrs)
            return True
        if mode == "in table body":
            if tag == "tr":
                self._clear_back_to(_SECTIONS, cause)
                self._insert(tag, attrs)
            elif tag in _CELLS:
                self._clear_back_to(_SECTIONS, cause)
                self._repair(f"<{tag}> directly inside <{self.current.tag}> got an implied <tr>")
                self._insert("tr", [])
                self._start(tag, attrs)
            else:
                self._clear_back_to(_SECTIONS, cause)
                self._repair(f"<{tag}> closed the open <{self.current.tag}>")
                self.stack.pop()
                self._start(tag, attrs)
            return True
        # in row
        self._clear_back_to(frozenset({"tr"}), cause)
        if tag in _CELLS:
            self._insert(tag, attrs)
        else:
            self._repair(f"<{tag}> closed the open <tr>")
            self.stack.pop()
            self._start(tag, attrs)
        return True

    def handle_endtag(self, tag: str) -> None:
        self._drop_newline = False
        if tag in _DOCUMENT:
            return
        if tag == "p":
            if not self._in_scope("p", frozenset({"button"})):
                self._repair("</p> with no open <p> made an empty <p></p>")
                self._insert("p", [])
            self._generate_implied_end_tags("p")
            self._pop_until(frozenset({"p"}), "</p>")
            return
        if tag == "br":
            self._repair("</br> was read as <br>")
            self._insert("br", [])
            return
        if tag in VOID_ELEMENTS:
            return
        if tag == "form":
            self._end_form()
            return
        if tag in _TABLE_PARTS or tag == "table":
            self._end_table_part(tag)
            return
        if tag in _HEADINGS:
            # Any heading end tag closes the nearest open heading, whatever its level.
            if not any(self._in_scope(level) for level in _HEADINGS):
                self._repair(f"</{tag}> with no open heading was ignored")
                return
            self._generate_implied_end_tags()
            if self.current.tag != tag:
                self._repair(f"</{tag}> closed the open <{self.current.tag}>")
            self._pop_until(_HEADINGS, f"</{tag}>")
            return
        if tag in _SPECIAL:
            extra = frozenset({"ol", "ul"}) if tag == "li" else frozenset()
            if not self._in_scope(tag, extra):
                self._repair(f"</{tag}> with no open <{tag}> was ignored")
                return
            self._generate_implied_end_tags(tag)
            self._pop_until(frozenset({tag}), f"</{tag}>")
            return
        self._end_other(tag)

    def _end_other(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if node.tag == tag:
                self._generate_implied_end_tags(tag)
                self._pop_until(frozenset({tag}), f"</{tag}>")
                return
            if node.tag in _SPECIAL:
                break
        self._repair(f"</{tag}> with no open <{tag}> was ignored")

    def _end_form(self) -> None:
        form, self.form = self.form, None
        if form is None or not self._node_in_scope(form):
            self._repair("</form> with no open <form> was ignored")
            return
        self._generate_implied_end_tags()
        if self.current is not form:
            self._repair("</form> left elements inside the form open")
        self.stack.remove(form)

    def _end_table_part(self, tag: str) -> None:
        if tag in _CELLS | {"caption"}:
            if not self._in_table_scope(frozenset({tag})):
                self._repair(f"</{tag}> with no open <{tag}> was ignored")
                return
            self._generate_implied_end_tags()
            self._pop_until(frozenset({tag}), f"</{tag}>")
            return
        if not self._in_table_scope(frozenset({tag})):
            self._repair(f"</{tag}> with no open <{tag}> was ignored")
            return
        # Close open cells, rows and sections quietly: their end tags are optional.
        while self.current.tag != tag:
            node = self.stack.pop()
            if node.tag not in _TABLE_CONTEXT | _CELLS | _IMPLIED_END:
                self._repair(f"</{tag}> closed the unclosed <{node.tag}>")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._drop_newline and data.startswith("\n"):
            data = data[1:]
        self._drop_newline = False
        if data:
            self._place(data)

    def handle_comment(self, data: str) -> None:
        self._drop_newline = False

    def handle_decl(self, decl: str) -> None:
        pass


def _is_hidden(attrs: list[tuple[str, str | bool]]) -> bool:
    return any(name == "type" and str(value).lower() == "hidden" for name, value in attrs)


def _freeze_children(element: _Open) -> list[Node]:
    nodes: list[Node] = []
    for child in element.children:
        if isinstance(child, str):
            if nodes and isinstance(nodes[-1], Text):
                nodes[-1] = Text(nodes[-1].text + child)
            else:
                nodes.append(Text(child))
        else:
            nodes.append(Element(child.tag, tuple(child.attrs), tuple(_freeze_children(child))))
    return nodes
