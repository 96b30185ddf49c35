"""Splitting and sorting personal names (pure)."""

from __future__ import annotations

import unicodedata

# Particles that belong to the family name for sorting purposes ("van der Berg", "de la Cruz").
PARTICLES = {
    "da",
    "das",
    "de",
    "del",
    "della",
    "der",
    "di",
    "dos",
    "du",
    "la",
    "le",
    "van",
    "von",
    "y",
    "bin",
    "ibn",
    "al",
}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md"}


def split_name(full_name: str) -> tuple[str, str]:
    """Guess (given, family) from a full name written given-first: the best we can do without
    asking; people can correct it. "Ana María de la Cruz" → ("Ana María", "de la Cruz")."""
    words = full_name.split()
    while len(words) > 1 and words[-1].lower().strip(",") in SUFFIXES:
        words.pop()
    if len(words) <= 1:
        return (words[0] if words else "", "")
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in PARTICLES:
        family_start -= 1
    return " ".join(words[:family_start]), " ".join(words[family_start:])


def fold(text: str) -> str:
    """Lower case without accents, for matching and sorting ("Émile" ~ "emile")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def sort_key(*, full_name: str, given_name: str, family_name: str) -> str:
    """The key people lists sort by: family name first, ignoring particles and accents."""
    family = family_name.strip()
    words = family.split()
    while len(words) > 1 and words[0].lower() in PARTICLES:
        words = words[1:]
    core = " ".join(words)
    if not core:
        return fold(full_name)
    return fold(f"{core} {given_name}".strip())
