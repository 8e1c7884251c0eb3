"""Tooltips hold reader text too: no citation key, no dotted or snake_case identifier, no Chinese
that is not a locator after its English, in a tooltip's title or in the data it shows."""
from __future__ import annotations

import json
import re

from aluminium.book.sphinx_light import ISLAND_OPEN

KEY = re.compile(r"\b(guohai|jianghai|zijin|article)20\d\d\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b")
CJK = re.compile(r"[\u3400-\u9fff]")
LOCATOR = re.compile(r"(?:(?<=[A-Za-z)”])|(?<=[A-Za-z)”] ))\((?=[^(),;]*[\u3400-\u9fff])(?:[^()]|\([^()]*\))*\)")


def _tooltips(node, out: list) -> None:
    if isinstance(node, dict):
        tip = (node.get("encoding") or {}).get("tooltip") if isinstance(node.get("encoding"), dict) else None
        out.extend(t for t in (tip if isinstance(tip, list) else [tip]) if isinstance(t, dict))
        for value in node.values():
            _tooltips(value, out)
    elif isinstance(node, list):
        for value in node:
            _tooltips(value, out)


def _specs(page: str):
    i = 0
    while (i := page.find(ISLAND_OPEN, i)) >= 0:
        (spec, _options), _ = json.JSONDecoder().raw_decode(page, i + len(ISLAND_OPEN))
        i += 1
        yield spec


def test_tooltips_hold_no_machine_text(built_site):
    found = []
    for path in sorted(built_site.glob("chapters/*.html")):
        for spec in _specs(path.read_text(encoding="utf-8")):
            tips = []
            _tooltips(spec, tips)
            fields = {t.get("field") for t in tips}
            texts = [str(t.get("title", "")) for t in tips]
            texts += [v for rows in (spec.get("datasets") or {}).values() for row in rows
                      for f, v in row.items() if f in fields and isinstance(v, str)]
            for text in texts:
                if KEY.search(text) or SNAKE.search(text) or CJK.search(LOCATOR.sub("", text)):
                    found.append(f"{path.stem}: {text[:100]}")
    assert found == [], sorted(set(found))
