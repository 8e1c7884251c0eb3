"""The how-to page and the README say the same thing about the data, whole-site builds,
comparison pages, the PDF and citing, and both match the code."""
from __future__ import annotations

import re

from aluminium.paths import ROOT

FACTS = {  # what both must say: the words, and why
    "worldbank_monthly.csv": "the World Bank extract ships with the data package",
    "add-worldbank": "how a newer workbook is taken",
    "--all-scenarios": "the whole site of every scenario",
    "make site": "its make target",
    "book/comparison.html": "where a comparison page is written",
    "make pdf": "the whole book as one PDF",
    "CITATION.cff": "how to cite",
    "make edition": "how the changelog's baseline is kept",
}


def test_howto_and_readme_agree():
    howto = (ROOT / "book" / "howto.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (howto, readme):
        assert "not part of the repository" not in text
        missing = {k: why for k, why in FACTS.items() if k not in text}
        assert missing == {}, missing


def test_what_they_name_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("site", "pdf", "edition"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert (ROOT / "CITATION.cff").exists()
    assert (ROOT / "data" / "pricing" / "worldbank_monthly.csv").exists()
    from aluminium import cli

    assert "--all-scenarios" in (ROOT / "aluminium" / "cli.py").read_text(encoding="utf-8") and cli.main
