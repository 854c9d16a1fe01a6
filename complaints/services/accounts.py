"""Staff accounts: creation, passwords (argon2id), two-factor codes (TOTP, never accepted twice),
API tokens (only their hash kept) and account changes by admins — each change audited."""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from complaints.domain.taxonomy import ROLE_CODES, S_, SECTION_CODES
from complaints.extensions import db
from complaints.models import ApiToken, StaffUser
from complaints.models.types import utcnow
from complaints.services import audit

PASSWORD_MIN = 12
TOKEN_PREFIX = "cmp_"  # noqa: S105 (a recognisable prefix, not a secret)
TOTP_ISSUER = "Civil Rights Complaints"
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no such account. Made on first use, not at
    import: a hash costs 64 MiB and a third of a second, which every worker, command and
    export would otherwise pay at start."""
    return _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """Input for an account was refused; the message says why."""


@dataclass(frozen=True)
class StaffDetails:
    email: str
    name: str
    role: str
    section: str | None = None
    restricted_access: bool = False


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(S_("That is not a valid email address.")) from exc


def check_details(details: StaffDetails) -> StaffDetails:
    email = normalize_email(details.email)
    name = " ".join(details.name.split())
    if not name or len(name) > 200:
        raise AccountError(S_("Give a name of up to 200 characters."))
    if details.role not in ROLE_CODES:
        raise AccountError(S_("Unknown role."))
    section = details.section or None
    if details.role == "investigator" and section not in SECTION_CODES:
        raise AccountError(S_("Investigators need a section."))
    if section is not None and section not in SECTION_CODES:
        raise AccountError(S_("Unknown section."))
    if details.role != "investigator":
        section = None if details.role in ("analyst", "admin") else section
    return StaffDetails(email, name, details.role, section, bool(details.restricted_access))


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise AccountError(S_("Use a password of at least 12 characters."))
    if len(password) > 1000:
        raise AccountError(S_("That password is too long."))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: StaffUser | None, password: str) -> bool:
    """Check a password, spending the same effort when there is no such account."""
    dummy = _dummy_hash()  # made on the first attempt whoever signs in, so timing tells nothing
    try:
        ok = _hasher.verify(user.password_hash if user else dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    if ok and user is not None and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()  # kept even when sign-in goes on to a two-factor step
    return ok and user is not None


def by_email(email: str) -> StaffUser | None:
    try:
        key = normalize_email(email)
    except AccountError:
        return None
    return db.session.scalar(select(StaffUser).where(StaffUser.email == key))


def create_staff(details: StaffDetails, password: str, actor: str) -> StaffUser:
    details = check_details(details)
    check_password(password)
    if by_email(details.email) is not None:
        raise AccountError(S_("An account with that email already exists."))
    user = StaffUser(email=details.email, name=details.name, role=details.role,
                     section=details.section, restricted_access=details.restricted_access,
                     password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("staff_created", actor, None, staff_id=user.id, email=user.email,
                 role=user.role, section=user.section,
                 restricted_access=user.restricted_access)
    db.session.commit()
    return user


def update_staff(user: StaffUser, details: StaffDetails, actor: str) -> StaffUser:
    """Change role, section, name or grant; sessions made before a change of rights end."""
    details = check_details(StaffDetails(user.email, details.name, details.role,
                                         details.section, details.restricted_access))
    changes = {}
    for field in ("name", "role", "section", "restricted_access"):
        old, new = getattr(user, field), getattr(details, field)
        if old != new:
            changes[field] = {"from": old, "to": new}
            setattr(user, field, new)
    if not changes:
        return user
    if set(changes) - {"name"}:
        user.session_version += 1
    audit.record("staff_updated", actor, None, staff_id=user.id, changes=changes)
    db.session.commit()
    return user


def set_active(user: StaffUser, active: bool, actor: str) -> None:
    if user.active == active:
        return
    user.active = active
    user.session_version += 1
    audit.record("staff_enabled" if active else "staff_disabled", actor, None, staff_id=user.id)
    db.session.commit()


def reset_two_factor(user: StaffUser, actor: str) -> None:
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_step = None
    user.session_version += 1
    audit.record("two_factor_reset", actor, None, staff_id=user.id)
    db.session.commit()


def change_password(user: StaffUser, password: str, actor: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record("password_changed", actor, None, staff_id=user.id)
    db.session.commit()


# -- two-factor ----------------------------------------------------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def pending_totp_secret(user: StaffUser) -> str:
    """The secret being set up: kept on the account (not yet enabled) rather than in the
    session cookie, and the same one until setup succeeds or an admin resets it."""
    if user.totp_enabled:
        raise AccountError(S_("Two-factor sign-in is already set up."))
    if not user.totp_secret:
        user.totp_secret = new_totp_secret()
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), or None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    step = int(moment // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.at(candidate * totp.interval), code):
            return candidate
    return None


def verify_totp(user: StaffUser, code: str, now: float | None = None) -> bool:
    """Accept a code once: a code from a step at or before the last accepted one is refused."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def enable_totp(user: StaffUser, secret: str, code: str, now: float | None = None) -> bool:
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    user.session_version += 1
    audit.record("two_factor_enabled", user.actor, None, staff_id=user.id)
    db.session.commit()
    return True


# -- API tokens ------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_token(user: StaffUser, label: str, actor: str) -> str:
    """A new bearer token for this account; shown once, only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(staff_id=user.id, label=label[:200], token_hash=_token_hash(token))
    db.session.add(record)
    db.session.flush()
    audit.record("token_created", actor, None, staff_id=user.id, token_id=record.id,
                 label=record.label)
    db.session.commit()
    return token


def user_for_token(token: str) -> StaffUser | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token),
                                                      ApiToken.revoked_at.is_(None)))
    if record is None:
        return None
    user = db.session.get(StaffUser, record.staff_id)
    if user is None or not user.active:
        return None
    record.last_used_at = utcnow()
    db.session.commit()
    return user
