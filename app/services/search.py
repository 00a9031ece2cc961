"""Text normalisation and diacritic-insensitive folding for search and sorting."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Control characters are invisible, and spreadsheets and PDFs refuse them: no stored text keeps one.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str | None) -> str:
    """NFC (files arrive in NFD too), single spaces, no control characters, no ends: how every text is
    stored."""
    if text is None:
        return ""
    return _SPACES.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))).strip()


def fold(text: str | None) -> str:
    """Lower case without marks, đ -> d: "Quán triệt" and "quan triet" fold alike."""
    lowered = clean(text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_sort_key(full_name: str) -> str:
    """Vietnamese lists sort by the given name (the last word), then by the whole name."""
    words = fold(full_name).split()
    return " ".join([words[-1], *words]) if words else ""


def like_pattern(query: str) -> str:
    """A LIKE pattern matching the folded query anywhere, with LIKE's wildcards escaped."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def each_word_like(column, query: str) -> list:
    """One LIKE per word, all required: "hoc tap quan triet" finds "Học tập, quán triệt" despite the comma."""
    return [column.like(like_pattern(word), escape="\\") for word in fold(query).split()]
