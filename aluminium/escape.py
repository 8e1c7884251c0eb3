"""Text that reaches a MyST page as Markdown text (a heading, a list item, a glossary term):
``literal``.

HTML is not escaped here: every HTML fragment is a Jinja2 template with autoescape on
(:mod:`aluminium.book.html`). What stays is the one context a template does not cover, the
Markdown lines of a generated page (``# Comparison: <scenario title>``, a glossary entry),
where MyST would read emphasis, links, roles, substitutions or HTML in the text. ``literal``
writes every such character as a character reference, so the page shows the text exactly as
it was written, on one line.
"""
from __future__ import annotations

import re

# Every character Markdown or MyST could read as markup in a line of text.
_LITERAL_RE = re.compile(r"[\\`*_{}\[\]<>#!|~$&\"':%+=^-]")


def literal(text) -> str:
    """Text for a Markdown context (a heading, a list item, a paragraph): on one line, with
    every character MyST could read as markup (substitution, role, emphasis, link, HTML) given
    as a character reference, so the page shows the text exactly as it was written."""
    one_line = " ".join(("" if text is None else str(text)).split())
    return _LITERAL_RE.sub(lambda m: f"&#{ord(m.group(0))};", one_line)
