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


def test_only_a_hash_of_the_access_code_is_kept() -> None:
    code = receipts.new_access_code()
    stored = receipts.hash_access_code(code)
    assert code not in stored
    assert stored.startswith("$argon2id$")
    assert receipts.verify_access_code(stored, code)
    assert receipts.verify_access_code(stored, code.lower().replace("-", " "))
    assert not receipts.verify_access_code(stored, receipts.new_access_code())
    assert not receipts.verify_access_code(None, code)


def test_access_codes_are_long_enough() -> None:
    code = receipts.new_access_code()
    assert len(code.replace("-", "")) == 16
