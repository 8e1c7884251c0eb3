"""Pages generated at build time from the data package: data catalogue, glossary, key figures.

They are written into the staging copy of ``book/`` (never into the source tree) as MyST
Markdown. Everything from data is escaped: the data is text, never markup.
"""
from __future__ import annotations

import csv
import html
from pathlib import Path

from . import catalogue, params
from .page import cite
from .paths import CHAPTERS, DATA_DIR


def _esc(text) -> str:
    return html.escape("" if text is None else str(text))


def _html_table(headers: list[str], rows: list[list], cls: str = "al-table table") -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _flag_group_html(g) -> str:
    """One problem of the reports' data: its sentence, then the rows it affects as a small table."""
    gap = "" if g.magnitude is None else f" Largest gap: {_num(g.magnitude)} {_esc(g.unit)}."
    rows = _html_table(["row affected"], [[label] for label in g.rows], cls="al-table table al-flag-rows")
    return (f'<div class="admonition warning"><p class="admonition-title">{_esc(g.problem)}</p>'
            f"<p>{g.count} row{'s' if g.count != 1 else ''} affected.{gap}</p>{rows}</div>")


def flag_summary(groups) -> str:
    """All flag groups as one reader's table: which table, what the problem is, how many rows."""
    if not groups:
        return "<p>No row of the data package is flagged.</p>"
    return _html_table(["table", "problem", "rows"], [[g.title, g.problem, g.count] for g in groups])


def data_catalogue(reports) -> str:
    from . import flags as flag_groups

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
           f"<p>{len(groups)} problems in the reports' numbers, each flagged once in the data and "
           "stated here in one sentence; the rows each affects are listed under its table below.</p>", "",
           flag_summary(groups), ""]
    by_chapter: dict[str, list] = {}
    for res in catalogue.resources():
        by_chapter.setdefault(res.get("chapter", "all"), []).append(res)
    for chapter in ["all", *CHAPTERS]:
        if chapter not in by_chapter:
            continue
        out += [f"## {'All chapters' if chapter == 'all' else chapter.capitalize()}", ""]
        for res in by_chapter[chapter]:
            out += [f"### {_esc(res.get('title', res['name']))}", "",
                    f"<p><code>{_esc(res['name'])}</code> · {rows_of.get(res['name'], 0)} rows · "
                    f'<a href="../data/{_esc(res["path"])}" download>download CSV</a></p>', "",
                    f"<p>{_esc(res.get('description', ''))}</p>", "",
                    f"<p><strong>Source:</strong> {_esc(cite(res))}. <strong>As of:</strong> "
                    f"{_esc(res.get('as_of', ''))}.</p>", ""]
            if res.get("notes"):
                out += [f"<p><strong>Notes:</strong> {_esc(res['notes'])}</p>", ""]
            fields = [[f["name"], f["type"], f.get("unit", ""), f.get("description", "")]
                      for f in res["schema"]["fields"]]
            out += [_html_table(["column", "type", "unit", "description"], fields), ""]
            checks = res.get("checks") or []
            if checks:
                items = "".join(f"<li>{_esc(_describe_check(c))}</li>" for c in checks)
                out += [f"<p><strong>Rules checked:</strong></p><ul>{items}</ul>", ""]
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
            out += [f"{row['en']} ({row['zh']})", f"  {row['definition']}", ""]
    out += ["```", ""]
    return "\n".join(out)


def key_figures(figures) -> str:
    rows = [[f.id, f.text(), f.unit, f.label] for f in figures]
    return "\n".join([
        "# Key figures", "",
        "The headline numbers of every chapter, as computed in this build with the assumptions in "
        'force. Machine-readable: <a href="../key-figures.json">key-figures.json</a> · '
        '<a href="../key-figures.csv" download>key-figures.csv</a>.', "",
        _html_table(["id", "value", "unit", "what it is"], rows), ""])


def parameters_page(overrides: dict) -> str:
    rows = []
    for p in params.registry().values():
        d = p.describe()
        value = overrides.get(p.name, d["default"])
        rng = f"{d['minimum']} – {d['maximum']}" if d["minimum"] is not None else ""
        if p.pin_of:  # an upstream result: the chain models it unless the build pins it
            value = "modelled" if value is None else f"{value} (pinned)"
            d["default"] = "modelled"
        rows.append([p.name, value, d["default"], d["unit"], rng, d["description"], d["source"]])
    return "\n".join([
        "# Parameters", "",
        "Every assumption a reader can change, with its default and where the default comes from. "
        "Change any with `aluminium build --set NAME=VALUE` or a YAML file (`--params FILE`).", "",
        _html_table(["parameter", "in force", "default", "unit", "valid range", "description",
                     "default from"], rows), ""])


def _num(v) -> str:
    """A number for a table cell: empty when missing, thousands separated, small ones to 4 digits."""
    if v is None or v != v:
        return ""
    return f"{v:,.4g}" if abs(v) < 10 else f"{v:,.1f}"


def claims_audit(rows) -> str:
    from . import audit

    counts = audit.counts(rows)
    table = _html_table(
        ["claim", "chapter", "what the report says", "source", "claim tested", "recomputed", "room",
         "unit", "verdict", "how it is recomputed"],
        [[r.id, r.chapter, r.claim, cite(source=r.source, location=r.location), r.asserted(),
          _num(r.recomputed), _num(r.margin), r.unit,
          r.status + (f" ({r.detail})" if r.detail else ""), r.method] for r in rows])
    return "\n".join([
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
        f"<p><strong>{len(rows)} claims:</strong> {counts['agrees']} agree, {counts['disagrees']} disagree, "
        f"{counts['not recomputed']} not recomputed, {counts['error']} could not be evaluated.</p>", "",
        table, ""])


def comparison(a_label: str, b_label: str, figures, moved) -> str:
    def pct(v):
        return "" if v is None or v != v else f"{v:+.1f} %"

    # The figures that moved first, largest relative change first; then the rest by id.
    order = figures.assign(_moved=figures["change"].fillna(0).abs() > 0,
                           _size=figures["change_pct"].abs().fillna(0))
    order = order.sort_values(["_moved", "_size", "id"], ascending=[False, False, True])
    rows = [[r["id"], r["label"], r["unit"], _num(r[a_label]), _num(r[b_label]), _num(r["change"]),
             pct(r["change_pct"])] for r in order.to_dict("records")]
    changed = figures[figures["change"].fillna(0).abs() > 0]
    moved_rows = [[m["chapter"], m["output"], m["status"], "" if m["cells_changed"] is None or m["cells_changed"] != m["cells_changed"] else int(m["cells_changed"])]
                  for m in moved.to_dict("records")]
    return "\n".join([
        f"# Comparison: {_esc(b_label)} against {_esc(a_label)}", "",
        f"<p>Every key figure of this book ({_esc(b_label)}) beside the same figure in "
        f"{_esc(a_label)}: {len(changed)} of {len(figures)} moved. Change is {_esc(b_label)} − "
        f"{_esc(a_label)}; relative change is against {_esc(a_label)}.</p>", "",
        _html_table(["key figure", "what it is", "unit", a_label, b_label, "change", "relative"], rows), "",
        "## Charts and tables whose data moved", "",
        (_html_table(["chapter", "chart or table", "status", "values changed"], moved_rows)
         if moved_rows else "<p>None: every chart and table shows the same data.</p>"), ""])


def vintages_page(overrides: dict) -> str:
    from . import vintages

    rows = [[r["name"], r.get("title", ""), cite(r), r.get("as_of", "")] for r in catalogue.resources()]
    reports = [[s["name"], s["title"], s.get("date", "")] for s in catalogue.catalogue().get("sources", [])]
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
        "## The reports", "", _html_table(["id", "report", "date"], reports), "",
        "## World Bank monthly prices", "", wb_text, "",
        "## Tables of the data package", "", _html_table(["dataset", "title", "source", "as of"], rows), ""])


def write_generated_pages(book_dir: Path, reports, figures, overrides: dict, scenario) -> None:
    (book_dir / "data-catalogue.md").write_text(data_catalogue(reports), encoding="utf-8")
    (book_dir / "glossary.md").write_text(glossary(), encoding="utf-8")
    (book_dir / "key-figures.md").write_text(key_figures(figures), encoding="utf-8")
    (book_dir / "parameters.md").write_text(parameters_page(overrides), encoding="utf-8")
    (book_dir / "vintages.md").write_text(vintages_page(overrides), encoding="utf-8")
    from . import audit

    (book_dir / "claims-audit.md").write_text(claims_audit(audit.run()), encoding="utf-8")
