"""`make pdf`: the whole book as one PDF with every chart drawn, a contents page and page numbers."""
from __future__ import annotations

from helpers import needs_chromium

pytestmark = needs_chromium


def test_the_pdf_holds_every_chart_contents_and_page_numbers(built_site, tmp_path):
    from pypdf import PdfReader

    from aluminium.book import pdf

    out = pdf.make(built_site, tmp_path / "book.pdf", quiet=True)
    reader = PdfReader(out)
    texts = [page.extract_text() or "" for page in reader.pages]
    n = len(texts)
    expected = pdf.chart_count(built_site)
    assert expected >= 40
    assert sum(t.count(pdf.CHART_MARK) for t in texts) == expected  # every chart drawn, none missing
    assert "Contents" in texts[0] and "Smelting: capacity, power and cost" in texts[0]
    assert all(f"Page {i} of {n}" in t for i, t in enumerate(texts, start=1))
    edition_id = (built_site / "edition.json").read_text(encoding="utf-8").split('"id": "')[1][:10]
    assert edition_id in texts[0] and edition_id in texts[-1]
    titles = [item.title for item in reader.outline]
    assert titles[0] == "The Aluminium Chain" and len(titles) == len(pdf.toc_pages(built_site))
