"""The bundled Liberation Serif (Times New Roman's metrics, full Vietnamese), registered once."""

from __future__ import annotations

from functools import cache

from app.config import resources_dir

FAMILY = "LiberationSerif"
FACES = {FAMILY: "Regular", f"{FAMILY}-Bold": "Bold", f"{FAMILY}-Italic": "Italic",
         f"{FAMILY}-BoldItalic": "BoldItalic"}


@cache
def register() -> str:
    """Register the four faces (so <b> and <i> work in paragraphs) and return the family name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources_dir() / "fonts"
    for name, face in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / f"LiberationSerif-{face}.ttf")))
    for bold, italic, name in ((0, 0, FAMILY), (1, 0, f"{FAMILY}-Bold"), (0, 1, f"{FAMILY}-Italic"),
                               (1, 1, f"{FAMILY}-BoldItalic")):
        addMapping(FAMILY, bold, italic, name)
    return FAMILY
