"""Key points that show what an assumption changed.

When a build's assumptions differ from the defaults, each key point whose numbers moved shows
the default beside the new value ("18,367 → 19,684 CNY/t"), read from the same chapter executed
at the defaults; a point whose wording changed too ("shut" → "open") carries the default
sentence after it. The block links to the comparison page, where every moved figure is listed.

API:

``show_change(base, now)``             one key point (HTML) with its moved numbers as "base → now".
``annotate(notebook, base_notebook, comparison_href)``
                                       the staged notebook's key-points block, rewritten in place.

The block is HTML the book rendered (``markup.key_points_html``) and read back from the executed
notebook; the pieces added to it are rendered by ``templates/pages.html``.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from markupsafe import Markup

from aluminium.book import html as templates

# A number as the book writes it: sign or minus, thousands separators, decimals.
_NUMBER = re.compile(r"[−+-]?\d[\d,]*(?:\.\d+)?")
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
_BLOCK = re.compile(r'<div class="admonition al-key-points"[^>]*>.*?</ol></div>', re.S)
ARROW = " → "


def _m(name: str):
    return templates.macro("pages.html", name)


def show_change(base: str, now: str) -> str:
    """``now`` with each number that differs from ``base`` written as "base → now". Where the
    wording differs as well, the default sentence follows in a note."""
    if base == now:
        return now
    base_parts, now_parts = _NUMBER.split(base), _NUMBER.split(now)
    base_nums, now_nums = _NUMBER.findall(base), _NUMBER.findall(now)
    if base_parts == now_parts and len(base_nums) == len(now_nums):
        out = [now_parts[0]]
        for a, b, tail in zip(base_nums, now_nums, now_parts[1:]):
            out.append(str(_m("moved")(a, b)) if a != b else b)
            out.append(tail)
        return "".join(out)
    text = html.unescape(re.sub(r"<[^>]+>", "", base))
    text = re.sub(r"\s*More$", "", text.strip())
    # ``now`` is a key point the book rendered (read back from its notebook), the default sentence text.
    return str(_m("at_defaults")(Markup(now), text))


def key_points(block: str) -> list[str]:
    return _ITEM.findall(block)


def annotated_block(base_block: str, now_block: str, comparison_href: str | None) -> str:
    """The key-points block with each moved point showing its default value."""
    base_items, now_items = key_points(base_block), key_points(now_block)
    if len(base_items) != len(now_items) or base_items == now_items:
        changed = base_items != now_items
        items = now_items
    else:
        changed = True
        items = [show_change(a, b) for a, b in zip(base_items, now_items)]
    note = ""
    if changed:
        note = str(_m("change_note")(comparison_href or ""))
    remaining = iter(items)
    # The items are the book's rendered key points (read back from its notebooks), spliced back in place.
    out = _ITEM.sub(lambda m: str(_m("item")(Markup(next(remaining)))), now_block)
    return out.replace("</ol></div>", "</ol>" + note + "</div>", 1) if note else out


# The key points are glued (myst-nb) and shown where the chapter's {glue} directive puts them.
_HTML_KEYS = ("text/html", "application/papermill.record/text/html")


def _html_outputs(nb: dict):
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            for key in _HTML_KEYS:
                if key in data:
                    yield data, key


def _block(nb: dict) -> str | None:
    for data, key in _html_outputs(nb):
        text = data[key]
        text = "".join(text) if isinstance(text, list) else text
        m = _BLOCK.search(text)
        if m:
            return m.group(0)
    return None


def annotate(notebook: Path, base_notebook: Path, comparison_href: str | None = None) -> bool:
    """Rewrite the key-points block of ``notebook`` (a staged copy) against the same chapter
    executed at the defaults. Returns whether the block changed."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    base = _block(json.loads(Path(base_notebook).read_text(encoding="utf-8")))
    now = _block(nb)
    if base is None or now is None:
        return False
    new = annotated_block(base, now, comparison_href)
    if new == now:
        return False
    for data, key in _html_outputs(nb):
        text = data[key]
        joined = "".join(text) if isinstance(text, list) else text
        if now in joined:
            data[key] = joined.replace(now, new)
    Path(notebook).write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return True
