"""Staff sign-in: argon2id passwords, one generic failure message, TOTP codes accepted once,
a fresh session at sign-in, idle and absolute expiry, sign-out by POST, deny by default, safe
`next`, throttling per address and per account, two-factor enrolment, sessions ended by account
changes, and CSRF on every state-changing staff form."""

from __future__ import annotations

import base64
import html
import os
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from complaints.extensions import db, limiter
from complaints.models import AuditEvent, StaffUser
from complaints.services import accounts
from tests.conftest import STAFF_PASSWORD

REAL_HASHER = accounts._hasher
GENERIC = "The email, password or code is not right, or the account is not active."



def alert_text(response: Any) -> str:
    match = re.search(r'<p class="usa-alert__text">(.*?)</p>', response.get_data(as_text=True),
                      re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def location(response: Any) -> str:
    return response.headers.get("Location", "")


def goes_to_login(response: Any) -> bool:
    return response.status_code == 302 and location(response).split("?")[0] == "/staff/login"


def events(app: Any, kind: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.kind == kind)))


def user_row(app: Any, ident: int) -> StaffUser:
    with app.app_context():
        user = db.session.get(StaffUser, ident)
        db.session.expunge(user)
        return user


def other_code(secret: str) -> str:
    """A six-digit code that is not valid in the current window."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    valid = {totp.at(now + 30 * step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


# -- passwords and the failure message ------------------------------------------------------


def test_passwords_are_hashed_with_argon2id_and_old_parameters_upgraded_at_sign_in(
        app, client, make_staff, monkeypatch) -> None:
    member = make_staff("intake")  # made with cheap argon2id parameters
    monkeypatch.setattr(accounts, "_hasher", REAL_HASHER)
    assert member.sign_in(client).status_code == 302
    stored = user_row(app, member.id).password_hash
    assert stored.startswith("$argon2id$")
    parameters = extract_parameters(stored)
    # Re-hashed at sign-in with at least OWASP's minimum argon2id parameters.
    assert parameters.time_cost >= 2
    assert parameters.memory_cost >= 19 * 1024


def test_every_sign_in_failure_gets_the_same_message(app, make_staff) -> None:
    member = make_staff("intake")
    disabled = make_staff("intake")
    with app.app_context():
        accounts.set_active(db.session.get(StaffUser, disabled.id), False, "test")
    answers = {}
    attempts = {
        "unknown email": {"email": "nobody@example.org", "password": STAFF_PASSWORD},
        "not an email": {"email": "nobody", "password": STAFF_PASSWORD},
        "wrong password": {"email": member.email, "password": "not the password at all"},
        "disabled account": {"email": disabled.email, "password": STAFF_PASSWORD},
    }
    for name, data in attempts.items():
        client = app.test_client()
        answers[name] = client.post("/staff/login", data=data)
        assert goes_to_login(client.get("/staff/")), name
    client = app.test_client()
    assert client.post("/staff/login", data={"email": member.email,
                                             "password": STAFF_PASSWORD}).status_code == 302
    answers["wrong two-factor code"] = client.post("/staff/login/code",
                                                   data={"code": other_code(member.secret)})
    assert goes_to_login(client.get("/staff/"))
    assert {r.status_code for r in answers.values()} == {401}
    assert {alert_text(r) for r in answers.values()} == {GENERIC}
    failed = events(app, "sign_in_failed")
    assert len(failed) == len(answers)
    assert {e.data["step"] for e in failed} == {"password", "two_factor"}


# -- two-factor codes --------------------------------------------------------------------------


def test_a_two_factor_code_is_accepted_only_once(app, client, make_staff) -> None:
    member = make_staff("supervisor")
    code = member.code()
    client.post("/staff/login", data={"email": member.email, "password": STAFF_PASSWORD})
    assert client.post("/staff/login/code", data={"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200
    assert client.post("/staff/logout").status_code == 302

    assert client.post("/staff/login", data={"email": member.email,
                                             "password": STAFF_PASSWORD}).status_code == 302
    reused = client.post("/staff/login/code", data={"code": code})
    assert reused.status_code == 401
    assert alert_text(reused) == GENERIC
    assert goes_to_login(client.get("/staff/"))

    client.post("/staff/login", data={"email": member.email, "password": STAFF_PASSWORD})
    accepted = client.post("/staff/login/code", data={"code": member.code(steps_ahead=1)})
    assert accepted.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_the_code_page_needs_a_password_first(client) -> None:
    assert goes_to_login(client.get("/staff/login/code"))
    assert goes_to_login(client.post("/staff/login/code", data={"code": "123456"}))


# -- the session -------------------------------------------------------------------------------


def test_sign_in_starts_a_fresh_session(client, make_staff) -> None:
    member = make_staff("intake")
    with client.session_transaction() as session:
        session["planted"] = "set before sign-in"
    client.post("/staff/login", data={"email": member.email, "password": STAFF_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "pending_sign_in" in session
        session["planted"] = "set between the two steps"
    assert client.post("/staff/login/code", data={"code": member.code()}).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "pending_sign_in" not in session
        assert session["signed_in_at"] == session["seen"]


def _age_session(client: Any, **ages: timedelta) -> None:
    now = datetime.now(UTC).timestamp()
    with client.session_transaction() as session:
        for key, age in ages.items():
            session[key] = now - age.total_seconds()


@pytest.mark.parametrize(("key", "age"), [("seen", timedelta(minutes=31)),
                                          ("signed_in_at", timedelta(hours=12, minutes=1))])
def test_sessions_expire_when_idle_and_after_an_absolute_limit(app, staff_client, key,
                                                               age) -> None:
    client, member = staff_client("intake")
    _age_session(client, **{key: age})
    assert goes_to_login(client.get("/staff/"))
    assert goes_to_login(client.get("/staff/")), "the expired session is over, not refreshed"
    assert [e.actor for e in events(app, "session_expired")] == [f"staff:{member.id}"]


def test_an_active_session_within_both_limits_goes_on(staff_client) -> None:
    client, _ = staff_client("intake")
    _age_session(client, seen=timedelta(minutes=29), signed_in_at=timedelta(hours=11))
    assert client.get("/staff/").status_code == 200
    _age_session(client, signed_in_at=timedelta(hours=11, minutes=59))
    assert client.get("/staff/").status_code == 200, "each request resets the idle clock"


def test_sign_out_needs_a_post_and_ends_the_session(app, staff_client) -> None:
    client, member = staff_client("investigator")
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/staff/").status_code == 200, "a GET does not sign anyone out"
    response = client.post("/staff/logout")
    assert goes_to_login(response)
    assert goes_to_login(client.get("/staff/"))
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert [e.actor for e in events(app, "signed_out")] == [f"staff:{member.id}"]


def test_a_cookie_copied_before_sign_out_no_longer_works(staff_client) -> None:
    """Signing out ends every session of the account, copies of the cookie included."""
    client, _ = staff_client("intake")
    stolen = client.get_cookie("session").value
    client.post("/staff/logout")
    client.set_cookie("session", stolen)
    assert goes_to_login(client.get("/staff/"))


# -- deny by default and `next` ----------------------------------------------------------------


def _staff_rules(app: Any) -> list[tuple[str, str]]:
    values = {"receipt": "CR-2345-6789", "ident": "1", "fmt": "csv", "attachment_id": "1"}
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff/") or rule.endpoint in ("staff.login",
                                                                    "staff.login_code"):
            continue
        url = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)
        for method in sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


def test_everything_under_staff_is_denied_by_default_except_sign_in(app, client) -> None:
    rules = _staff_rules(app)
    assert len(rules) > 15
    for method, url in rules:
        response = client.open(url, method=method)
        assert goes_to_login(response), f"{method} {url}: {response.status_code}"
        if method == "GET":
            assert "next=" in location(response)
    assert client.get("/staff/login").status_code == 200


def test_sign_in_returns_to_the_staff_page_asked_for(client, make_staff) -> None:
    member = make_staff("intake")
    first = client.get("/staff/account")
    login_page = client.get(location(first)).get_data(as_text=True)
    next_value = html.unescape(re.search(r'name="next" value="([^"]*)"', login_page).group(1))
    assert next_value.startswith("/staff/account")
    client.post("/staff/login", data={"email": member.email, "password": STAFF_PASSWORD,
                                      "next": next_value})
    response = client.post("/staff/login/code", data={"code": member.code()})
    assert location(response).rstrip("?") == "/staff/account"


@pytest.mark.parametrize("target", [
    "https://evil.example/staff/", "//evil.example/staff/", "http:/staff/", "/en/",
    "javascript:alert(1)//staff/", "\\\\evil.example/staff/", " /staff/", "staff/",
])
def test_next_never_leaves_the_staff_pages(client, make_staff, target) -> None:
    member = make_staff("intake")
    client.post("/staff/login", data={"email": member.email, "password": STAFF_PASSWORD,
                                      "next": target})
    response = client.post("/staff/login/code", data={"code": member.code()})
    assert location(response) == "/staff/"


# -- throttling --------------------------------------------------------------------------------


@pytest.fixture
def limited(app_factory):
    """Apps with sign-in limits on, counted in Redis when TEST_REDIS_URL is set."""

    def _make(per_address: str, per_account: str) -> Any:
        return app_factory(RATELIMIT_ENABLED=True, RATELIMIT_SIGNIN=per_address,
                           RATELIMIT_SIGNIN_ACCOUNT=per_account,
                           RATELIMIT_STORAGE_URI=os.environ.get("TEST_REDIS_URL", "memory://"),
                           RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")

    yield _make
    limiter.reset()
    limiter.enabled = False  # the limiter is shared: leave it as the other tests expect


WRONG_PASSWORD = "not the right password"


def _attempt(app: Any, address: str, email: str, password: str = WRONG_PASSWORD) -> Any:
    return app.test_client().post("/staff/login", data={"email": email, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def _is_throttled(response: Any) -> bool:
    return response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_sign_in_is_throttled_per_address(limited, make_staff) -> None:
    app = limited("3 per minute", "100 per minute")
    member = make_staff("intake")
    codes = [_attempt(app, "10.0.0.1", f"guess{n}@example.org").status_code for n in range(3)]
    assert codes == [401, 401, 401]
    assert _is_throttled(_attempt(app, "10.0.0.1", "guess9@example.org"))
    assert _is_throttled(_attempt(app, "10.0.0.1", member.email, STAFF_PASSWORD)), \
        "even the right password waits"
    assert _attempt(app, "10.0.0.2", member.email, STAFF_PASSWORD).status_code == 302
    assert app.test_client().get("/staff/login").status_code == 200, "only POSTs count"


def test_sign_in_is_throttled_per_account_whatever_the_address(limited, make_staff) -> None:
    app = limited("100 per minute", "3 per minute")
    member = make_staff("intake")
    bystander = make_staff("intake")
    codes = [_attempt(app, f"10.0.1.{n}", member.email).status_code for n in range(3)]
    assert codes == [401, 401, 401]
    throttled = _attempt(app, "10.0.1.9", member.email.upper())
    assert _is_throttled(throttled)
    assert _is_throttled(_attempt(app, "10.0.1.10", member.email, STAFF_PASSWORD))
    assert _attempt(app, "10.0.1.9", bystander.email, STAFF_PASSWORD).status_code == 302


def test_guessing_two_factor_codes_is_throttled(limited, make_staff) -> None:
    app = limited("100 per minute", "3 per minute")
    member = make_staff("intake")
    client = app.test_client()
    assert client.post("/staff/login", data={"email": member.email,
                                             "password": STAFF_PASSWORD}).status_code == 302
    wrong = other_code(member.secret)
    codes = [client.post("/staff/login/code", data={"code": wrong}).status_code
             for _ in range(4)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


# -- two-factor enrolment ---------------------------------------------------------------------


def test_a_new_account_enrols_in_two_factor_from_the_account_page(app, client,
                                                                  make_staff) -> None:
    member = make_staff("intake", two_factor=False)
    assert client.post("/staff/login", data={"email": member.email,
                                             "password": STAFF_PASSWORD}).status_code == 302
    assert location(client.get("/staff/")) == "/staff/account"
    account = client.get("/staff/account").get_data(as_text=True)
    assert 'href="/staff/account/two-factor"' in account

    page = client.get("/staff/account/two-factor").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    assert b"<svg" in base64.b64decode(qr)

    wrong = client.post("/staff/account/two-factor", data={"code": other_code(secret)})
    assert wrong.status_code == 400
    assert secret in wrong.get_data(as_text=True), "the same key is offered again"
    code = pyotp.TOTP(secret).now()
    done = client.post("/staff/account/two-factor", data={"code": code})
    assert done.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert user_row(app, member.id).totp_enabled
    assert [e.actor for e in events(app, "two_factor_enabled")] == [f"staff:{member.id}"]
    assert location(client.get("/staff/account/two-factor")) == "/staff/account", \
        "a second enrolment needs an administrator's reset"

    client.post("/staff/logout")
    assert location(client.post("/staff/login", data={"email": member.email,
                                                      "password": STAFF_PASSWORD})
                    ) == "/staff/login/code"
    assert client.post("/staff/login/code", data={"code": code}).status_code == 401, \
        "the code used to enrol is spent"
    next_code = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/staff/login/code", data={"code": next_code}).status_code == 302


def test_without_two_factor_every_page_but_the_account_sends_to_the_account_page(
        client, make_staff, file_via_api) -> None:
    receipt = file_via_api()["receipt"]
    member = make_staff("supervisor", two_factor=False)
    member.sign_in(client)
    for url in ("/staff/", f"/staff/complaints/{receipt}", "/staff/complaints/new",
                f"/staff/complaints/{receipt}/print"):
        assert location(client.get(url)) == "/staff/account", url
    assert location(client.post(f"/staff/complaints/{receipt}/notes",
                                data={"body": "x"})) == "/staff/account"
    assert client.get("/staff/account").status_code == 200
    assert client.get("/staff/account/two-factor").status_code == 200
    assert goes_to_login(client.post("/staff/logout"))


def test_two_factor_can_be_made_optional_by_configuration(app_factory, make_staff) -> None:
    relaxed = app_factory(STAFF_REQUIRE_TWO_FACTOR=False)
    member = make_staff("intake", two_factor=False)
    client = relaxed.test_client()
    member.sign_in(client)
    assert client.get("/staff/").status_code == 200


# -- account changes end sessions ---------------------------------------------------------------


@pytest.mark.parametrize(("path", "data"), [
    ("/staff/accounts/{id}/active", {"active": "no"}),
    ("/staff/accounts/{id}", {"name": "Test Intake", "role": "analyst", "section": ""}),
    ("/staff/accounts/{id}", {"name": "Test Intake", "role": "intake", "section": "",
                              "restricted_access": "y"}),
    ("/staff/accounts/{id}/reset-two-factor", {}),
])
def test_account_changes_by_an_admin_end_the_persons_sessions(staff_client, path,
                                                              data) -> None:
    victim, member = staff_client("intake")
    admin, _ = staff_client("admin")
    assert victim.get("/staff/").status_code == 200
    assert admin.post(path.format(id=member.id), data=data).status_code == 302
    assert goes_to_login(victim.get("/staff/"))


def test_renaming_an_account_keeps_its_sessions(staff_client) -> None:
    person, member = staff_client("intake")
    admin, _ = staff_client("admin")
    assert admin.post(f"/staff/accounts/{member.id}", data={
        "name": "A New Name", "role": "intake", "section": ""}).status_code == 302
    assert person.get("/staff/").status_code == 200


def test_changing_ones_own_password_ends_other_sessions(app, make_staff) -> None:
    member = make_staff("intake")
    here, elsewhere = app.test_client(), app.test_client()
    member.sign_in(here)
    elsewhere.post("/staff/login", data={"email": member.email, "password": STAFF_PASSWORD})
    elsewhere.post("/staff/login/code", data={"code": member.code(steps_ahead=1)})
    assert elsewhere.get("/staff/").status_code == 200
    response = here.post("/staff/account/password", data={
        "current": STAFF_PASSWORD, "new": "another long enough password"})
    assert location(response) == "/staff/account"
    assert here.get("/staff/").status_code == 200, "the session that changed it goes on"
    assert goes_to_login(elsewhere.get("/staff/"))


# -- CSRF ----------------------------------------------------------------------------------------


def _token(client: Any, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _sign_in_with_csrf(app: Any, member: Any) -> Any:
    client = app.test_client()
    assert client.post("/staff/login", data={
        "email": member.email, "password": STAFF_PASSWORD,
        "csrf_token": _token(client, "/staff/login")}).status_code == 302
    assert client.post("/staff/login/code", data={
        "code": member.code(), "csrf_token": _token(client, "/staff/login/code")}
    ).status_code == 302
    return client


def test_every_state_changing_staff_form_needs_a_csrf_token(app_factory, make_staff) -> None:
    strict = app_factory(WTF_CSRF_ENABLED=True)
    anonymous = strict.test_client()
    for url in ("/staff/login", "/staff/login/code"):
        assert anonymous.post(url, data={"email": "x@example.org", "code": "1"}
                              ).status_code == 400, url
    supervisor = make_staff("supervisor", restricted=True)
    admin = make_staff("admin")
    target = make_staff("intake")
    filed = strict.test_client().post("/api/v1/complaints", json={
        "primary_category": "retaliation", "components": ["ICE"], "privacy_acknowledged": True,
        "narrative": "They moved me after I complained.", "incident_month": "2025-01"})
    receipt = filed.get_json()["receipt"]
    clients = {"supervisor": _sign_in_with_csrf(strict, supervisor),
               "admin": _sign_in_with_csrf(strict, admin)}
    values = {"receipt": receipt, "ident": str(target.id)}
    posts = []
    for rule in strict.url_map.iter_rules():
        if rule.rule.startswith("/staff/") and "POST" in (rule.methods or ()) and \
                rule.endpoint not in ("staff.login", "staff.login_code"):
            url = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)
            posts.append((rule.endpoint, url))
    assert len(posts) >= 14
    for endpoint, url in sorted(posts, key=lambda p: p[0] == "staff.logout"):
        who = "admin" if "/accounts" in url else "supervisor"
        response = clients[who].post(url, data={"body": "a note", "active": "no", "to":
                                                "intake_review", "role": "admin",
                                                "name": "X", "receipt": receipt,
                                                "bulk_action": "move"})
        assert response.status_code == 400, f"{endpoint} {url}: {response.status_code}"
        assert "The form expired" in response.get_data(as_text=True)
    for who, client in clients.items():
        assert client.get("/staff/account").status_code == 200, f"{who} still signed in"
    with strict.app_context():
        assert db.session.get(StaffUser, target.id).active
        assert db.session.get(StaffUser, target.id).role == "intake"
    assert events(strict, "transition") == []
    assert events(strict, "note_added") == []

    token = _token(clients["supervisor"], f"/staff/complaints/{receipt}")
    accepted = clients["supervisor"].post(f"/staff/complaints/{receipt}/notes",
                                          data={"body": "a note", "csrf_token": token})
    assert accepted.status_code == 302
    assert len(events(strict, "note_added")) == 1


def test_only_failed_sign_ins_count_toward_the_account_limit(limited, make_staff) -> None:
    app = limited("100 per minute", "3 per minute")
    member = make_staff("intake", two_factor=False)  # a code is never accepted twice
    for _ in range(6):  # signing in and out all day is never throttled
        client = app.test_client()
        assert member.sign_in(client).status_code == 302
        assert client.post("/staff/logout").status_code == 302
    codes = [_attempt(app, "10.0.2.1", member.email).status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    assert _is_throttled(_attempt(app, "10.0.2.2", member.email, STAFF_PASSWORD))
