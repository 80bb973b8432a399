"""Fonts for the reports: Helvetica for English text, an embedded TrueType font for Chinese.

The CJK font is WenQuanYi Micro Hei (Debian/Ubuntu package ``fonts-wqy-microhei``, which the
set-up installs), embedded as a subset, so the PDF shows Chinese names and Chinese text on any
computer. Windows and macOS fonts with TrueType outlines are tried next. When none is found,
reportlab's built-in CID font STSong-Light is used: it needs no file but is not embedded, so
the reader's PDF viewer supplies the glyphs.

In an English report, text that Helvetica cannot show (a Chinese name, a symbol outside
Windows-1252) is switched to the CJK font run by run (:func:`markup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib import textsplit
from reportlab.lib.fonts import addMapping
from reportlab.platypus import paragraph

# reportlab's rule for breaking CJK lines keeps a line from starting with "。" or "）" but not
# with the full-width comma, semicolon, colon, question or exclamation mark; add them.
# Both of its line breakers read the list: one for plain paragraphs, one for mixed fonts.
_NO_LINE_START = "，；：？！、"
for _module in (textsplit, paragraph):
    _module.ALL_CANNOT_START += "".join(c for c in _NO_LINE_START if c not in _module.ALL_CANNOT_START)

CJK_FONT_NAME = "GenuScreenCJK"
CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # fonts-wqy-microhei (the set-up installs it)
    Path("C:/Windows/Fonts/msyh.ttc"),  # Microsoft YaHei
    Path("C:/Windows/Fonts/simhei.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)
CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class ReportFonts:
    regular: str
    bold: str
    cjk: str  # the font that covers Chinese
    source: str  # where the CJK font came from (a file, or the built-in CID font)

    @property
    def all_cjk(self) -> bool:
        return self.regular == self.cjk


@cache
def cjk_font(files: tuple[Path, ...] = CJK_FONT_FILES) -> tuple[str, str]:
    """(registered font name, source) of the first usable CJK font, else the CID fallback."""
    for path in files:
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(path), subfontIndex=0))
        except Exception:  # a damaged or CFF-outline font: try the next
            continue
        # No bold face: bold text in the CJK font stays regular rather than failing.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK_FONT_NAME, bold, italic, CJK_FONT_NAME)
        return CJK_FONT_NAME, str(path)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CID_FALLBACK, bold, italic, CID_FALLBACK)
    return CID_FALLBACK, f"{CID_FALLBACK} (built-in CID font, not embedded)"


def report_fonts(language: str) -> ReportFonts:
    name, source = cjk_font()
    if language == "zh":
        return ReportFonts(name, name, name, source)
    return ReportFonts("Helvetica", "Helvetica-Bold", name, source)


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def markup(text: str | None, fonts: ReportFonts) -> str:
    """``text`` escaped for a reportlab Paragraph; in a Latin font, runs it cannot show are
    wrapped in the CJK font."""
    text = "" if text is None else str(text)
    if fonts.all_cjk:
        return escape(text)
    out: list[str] = []
    run: list[str] = []
    run_latin = True
    for char in text:
        latin = _latin(char) or char in "\n"
        if run and latin != run_latin:
            out.append(_wrap("".join(run), run_latin, fonts))
            run = []
        run.append(char)
        run_latin = latin
    if run:
        out.append(_wrap("".join(run), run_latin, fonts))
    return "".join(out)


def _wrap(run: str, latin: bool, fonts: ReportFonts) -> str:
    return escape(run) if latin else f'<font name="{fonts.cjk}">{escape(run)}</font>'


def font_for(text: str, fonts: ReportFonts, bold: bool = False) -> str:
    """One font for a whole string drawn on the canvas (headers, chart labels)."""
    if fonts.all_cjk or all(_latin(c) for c in text):
        return fonts.bold if bold else fonts.regular
    return fonts.cjk
