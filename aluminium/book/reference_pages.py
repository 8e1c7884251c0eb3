"""Pages generated at build time from the data package: data catalogue, glossary, key figures,
parameters, vintages, claims audit and the scenario comparison.

They are written into the staging copy of ``book/`` (never into the source tree) as MyST
Markdown. Their HTML comes from ``templates/reference.html`` (autoescaped: the data is text,
never markup); Markdown headings carry data through ``literal``.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from aluminium import audit, params
from aluminium.book import charts, compare, html
from aluminium.book.markup import code_identifiers, label_words, table_html
from aluminium.book.markup import parameter as _parameter
from aluminium.data import catalogue, labels, vintages
from aluminium.data import flags as flag_groups
from aluminium.data.provenance import cite, locator, reader_text, short
from aluminium.escape import literal
from aluminium.numbers import display_unit, fmt
from aluminium.params import param_origin
from aluminium.paths import CHAPTERS, DATA_DIR


def _m(name: str):
    return html.macro("reference.html", name)


def _html_table(headers: list[str], rows: list[list], *, code: tuple = (), markup: tuple = ()) -> str:
    """Rows under reader headers, through the book's one table builder (``code``/``markup``:
    indexes of columns shown as code or holding HTML a template rendered)."""
    keys = [f"c{i}" for i in range(len(headers))]
    frame = pd.DataFrame(rows, columns=keys) if rows else pd.DataFrame(columns=keys)
    return table_html(frame, headers=dict(zip(keys, headers)), code=[keys[i] for i in code],
                      markup=[keys[i] for i in markup])


def _flag_group_html(g) -> str:
    """One problem of the reports' data: its sentence, then the rows it affects as a small table."""
    gap = "" if g.magnitude is None else fmt(g.magnitude, g.unit)
    return _m("flag_group")(g.problem, g.count, gap, _html_table(["row affected"], [[label] for label in g.rows]))


def flag_summary(groups) -> str:
    """All flag groups as one reader's table: which table, what the problem is, how many rows."""
    if not groups:
        return _m("p")("No row of the data package is flagged.")
    return _html_table(["table", "problem", "rows"], [[g.title, g.problem, g.count] for g in groups])


def _nominal(res: dict) -> bool:
    """A table of the book's own (labels, glossary) or of all four reports (facts): the report its
    catalogue entry names is only nominal."""
    return "only nominal" in str(res.get("notes", ""))


def _resource_source(res: dict, full: bool = False) -> str:
    """Where a table's numbers come from, as a reader reads it (never one report for a table of all four)."""
    if _nominal(res):
        where = str(res.get("location", "")).strip() or "all four reports"
        return where[:1].upper() + where[1:]
    return cite(res) if full else short(res["source"])


def data_catalogue(reports) -> str:
    groups = flag_groups.groups(reports)
    by_resource: dict[str, list] = {}
    for g in groups:
        by_resource.setdefault(g.resource, []).append(g)
    rows_of = {r.resource: r.rows for r in reports}
    out = ["# Data catalogue", "",
           "Every table the book draws on, generated from the catalogue `data/datapackage.yaml` "
           "at build time. Each dataset is validated against its entry on every build (columns, "
           "types, units, ranges, and the table rules listed). Where the reports' own numbers "
           "disagree, the source value is kept and the row is **flagged** with the reason. "
           "Values are in the units named in each column; 万吨 figures are converted to kt "
           "(×10). Download links give the exact CSV the book used.", "",
           "## Where the reports disagree with themselves", "",
           _m("p")(f"{len(groups)} problems in the reports' numbers, each flagged once in the data and "
                   "stated here in one sentence; the rows each affects are listed under its table below."), "",
           flag_summary(groups), ""]
    by_chapter: dict[str, list] = {}
    for res in catalogue.resources():
        by_chapter.setdefault(res.get("chapter", "all"), []).append(res)
    for chapter in ["all", *CHAPTERS]:
        if chapter not in by_chapter:
            continue
        out += [f"## {'All chapters' if chapter == 'all' else chapter.capitalize()}", ""]
        for res in by_chapter[chapter]:
            out += [f"### {literal(res.get('title', res['name']))}", "",
                    _m("resource_line")(res["name"], rows_of.get(res["name"], 0), res["path"]), "",
                    _m("p")(code_identifiers(res.get("description", ""))), "",
                    _m("labelled")("Source", _resource_source(res, full=True) + "."), ""]
            if res.get("notes"):
                out += [_m("labelled")("Notes", code_identifiers(res["notes"])), ""]
            fields = [[labels.label(f["name"], with_unit=False, resource=res["name"]), f["name"],
                       f.get("unit", ""), code_identifiers(f.get("description", ""))]
                      for f in res["schema"]["fields"]]
            out += [_html_table(["column", "name in the CSV", "unit", "description"], fields, code=(1,),
                                markup=(3,)), ""]
            checks = res.get("checks") or []
            if checks:
                items = [_m("zero_rule")(c["expression"]) if c["type"] == "row_expression"
                         else code_identifiers(_describe_check(c)) for c in checks]
                out += [_m("rules")(items), ""]
            for g in by_resource.get(res["name"], []):
                out += [_flag_group_html(g), ""]
    return "\n".join(out) + "\n"


def _describe_check(c: dict) -> str:
    kind = c["type"]
    by = f" within each {', '.join(c['group_by'])}" if c.get("group_by") else ""
    tol = c.get("tolerance", 0)
    if kind == "sum_equals":
        return f"{c['column']} sums to {c.get('target', 100)} ± {tol}{by}"
    if kind == "sum_at_most":
        return f"{c['column']} sums to at most {c.get('target', 100)} (+{tol}){by}"
    if kind == "total_equals_parts":
        return f"the '{c['total_label']}' row of {c['column']} equals the sum of the other rows ± {tol}{by}"
    if kind == "row_expression":
        return f"{c['expression']} = 0 ± {tol} on every row"
    if kind == "row_count":
        return f"at least {c['minimum']} rows"
    if kind == "covers":
        values = ", ".join(map(str, c["values"])) if "values" in c else f"{c['from']} to {c['to']}"
        return f"a row for every {c['column']} ({values}){by}"
    return kind


def glossary(path: Path = DATA_DIR / "glossary.csv") -> str:
    out = ["# Glossary", "",
           "Chinese industry terms used in the source reports, with the English the book uses. "
           "Definitions are the book's own.", "", "```{glossary}"]
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            rows = sorted(csv.DictReader(fh), key=lambda r: r["en"].lower())
        for row in rows:
            out += [f"{literal(row['en'])} ({literal(row['zh'])})", f"  {literal(row['definition'])}", ""]
    out += ["```", ""]
    return "\n".join(out)


def _chapter_title(chapter: str) -> str:
    return chapter.capitalize()


def key_figures(figures) -> str:
    out = ["# Key figures", "",
           _m("key_figures_intro")(), ""]
    by_chapter: dict[str, list] = {}
    for f in figures:
        by_chapter.setdefault(f.id.split(".", 1)[0], []).append(f)
    for chapter in CHAPTERS:
        if chapter not in by_chapter:
            continue
        rows = [[f.label, f.text()] for f in by_chapter[chapter]]
        out += [f"## {_chapter_title(chapter)}", "",
                _m("from_chapter")(f"../chapters/{chapter}.html", _chapter_title(chapter)), "",
                _html_table(["what it is", "value"], rows), ""]
    return "\n".join(out)


def parameters_page(overrides: dict) -> str:
    out = ["# Parameters", "",
           "Every assumption a reader can change, with its default and where the default comes from. "
           "Change any with `aluminium build --set NAME=VALUE` (NAME as shown in code below) or a "
           "YAML file (`--params FILE`).", ""]
    by_chapter: dict[str, list] = {}
    for p in params.registry().values():
        by_chapter.setdefault(p.chapter, []).append(p)
    for chapter, group in by_chapter.items():
        rows = []
        for p in group:
            d = p.describe()
            value = overrides.get(p.name, d["default"])
            if p.type == "path":  # the file's name, never its local folders
                value, d["default"] = params.shown_path(value), params.shown_path(d["default"])
            unit = d["unit"] if d["unit"] not in ("switch", "file", "YYYY-MM") else ""
            rng = (f"{fmt(d['minimum'], unit, show_unit=False)} to {fmt(d['maximum'], unit)}"
                   if d["minimum"] is not None and d["maximum"] is not None else "")
            changed = " (changed)" if value != d["default"] else ""
            if p.pin_of:  # an upstream result: the chain models it unless the build pins it
                changed = " (pinned)" if value is not None else ""
                value = value if value is not None else "modelled by the chain"
                d["default"] = "modelled by the chain"
            what = _parameter(labels.label(p.name, with_unit=False), p.name, reader_text(d["description"]),
                              strong=True)
            rows.append([what, fmt(value, unit, missing="none") + changed, fmt(d["default"], unit, missing="none"),
                         rng, param_origin(p.name)])
        out += [f"## {_chapter_title(chapter)}", "",
                _html_table(["assumption", "in force", "default", "valid range", "default from"], rows,
                            markup=(0,)), ""]
    return "\n".join(out)


def _claims_table(rows) -> str:
    """Claims as a reader's table: the claim and where it is, claimed against recomputed, and how
    the book recomputes it in the label map's words (three columns: it fits a laptop's column, and
    a phone shows one block per claim)."""
    def verdict(r) -> Markup:
        return _m("verdict")(f"{r.asserted()} {display_unit(r.unit)}".rstrip(),
                             fmt(r.recomputed, r.unit) if r.recomputed is not None else "",
                             fmt(r.margin, r.unit, sign=True) if r.margin is not None else "",
                             reader_text(r.detail) if r.detail else "")

    return _html_table(
        ["what the report says (and where)", "claimed and recomputed", "how it is recomputed"],
        [[_m("claim")(reader_text(r.claim), short(r.source), locator(r.location)), verdict(r),
          reader_text(label_words(r.method))] for r in rows],
        markup=(0, 1, 2))


def claims_audit(rows) -> str:
    """The claims audit: what disagrees first, then what could not be recomputed, the agreements folded."""
    counts = audit.counts(rows)
    out = [
        "# Appendix: claims audit", "",
        "Every quantitative claim of the four reports that can be recomputed from the reports' own "
        "numbers, recomputed by the book's models from the data package at build time, each from "
        "numbers other than the claim's own. A claim is tested as what it says: \"about 85.5 Mt\" "
        "as an equality within the report's rounding (≈ value ± tolerance), \"under 0.8 Mt\" or "
        "\"exceeds\" as an inequality (≤, ≥), \"within 2.3–2.7\" as a range. It *agrees* when the "
        "recomputed value bears it out and *disagrees* otherwise; *room* is how far inside the claim "
        "the recomputed value lies (negative: how far it misses), in the claim's unit. Claims listed "
        "as *not recomputed* say why (most often a figure the reports do not give). The list of "
        "claims is `data/claims.yaml`.", "",
        _m("claims_count")(len(rows), counts), ""]
    groups = [("disagrees", "Claims the recomputation does not bear out"),
              ("error", "Claims that could not be evaluated"),
              ("not recomputed", "Claims not recomputed")]
    for status, heading in groups:
        chosen = [r for r in rows if r.status == status]
        if chosen:
            out += [f"## {heading} ({len(chosen)})", "", _claims_table(chosen), ""]
    agree = [r for r in rows if r.status == "agrees"]
    if agree:
        out += [f"## Claims that agree ({len(agree)})", "",
                _m("details")("al-claims-agree", f"Show the {len(agree)} claims the recomputation bears out",
                              _claims_table(agree)), ""]
    return "\n".join(out)


def comparison(a, b) -> str:
    """The comparison page of build ``b`` (being built) against build ``a`` (``compare.Side``):
    the key figures that moved first, the unchanged folded away, each moved chart drawn for both."""
    figures = compare.key_figures(a, b)
    moved_outputs = compare.moved_outputs(a, b)
    sections = compare.figure_sections(b.folder.parent / "chapters")
    moved_mask = figures["change"].fillna(0).abs() > 0
    moved = figures[moved_mask].assign(_size=figures["change_pct"].abs().fillna(float("inf")))
    moved = moved.sort_values(["_size", "id"], ascending=[False, True])
    unchanged = figures[~moved_mask].sort_values("id")

    def where(fig_id: str) -> Markup:
        chapter, anchor, heading = sections.get(fig_id, (fig_id.split(".", 1)[0], "", ""))
        href = f"../chapters/{chapter}.html" + (f"#{anchor}" if anchor else "")
        return _m("link")(href, f"{chapter.capitalize()}: {heading or chapter.capitalize()}")

    moved_rows = [[r["label"], where(r["id"]), fmt(r[a.label], r["unit"]), fmt(r[b.label], r["unit"]),
                   fmt(r["change"], r["unit"], sign=True), fmt(r["change_pct"], "%", sign=True, missing="n/a")]
                  for r in moved.to_dict("records")]
    out = [f"# Comparison: {literal(b.label)} against {literal(a.label)}", "",
           _m("comparison_intro")(len(moved), len(figures), a.label, b.label), ""]
    out += ["## Key figures that moved", "",
            _html_table(["key figure", "where the book shows it", a.label, b.label, "change", "relative change"],
                        moved_rows, markup=(0, 1)) if moved_rows else _m("p")("None."), ""]
    if len(unchanged):
        rows = [[r["label"], fmt(r[a.label], r["unit"])] for r in unchanged.to_dict("records")]
        out += [_m("details")("al-comparison-unchanged", f"{len(unchanged)} key figures did not move",
                              _html_table(["key figure", "value in both"], rows)), ""]
    out += ["## Charts whose data moved", "",
            _m("p")(f"Each chart drawn for {a.label} (top) and {b.label} (bottom) on the same scales."), ""]
    drawn, listed = 0, []
    for m in moved_outputs.to_dict("records"):
        spec_a = compare.chart_spec(a, m["chapter"], m["output"])
        spec_b = compare.chart_spec(b, m["chapter"], m["output"])
        both = compare.base_and_scenario(spec_a, spec_b, a.label, b.label) if spec_a and spec_b else None
        if both is None:
            listed.append(m)
            continue
        drawn += 1
        title = charts.chart_title(spec_b)
        div = f"al-chart-compare-{m['chapter']}-{m['output']}"
        # The chart island is the book's own (charts.to_html renders our spec as JSON for Vega).
        island = Markup(charts.to_html(both, div))
        # A raw block: Markdown would otherwise end the HTML at a blank line and typeset the script.
        out += [f"### {literal(title or m['output'])}", "", "```{raw} html",
                _m("chart_pair")(m["output"], island, f"../chapters/{m['chapter']}.html", m["chapter"].capitalize()),
                "```", ""]
    if not drawn:
        out += [_m("p")("No chart's data moved."), ""]
    if listed:
        rows = [[_m("link")(f"../chapters/{m['chapter']}.html", m["chapter"].capitalize()),
                 m["output"].replace("-", " "), m["status"]] for m in listed]
        out += ["## Tables and interactive charts whose data moved", "",
                _html_table(["chapter", "table or chart", "what changed"], rows, markup=(0, 1, 2)), ""]
    return "\n".join(out)


def vintages_page(overrides: dict) -> str:
    rows = [[r.get("title", r["name"]), _resource_source(r), r.get("as_of", "")] for r in catalogue.resources()]
    reports = [[short(s["name"]), cite(source=s["name"], location="")] for s in catalogue.catalogue().get("sources", [])]
    wb_path = overrides.get("pricing.worldbank_file")
    if wb_path is None:
        wb_path = params.lookup("pricing.worldbank_file").default()
    wb = vintages.worldbank_vintage(wb_path)
    wb_text = _html_table(["what", "source", "updated on", "months", "workbook sha256", "licence"],
                          [[wb["what"], wb["source"], wb["updated_on"],
                            f"{wb['first_month'] or '?'} to {wb['last_month'] or '?'}",
                            wb["workbook_sha256"], wb["licence"]]])
    return "\n".join([
        "# Data vintages", "",
        "Which edition of each source this build used. The reports are fixed editions; the data "
        "package's tables carry the as-of date of their data. A newer World Bank workbook is taken "
        "with `aluminium data add-worldbank FILE.xlsx`, which validates it and refreshes the committed extract.", "",
        "## The reports", "", _html_table(["report", "publisher, title and date"], reports), "",
        "## World Bank monthly prices", "", wb_text, "",
        "## Tables of the data package", "", _html_table(["table", "source", "as of"], rows), ""])


def write_reference_pages(book_dir: Path, reports, overrides: dict) -> None:
    """The generated pages that do not depend on the chapters (written while they run)."""
    (book_dir / "data-catalogue.md").write_text(data_catalogue(reports), encoding="utf-8")
    (book_dir / "glossary.md").write_text(glossary(), encoding="utf-8")
    (book_dir / "parameters.md").write_text(parameters_page(overrides), encoding="utf-8")
    (book_dir / "vintages.md").write_text(vintages_page(overrides), encoding="utf-8")
    (book_dir / "claims-audit.md").write_text(claims_audit(audit.run()), encoding="utf-8")


def write_key_figures_page(book_dir: Path, figures) -> None:
    (book_dir / "key-figures.md").write_text(key_figures(figures), encoding="utf-8")
