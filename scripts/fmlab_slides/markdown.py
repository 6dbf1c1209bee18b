"""The MyST the chapters write, rendered to HTML for a slide or its speaker notes.

The book renders markdown through Sphinx; a slide needs only a subset, rendered the same
way: citations (as "[author year]", linked to the book's references), links to pages of
the book, ``literalinclude`` between marker comments (the code the book quotes, highlighted
as the book highlights it), admonitions, code blocks and maths (typeset by the site's
MathJax). A directive or role outside that subset stops the build with the file and line,
rather than appearing on a slide as raw text.
"""

from __future__ import annotations

import contextlib
import html
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from pybtex.database import parse_file
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

PYGMENTS_STYLE = "a11y-high-contrast-light"
_EXTENSIONS = {"colon_fence", "dollarmath", "amsmath", "deflist", "substitution", "attrs_inline"}
_ADMONITIONS = {
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "seealso", "tip", "warning",
}  # fmt: skip
_SKIPPED_DIRECTIVES = {"tableofcontents", "bibliography"}
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_CITE = re.compile(r"^cite(:(p|t|ps|ts|author|year))?$")
_DOC_TARGET = re.compile(r"^(.*?)\s*<([^>]+)>$")


@dataclass(frozen=True)
class Citation:
    """What a slide says of a bibliography entry."""

    label: str  # "ccvanishing 2018"
    note: str  # one English line on what the work is


def load_bibliography(path: Path) -> dict[str, Citation]:
    if not path.exists():
        return {}
    entries: dict[str, Citation] = {}
    for key, entry in parse_file(str(path)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names) or str(p) for p in people]
        who = names[0] if len(names) == 1 else f"{names[0]} et al." if names else key
        who = re.sub(r"[{}]", "", who)
        year = entry.fields.get("year", "")
        note = re.sub(r"[{}]", "", str(entry.fields.get("note") or ""))
        entries[key] = Citation(label=f"{who} {year}".strip(), note=" ".join(note.split()))
    return entries


@dataclass
class MarkdownContext:
    """Where a cell's markdown comes from and where its deck is written."""

    root: Path  # the repository
    page: str  # docname of the page the markdown is in
    site_prefix: str  # from the deck's file to the site's root, e.g. "../../"
    bibliography: Mapping[str, Citation]
    uses_math: bool = False
    problems: list[str] = field(default_factory=list)

    def page_url(self, docname: str, anchor: str = "") -> str:
        return f"{self.site_prefix}{docname}.html" + (f"#{anchor}" if anchor else "")


def highlight_code(code: str, language: str) -> str:
    """Code as the book highlights it (Pygments), in a <pre>."""
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    body = highlight(code.rstrip("\n"), lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="fmlab-code highlight">{body}</pre>'


def pygments_css() -> str:
    return str(HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight"))


class MystRenderer:
    """Renders one page's markdown, collecting problems instead of dropping constructs."""

    def __init__(self, context: MarkdownContext) -> None:
        self.context = context
        config = MdParserConfig(enable_extensions=_EXTENSIONS)
        self._md = create_md_parser(config, RendererHTML)
        self._md.options["html"] = True
        rules: dict[str, Callable[[Sequence[Token], int], str]] = {
            "myst_role": self._role,
            "fence": self._fence,
            "colon_fence": self._fence,
            "math_inline": lambda tokens, i: self._math(tokens[i].content, display=False),
            "math_block": lambda tokens, i: self._math(tokens[i].content, display=True),
            "amsmath": lambda tokens, i: self._math(tokens[i].content, display=True),
            "math_block_label": lambda tokens, i: self._math(tokens[i].content, display=True),
            "myst_target": lambda tokens, i: "",
            "myst_line_comment": lambda tokens, i: "",
            "myst_block_break": lambda tokens, i: "",
            "front_matter": lambda tokens, i: "",
            "link_open": self._link_open,
        }
        for name, rule in rules.items():
            self._md.add_render_rule(name, _as_rule(rule))

    def render(self, markdown: str) -> str:
        return str(self._md.render(markdown))

    def render_inline(self, markdown: str) -> str:
        return str(self._md.renderInline(markdown))

    # --- rules -------------------------------------------------------------------------

    def _role(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        name = str(token.meta.get("name", ""))
        content = token.content
        if _CITE.match(name):
            return self._cite(content)
        if name == "doc":
            text, target = _split_target(content)
            docname = self._resolve_doc(target)
            label = html.escape(text or docname.rsplit("/", 1)[-1])
            return f'<a href="{html.escape(self.context.page_url(docname))}">{label}</a>'
        if name in ("ref", "numref", "term", "abbr"):
            text, _ = _split_target(content)
            return html.escape(text or content)
        if name == "math":
            return self._math(content, display=False)
        if name in ("code", "literal", "samp", "kbd", "file", "command", "program"):
            return f"<code>{html.escape(content)}</code>"
        self.context.problems.append(f"role {{{name}}} is not supported on slides")
        return html.escape(content)

    def _cite(self, keys: str) -> str:
        links: list[str] = []
        for key in (k.strip() for k in keys.split(",")):
            citation = self.context.bibliography.get(key)
            if citation is None:
                self.context.problems.append(f"{{cite}} names {key!r}, not in references.bib")
                continue
            url = html.escape(self.context.page_url("book/references"))
            title = html.escape(citation.note, quote=True)
            links.append(f'<a href="{url}" title="{title}">{html.escape(citation.label)}</a>')
        return f'<span class="fmlab-cite">[{"; ".join(links)}]</span>'

    def _math(self, tex: str, *, display: bool) -> str:
        self.context.uses_math = True
        escaped = html.escape(tex.strip())
        if display:
            return f'<div class="fmlab-math">\\[{escaped}\\]</div>'
        return f'<span class="fmlab-math">\\({escaped}\\)</span>'

    def _link_open(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        if href and not re.match(r"^[a-z][a-z0-9+.-]*:", href):
            token.attrSet("href", self._book_link(href))
        attrs = "".join(
            f' {html.escape(str(k))}="{html.escape(str(v))}"' for k, v in token.attrItems()
        )
        return f"<a{attrs}>"

    def _book_link(self, href: str) -> str:
        path, _, anchor = href.partition("#")
        if not path:
            return self.context.page_url(self.context.page, anchor)
        docname = self._resolve_doc(re.sub(r"\.(md|ipynb|html)$", "", path))
        return self.context.page_url(docname, anchor)

    def _resolve_doc(self, target: str) -> str:
        if target.startswith("/"):
            return target.strip("/")
        folder = Path(self.context.page).parent
        parts: list[str] = []
        for part in (folder / target).as_posix().split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        return "/".join(parts)

    def _fence(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        info = token.info.strip()
        directive = _DIRECTIVE.match(info)
        if not directive:
            return highlight_code(token.content, info.split()[0] if info else "text")
        name, argument = directive.group(1), directive.group(2).strip()
        options, body = _directive_options(token.content)
        if name in _SKIPPED_DIRECTIVES:
            return ""
        if name == "literalinclude":
            return self._literalinclude(argument, options)
        if name in ("code-block", "code", "sourcecode", "code-cell"):
            return highlight_code(body, argument or "text")
        if name in ("math",):
            return self._math(body, display=True)
        if name in _ADMONITIONS:
            title = argument if name == "admonition" else name.capitalize()
            classes = " ".join(["fmlab-admonition", name, *str(options.get("class", "")).split()])
            return (
                f'<div class="{html.escape(classes)}">'
                f'<p class="fmlab-admonition-title">{self.render_inline(title)}</p>'
                f"{self.render(body)}</div>"
            )
        if name in ("exercise", "solution"):
            label = "Exercise" if name == "exercise" else "Solution"
            return (
                f'<div class="fmlab-admonition {name}">'
                f'<p class="fmlab-admonition-title">{label}</p>{self.render(body)}</div>'
            )
        self.context.problems.append(f"directive {{{name}}} is not supported on slides")
        return ""

    def _literalinclude(self, argument: str, options: Mapping[str, Any]) -> str:
        try:
            text = literalinclude_text(self.context.root, self.context.page, argument, options)
        except ValueError as error:
            self.context.problems.append(f"literalinclude: {error}")
            return ""
        language = str(options.get("language", "python"))
        return highlight_code(text, language)


def literalinclude_text(root: Path, page: str, argument: str, options: Mapping[str, Any]) -> str:
    """The code a ``literalinclude`` quotes (ValueError naming what is wrong)."""
    path = (root / page).parent / argument
    try:
        text = path.resolve().read_text(encoding="utf-8")
    except OSError:
        raise ValueError(f"cannot read {argument}") from None
    start, end = options.get("start-after"), options.get("end-before")
    if start is not None:
        _, found, text = text.partition(str(start))
        if not found:
            raise ValueError(f"{start!r} not in {argument}")
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if end is not None:
        text, found, _ = text.partition(str(end))
        if not found:
            raise ValueError(f"{end!r} not in {argument}")
        text = text.rsplit("\n", 1)[0]
    if "lines" in options:
        text = _select_lines(text, str(options["lines"]))
    return textwrap.dedent(text)


@dataclass(frozen=True)
class Block:
    """A top-level block of a markdown cell, as its source text (for paginating a cell)."""

    kind: str  # "heading", "directive", "list", "fence", "target" or "text"
    text: str
    level: int = 0  # a heading's level
    title: str = ""  # a heading's text
    name: str = ""  # a directive's name
    argument: str = ""  # a directive's argument
    body: str = ""  # a directive's or fence's content
    items: tuple[str, ...] = ()  # a list's items, each as source


def markdown_blocks(markdown: str) -> list[Block]:
    """The cell's top-level blocks in order: headings, directives, lists, paragraphs, ..."""
    tokens = _block_parser().parse(markdown)
    lines = markdown.split("\n")
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        text = "\n".join(lines[start:end]).strip("\n")
        if token.type == "heading_open":
            title = tokens[index + 1].content
            blocks.append(Block("heading", text, level=int(token.tag[1:]), title=title))
        elif token.type in ("fence", "colon_fence"):
            directive = _DIRECTIVE.match(token.info.strip())
            if directive:
                name, argument = directive.group(1), directive.group(2).strip()
                blocks.append(Block("directive", text, name=name, argument=argument,
                                    body=token.content))  # fmt: skip
            else:
                blocks.append(Block("fence", text, argument=token.info.strip(),
                                    body=token.content))  # fmt: skip
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items: list[str] = []
            for inner in tokens[index + 1 :]:
                if inner.level == 0:
                    break
                if inner.type == "list_item_open" and inner.level == 1 and inner.map:
                    items.append("\n".join(lines[inner.map[0] : inner.map[1]]).rstrip())
            blocks.append(Block("list", text, items=tuple(items)))
        elif token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            blocks.append(Block("target", text))
        else:
            blocks.append(Block("text", text))
    return blocks


_PARSER: list[Any] = []


def _block_parser() -> Any:
    if not _PARSER:
        _PARSER.append(
            create_md_parser(MdParserConfig(enable_extensions=_EXTENSIONS), RendererHTML)
        )
    return _PARSER[0]


def directive_options(content: str) -> tuple[dict[str, Any], str]:
    """A directive's options and body (see ``_directive_options``)."""
    return _directive_options(content)


def _as_rule(
    rule: Callable[[Sequence[Token], int], str],
) -> Callable[[RendererHTML, Sequence[Token], int, OptionsDict, EnvType], str]:
    def bound(
        renderer: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        return rule(tokens, idx)

    return bound


def _split_target(content: str) -> tuple[str, str]:
    match = _DOC_TARGET.match(content.strip())
    if match:
        return match.group(1).strip(), match.group(2).strip()
    return "", content.strip()


def _directive_options(content: str) -> tuple[dict[str, Any], str]:
    """A directive's options (``:key: value`` lines or a ``---`` YAML block) and its body."""
    lines = content.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() == "---":
                block = yaml.safe_load("\n".join(lines[1:end])) or {}
                return dict(block), "\n".join(lines[end + 1 :])
    options: dict[str, Any] = {}
    index = 0
    while index < len(lines):
        match = re.match(r"^:([\w-]+):\s*(.*)$", lines[index])
        if not match:
            break
        value: Any = match.group(2)
        with contextlib.suppress(yaml.YAMLError):
            value = yaml.safe_load(value) if value else ""
        options[match.group(1)] = value
        index += 1
    return options, "\n".join(lines[index:]).lstrip("\n")


def _select_lines(text: str, spec: str) -> str:
    """Sphinx's ``:lines:`` option: "4-", "1,3", "2-5" (1-based, inclusive, open-ended)."""
    lines = text.split("\n")
    chosen: list[str] = []
    for piece in (p.strip() for p in spec.split(",")):
        match = re.fullmatch(r"(\d*)(-?)(\d*)", piece)
        if not piece or not match:
            raise ValueError(f"{spec!r} is not a list of line ranges")
        first = int(match.group(1) or 1)
        last = int(match.group(3)) if match.group(3) else len(lines) if match.group(2) else first
        chosen.extend(lines[first - 1 : last])
    return "\n".join(chosen)
