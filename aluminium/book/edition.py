"""The edition of a build, so a reader who quotes a number can say which build it came from.

An edition is the package version, the build date, the scenario and the parameters in force,
and the digests of the data package and the code; its id is a hash of all of them. Every page
shows it (``sphinx_edition``), chart images carry it (``al-charts.js``), and two pages are built
from it: "Cite this book" and "What changed since the previous edition".

The previous edition is a file committed with the book (``editions/previous.json``: its
edition and its key figures), written from a built site with
``python -m aluminium.book.edition save [SITE]`` (``make edition``) when an edition is released.

API:

``current(overrides, scenario=None, code="", data="")``  the edition of this build.
``Edition.stamp()``           one line: "The Aluminium Chain, version 0.1.0 of 2026-12-06, …, edition 1a2b3c4d5e".
``cite_page(edition)``        the "Cite this book" page (MyST Markdown).
``changelog_page(previous, edition, figures)``  which key figures moved since the previous
                               edition, and why: data, parameters or code.
``snapshot(edition, figures)`` / ``save(site, path)``  an edition with its key figures, as JSON.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from aluminium import __version__
from aluminium.book import html
from aluminium.book.markup import table_html
from aluminium.data import labels
from aluminium.numbers import fmt
from aluminium.paths import BUILD_DIR, DATA_DIR, ROOT

TITLE = "The Aluminium Chain"
AUTHOR = "The Aluminium Chain Book contributors"
PREVIOUS = ROOT / "editions" / "previous.json"
REASONS = ("data", "parameters", "code")


def version() -> str:
    return __version__


def build_date() -> str:
    """Today (UTC), or the date of ``SOURCE_DATE_EPOCH`` when set (a reproducible build)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


@dataclass(frozen=True)
class Edition:
    version: str
    date: str
    scenario: str = ""  # the scenario's title; empty for the base book
    parameters: dict = field(default_factory=dict)  # the parameters changed from their defaults
    data: str = ""  # digest of the data package
    code: str = ""  # digest of the package's code

    @property
    def id(self) -> str:
        """A hash of what the numbers depend on: version, scenario, parameters, data and code."""
        payload = json.dumps({"version": self.version, "scenario": self.scenario, "parameters": self.parameters,
                              "data": self.data, "code": self.code}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:10]

    def assumptions(self) -> str:
        """"default parameters", or the scenario and how many parameters it changes."""
        n = len(self.parameters)
        changed = f"{n} parameter{'s' if n != 1 else ''} changed" if n else "default parameters"
        return f"scenario “{self.scenario}”, {changed}" if self.scenario else changed

    def stamp(self) -> str:
        return f"{TITLE}, version {self.version} of {self.date}, {self.assumptions()}, edition {self.id}"

    def to_dict(self) -> dict:
        return {**asdict(self), "id": self.id, "stamp": self.stamp()}


def _m(name: str):
    return html.macro("pages.html", name)


def data_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in DATA_DIR.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(DATA_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def current(overrides: dict, scenario=None, code: str = "", data: str | None = None) -> Edition:
    """The edition of a build with these overrides (full names), scenario and code digest."""
    return Edition(version=version(), date=build_date(), scenario=getattr(scenario, "title", "") or "",
                   parameters={k: overrides[k] for k in sorted(overrides)},
                   data=data if data is not None else data_digest(), code=(code or "")[:16])


def footer_html(edition: Edition, cite_href: str, changes_href: str) -> str:
    """The edition line every page carries, with links to the citation and the changelog (a plain
    ``str``: Sphinx appends it to the page body, which a Markup would escape)."""
    return str(_m("edition_footer")(edition, cite_href, changes_href))


def _parameters_table(edition: Edition) -> Markup:
    if not edition.parameters:
        return _m("p")("Every parameter is at its default (see the parameters page).")
    rows = pd.DataFrame({"assumption": [labels.label(k, with_unit=False) for k in edition.parameters],
                         "parameter": list(edition.parameters),
                         "value": [fmt(v, labels.unit(k)) if isinstance(v, (int, float)) else str(v)
                                   for k, v in edition.parameters.items()]})
    return table_html(rows, code=["parameter"], headers={"assumption": "Assumption", "parameter": "Set with",
                                                          "value": "Value in force"})


def cite_page(edition: Edition) -> str:
    """The "Cite this book" page: the citation, its BibTeX, and the edition it names."""
    year = edition.date[:4]
    # The scenario's title is data: escaped in the HTML block (the template), and for BibTeX on
    # one line with no brace or backtick that could close the entry or the fenced block around it.
    note = re.sub(r"[{}`\\]", "", " ".join(edition.assumptions().split()))
    bibtex = "\n".join([
        f"@book{{aluminium_chain_{edition.id},", f"  title     = {{{{{TITLE}}}}},", f"  author    = {{{{{AUTHOR}}}}},",
        f"  year      = {{{year}}},", f"  edition   = {{version {edition.version}, edition {edition.id}}},",
        f"  note      = {{Built {edition.date}; {note}}},", "}"])
    return "\n".join([
        "# Cite this book", "",
        "Every page of this book carries its edition: the version, the build date, the scenario and "
        "parameters in force, and an edition id, a hash of those and of the data and code the numbers came "
        "from. Quote a number with the edition id and a reader can rebuild the same number "
        "(see the how-to page). The repository's `CITATION.cff` gives the same citation to citation tools.", "",
        _m("citation")(AUTHOR, year, TITLE, edition), "",
        "```bibtex", bibtex, "```", "",
        "## This edition", "",
        _m("edition_facts")(edition), "",
        "### Parameters changed from their defaults", "", _parameters_table(edition), ""])


def snapshot(edition: Edition, figures) -> dict:
    """An edition and its key figures, as the changelog of the next edition reads them."""
    return {"edition": edition.to_dict(),
            "figures": [{"id": f.id, "value": f.value, "unit": f.unit, "label": f.label} for f in figures]}


def reasons(previous: dict, edition: Edition) -> list[str]:
    """What differs between the previous edition and this one: data, parameters, code."""
    before = previous.get("edition", {})
    now = edition.to_dict()
    out = []
    if before.get("data") != now["data"]:
        out.append("data")
    if before.get("parameters", {}) != now["parameters"] or before.get("scenario", "") != now["scenario"]:
        out.append("parameters")
    if before.get("code") != now["code"] or before.get("version") != now["version"]:
        out.append("code")
    return out


def moved(previous: dict, figures, tolerance: float = 1e-9) -> list[dict]:
    """Key figures whose value differs from the previous edition's (added and removed ones too)."""
    before = {f["id"]: f for f in previous.get("figures", [])}
    now = {f.id: f for f in figures}
    out = []
    for fid in sorted(set(before) | set(now)):
        a, b = before.get(fid), now.get(fid)
        if a is None or b is None:
            out.append({"id": fid, "label": (b or a)["label"] if b is None else b.label,
                        "unit": a["unit"] if b is None else b.unit,
                        "before": None if a is None else a["value"], "after": None if b is None else b.value})
            continue
        if abs(float(a["value"]) - float(b.value)) > tolerance * max(1.0, abs(float(b.value))):
            out.append({"id": fid, "label": b.label, "unit": b.unit, "before": a["value"], "after": b.value})
    return out


def _assumptions_of(doc: dict) -> str:
    return Edition(version=doc.get("version", ""), date=doc.get("date", ""), scenario=doc.get("scenario", ""),
                   parameters=doc.get("parameters", {})).assumptions()


def stage(src: Path, overrides: dict, scenario, code: str) -> Edition:
    """Put the edition into a staged book: into its _config.yml (every page shows it) and its
    "Cite this book" page."""
    import yaml

    edition = current(overrides, scenario, code)
    config_path = src / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config.setdefault("sphinx", {}).setdefault("config", {})["aluminium_edition"] = edition.to_dict()
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (src / "book" / "cite.md").write_text(cite_page(edition), encoding="utf-8")
    return edition


def staged(src: Path) -> Edition:
    """The edition a staged book carries (see ``stage``)."""
    import yaml

    doc = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["aluminium_edition"]
    return Edition(**{k: doc[k] for k in ("version", "date", "scenario", "parameters", "data", "code")})


def stage_changelog(src: Path, figures, extra: Path) -> None:
    """The changelog page, and this edition with its key figures as ``edition.json`` (for ``save``)."""
    edition = staged(src)
    (src / "book" / "changelog.md").write_text(changelog_page(previous(), edition, figures), encoding="utf-8")
    (extra / "edition.json").write_text(json.dumps(edition.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")


def changelog_page(previous: dict | None, edition: Edition, figures) -> str:
    """Which key figures moved since the previous edition, and why (data, parameters or code)."""
    out = ["# What changed since the previous edition", ""]
    if not previous:
        return "\n".join(out + [_m("p")("This is the first edition: there is no previous edition to compare with."), ""])
    before = previous.get("edition", {})
    why = reasons(previous, edition)
    words = {"data": "the data package", "parameters": "the parameters in force", "code": "the code (the models)"}
    cause = (" and ".join(words[r] for r in why) if why else "nothing the numbers depend on")
    rows = moved(previous, figures)
    out += [_m("changelog_intro")(before, _assumptions_of(before), edition, cause, len(rows), len(figures)), ""]
    if why:
        out += [_m("p")("Why a figure moved is the part of the build that changed: a figure can only move with the "
                        "data it reads, the parameters it depends on, or the code that computes it. Where more than "
                        "one changed, each is listed."), ""]
    if rows:
        frame = pd.DataFrame({
            "key figure": [r["label"] for r in rows],
            "before": [fmt(r["before"], r["unit"], missing="not in that edition") for r in rows],
            "now": [fmt(r["after"], r["unit"], missing="no longer a key figure") for r in rows],
            "change": [fmt(r["after"] - r["before"], r["unit"], sign=True)
                       if r["before"] is not None and r["after"] is not None else "" for r in rows],
            "why": [", ".join(why) or "unexplained" for _ in rows]})
        out += [table_html(frame, headers={c: c.capitalize() for c in frame.columns}), ""]
    else:
        out += [_m("p")("No key figure moved."), ""]
    return "\n".join(out)


def save(site: Path, path: Path = PREVIOUS) -> Path:
    """Keep a built site's edition and key figures as the previous edition of the next build."""
    edition_doc = json.loads((site / "edition.json").read_text(encoding="utf-8"))
    figures = json.loads((site / "key-figures.json").read_text(encoding="utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"edition": edition_doc, "figures": [{k: f[k] for k in ("id", "value", "unit", "label")} for f in figures]}
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def previous(path: Path = PREVIOUS) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(argv: list[str] | None = None) -> int:
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "save":
        print("usage: python -m aluminium.book.edition save [SITE]  (SITE: a built book, default _build/html)")
        return 2
    site = Path(args[1]) if len(args) > 1 else BUILD_DIR / "html"
    if not (site / "edition.json").exists():
        print(f"{site}: not a built book (no edition.json): build it first with `make book`")
        return 2
    print(f"Saved {save(site)} as the previous edition")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
