"""Access codes with this app's keys: new codes and their hashes, and checking a typed code.

The key for new hashes comes from ACCESS_CODE_KEY, or from SECRET_KEY when that is not set.
Old hashes may name any key derived from those or from SECRET_KEY_FALLBACKS (old secrets kept
for exactly this), so rotating a secret never locks filers out of their status.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from complaints.domain import receipts

_EXTENSION = "complaints.access_code_keys"


@dataclass(frozen=True)
class Keys:
    current: bytes
    accepted: tuple[bytes, ...]


def _keys() -> Keys:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    keys: Keys | None = app.extensions.get(_EXTENSION)
    if keys is None:
        config = app.config
        secrets = [config.get("ACCESS_CODE_KEY") or "", config["SECRET_KEY"],
                   *(config.get("SECRET_KEY_FALLBACKS") or [])]
        derived = [receipts.derive_key(s) for s in secrets if s]
        keys = Keys(derived[0], tuple(dict.fromkeys(derived)))
        app.extensions[_EXTENSION] = keys
    return keys


def new_code() -> tuple[str, str]:
    """A fresh access code and the hash to store for it."""
    code = receipts.new_access_code()
    return code, hash_code(code)


def hash_code(code: str) -> str:
    return receipts.hash_access_code(code, _keys().current)


def verify(code_hash: str | None, code: str) -> bool:
    """Does `code` open the complaint whose stored hash is `code_hash` (None: no complaint)?"""
    return receipts.verify_access_code(code_hash, code, _keys().accepted)
