"""Receipt numbers and access codes: short, unambiguous, unguessable; only code hashes are kept.

The alphabet leaves out letters people confuse (0/O, 1/I/L, U) so a code read aloud over the phone
or copied from paper survives. Codes come from `secrets`, never from `random`.

An access code is 16 random characters from 30 (about 78 bits), so no one can guess it and
nothing is gained by making each guess slow: codes are hashed with HMAC-SHA256 under a secret
key, which costs microseconds instead of the tens of milliseconds of a password hash. A stolen
database alone does not allow testing codes, because the key is not in it. Each hash names the
key that made it (a short fingerprint), so keys can be rotated while old hashes stay verifiable;
hashes written by earlier versions with argon2id are still verified as such.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_PREFIX = "CR"
RECEIPT_RE = re.compile(rf"^{RECEIPT_PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
ACCESS_CODE_GROUPS = 4  # 4 groups of 4 characters: about 78 bits

KEYED_SCHEME = "hmac-sha256"
# Earlier versions hashed access codes with argon2id; those hashes are verified, never made.
_legacy_hasher = PasswordHasher()


# Random bytes below this are used (it is 8 x 30), so every character is equally likely.
_USABLE_BYTE = 256 - 256 % len(ALPHABET)


def _random_chars(count: int) -> str:
    """`count` characters from ALPHABET, each uniformly random (from `secrets`)."""
    chars: list[str] = []
    while len(chars) < count:
        chars.extend(ALPHABET[byte % len(ALPHABET)]
                     for byte in secrets.token_bytes(2 * count) if byte < _USABLE_BYTE)
    return "".join(chars[:count])


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


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, stored with each hash it makes."""
    return hashlib.sha256(b"complaints access-code key id\0" + key).hexdigest()[:8]


def derive_key(secret: str) -> bytes:
    """The access-code key that belongs to an application secret (separate from its other
    uses of the secret)."""
    return hmac.new(secret.encode("utf-8"), b"complaints access-code key v1",
                    hashlib.sha256).digest()


def _mac(key: bytes, code: str) -> str:
    canonical = normalize_access_code(code).encode("utf-8", "surrogatepass")
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def hash_access_code(code: str, key: bytes) -> str:
    """`hmac-sha256$<key id>$<hex digest>` of the canonical code."""
    return f"{KEYED_SCHEME}${key_id(key)}${_mac(key, code)}"


def verify_access_code(code_hash: str | None, code: str, keys: Iterable[bytes]) -> bool:
    """Check a typed code against its stored hash, with whichever of `keys` made it."""
    if not code_hash:
        return False
    if code_hash.startswith("$argon2"):
        try:
            return _legacy_hasher.verify(code_hash, normalize_access_code(code))
        except (VerificationError, InvalidHashError):
            return False
    scheme, _, rest = code_hash.partition("$")
    wanted_id, _, digest = rest.partition("$")
    if scheme != KEYED_SCHEME:
        return False
    for key in keys:
        if key_id(key) == wanted_id:
            return hmac.compare_digest(_mac(key, code), digest)
    return False
