"""Tips are written in Markdown; this turns them into safe HTML and into plain text.

Pure: no Flask. Raw HTML in the source is shown as text (markdown-it's ``html`` option is off),
and the rendered HTML then passes through nh3 with an allowlist, so a payload that slips past
the parser still cannot carry a script, an event handler or a non-http(s)/mailto link.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
        "h2", "h3", "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td", "del",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The page's own <h1> is the tip's title, so a tip's top heading level becomes <h2>.
TOP_HEADING = 2
BOTTOM_HEADING = 4

_WHITESPACE = re.compile(r"\s+")


def _normalize_tokens(state: StateCore) -> None:
    """Shift headings so the highest used becomes h2 (order kept, capped at h4); s → del."""
    levels = [int(t.tag[1]) for t in state.tokens if t.type == "heading_open"]
    shift = TOP_HEADING - min(levels) if levels else 0
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, BOTTOM_HEADING)}"
        for child in token.children or ():
            if child.type in ("s_open", "s_close"):
                child.tag = "del"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    # No images: they would fetch from other hosts. ![alt](url) becomes "!" and a plain link.
    md.disable("image")
    md.core.ruler.push("helpdesk_normalize", _normalize_tokens)
    return md


_md = _parser()
_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    strip_comments=True,
    link_rel="noopener noreferrer",
)


def render_markdown(text: str) -> Markup:
    """Markdown to HTML that is safe to put in a page as is."""
    # nh3 has just cleaned it against the allowlist, which is what makes it safe to mark.
    return Markup(_cleaner.clean(_md.render(text or "")))  # noqa: S704


def render_plain(text: str) -> str:
    """Markdown to one line of plain text (for snippets and the search index); not HTML-escaped."""
    parts: list[str] = []
    for token in _md.parse(text or ""):
        if token.type in ("fence", "code_block"):
            parts.append(token.content)
        elif token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        if token.block and token.nesting != 1:
            parts.append(" ")
    return _WHITESPACE.sub(" ", "".join(parts)).strip()
