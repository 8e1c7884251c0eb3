"""A Sphinx extension that keeps the book's pages light.

What the theme loads and the book does not need is dropped, and what the book needs is
loaded late:

* Charts: each is a JSON data island in the page (written so by aluminium.book.charts); one
  small deferred script (``_static/al-charts.js``, added with ``add_js_file`` to the pages
  with charts only) loads the Vega bundle when the first chart comes near the screen and
  draws each chart as it does. No page loads Vega in its head.
* Icons: pydata-sphinx-theme loads Font Awesome's 1.5 MB script for about fifteen icons; the
  icons the theme uses are written into a small stylesheet (SVG masks, taken from the theme's
  own Font Awesome copy) and the script is not loaded.
* Scripts the first paint does not need are deferred (``add_js_file(loading_method="defer")``).
* Code cells' folded source is kept in a ``<template>`` until a reader unfolds it: highlighted
  code is most of a chapter's elements, and the browser styles and lays out none of it before.
* Stylesheets: the dozen the theme and extensions link are served as one file (one
  render-blocking request instead of twelve), in the same order, without the rules that
  match nothing the site's pages or scripts use (most of Bootstrap), comments or blank lines.
* Search: the index is loaded on the search page only (the search box on every page sends
  the reader there), deferred there, never render-blocking.
* Bibliography entries are list items (docutils' ``doc-biblioentry`` role is deprecated).
* A meta description on every page: the text of its "Key points" box when it has one,
  otherwise its first paragraph.
* The theme's light/dark switch starts from a valid mode, so no page logs "invalid theme mode".

Everything that concerns one page's context (its scripts, its body, its meta tags) is done in
``html-page-context``. The search button's name is its visible text through a template of the
book's own (``sphinx_templates/``, first in ``templates_path``), and Font Awesome's script is left
out by the theme's script macros copied there without it. What the theme's templates write
around them (its stylesheet links, the search scripts, the primary sidebar's landmark) is still
rewritten by ``LightTemplates``, Sphinx's own template loader subclassed and named as the
``template_bridge`` (a documented configuration value) when the configuration is read.
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.jinja2glue import BuiltinTemplateLoader

from aluminium.book.charts import ISLAND_OPEN, chart_island  # noqa: F401 - the islands' one home, used by readers

CHART_LOADER = "al-charts.js"
ICON_CSS = "al-icons.css"
CSS_BUNDLE = "al-book.css"
VEGA_BUNDLE = "vega-bundle.js"
DESCRIPTION_CHARS = 155
# The Font Awesome icons pydata-sphinx-theme and sphinx-book-theme put on the book's pages.
THEME_ICONS = ("angle-left", "angle-right", "arrow-up", "bars", "circle-half-stroke", "download",
               "expand", "file", "file-pdf", "list", "magnifying-glass", "moon", "outdent", "sun")

# The admonition kinds pydata-sphinx-theme gives an icon, by icon ("" is a plain admonition;
# a chapter's key points are findings: a light bulb).
ADMONITION_ICONS = {"bell": ("",), "circle-info": ("note",), "triangle-exclamation": ("warning", "caution", "danger"),
                    "lightbulb": ("tip", "hint", "al-key-points"), "circle-exclamation": ("important", "attention"),
                    "circle-xmark": ("error",), "share": ("seealso",), "pencil": ("todo",)}

# Scripts in the head that nothing inline needs before the page is parsed (the inline
# DOCUMENTATION_OPTIONS lines need documentation_options.js, which stays as it is).
DEFERRABLE = ("doctools.js", "sphinx_highlight.js", "clipboard.min.js", "copybutton.js", "sphinx-book-theme.js",
              "togglebutton.js", "design-tabs.js")
# A code cell's folded source: the highlighted code goes into a <template> (inert: no style or
# layout work, about 60% of a chapter's elements) until a reader unfolds it.
_FOLDED_CODE = re.compile(
    r'(<details class="admonition hide above-input">.*?<div class="cell_input docutils container">\n?)'
    r'(.*?)(</div>\n</details>)', re.S)
# On unfolding: the code goes into the page, with the copy button sphinx-copybutton gives code
# present at load (its click handler is delegated, so a button added later works).
UNFOLD_JS = (
    '(function(){var n=0;document.addEventListener("toggle",function(e){var d=e.target;'
    'if(!d.open||!d.querySelector)return;var t=d.querySelector("template.al-code");if(!t)return;'
    't.replaceWith(t.content);if(typeof iconCopy==="undefined")return;'
    'd.querySelectorAll("div.highlight pre").forEach(function(p){p.id=p.id||"al-code-"+(++n);'
    'p.insertAdjacentHTML("afterend",\'<button class="copybtn o-tooltip--left" data-tooltip="Copy" '
    'data-clipboard-target="#\'+p.id+\'">\'+iconCopy+"</button>")})},true)})();')
_STYLESHEET = re.compile(
    r'<link (?:rel="stylesheet" type="text/css" href="([^"]+)"|href="([^"]+)" rel="stylesheet") />')
_CSS_URL = re.compile(r'url\((["\']?)(?!data:|https?:|/|#)([^"\')]+)\1\)')
_KEY_POINTS_HTML = re.compile(r'class="admonition al-key-points"[^>]*>.*?<ol>(.*?)</ol>', re.S)
_TAG = re.compile(r"<[^>]+>")
_ICON_GLYPH = re.compile(r"^\.fa[\w-]*::?(?:before|after)$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NOT = re.compile(r":not\([^()]*\)")
_SELECTOR_NAME = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
_CLASS_OR_ID = re.compile(r'\b(?:class|id)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CSS_IMPORT = re.compile(r'@import\s+"([^"]+)";')
_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>')


def _text(node: nodes.Node) -> str:
    return " ".join(node.astext().split())


def _shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def description(doctree: nodes.document | None) -> str | None:
    """The page's "Key points" box, or else its first paragraph of prose, as one short line."""
    if doctree is None:
        return None
    for raw in doctree.findall(nodes.raw):  # the chapters' key points are HTML written by code
        block = _KEY_POINTS_HTML.search(raw.astext())
        if block:
            text = " ".join(html.unescape(_TAG.sub(" ", block.group(1))).split())
            if text:
                return _shorten(text)
    for adm in doctree.findall(nodes.Admonition):
        title = next(iter(adm.findall(nodes.title)), None)
        if title is not None and _text(title).lower().startswith("key points"):
            body = [_text(n) for n in adm.children if not isinstance(n, nodes.title)]
            text = " ".join(t for t in body if t)
            if text:
                return _shorten(text)
    for para in doctree.findall(nodes.paragraph):
        if any(isinstance(a, (nodes.Admonition, nodes.sidebar, nodes.table, nodes.footer, nodes.caption))
               for a in _ancestors(para)):
            continue
        text = _text(para)
        if len(text) >= 40:
            return _shorten(text)
    return None


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _icon_url(fontawesome_js: str, name: str) -> str | None:
    """A Font Awesome icon as an SVG data URL (the solid style, defined last), or None."""
    found = re.findall(rf'(?:"{re.escape(name)}"|(?<![\w-]){re.escape(name)}):\[(\d+),(\d+),\[[^\]]*\],'
                       r'"[0-9a-f]+","(M[^"]+)"\]', fontawesome_js)
    if not found:
        return None
    width, height, path = found[-1]
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return f'url("data:image/svg+xml,{_url_escape(svg)}")'


def icon_css(fontawesome_js: str) -> str:
    """CSS drawing each theme icon from its Font Awesome path, and the admonitions' title icons
    (which the theme writes as Font Awesome font glyphs; without the font they show as boxes)."""
    rules = [".fa-solid,.fas{display:inline-block;width:1em;height:1em;vertical-align:-.125em;"
             "background-color:currentColor;-webkit-mask:var(--al-icon) center/contain no-repeat;"
             "mask:var(--al-icon) center/contain no-repeat}.fa-lg{width:1.25em;height:1.25em;vertical-align:-.2em}"]
    for name in THEME_ICONS:
        url = _icon_url(fontawesome_js, name)
        if url:
            rules.append(f".fa-{name}{{--al-icon:{url}}}")
    title = "div.admonition>.admonition-title:after"
    rules.append(f"{title}{{content:''!important;background-color:currentColor;"
                 "-webkit-mask:var(--al-admonition-icon) center/contain no-repeat;"
                 "mask:var(--al-admonition-icon) center/contain no-repeat}")
    for icon, kinds in ADMONITION_ICONS.items():
        url = _icon_url(fontawesome_js, icon)
        if url:
            selectors = ",".join(f"div.admonition{'.' + k if k else ''}>.admonition-title:after" for k in kinds)
            rules.append(f"{selectors}{{--al-admonition-icon:{url}}}")
    return "\n".join(rules) + "\n"


def _url_escape(svg: str) -> str:
    return svg.replace("%", "%25").replace("#", "%23").replace('"', "%22").replace("<", "%3C").replace(">", "%3E")


def _static_relative(href: str) -> str | None:
    """``../_static/styles/x.css?digest=…`` → ``styles/x.css``; None if not a local static file."""
    path = href.split("?", 1)[0]
    marker = "_static/"
    return path[path.index(marker) + len(marker):] if marker in path else None


def css_bundle(static: Path, files: list[str]) -> str:
    """The stylesheets, in order, as one file in ``static``: imports inlined, relative urls rebased."""
    parts = []
    for rel in files:
        parts.append(_css_file(static, rel))
    return "\n".join(parts)


def _css_file(static: Path, rel: str) -> str:
    folder = Path(rel).parent
    text = (static / rel).read_text(encoding="utf-8")

    def imported(m: re.Match) -> str:
        return _css_file(static, _normal(folder / m.group(1)))

    def rebased(m: re.Match) -> str:
        return f'url({m.group(1)}{_normal(folder / m.group(2))}{m.group(1)})'

    text = _CSS_IMPORT.sub(imported, text)
    text = text.replace("@charset \"UTF-8\";", "")
    return _CSS_URL.sub(rebased, text)


def used_names(outdir: Path) -> set[str]:
    """Every class and id the site's pages use, and every word its scripts could add as one."""
    names: set[str] = set()
    for page in outdir.rglob("*.html"):
        for value in _CLASS_OR_ID.findall(page.read_text(encoding="utf-8")):
            names.update(value.split())
    for script in (outdir / "_static").rglob("*.js"):
        if script.name != VEGA_BUNDLE:  # Vega styles its own elements
            names.update(_WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    return names


def purge_css(css: str, names: set[str]) -> str:
    """The rules of ``css`` that can match: a rule is kept when one of its selectors names only
    classes and ids in ``names``. At-rules without selectors (fonts, keyframes) are kept, but
    not Font Awesome's fonts and glyphs (see _is_icon_font)."""
    out: list[str] = []
    for prelude, block in _css_blocks(_CSS_COMMENT.sub("", css)):
        if block is None:
            out.append(prelude + ";")
        elif _is_icon_font(prelude, block):
            continue
        elif prelude.startswith("@"):
            if prelude.startswith(("@media", "@supports", "@container", "@layer")):
                inner = purge_css(block, names)
                if inner.strip():
                    out.append(f"{prelude}{{{inner}}}")
            else:
                out.append(f"{prelude}{{{block}}}")
        elif any(_selector_can_match(sel, names) for sel in _split_selectors(prelude)):
            out.append(f"{prelude}{{{block}}}")
    return "".join(out)


def _is_icon_font(prelude: str, block: str) -> bool:
    """Font Awesome's fonts and glyphs, which the theme's stylesheet carries: the icons are drawn
    by al-icons.css instead, and the 150 KB font would otherwise still be fetched."""
    if prelude.startswith("@font-face"):
        return "Font Awesome" in block
    return not prelude.startswith("@") and all(_ICON_GLYPH.match(sel.strip()) for sel in _split_selectors(prelude))


def _selector_can_match(selector: str, names: set[str]) -> bool:
    plain = _NOT.sub("", selector)  # :not(.x) matches whether or not .x is used
    return all(name in names for name in _SELECTOR_NAME.findall(plain))


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, c in enumerate(prelude):
        depth += c in "(["
        depth -= c in ")]"
        if c == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def _css_blocks(css: str):
    """(prelude, block) for each top-level statement; block is None for ``@import …;``-like ones."""
    i, n = 0, len(css)
    while i < n:
        j = i
        while j < n and css[j] not in "{;":
            j = _skip_string(css, j) if css[j] in "\"'" else j + 1
        prelude = css[i:j].strip()
        if j >= n:
            break
        if css[j] == ";":
            if prelude:
                yield prelude, None
            i = j + 1
            continue
        depth, k = 1, j + 1
        while k < n and depth:
            if css[k] in "\"'":
                k = _skip_string(css, k)
                continue
            depth += css[k] == "{"
            depth -= css[k] == "}"
            k += 1
        yield prelude, css[j + 1:k - 1]
        i = k


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _normal(path: Path) -> str:
    return posixpath.normpath(path.as_posix())


def _fontawesome_source(app) -> str:
    for folder in app.builder.theme.get_theme_dirs() if app.builder.theme else []:
        candidate = Path(folder) / "static" / "scripts" / "fontawesome.js"
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    return ""


def _builder_inited(app) -> None:
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / ICON_CSS).write_text(icon_css(_fontawesome_source(app)), encoding="utf-8")
    app.add_css_file(ICON_CSS)
    (static / CHART_LOADER).write_text(
        (Path(__file__).parent / "assets" / CHART_LOADER).read_text(encoding="utf-8"), encoding="utf-8")


class LightTemplates(BuiltinTemplateLoader):
    """Sphinx's own template loader, whose rendered pages link one stylesheet (the bundle of
    those every page links, written at the end of the build) and carry none of what the
    theme's templates add and the book does not need (see ``light_markup``)."""

    def init(self, builder, theme=None, dirs=None) -> None:
        super().init(builder, theme, dirs)
        self.stylesheets: list[str] | None = None  # the stylesheets every page links, in order

    def render(self, template: str, context: dict) -> str:
        page = self._one_stylesheet(super().render(template, context), context)
        page = light_markup(page)
        if context.get("pagename") != "search":
            return _SEARCH_SCRIPTS.sub("", page)
        # The search page runs the search once the page is parsed; its scripts can wait.
        return _SEARCH_SCRIPTS.sub(lambda m: m.group(0).replace("<script ", "<script defer ", 1), page)

    def _one_stylesheet(self, page: str, context: dict) -> str:
        links = list(_STYLESHEET.finditer(page))
        files = [_static_relative(m.group(1) or m.group(2)) for m in links]
        if not links or None in files:
            return page
        if self.stylesheets is None:
            self.stylesheets = files
        if files != self.stylesheets:
            return page  # a page with its own stylesheets keeps its links
        href = context["pathto"]("_static/" + CSS_BUNDLE, 1)
        page = page[:links[0].start()] + f'<link rel="stylesheet" href="{href}" />' + page[links[0].end():]
        return _STYLESHEET.sub("", page)


def light_markup(page: str) -> str:
    """What the theme's templates write and the book needs otherwise: the primary sidebar a
    landmark. (Font Awesome's script is left out and the search button named by its text through
    templates of the book's own in sphinx_templates/.)"""
    # The primary sidebar (logo, search, table of contents) is a region of its own, so that all
    # content sits in a landmark (axe region).
    return page.replace('<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">',
                        '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" role="region" '
                        'aria-label="Book navigation">', 1)


def light_body(body: str) -> tuple[str, int]:
    """A page's body with folded code inert until unfolded and bibliography entries as list
    items; and how many code cells were folded."""
    # docutils marks bibliography entries doc-biblioentry, a role ARIA has deprecated, inside
    # a role="list": as list items, screen readers count and announce them.
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # myst-nb labels a folded cell's summary "Toggle hidden content" while it shows "Show code
    # cell source": named by its text instead (WCAG 2.5.3).
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    return _FOLDED_CODE.subn(r'\1<template class="al-code">\2</template>\3', body)


def _unwanted(asset) -> bool:
    filename = getattr(asset, "filename", None) or ""
    return filename.endswith((VEGA_BUNDLE, CHART_LOADER))


def _add_script(app, context: dict, filename: str | None, **attributes) -> None:
    """A script on this page only: ``add_js_file`` in html-page-context (Sphinx ≥ 3.5)."""
    before = len(context["script_files"])
    app.add_js_file(filename, **attributes)
    if len(context["script_files"]) == before:
        raise RuntimeError(f"sphinx_light: could not add {filename or 'an inline script'} to this page "
                           "(another extension replaced the page's script list)")


def _defer_scripts(app, context: dict) -> None:
    """The scripts nothing inline needs before the page is parsed, loaded ``defer``."""
    scripts = context["script_files"]
    later = [js for js in scripts if Path(getattr(js, "filename", "") or "").name in DEFERRABLE
             and "defer" not in js.attributes and "async" not in js.attributes]
    scripts[:] = [js for js in scripts if js not in later]
    for js in later:
        attributes = {k: v for k, v in js.attributes.items() if k != "body"}
        # The page's list holds the names as given plus "_static/"; add_js_file adds it again.
        name = js.filename.removeprefix("_static/")
        _add_script(app, context, name, priority=js.priority, loading_method="defer", **attributes)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    # The theme's switch accepts light, dark or auto; left empty, every page logs an error.
    context.setdefault("default_mode", "light")
    # sphinx-book-theme prints the page's title as plain text (``title.astext()``) into its
    # print header without escaping it; a heading that holds "<" would become markup there.
    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = html.escape(context["pagetitle"])
    for key in ("script_files", "css_files"):
        if context.get(key):
            context[key][:] = [a for a in context[key] if not _unwanted(a)]
    if context.get("script_files") is not None:
        _defer_scripts(app, context)
    body = context.get("body")
    if body:
        body, folded = light_body(body)
        context["body"] = body
        if folded:
            _add_script(app, context, None, body=UNFOLD_JS)
        if ISLAND_OPEN in body:
            _add_script(app, context, CHART_LOADER, loading_method="defer",
                        **{"data-vega": context["pathto"]("_static/" + VEGA_BUNDLE, 1)})
    text = description(doctree) or app.config.aluminium_description or app.config.html_title
    context["metatags"] = context.get("metatags", "") + f'<meta name="description" content="{html.escape(text)}" />\n'


TEMPLATES = Path(__file__).parent / "sphinx_templates"  # the book's overrides of the theme's templates


def _config_inited(app, config) -> None:
    config.template_bridge = f"{__name__}.{LightTemplates.__name__}"
    # Searched before the theme's folders: a file here replaces the theme's template of that name.
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _build_finished(app, exception) -> None:
    stylesheets = getattr(app.builder.templates, "stylesheets", None)
    if exception is None and stylesheets:
        static = Path(app.outdir) / "_static"
        css = purge_css(css_bundle(static, stylesheets), used_names(Path(app.outdir)))
        (static / CSS_BUNDLE).write_text(css, encoding="utf-8")


def setup(app):
    # The description of pages without prose of their own (search, index).
    app.add_config_value("aluminium_description", "", "html")
    # The package's code digest (set by the build): a change re-reads every page ("env"),
    # since these extensions and the book's templates may have changed.
    app.add_config_value("aluminium_code", "", "env")
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    # After the theme's own build-finished step, which rewrites pygments.css (light and dark).
    app.connect("build-finished", _build_finished, priority=900)
    app.connect("html-page-context", _page_context, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
