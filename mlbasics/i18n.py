"""The language of the course's messages and figures: English, or an edition's (Korean: ``ko``).

An edition's notebooks start with ``mlbasics.use_edition("ko")`` (their setup cell): from then on
the checks of :mod:`mlbasics.grading` speak Korean and figures draw Korean text with a Korean font.
The Korean messages are in ``mlbasics/locale/ko.po`` (gettext), keyed by the English.
"""

import warnings
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
EDITION = None
"""The edition in use: None (English) or a code such as "ko"."""

FONTS = {"ko": ["Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "NanumBarunGothic", "Malgun Gothic",
                "AppleGothic", "UnDotum"]}
"""Fonts that draw the edition's script, the first one found wins."""

INSTALL_FONT = {"ko": "a Korean font (Debian/Ubuntu: apt install fonts-noto-cjk; "
                      "macOS and Windows have one already)"}

_catalogs = {}


def catalog(edition):
    """English -> translated message, from ``mlbasics/locale/<edition>.po`` (empty if it has none)."""
    if edition not in _catalogs:
        path = LOCALE / f"{edition}.po"
        table = {}
        if path.is_file():
            import polib

            table = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.fuzzy and not e.obsolete}
        _catalogs[edition] = table
    return _catalogs[edition]


def _(message):
    """``message`` in the edition in use (itself in English, or where it has no translation)."""
    if EDITION is None:
        return message
    return catalog(EDITION).get(message, message)


def font_for(edition):
    """The first installed font of :data:`FONTS` for ``edition``, or None."""
    from matplotlib import font_manager

    wanted = FONTS.get(edition, [])
    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(wanted):
        # matplotlib caches the fonts it found on its first run: a font installed since is added here
        hints = ("cjk", "nanum", "kr", "gothic", "undotum")
        for path in font_manager.findSystemFonts():
            if any(h in Path(path).name.lower() for h in hints):
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # a font file matplotlib cannot read
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in wanted if name in installed), None)


def use_edition(edition):
    """Speak ``edition`` ("ko"; None or "en" for English) in messages and figures from now on.

    Figures draw their text with the edition's font (it has Latin letters and digits too), formulas
    with matplotlib's own. Without such a font installed, Korean text would be drawn as empty boxes: one warning
    says which font to install, and the figures fall back to the course's font (the messages are
    Korean all the same).
    """
    global EDITION
    edition = None if edition in (None, "", "en") else edition
    if edition is not None and edition not in FONTS:
        raise ValueError(f"edition must be None, 'en' or one of {sorted(FONTS)}, got {edition!r}")
    EDITION = edition
    import matplotlib

    if edition is None:
        matplotlib.rcParams["font.family"] = matplotlib.rcParamsDefault["font.family"]
        matplotlib.rcParams["font.sans-serif"] = matplotlib.rcParamsDefault["font.sans-serif"]
        return None
    font = font_for(edition)
    if font is None:
        warnings.warn(f"No font for the {edition} edition's figures is installed, so their {edition} text "
                      f"cannot be drawn: install {INSTALL_FONT[edition]}, then restart the kernel.",
                      stacklevel=2)
        # One warning, not one per missing glyph of every figure.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from current font")
        return None
    # The edition's font first: a label with a formula ("학습률 $\eta$") is drawn by mathtext, which
    # takes its text outside the formula from the first family only. Its Latin letters and digits
    # serve as well; a glyph it lacks comes from the next family (matplotlib >= 3.6).
    matplotlib.rcParams["font.family"] = [font, matplotlib.rcParamsDefault["font.sans-serif"][0]]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the Korean font has no U+2212 minus in some builds
    return font
