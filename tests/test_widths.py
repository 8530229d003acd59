"""reportlab's paragraphs measure through kept answers: the same numbers, a bounded store."""

from __future__ import annotations


def test_kept_widths_are_reportlabs_and_bounded() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import paragraph

    from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts
    from leaflet.renderers.leaflet_pdf import widths

    font = register_reportlab_fonts(LEAFLET_FONT)
    widths.install()
    widths.install()  # once only: not a store kept around another
    for word in ("calcinosis", "Words", "to", "know", "é—“q”", ""):
        for size in (12.0, 18.0, 13.7):
            assert paragraph.stringWidth(word, font, size) == pdfmetrics.stringWidth(
                word, font, size
            )
    assert paragraph.getAscentDescent(font, 12) == pdfmetrics.getAscentDescent(font, 12)
    assert paragraph.stringWidth.cache_info().maxsize == widths.KEPT
    assert paragraph.stringWidth.__wrapped__ is pdfmetrics.stringWidth
