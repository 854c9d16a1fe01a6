"""Near-identical narrative detection works in every script."""

from __future__ import annotations

from complaints.domain import duplicates

ENGLISH = ("The guards at the processing center refused to give my brother his insulin for "
           "three days even though he asked every morning.")
CHINESE = "拘留中心的警卫连续三天拒绝给我哥哥胰岛素，尽管他每天早上都要求。我们非常担心他的健康。"


def test_identical_after_normalising() -> None:
    noisy = "  " + ENGLISH.upper().replace(" ", "   ") + "!!"
    assert duplicates.similarity(ENGLISH, noisy) == 1.0
    assert duplicates.signature(ENGLISH) == duplicates.signature(noisy)


def test_small_edits_stay_near_identical() -> None:
    edited = ENGLISH.replace("three", "3")
    assert duplicates.is_near_identical(ENGLISH, edited)
    shared_bands = set(duplicates.signature(ENGLISH)) & set(duplicates.signature(edited))
    assert shared_bands, "a small edit should share at least one band"


def test_different_stories_are_not_duplicates() -> None:
    other = ("An officer at the airport asked me about my religion and searched my bag "
             "in front of everyone because of my headscarf.")
    assert not duplicates.is_near_identical(ENGLISH, other)
    assert not set(duplicates.signature(ENGLISH)) & set(duplicates.signature(other))


def test_works_without_spaces() -> None:
    assert duplicates.is_near_identical(CHINESE, CHINESE + "谢谢")
    assert len(duplicates.signature(CHINESE)) == duplicates.BANDS


def test_short_narratives_are_not_compared() -> None:
    assert duplicates.signature("help me") == []


def test_band_values_fit_a_signed_bigint() -> None:
    assert all(0 <= v < 2**63 for v in duplicates.signature(ENGLISH))


def test_email_key() -> None:
    assert duplicates.email_key("  Ana@Example.ORG ") == "ana@example.org"
    assert duplicates.email_key("   ") is None


def _reference_signature(text: str) -> list[int]:
    """The signature as first written (plain Python arithmetic): stored band values were made
    this way, so a faster signature() must give exactly the same ones."""
    import hashlib

    if len(duplicates.normalize_narrative(text)) < duplicates.MIN_NARRATIVE_LENGTH:
        return []
    hashes = [duplicates._hash64(s) for s in duplicates.shingles(text)]
    minima = [min((a * h + b) % duplicates._MERSENNE for h in hashes)
              for a, b in duplicates._PERMUTATIONS]
    bands = []
    for band in range(duplicates.BANDS):
        rows = minima[band * duplicates.ROWS_PER_BAND:(band + 1) * duplicates.ROWS_PER_BAND]
        digest = hashlib.blake2b(repr((band, rows)).encode(), digest_size=8).digest()
        bands.append(int.from_bytes(digest) >> 1)
    return bands


def test_signatures_stay_the_ones_already_stored() -> None:
    import random

    rng = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyzéñ汉字한국어 مرحبا"
    for _ in range(50):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(30, 600)))
        assert duplicates.signature(text) == _reference_signature(text)


def test_a_filter_made_from_one_narrative_judges_others_as_the_pairwise_test_does() -> None:
    alike = duplicates.near_identical_filter(ENGLISH)
    for other in (ENGLISH, ENGLISH.upper() + "!!", CHINESE, ENGLISH[: len(ENGLISH) // 2], ""):
        assert alike(other) == duplicates.is_near_identical(ENGLISH, other), other
