"""Receipt numbers and access codes."""

from __future__ import annotations

from complaints.domain import receipts


def test_receipts_look_right_and_do_not_repeat() -> None:
    made = {receipts.new_receipt() for _ in range(2000)}
    assert len(made) == 2000
    assert all(receipts.RECEIPT_RE.match(r) for r in made)
    assert not any(set(r[3:]) & set("01ILOU") for r in made)


def test_people_can_type_receipts_loosely() -> None:
    assert receipts.normalize_receipt(" cr 7k4m 9qx2 ") == "CR-7K4M-9QX2"
    assert receipts.normalize_receipt("7K4M9QX2") == "CR-7K4M-9QX2"
    assert receipts.normalize_receipt("CR-7K4M-9QX") is None
    assert receipts.normalize_receipt("CR-7K4M-9Q\x00X") is None
    assert receipts.normalize_receipt("x" * 1000) is None


KEY = receipts.derive_key("a secret of the kind SECRET_KEY holds, long enough")
OLD_KEY = receipts.derive_key("the secret before it was rotated, also long enough")


def test_only_a_keyed_hash_of_the_access_code_is_kept() -> None:
    code = receipts.new_access_code()
    stored = receipts.hash_access_code(code, KEY)
    assert code not in stored
    assert code.replace("-", "") not in stored
    assert stored.startswith(f"hmac-sha256${receipts.key_id(KEY)}$")
    assert receipts.verify_access_code(stored, code, [KEY])
    assert receipts.verify_access_code(stored, code.lower().replace("-", " "), [KEY])
    assert not receipts.verify_access_code(stored, receipts.new_access_code(), [KEY])
    assert not receipts.verify_access_code(None, code, [KEY])


def test_the_same_code_under_another_key_does_not_verify() -> None:
    code = receipts.new_access_code()
    assert receipts.hash_access_code(code, KEY) != receipts.hash_access_code(code, OLD_KEY)
    assert not receipts.verify_access_code(receipts.hash_access_code(code, OLD_KEY), code, [KEY])


def test_hashes_made_under_an_old_key_verify_while_it_is_kept() -> None:
    code = receipts.new_access_code()
    stored = receipts.hash_access_code(code, OLD_KEY)
    assert receipts.verify_access_code(stored, code, [KEY, OLD_KEY])


def test_argon2_hashes_of_earlier_versions_still_verify() -> None:
    from argon2 import PasswordHasher

    code = receipts.new_access_code()
    legacy = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash(
        receipts.normalize_access_code(code))
    assert receipts.verify_access_code(legacy, code, [KEY])
    assert receipts.verify_access_code(legacy, code.lower(), [])
    assert not receipts.verify_access_code(legacy, receipts.new_access_code(), [KEY])
    assert not receipts.verify_access_code("$argon2id$garbage", code, [KEY])
    assert not receipts.verify_access_code("md5$x$y", code, [KEY])


def test_access_codes_are_long_enough() -> None:
    code = receipts.new_access_code()
    assert len(code.replace("-", "")) == 16


def test_every_character_of_a_code_is_equally_likely() -> None:
    from collections import Counter

    counts = Counter("".join(receipts.new_access_code().replace("-", "") for _ in range(6000)))
    assert set(counts) == set(receipts.ALPHABET)
    expected = 6000 * 16 / len(receipts.ALPHABET)  # 3,200 of each
    assert all(abs(n - expected) < 0.1 * expected for n in counts.values()), counts
