"""Tips' Markdown: ordinary writing renders; nothing a writer types can run in a reader's page."""

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from helpdesk.tips.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    render_markdown,
    render_plain,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="javascript:alert(1)">click</a>',
    "<body onload=alert(1)>",
    '<details open ontoggle="alert(1)">',
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "<!-- <script>alert(1)</script> -->",
    "<!--><img src=x onerror=alert(1)>-->",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1) )",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;script&#x3A;alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example "\\" onmouseover=\\"alert(1)")',
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://ok.example/a.png)',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "~~<script>alert(1)</script>~~",
    "# <svg onload=alert(1)>",
]

SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Markup(HTMLParser):
    """Collects the tags and attributes a browser would build from the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


def parse(output: str) -> _Markup:
    parser = _Markup()
    parser.feed(output)
    parser.close()
    return parser


def assert_inert(output: str) -> None:
    # What a writer typed may appear escaped as words ("javascript:", "&lt;script&gt;", or
    # inside a quoted title); what must never appear is markup that acts.
    assert "<script" not in output.lower()
    # Tags with their quoted attribute values blanked: what is left is names and structure.
    markup = re.sub(r'"[^"]*"', '""', "".join(re.findall(r"<[^>]*>", output))).lower()
    assert not re.search(r"\son\w+\s*=", markup), markup
    for scheme in ("javascript:", "data:", "vbscript:"):
        assert scheme not in markup
    found = parse(output)
    assert not found.comments
    for tag, attrs in found.tags:
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            assert name in allowed, (tag, name)
            if name == "href":
                target = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value or "")).lower()
                for scheme in ("javascript:", "data:", "vbscript:"):
                    assert scheme not in target, value
                assert ":" not in target.split("/")[0] or target.startswith(SAFE_SCHEMES), value


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_renders_inert(payload):
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_inert_inside_other_markdown(payload):
    text = f"# Title\n\n- item {payload}\n\n> {payload}\n\nText {payload} end."
    assert_inert(render_markdown(text))


def test_there_are_enough_payloads():
    assert len(XSS_PAYLOADS) >= 15


def test_raw_html_is_shown_as_text_not_dropped():
    out = render_markdown("Type <b>bold</b> to get bold.")
    assert "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "<b>" not in out


def test_javascript_link_is_not_a_link():
    out = render_markdown("[click me](javascript:alert(1))")
    assert "<a" not in out


def test_returns_markup():
    out = render_markdown("hello")
    assert isinstance(out, Markup)
    assert out == Markup("<p>hello</p>\n")


def test_ordinary_markdown_renders():
    text = (
        "## Reset a Chromebook\n\n"
        "Try **this** first, then *that*.\n\n"
        "1. Sign out\n2. Press `Ctrl+Shift+Alt+R`\n\n"
        "- one\n- two\n\n"
        "> Ask an adult first.\n\n"
        "```\npowerwash --now\n```\n\n"
        "---\n\n"
        "~~old way~~ line  \nbreak\n"
    )
    out = render_markdown(text)

    assert "<h2>Reset a Chromebook</h2>" in out
    assert "<strong>this</strong>" in out
    assert "<em>that</em>" in out
    assert "<ol>\n<li>Sign out</li>" in out
    assert "<code>Ctrl+Shift+Alt+R</code>" in out
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in out
    assert "<blockquote>\n<p>Ask an adult first.</p>\n</blockquote>" in out
    assert "<pre><code>powerwash --now\n</code></pre>" in out
    assert "<hr>" in out
    assert "<del>old way</del>" in out
    assert "<br>" in out


def test_links_get_rel_and_keep_title():
    out = render_markdown(
        '[Docs](https://support.google.com/ "Google help") and <https://a.example>'
    )
    assert (
        '<a href="https://support.google.com/" title="Google help" rel="noopener noreferrer">'
        "Docs</a>"
    ) in out
    assert '<a href="https://a.example" rel="noopener noreferrer">https://a.example</a>' in out


def test_mailto_and_relative_links_survive():
    out = render_markdown("[mail](mailto:desk@school.example) and [tip](/tips/12)")
    assert 'href="mailto:desk@school.example"' in out
    assert 'href="/tips/12"' in out


def test_table():
    out = render_markdown("| Device | Fix |\n|:--|--:|\n| Printer | Restart |\n")
    assert "<table>" in out
    assert "<th>Device</th>" in out
    assert "<td>Restart</td>" in out
    assert "style" not in out


def test_images_become_links_not_images():
    out = render_markdown("![screenshot](https://cdn.example/shot.png)")
    assert "<img" not in out
    assert 'href="https://cdn.example/shot.png"' in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# A\n\n## B\n\n### C\n\n#### D", ["h2", "h3", "h4", "h4"]),
        ("## A\n\n### B", ["h2", "h3"]),
        ("### A\n\n#### B\n\n##### C", ["h2", "h3", "h4"]),
        ("Title\n=====\n\nSub\n---", ["h2", "h3"]),
    ],
)
def test_headings_start_at_h2_and_keep_their_order(text, expected):
    assert [tag for tag, _ in parse(render_markdown(text)).tags] == expected


def test_empty_input():
    assert render_markdown("") == Markup("")
    assert render_plain("") == ""


def test_plain_text_strips_markup():
    text = (
        "## Reset\n\nTry **this** and [the guide](https://x.example).\n\n"
        "- one\n- two\n\n```\ncode here\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert render_plain(text) == "Reset Try this and the guide. one two code here a b 1 2"


def test_plain_text_keeps_typed_characters_unescaped():
    assert render_plain("Use <b> & `a < b`") == "Use <b> & a < b"
    assert render_plain("Tom &amp; Jerry") == "Tom & Jerry"


PIECES = [
    "<", ">", '"', "'", "=", "(", ")", "[", "]", "!", "`", "&", "#", ";", ":",
    " ", "\n", "\t", "script", "img", "svg", "on", "onerror", "href", "src",
    "javascript", "JaVaScRiPt", "data", "alert(1)", "&#106;", "&#x3A;", "//",
    "x", "*", "_", "~~", "|", "-", "<!--", "-->", "</", "/>",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_combination_of_dangerous_pieces_is_inert(text):
    assert_inert(render_markdown(text))


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p><a href="javascript:alert(1)">x</a></p>',
        '<p><a href="&#106;avascript:alert(1)">x</a></p>',
        '<p><a href="data:text/html,x">x</a></p>',
        "<iframe></iframe>",
        '<p style="color:red">x</p>',
        "<!-- x -->",
    ],
)
def test_the_inertness_check_catches_unsafe_html(unsafe):
    with pytest.raises(AssertionError):
        assert_inert(unsafe)
