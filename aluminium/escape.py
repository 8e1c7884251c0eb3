"""Text that reaches a page as data, never as markup: the book's two escapes.

Everything a scenario, a parameter file, a data file or the command line carries into a page
goes through one of them. ``esc`` is for HTML (element content or a quoted attribute);
``literal`` is for Markdown text (a heading, a list item, a glossary term). Both leave no
character that MyST could read as a substitution (``{{ }}``), a role (``{role}`x` ``) or
math, and no line break that could end an HTML block and hand the rest to Markdown.
"""
from __future__ import annotations

import html
import re

# Characters that MyST reads as markup even inside text: substitutions and roles (``{{ }}``,
# ``{role}`x` ``), and line breaks, which can end an HTML block and hand the rest to Markdown.
_INERT = {"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "|": "&#124;", "\\": "&#92;",
          "\n": "&#10;", "\r": "&#13;"}
_INERT_RE = re.compile("[{}`$|\\\\\n\r]")
# In Markdown text (a heading, a list item, a glossary term) every character Markdown or MyST
# could read as markup is written as a character reference: it shows as itself.
_LITERAL_RE = re.compile(r"[\\`*_{}\[\]<>#!|~$&\"':%+=^-]")


def esc(text) -> str:
    """Text for HTML (content or a quoted attribute), escaped; it stays inert if MyST reads the
    HTML block it sits in: no substitution, role or line break survives."""
    escaped = html.escape("" if text is None else str(text))
    return _INERT_RE.sub(lambda m: _INERT[m.group(0)], escaped)


def literal(text) -> str:
    """Text for a Markdown context (a heading, a list item, a paragraph): on one line, with
    every character MyST could read as markup (substitution, role, emphasis, link, HTML) given
    as a character reference, so the page shows the text exactly as it was written."""
    one_line = " ".join(("" if text is None else str(text)).split())
    return _LITERAL_RE.sub(lambda m: f"&#{ord(m.group(0))};", one_line)
