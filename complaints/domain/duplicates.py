"""Possible-duplicate detection: identity keys and near-identical narratives.

Narratives are compared by MinHash over character shingles, which works the same in every script
(Chinese has no spaces). Band values are stored and indexed, so candidates are found by lookup, not
by comparing against every complaint; candidates are then confirmed by their true similarity.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Callable
from hashlib import blake2b as _blake2b

SHINGLE_SIZE = 5
BANDS = 4
ROWS_PER_BAND = 4
NEAR_IDENTICAL = 0.8
MIN_NARRATIVE_LENGTH = 40
WINDOW_DAYS = 90

# Each shingle's 16 MinHash values are the 16 32-bit words of one 64-byte BLAKE2b digest: 16
# independent hash functions for the price of one (a cryptographic hash's output words are
# independent), instead of 16 modular multiplications per shingle in Python's big integers.
_HASHES = BANDS * ROWS_PER_BAND
_WORDS = struct.Struct(f"<{_HASHES}I").unpack
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_narrative(text: str) -> str:
    """Case-folded, accents kept, punctuation and runs of space collapsed to one space."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def shingles(text: str) -> set[str]:
    norm = normalize_narrative(text)
    if len(norm) < SHINGLE_SIZE:
        return {norm} if norm else set()
    return {norm[i:i + SHINGLE_SIZE] for i in range(len(norm) - SHINGLE_SIZE + 1)}


def signature(text: str) -> list[int]:
    """Band values of the narrative's MinHash; empty when it is too short to compare."""
    norm = normalize_narrative(text)
    if len(norm) < MIN_NARRATIVE_LENGTH:
        return []
    grams = {norm[i:i + SHINGLE_SIZE] for i in range(len(norm) - SHINGLE_SIZE + 1)}
    # The minimum of each hash function over the shingles, column by column in C.
    minima = list(map(min, zip(*(_WORDS(_blake2b(g.encode(), digest_size=64).digest())
                                 for g in grams), strict=True)))
    return band_values(minima)


def band_values(minima: list[int]) -> list[int]:
    """The stored form of a MinHash: one 63-bit digest of each band's rows (so it fits a
    signed BIGINT on every database)."""
    bands = []
    for band in range(BANDS):
        rows = minima[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(repr((band, rows)).encode(), digest_size=8).digest()
        bands.append(int.from_bytes(digest) >> 1)
    return bands


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two narratives' shingles (1.0 = identical after normalising)."""
    return _jaccard(shingles(a), shingles(b))


def _jaccard(sa: set[str], sb: set[str]) -> float:
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def is_near_identical(a: str, b: str) -> bool:
    return similarity(a, b) >= NEAR_IDENTICAL


def near_identical_filter(narrative: str) -> Callable[[str], bool]:
    """A test of other narratives against this one, which is cut into shingles only once
    (a filing compares itself with up to fifty candidates)."""
    own = shingles(narrative)
    return lambda other: _jaccard(own, shingles(other)) >= NEAR_IDENTICAL


def email_key(email: str | None) -> str | None:
    """The form of an address used for matching: trimmed and lower case."""
    return email.strip().lower() if email and email.strip() else None


