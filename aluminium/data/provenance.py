"""Where a number comes from, said so that an English reader can follow it.

A source line names the publisher, the report's English title (with the Chinese title
where the text preserves it), the place in the report in English with the Chinese caption
as the locator (translations in ``data/captions.csv``), and the as-of date:

    Guohai Securities, "Aluminium: the metal of the future …" (铝：面向未来的金属…),
    November 2024: §3.2 "Primary aluminium supply and demand stay tightly balanced in
    2024" (2024年电解铝供给需求保持紧平衡), chart: primary aluminium supply-demand balance,
    2017–2024 (图：2017-2024年电解铝供需平衡表); data as of 2024-11

API:

``short(source_id)``          "Guohai Securities (2024)", how prose names a report.
``report_title(source_id)``   publisher, English title (Chinese title), month year.
``locator(location)``         a catalogue location in English, Chinese captions kept as locators.
``cite(resource=None, source=None, location=None)``
                              the full source line for a catalogue resource, or a report and
                              a location (a fact's).
``cite_facts(*fact_ids)``    the source line for numbers shown as the reports state them.
``derived_from(*inputs, how="")``
                              "the book's calculation (how) from …" for numbers the book
                              computed; inputs are loaded frames, resource names or fact ids.
``readable(text)``           maintainers' text for readers: fact ids and data files as their report
                              and place, report ids as the prose names them.
``fact_words(fact, field)``   a fact's report and place in English (``aluminium.params.param_origin``
                              says where a parameter's default comes from with it).
"""
from __future__ import annotations

import functools
import re

from aluminium.data import catalogue, facts
from aluminium.paths import DATA_DIR

CAPTIONS_FILE = DATA_DIR / "captions.csv"  # catalogue resource "captions"

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_CN_NUMERALS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8"}
_TEXT_LINE = re.compile(r"\btext lines? [\d–\-]+(?:(?:,| and) [\d–\-]+)*(?: \([^)]*\))?(?:,? \d+ \([^)]*\))*,?\s*")


def _sources() -> dict[str, dict]:
    return {s["name"]: s for s in catalogue.catalogue().get("sources", [])}


def _month(date) -> str:
    """'2024-11' → 'November 2024'."""
    text = str(date or "")
    m = re.match(r"^(\d{4})-(\d{2})", text)
    return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}" if m else text


def short(source_id: str) -> str:
    """How the prose names a report: "Guohai Securities (2024)"."""
    return _sources().get(source_id, {}).get("short", source_id)


def report_title(source_id: str) -> str:
    """Publisher, English title (Chinese title), month and year."""
    src = _sources().get(source_id)
    if not src:
        return source_id
    title = src.get("title_en") or src.get("title", source_id)
    zh = f" ({src['title_zh']})" if src.get("title_zh") else ""
    publisher = f"{src['publisher']}, " if src.get("publisher") else ""
    return f"{publisher}“{title}”{zh}, {_month(src.get('date'))}"


def captions() -> dict[str, str]:
    """Chinese captions and headings of the reports → the book's English translation."""
    path = CAPTIONS_FILE
    return _read_captions(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_captions(path, mtime_ns: int) -> dict[str, str]:
    df = catalogue.load("captions")
    return dict(zip(df["zh"], df["en"]))


def untranslated(location: str) -> list[str]:
    """Chinese text of a location that has no English translation (the test requires none)."""
    text = _numerals(str(location or ""))
    for zh in sorted(captions(), key=len, reverse=True):  # whole captions, as locator() translates them
        text = re.sub(f"(?<![{_CJK}]){re.escape(zh)}(?![{_CJK}])", " ", text)
    return re.findall(r"\S*[\u4e00-\u9fff]\S*", text)


def _numerals(text: str) -> str:
    """Chinese section numbers as digits: §一(二) → §1(2)."""
    text = re.sub(r"§([一二三四五六七八])", lambda m: "§" + _CN_NUMERALS[m.group(1)], text)
    return re.sub(r"\(([一二三四五六七八])\)", lambda m: "(" + _CN_NUMERALS[m.group(1)] + ")", text)


# Chinese already set as a locator after its English ("“English” (中文)", "English (中文)"): left as it is.
_LOCATED = re.compile(r"(?:(?<=[A-Za-z)”])|(?<=[A-Za-z)”] ))\((?=[^(),;]*[\u3400-\u9fff])(?:[^()]|\([^()]*\))*\)")
_CJK = "\u3400-\u9fff"


def _translate(text: str) -> str:
    """Each Chinese caption in the text as "“English” (中文)", Chinese already after its English kept."""
    table = captions()
    placeholders: list[str] = []

    def hold(piece: str) -> str:
        placeholders.append(piece)
        return f"\x00{len(placeholders) - 1}\x00"

    text = _LOCATED.sub(lambda m: hold(m.group(0)) if re.search(f"[{_CJK}]", m.group(0)) else m.group(0), text)
    for zh in sorted(table, key=len, reverse=True):
        if zh in text:  # a whole caption, never a word inside a longer Chinese phrase
            text = re.sub(f"(?<![{_CJK}]){re.escape(zh)}(?![{_CJK}])",
                          lambda m, zh=zh: hold(f"“{table[zh]}” ({zh})"), text)
    while "\x00" in text:
        text = re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], text)
    # "(“English” (中文))" reads better without the outer parentheses.
    return re.sub(r"\((“[^”]*” \([^()]*\))\)", r"\1", text)


def reader_text(text) -> str:
    """Any text a reader sees (a source line, a sentence, a table cell): report ids as the prose
    names them, Chinese captions after their English, no extraction line numbers. Idempotent."""
    if not isinstance(text, str) or not text:
        return text
    out = text
    if _TEXT_LINE.search(out):
        out = re.sub(r"\s*,\s*(?=[;,.]|$)", "", _TEXT_LINE.sub("", out).strip())
    if re.search(r"[\u3400-\u9fff]", out):
        out = _translate(_numerals(out))
    return readable(out)


def locator(location: str) -> str:
    """A report location in English: section numbers as digits, each Chinese heading or
    caption translated with the Chinese kept after it as the locator, no extraction line
    numbers (the reader has the report, not our text extraction)."""
    text = str(location or "").strip()
    if not text:
        return ""
    return _translate(_numerals(_TEXT_LINE.sub("", text).strip()))


def cite(resource: dict | None = None, source: str | None = None, location: str | None = None) -> str:
    """The source line of a catalogue resource (with its as-of date), or of a report and a place."""
    source = source or (resource or {}).get("source", "")
    location = location if location is not None else (resource or {}).get("location", "")
    where = locator(location)
    line = report_title(source) + (f": {where}" if where else "")
    as_of = (resource or {}).get("as_of")
    return f"{line}; data as of {_month(as_of)}" if as_of else line


def cite_facts(*fact_ids: str) -> str:
    """The source line for numbers taken as stated from facts: each report once (publisher,
    title, date), then the places in it."""
    places: dict[str, list[str]] = {}
    for fid in fact_ids:
        f = facts.fact(fid)
        places.setdefault(f.source, [])
        where = locator(f.location)
        if where and where not in places[f.source]:
            places[f.source].append(where)
    return "; ".join(report_title(src) + (f": {'; '.join(wh)}" if wh else "") for src, wh in places.items())


def _input_citation(item) -> str:
    """A loaded frame, a catalogue resource name or a fact id → its short citation."""
    if hasattr(item, "attrs"):
        res = item.attrs.get("resource")
        if not res:
            raise ValueError("derived_from: a frame that was not loaded from the data package")
        return f"{short(res['source'])}, {res.get('title', res['name'])}"
    if isinstance(item, str) and item in {r["name"] for r in catalogue.resources()}:
        res = catalogue.resource(item)
        return f"{short(res['source'])}, {res.get('title', res['name'])}"
    if isinstance(item, str):
        f = facts.fact(item)
        return f"{short(f.source)}, {locator(f.location)}"
    raise ValueError(f"derived_from: cannot cite {item!r}")


def derived_from(*inputs, how: str = "") -> str:
    """"The book's calculation (how) from Guohai Securities (2024), <table>; …"."""
    if not inputs:
        raise ValueError("derived_from: name what the numbers were computed from")
    cites = list(dict.fromkeys(_input_citation(i) for i in inputs))
    what = f"the book's {how}" if how else "the book's calculation"
    return f"{what[:1].upper()}{what[1:]} from {'; '.join(cites)}"


def readable(text: str) -> str:
    """An origin written for maintainers, as a reader reads it: report ids ("jianghai2024") as the
    prose names them, fact ids and data files as their report, no function names."""
    text = re.sub(r"\bfact ([a-z]+\.[a-z0-9_]+)", lambda m: fact_words(facts.fact(m.group(1))), text)
    by_path = {r["path"]: r for r in catalogue.resources()}
    text = re.sub(r"\s*\(([a-z]+/[a-z0-9_]+\.csv)\)",
                  lambda m: f" ({by_path[m.group(1)]['title']})" if m.group(1) in by_path else "", text)
    text = re.sub(r"\s*\(default_[a-z0-9_]+\)|;?\s*see default_[a-z0-9_]+", "", text)
    text = re.sub(r"^ASSUMPTION\b", "Assumption", text)
    ids = "|".join(map(re.escape, sorted(_sources(), key=len, reverse=True)))
    if ids:
        # Author–year in parentheses: "(zijin2025, guohai2024)" → "(Zijin Tianfeng, 2025; Guohai Securities, 2024)",
        # "(zijin2025, 2025)" → "(Zijin Tianfeng, 2025)", "(zijin2025, Q1 2025)" → "(Zijin Tianfeng, 2025, Q1 2025)".
        text = re.sub(rf"\(((?:{ids})(?:, (?:{ids}))*)\)",
                      lambda m: "(" + "; ".join(_author_year(k) for k in m.group(1).split(", ")) + ")", text)
        text = re.sub(rf"\(({ids}), ([^()]*)\)", lambda m: f"({_author_year(m.group(1), m.group(2))})", text)
    for source_id in _sources():
        text = re.sub(rf"\b{source_id}'s\b", f"{short(source_id)}'s", text)
        # Not inside a command, a file name or a MyST role (`aluminium data add-worldbank`, {cite}`x`).
        text = re.sub(rf"(?<![-\w./`]){source_id}(?![-\w./`])", short(source_id), text)
    return text


def _author_year(source_id: str, period: str = "") -> str:
    """"Zijin Tianfeng, 2025" (the bibliography's author–year), with a period that is not the year."""
    src = _sources().get(source_id, {})
    name = re.sub(r"\s*\(\d{4}\)$", "", src.get("short", source_id))
    year = str(src.get("date", ""))[:4]
    extra = period.strip() if period.strip() and period.strip() != year else ""
    return ", ".join(x for x in (name, year, extra) if x)


def fact_words(f, field: str = "value") -> str:
    """A fact's report and place, and which end of its range is meant."""
    if field in ("low", "high"):
        part = f"the {field} end of the range in "
    elif field == "central" and f.value is None:
        part = "the midpoint of the range in "
    else:
        part = ""
    text = f"{part}{short(f.source)}, {locator(f.location)}"
    return text[:1].upper() + text[1:]
