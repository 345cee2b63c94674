"""Rebuild the CJK and symbol font subsets shipped here (needs fontTools; not a runtime dependency).

    pip install fonttools && python resources/fonts/make_subsets.py
Sources: Debian packages fonts-droid-fallback (DroidSansFallbackFull.ttf, Apache-2.0) and
fonts-symbola (Symbola_hint.ttf, free for any use).
"""
from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def cjk_codepoints() -> set[int]:
    """Punctuation, kana, Hangul, fullwidth forms and the ideographs of GB2312, JIS X 0208, Big5 level 1."""
    cps = set(range(0x3000, 0x3100)) | set(range(0xFF00, 0xFFF0)) | set(range(0x3130, 0x3190))
    for cp in range(0x4E00, 0xA000):
        char = chr(cp)
        if _encodes(char, "gb2312") or _encodes(char, "euc_jp"):
            cps.add(cp)
        elif _encodes(char, "big5") and 0xA440 <= int.from_bytes(char.encode("big5"), "big") <= 0xC67E:
            cps.add(cp)
    cps |= {cp for cp in range(0xAC00, 0xD7A4) if _encodes(chr(cp), "euc_kr")}
    return cps


def make(src: str, out: str, codepoints: set[int]) -> None:
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(src)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.save(HERE / out)


if __name__ == "__main__":
    make("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "DroidSansFallback-CJK.ttf",
         cjk_codepoints())
    make("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", "Symbola-Symbols.ttf",
         set(range(0x2000, 0x2C00)) | set(range(0x1F000, 0x1FB00)))
