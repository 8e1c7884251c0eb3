"""The one way the package writes HTML: Jinja2 templates with autoescape on.

Every fragment of HTML the book writes (tables, key points, the assumptions block, the front
page's parts, the switcher, the scenario banner, the edition line, the flow diagram) is a
template or a macro in ``aluminium/book/templates/``. Whatever a template prints is escaped
unless it is :class:`markupsafe.Markup`, and the only Markup in the book is what a template
rendered: no text of a scenario, a parameter or a data file is ever trusted.

Printed values are made inert for MyST as well as for HTML: many fragments land in a MyST
page (the reference pages, the front page) whose parser would otherwise read ``{{ }}`` as a
substitution, ``{role}`x` `` as a role, ``$`` as math or a line break as the end of the HTML
block. Those characters are written as character references (``&#123;``), which a browser
shows as the character itself. Template source is written on one line per fragment: line
breaks in a template's file are dropped (:class:`_OneLine`), so a fragment never carries a
blank line that would end an HTML block in Markdown.

API:

``render(template, **context)``
    The template (a file under ``templates/``) rendered, as Markup.
``macro(template, name)``
    A macro of a template, to call from Python (returns Markup).
``inert(text)``
    Text escaped for HTML and MyST alike, as Markup (what every ``{{ value }}`` prints).
"""
from __future__ import annotations

import re
from functools import cache

import jinja2
from jinja2.ext import Extension
from markupsafe import Markup, escape

from aluminium.data import labels
from aluminium.data.provenance import reader_text
from aluminium.numbers import fmt

# Characters MyST reads as markup inside an HTML block's text: substitutions and roles
# (``{{ }}``, ``{role}`x` ``), math, tables, escapes, and line breaks.
_INERT = {"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "|": "&#124;", "\\": "&#92;",
          "\n": "&#10;", "\r": "&#13;"}
_INERT_RE = re.compile("[{}`$|\\\\\n\r]")


def inert(value) -> Markup:
    """``value`` as text: HTML-escaped, with no character MyST would read as markup."""
    if isinstance(value, Markup):
        return value
    escaped = str(escape("" if value is None else value))
    return Markup(_INERT_RE.sub(lambda m: _INERT[m.group(0)], escaped))


class _OneLine(Extension):
    """Template files are laid out on several lines for reading; the fragment is one line."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return "".join(line.strip() for line in source.splitlines())


def _label(name, with_unit: bool = True, resource: str | None = None) -> str:
    return labels.label(str(name), with_unit=with_unit, resource=resource)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aluminium.book", "templates"),
        # Every template is HTML (or SVG inside HTML); a template given as a string is escaped too.
        autoescape=jinja2.select_autoescape(("html", "svg"), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        finalize=inert,
        extensions=[_OneLine],
        keep_trailing_newline=False,
    )
    env.filters.update(fmt=fmt, label=_label, reader_text=reader_text)
    return env


def render(template: str, **context) -> Markup:
    """``templates/<template>`` rendered with ``context``."""
    return Markup(environment().get_template(template).render(**context))


def macro(template: str, name: str):
    """The macro ``name`` of ``templates/<template>``, callable from Python."""
    return getattr(environment().get_template(template).module, name)
