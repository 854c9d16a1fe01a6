"""Who may reach what: every route in the URL map has a decision in the table below, and each
decision is checked against an anonymous client and a signed-in client of every role.

A route present in the URL map but missing from the table fails the test: a new route without a
decision about who may use it is not allowed in. Routes the table names but the app does not have
(yet) are simply not exercised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

import pytest
from werkzeug.routing import Rule

from tests.conftest import valid_intake

# -- outcome classes -------------------------------------------------------------------------

PUBLIC = "public"  # open to everyone, signed in or not
LOGIN = "login"  # the sign-in pages: open to anonymous visitors
SIGNED_IN = "staff-any-signed-in"  # any signed-in staff account, whatever its role
CASE_ROLES = "case-roles"  # intake, investigator (own section), supervisor
ROUTING_ROLES = "routing-roles"  # case roles that may change routing: intake, supervisor
ENTRY_ROLES = "entry-roles"  # staff entry and bulk actions: intake, supervisor
STATS_ROLES = "stats-roles"  # aggregate statistics: analyst, supervisor
EXPORT_ROLES = "export-roles"  # case-level exports: supervisors only
ADMIN_ONLY = "admin-only"  # account administration
TOKEN_API = "token-api"  # staff JSON API: bearer tokens only, never the dashboard session

ROLES = ("intake", "investigator", "supervisor", "analyst", "admin")
ALLOWED: dict[str, frozenset[str]] = {
    SIGNED_IN: frozenset(ROLES),
    CASE_ROLES: frozenset({"intake", "investigator", "supervisor"}),
    ROUTING_ROLES: frozenset({"intake", "supervisor"}),
    ENTRY_ROLES: frozenset({"intake", "supervisor"}),
    STATS_ROLES: frozenset({"analyst", "supervisor"}),
    EXPORT_ROLES: frozenset({"supervisor"}),
    ADMIN_ONLY: frozenset({"admin"}),
}
# With a bearer token, the staff API obeys the same roles as the dashboard (CONTRACT.md).
TOKEN_ALLOWED = {"complaints": ALLOWED[CASE_ROLES], "stats": ALLOWED[STATS_ROLES]}

ANY = frozenset({"*"})


@dataclass(frozen=True)
class Decision:
    endpoint: str  # fnmatch pattern on the endpoint name
    rule: str  # fnmatch pattern on the rule, with every <argument> written as <>
    methods: frozenset[str]
    outcome: str


def _d(endpoint: str, outcome: str, rule: str = "*", methods: frozenset[str] = ANY) -> Decision:
    return Decision(endpoint, rule, methods, outcome)


GET, POST = frozenset({"GET"}), frozenset({"POST"})

DECISIONS: list[Decision] = [
    # The public side and the public API.
    _d("public.*", PUBLIC),
    _d("api.file_complaint_api", PUBLIC, "/api/v1/complaints", POST),
    _d("api.complaint_status", PUBLIC, "/api/v1/complaints/<>/status", GET),
    _d("api.openapi", PUBLIC, "/api/v1/openapi.json", GET),
    _d("api.healthz", PUBLIC, "/healthz", GET),
    # Correspondence: the filer's with X-Access-Code (a 404 without it, whoever asks); with a
    # bearer token the staff's (test_correspondence.py checks the roles).
    _d("api.complaint_messages", PUBLIC, "/api/v1/complaints/<>/messages"),
    # The staff API (bearer tokens), by the URLs CONTRACT.md fixes, whatever the endpoint names.
    _d("api.*", TOKEN_API, "/api/v1/complaints", GET),
    _d("api.*", TOKEN_API, "/api/v1/complaints/<>", GET),
    _d("api.*", TOKEN_API, "/api/v1/complaints/<>/transitions", POST),
    _d("api.*", TOKEN_API, "/api/v1/complaints/<>/assignment", POST),
    _d("api.*", TOKEN_API, "/api/v1/stats", GET),
    _d("api.*", TOKEN_API, "/api/v1/attachments/<>", GET),
    # Staff sign-in.
    _d("staff.login", LOGIN, "/staff/login"),
    _d("staff.login_code", LOGIN, "/staff/login/code"),
    # A person's own account.
    _d("staff.account", SIGNED_IN),
    _d("staff.change_password", SIGNED_IN),
    _d("staff.enrol_two_factor", SIGNED_IN),
    _d("staff.logout", SIGNED_IN),
    # Case work.
    _d("staff.queue", CASE_ROLES),
    _d("staff.case", CASE_ROLES),
    _d("staff.case_print", CASE_ROLES),
    _d("staff.case_transition", CASE_ROLES),
    _d("staff.case_assign", CASE_ROLES),
    _d("staff.case_restrict", CASE_ROLES),
    _d("staff.case_note", CASE_ROLES),
    _d("staff.case_assign_me", CASE_ROLES),
    _d("staff.case_message", CASE_ROLES),
    _d("staff.case_replies_read", CASE_ROLES),
    _d("staff.letters_to_print", CASE_ROLES),
    _d("staff.letter_print", CASE_ROLES),
    _d("staff.letter_printed", CASE_ROLES),
    _d("staff.attachment_download", CASE_ROLES),
    _d("staff.attachment_preview", CASE_ROLES),
    _d("staff.save_view", CASE_ROLES),
    _d("staff.delete_view", CASE_ROLES),
    _d("staff.case_override", ROUTING_ROLES),
    _d("staff.enter_complaint", ENTRY_ROLES),
    _d("staff.bulk", ENTRY_ROLES),
    # Statistics pages (a blueprint of their own or part of the staff one).
    _d("stats.*", STATS_ROLES, "/staff/stats*"),
    _d("staff.stats*", STATS_ROLES, "/staff/stats*"),
    _d("staff.cases_export", EXPORT_ROLES, "/staff/export.<>"),
    _d("staff.request_case_export", EXPORT_ROLES, "/staff/export-jobs", POST),
    _d("staff.download_case_export", EXPORT_ROLES, "/staff/export-jobs/<>", GET),
    # Account administration.
    _d("staff.accounts_list", ADMIN_ONLY),
    _d("staff.accounts_create", ADMIN_ONLY),
    _d("staff.account_edit", ADMIN_ONLY),
    _d("staff.account_active", ADMIN_ONLY),
    _d("staff.account_reset_two_factor", ADMIN_ONLY),
]

_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _shape(rule: str) -> str:
    return _ARGUMENT.sub("<>", rule)


def decision_for(endpoint: str, rule: str, method: str) -> Decision | None:
    for decision in DECISIONS:
        if (fnmatchcase(endpoint, decision.endpoint)
                and fnmatchcase(_shape(rule), decision.rule)
                and (decision.methods == ANY or method in decision.methods)):
            return decision
    return None


def routes(rules: Any) -> list[tuple[Rule, str]]:
    """Every (rule, method) pair of the URL map except static files."""
    pairs = []
    for rule in rules:
        if rule.endpoint == "static":
            continue
        for method in sorted(set(rule.methods or ()) - IGNORED_METHODS):
            pairs.append((rule, method))
    # Signing out last, so each client stays signed in through the whole walk.
    return sorted(pairs, key=lambda p: (p[0].endpoint == "staff.logout", p[0].rule, p[1]))


def undecided(rules: Any) -> list[str]:
    return [f"{method} {rule.rule} ({rule.endpoint})" for rule, method in routes(rules)
            if decision_for(rule.endpoint, rule.rule, method) is None]



# -- the world the routes are exercised in ---------------------------------------------------


@dataclass
class World:
    app: Any
    values: dict[str, str]  # URL arguments by name
    access_code: str
    clients: dict[str, Any]  # role -> signed-in client
    members: dict[str, Any]


def _url(rule: Rule, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no test value for URL argument {name!r} of {rule.rule}"
        return values[name]

    return _ARGUMENT.sub(value, rule.rule)


def _request(client: Any, world: World, rule: Rule, method: str, decision: Decision,
             values: dict[str, str] | None = None, **extra: Any) -> Any:
    url = _url(rule, values or world.values)
    kwargs: dict[str, Any] = dict(extra)
    if rule.endpoint == "api.complaint_status":
        kwargs.setdefault("headers", {})["X-Access-Code"] = world.access_code
    elif rule.endpoint == "api.file_complaint_api":
        kwargs["json"] = valid_intake()
    elif decision.outcome == TOKEN_API and method == "POST":
        kwargs.setdefault("json", {})
    elif method == "POST":
        kwargs.setdefault("data", {})
    return client.open(url, method=method, **kwargs)


def _to_login(response: Any) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code in (302, 303) and location.split("?")[0].endswith(
        "/staff/login")


@pytest.fixture
def world(app, client, make_staff, file_via_api) -> World:
    # A complaint in the investigator's section (IMM), receipts and ids that really exist.
    filed = file_via_api()
    members = {role: make_staff(role) for role in ROLES}
    spare = make_staff("intake")  # the admin's account routes act on this one
    clients = {}
    for role, member in members.items():
        clients[role] = app.test_client()
        assert member.sign_in(clients[role]).status_code == 302
    return World(app=app, values={"receipt": filed["receipt"], "ident": str(spare.id),
                                  "locale": "en", "fmt": "csv",
                                  "attachment_id": "999999"},
                 access_code=filed["access_code"], clients=clients, members=members)


# -- tests -----------------------------------------------------------------------------------


def test_every_route_in_the_url_map_has_a_decision(app) -> None:
    missing = undecided(app.url_map.iter_rules())
    assert not missing, "routes without an access decision in the table: " + ", ".join(missing)


def test_a_new_route_without_a_decision_fails() -> None:
    new = [Rule("/staff/brand-new", endpoint="staff.brand_new", methods=["GET"]),
           Rule("/api/v1/complaints/<receipt>/attachments", endpoint="api.attachments",
                methods=["POST"]),
           Rule("/staff/accounts", endpoint="staff.accounts_list", methods=["GET"])]
    assert undecided(new) == ["POST /api/v1/complaints/<receipt>/attachments (api.attachments)",
                              "GET /staff/brand-new (staff.brand_new)"]


def test_anonymous_visitors_reach_only_public_and_login_pages(world) -> None:
    anonymous = world.app.test_client()
    failures = []
    for rule, method in routes(world.app.url_map.iter_rules()):
        decision = decision_for(rule.endpoint, rule.rule, method)
        assert decision is not None
        response = _request(anonymous, world, rule, method, decision)
        what = f"{method} {rule.rule}: {response.status_code} {response.headers.get('Location')}"
        if response.status_code >= 500:
            failures.append("500 " + what)
        elif decision.outcome == PUBLIC:
            if response.status_code in (401, 403) or _to_login(response):
                failures.append("public route denied: " + what)
        elif decision.outcome == LOGIN:
            if response.status_code == 403:
                failures.append("login page denied: " + what)
        elif decision.outcome == TOKEN_API:
            if response.status_code != 401:
                failures.append("token API without a token must answer 401: " + what)
        elif not _to_login(response):
            failures.append("staff route not sent to /staff/login: " + what)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_allows(world, role) -> None:
    client = world.clients[role]
    failures = []
    exercised = 0
    for rule, method in routes(world.app.url_map.iter_rules()):
        decision = decision_for(rule.endpoint, rule.rule, method)
        assert decision is not None
        response = _request(client, world, rule, method, decision)
        exercised += 1
        what = f"{role} {method} {rule.rule}: {response.status_code}"
        if response.status_code >= 500:
            failures.append("500 " + what)
        elif decision.outcome in (PUBLIC, LOGIN):
            if response.status_code == 403:
                failures.append("open page refused: " + what)
        elif decision.outcome == TOKEN_API:
            if response.status_code != 401:
                failures.append("token API must not accept the dashboard session: " + what)
        elif role in ALLOWED[decision.outcome]:
            signed_out = rule.endpoint == "staff.logout"  # its success is the login page
            if response.status_code in (401, 403) or (_to_login(response) and not signed_out):
                failures.append(f"{decision.outcome} route refused an allowed role: " + what)
        elif response.status_code != 403:
            failures.append(f"{decision.outcome} route must answer 403: " + what)
    assert not failures, "\n".join(failures)
    assert exercised > 25


CASE_ENDPOINTS = ("staff.case", "staff.case_print", "staff.case_transition", "staff.case_assign",
                  "staff.case_restrict", "staff.case_note", "staff.case_override",
                  "staff.case_message", "staff.case_replies_read")


def _case_rules(app: Any) -> list[tuple[Rule, str]]:
    return [(rule, method) for rule, method in routes(app.url_map.iter_rules())
            if rule.endpoint in CASE_ENDPOINTS]


def test_investigators_are_refused_complaints_of_other_sections(world, file_via_api) -> None:
    other = file_via_api(primary_category="use_of_force", categories=[])  # section CMP
    client = world.clients["investigator"]
    assert world.members["investigator"].section != "CMP"
    rules = _case_rules(world.app)
    assert len(rules) == len(CASE_ENDPOINTS)
    for rule, method in rules:
        decision = decision_for(rule.endpoint, rule.rule, method)
        assert decision is not None
        response = _request(client, world, rule, method, decision,
                            values={**world.values, "receipt": other["receipt"]})
        assert response.status_code == 403, f"{method} {rule.rule}"


# Restricted complaints: what a case role without the grant gets, and with it.
WITHOUT_GRANT = {"staff.case": 200}  # the page that says only that it exists; others are 403


def test_restricted_complaints_need_the_grant_for_everything_but_knowing_they_exist(
        world, file_via_api, staff_client) -> None:
    restricted = file_via_api(primary_category="sexual_abuse", categories=[],
                              narrative="The officer assaulted me in the shower block at night.")
    granted, _ = staff_client("supervisor", restricted=True)
    values = {**world.values, "receipt": restricted["receipt"]}
    for rule, method in _case_rules(world.app):
        decision = decision_for(rule.endpoint, rule.rule, method)
        assert decision is not None
        for role in ("intake", "supervisor"):
            response = _request(world.clients[role], world, rule, method, decision, values)
            expected = WITHOUT_GRANT.get(rule.endpoint, 403)
            assert response.status_code == expected, f"{role} {method} {rule.rule}"
            assert "shower block" not in response.get_data(as_text=True)
        response = _request(granted, world, rule, method, decision, values)
        assert response.status_code not in (401, 403), f"granted {method} {rule.rule}"
        assert response.status_code < 500, f"granted {method} {rule.rule}"
        if rule.endpoint in ("staff.case", "staff.case_print"):
            assert "shower block" in response.get_data(as_text=True)


def test_staff_api_tokens_obey_the_same_roles(world) -> None:
    token_rules = [(rule, method) for rule, method in routes(world.app.url_map.iter_rules())
                   if (d := decision_for(rule.endpoint, rule.rule, method)) is not None
                   and d.outcome == TOKEN_API]
    if not token_rules:
        pytest.skip("the staff API is not in this build yet")
    for role, member in world.members.items():
        headers = {"Authorization": f"Bearer {member.token(world.app)}"}
        bare = world.app.test_client()
        for rule, method in token_rules:
            decision = decision_for(rule.endpoint, rule.rule, method)
            assert decision is not None
            area = "stats" if "/stats" in rule.rule else "complaints"
            response = _request(bare, world, rule, method, decision, headers=headers)
            what = f"{role} {method} {rule.rule}: {response.status_code}"
            assert response.status_code < 500, what
            if role in TOKEN_ALLOWED[area]:
                assert response.status_code not in (401, 403), what
            else:
                assert response.status_code == 403, what
