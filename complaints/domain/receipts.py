"""Receipt numbers and access codes: short, unambiguous, unguessable; only code hashes are kept.

The alphabet leaves out letters people confuse (0/O, 1/I/L, U) so a code read aloud over the phone
or copied from paper survives. Codes come from `secrets`, never from `random`.
"""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_PREFIX = "CR"
RECEIPT_RE = re.compile(rf"^{RECEIPT_PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
ACCESS_CODE_GROUPS = 4  # 4 groups of 4 characters: about 78 bits

# Access codes carry enough entropy that a light argon2id setting is plenty, and status look-ups
# stay fast.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash("not-a-real-code")


def _random_chars(count: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(count))


def new_receipt() -> str:
    """A new receipt number such as CR-7K4M-9QX2 (about 39 bits; unique by database index)."""
    return f"{RECEIPT_PREFIX}-{_random_chars(4)}-{_random_chars(4)}"


def new_access_code() -> str:
    """A new access code such as 7K4M-9QX2-HT3P-WW8C."""
    return "-".join(_random_chars(4) for _ in range(ACCESS_CODE_GROUPS))


def _clean(text: str) -> str:
    return re.sub(r"[\s\-_.]", "", text.upper())


def normalize_receipt(text: str) -> str | None:
    """Accept what people type (lower case, spaces, missing dashes); None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    raw = _clean(text)
    if raw.startswith(RECEIPT_PREFIX):
        raw = raw[len(RECEIPT_PREFIX):]
    if len(raw) != 8:
        return None
    receipt = f"{RECEIPT_PREFIX}-{raw[:4]}-{raw[4:]}"
    return receipt if RECEIPT_RE.match(receipt) else None


def normalize_access_code(text: str) -> str:
    """The canonical form of a typed access code: upper case, no separators."""
    if not isinstance(text, str):
        return ""
    return _clean(text)[:64]


def hash_access_code(code: str) -> str:
    return _hasher.hash(normalize_access_code(code))


def verify_access_code(code_hash: str | None, code: str) -> bool:
    """Check a typed code against its hash; spends the same effort when there is no hash."""
    candidate = normalize_access_code(code)
    try:
        return _hasher.verify(code_hash or _DUMMY_HASH, candidate) and code_hash is not None
    except (VerificationError, InvalidHashError):
        return False
