"""Near-identical narrative detection works in every script."""

from __future__ import annotations

from typing import Any

from complaints.domain import duplicates

ENGLISH = ("The guards at the processing center refused to give my brother his insulin for "
           "three days even though he asked every morning.")
# signature(ENGLISH) under scheme 2 (migration 0010).
FROZEN_ENGLISH_SIGNATURE = [6492712143284024788, 1225886051583752419, 4779920693477682225,
                            7617816805395422525]
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
    """Scheme 1, as first written (plain Python arithmetic): the band values stored before
    migration 0010, which its downgrade must give back exactly."""
    import hashlib

    if len(duplicates.normalize_narrative(text)) < duplicates.MIN_NARRATIVE_LENGTH:
        return []
    mersenne = (1 << 61) - 1
    permutations = [
        (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) % mersenne | 1,
         int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % mersenne)
        for i in range(16)]
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest())
              for s in duplicates.shingles(text)]
    minima = [min((a * h + b) % mersenne for h in hashes) for a, b in permutations]
    bands = []
    for band in range(duplicates.BANDS):
        rows = minima[band * duplicates.ROWS_PER_BAND:(band + 1) * duplicates.ROWS_PER_BAND]
        digest = hashlib.blake2b(repr((band, rows)).encode(), digest_size=8).digest()
        bands.append(int.from_bytes(digest) >> 1)
    return bands


def _migration_0010() -> Any:
    import importlib.util
    from pathlib import Path

    path = (Path(__file__).resolve().parents[2] / "migrations" / "versions"
            / "0010_narrative_signatures_v2.py")
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _random_texts() -> list[str]:
    import random

    rng = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyzéñ汉字한국어 مرحبا"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(30, 600)))
            for _ in range(50)]


def test_the_downgrade_gives_back_the_signatures_stored_before_migration_0010() -> None:
    scheme_1 = _migration_0010()._scheme_1
    for text in _random_texts():
        assert scheme_1(text) == _reference_signature(text)


def test_the_signature_scheme_changes_only_with_a_migration() -> None:
    """Stored signatures are compared with new ones: if this value changes, a migration must
    recompute the stored ones (as 0010 does) and this value be updated with it."""
    assert duplicates.signature(ENGLISH) == FROZEN_ENGLISH_SIGNATURE


def test_near_identical_narratives_share_a_band_under_both_schemes() -> None:
    edited = ENGLISH.replace("three", "3")
    for make in (duplicates.signature, _reference_signature):
        assert set(make(ENGLISH)) & set(make(edited))
        assert make(ENGLISH) != make(CHINESE)


def test_a_filter_made_from_one_narrative_judges_others_as_the_pairwise_test_does() -> None:
    alike = duplicates.near_identical_filter(ENGLISH)
    for other in (ENGLISH, ENGLISH.upper() + "!!", CHINESE, ENGLISH[: len(ENGLISH) // 2], ""):
        assert alike(other) == duplicates.is_near_identical(ENGLISH, other), other
