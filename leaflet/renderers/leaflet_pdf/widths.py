"""Word widths and font heights measured once per process, for reportlab's paragraphs.

reportlab's `Paragraph.breakLines` measures every word of a one-style paragraph again each time
the paragraph is broken: at each trial measure the glossary row tries, in each table pass, for
each of a library's topics. Both functions are pure (a registered font's metrics never change
under its name), so their answers are kept, and the same words give the same floats. The
paragraph module names them as globals; `install` points those at the kept ones.
"""

from __future__ import annotations

import functools
from typing import Any

KEPT = 32768
"""Answers kept, least recently used dropped first (a few MB at most)."""


@functools.cache
def install() -> None:
    """Make reportlab's paragraph module use the kept measures (once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import paragraph

    width: Any = functools.lru_cache(maxsize=KEPT)(pdfmetrics.stringWidth)
    heights: Any = functools.lru_cache(maxsize=256)(pdfmetrics.getAscentDescent)
    paragraph.stringWidth = width
    paragraph.getAscentDescent = heights
