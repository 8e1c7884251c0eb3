"""Key points that show the change: under non-default assumptions a moved number reads
"default → this build", and the build writes a comparison page the front page links to."""
from __future__ import annotations

from aluminium.book import changes


def test_a_moved_number_shows_its_default():
    base = "<strong>The window is shut by 7,857 CNY/t.</strong> Shanghai at 18,367 CNY/t in 2025."
    now = "<strong>The window is shut by 6,540 CNY/t.</strong> Shanghai at 19,684 CNY/t in 2025."
    out = changes.show_change(base, now)
    assert '<span class="al-was">18,367</span> → 19,684 CNY/t' in out
    assert '<span class="al-was">7,857</span> → 6,540 CNY/t' in out
    assert "in 2025" in out and "2025</span>" not in out  # an unmoved number stays as it is
    assert changes.show_change(base, base) == base


def test_changed_wording_carries_the_default_sentence():
    base = "The window is <strong>shut</strong> by 100 CNY/t. <a href=\"#x\">More</a>"
    now = "The window is <strong>open</strong> by 300 CNY/t. <a href=\"#x\">More</a>"
    out = changes.show_change(base, now)
    assert out.startswith(now) and "At the defaults: The window is shut by 100 CNY/t." in out


def test_block_gets_a_note_and_link_only_when_something_moved():
    block = ('<div class="admonition al-key-points" data-key-points="3"><p class="admonition-title">Key points</p>'
             "<ol><li>A 1.</li><li>B 2.</li><li>C 3.</li></ol></div>")
    moved = block.replace("B 2.", "B 5.")
    out = changes.annotated_block(block, moved, "../book/comparison.html")
    assert '<span class="al-was">2</span> → 5' in out and 'href="../book/comparison.html"' in out
    assert changes.annotated_block(block, block, "../book/comparison.html") == block


def test_a_build_with_changed_assumptions_shows_them(turned_site):
    """The session's variant build (other assumptions, the default chapters cached): the smelting key
    points show the default cash margin beside the new one, and the front page links to the
    comparison the build wrote."""
    out = turned_site
    page = (out / "chapters" / "smelting.html").read_text(encoding="utf-8")
    assert 'class="al-was"' in page and "al-change-note" in page
    assert (out / "book" / "comparison.html").exists()
    assert 'href="comparison.html"' in (out / "book" / "intro.html").read_text(encoding="utf-8")
