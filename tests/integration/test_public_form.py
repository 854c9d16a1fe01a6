"""The guided public form, without JavaScript: steps, errors, kept values, review, submit,
confirmation and status look-up."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint

STEP_WHAT = {"primary_category": "medical_care", "categories": ["retaliation"],
             "narrative": "My father has diabetes and the detention center has not given him "
                          "insulin since Monday.",
             "incident_month_m": "03", "incident_year": "2026", "incident_day": ""}
STEP_WHERE = {"components": ["ICE", "CONTRACTOR"], "city": "Tacoma", "state": "WA",
              "facility": "Northwest detention center"}
STEP_SAFETY = {"at_risk_now": "yes", "currently_detained": "yes",
               "detention_location": "Tacoma", "us_citizen_held": "no", "minor_involved": "no"}
STEP_YOU = {"filing_for_other": "yes", "filer_name": "Rosa Díaz", "filer_relationship": "family",
            "consent_attested": "y", "name": "Mateo Díaz", "email": "rosa@example.org",
            "a_number": "A123456789", "language": "es", "share_identity": "yes",
            "dob_month": "", "dob_day": "", "dob_year": ""}


def hidden_and_visible_values(html: str) -> dict[str, list[str]]:
    """Every value the page would post back: inputs, checked boxes, selected options."""
    values: dict[str, list[str]] = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or (kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag):
            continue
        values.setdefault(name.group(1), []).append(unescape(value.group(1)) if value else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html,
                                 re.S):
        values.setdefault(name, []).append(unescape(body))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        values.setdefault(name, []).append(chosen.group(1) if chosen else "")
    return values


def post_step(client, page_html: str, fields: dict, action: str = "next", locale: str = "en"):
    data = hidden_and_visible_values(page_html)
    data.pop("website", None)
    for key, value in fields.items():
        data[key] = value if isinstance(value, list) else [value]
    data["action"] = [action]
    return client.post(f"/{locale}/file", data=data)


def walk_to_review(client) -> str:
    page = client.get("/en/file").get_data(as_text=True)
    for fields in (STEP_WHAT, STEP_WHERE, STEP_SAFETY, STEP_YOU, {}):  # {}: no files
        response = post_step(client, page, fields)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "There is a problem" not in page, page
    return page


def test_root_redirects_by_accept_language(client) -> None:
    response = client.get("/", headers={"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/zh-hant/")
    assert "Accept-Language" in response.headers["Vary"]
    assert client.get("/").headers["Location"].endswith("/en/")


def test_landing_says_what_we_handle_and_cannot_do(client) -> None:
    html = client.get("/en/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Conditions in immigration detention" in html
    assert "We cannot award money" in html
    assert 'href="/en/file"' in html


def test_unknown_locale_is_404(client) -> None:
    assert client.get("/xx/file").status_code == 404


def test_first_step_errors_are_summarised_and_values_kept(client) -> None:
    page = client.get("/en/file").get_data(as_text=True)
    response = post_step(client, page, {"narrative": "Typed <b>story</b>",
                                        "incident_year": "2999", "incident_month_m": "01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#primary_category-profiling"' in html, "the link goes to the first choice"
    assert "The date cannot be in the future." in html
    assert "Typed &lt;b&gt;story&lt;/b&gt;</textarea>" in html
    assert 'value="2999"' in html
    assert "Step 1 of 6" in html
    assert "<title>Error:" in html


def test_full_filing_without_javascript(client, app) -> None:
    review = walk_to_review(client)
    assert "Step 6 of 6" in review
    for shown in ("Medical or mental health care in custody", "Tacoma", "Rosa Díaz",
                  "A123456789", "Español", "U.S. Immigration and Customs Enforcement (ICE)"):
        assert shown in review
    confirmation = post_step(client, review, {"privacy_acknowledged": "y"}, action="submit")
    assert confirmation.status_code == 200
    assert confirmation.headers["Cache-Control"].startswith("no-store")
    html = confirmation.get_data(as_text=True)
    assert "Your complaint was received" in html
    receipt = re.search(r'data-testid="receipt">([^<]+)<', html).group(1)
    code = re.search(r'data-testid="access-code">([^<]+)<', html).group(1)

    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.receipt == receipt
        assert complaint.channel == "web"
        assert complaint.language == "es"
        assert complaint.priority == "urgent"
        assert complaint.incident_month == "2026-03"
        assert complaint.filer_name == "Rosa Díaz"
        assert sorted(complaint.components) == ["CONTRACTOR", "ICE"]

    status_page = client.post("/en/status", data={"receipt": receipt.lower(),
                                                  "access_code": code, "in_page_language": "1"})
    status_html = status_page.get_data(as_text=True)
    assert status_page.headers["Cache-Control"].startswith("no-store")
    assert 'data-testid="public-status"><strong>Received</strong>' in status_html


def test_review_requires_the_privacy_acknowledgement(client, app) -> None:
    review = walk_to_review(client)
    response = post_step(client, review, {}, action="submit")
    html = response.get_data(as_text=True)
    assert "Confirm that you have read how we use your information." in html
    assert "Step 6 of 6" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_back_and_change_keep_everything(client) -> None:
    review = walk_to_review(client)
    back = post_step(client, review, {}, action="goto:what").get_data(as_text=True)
    assert "Step 1 of 6" in back
    assert "insulin since Monday." in back
    values = hidden_and_visible_values(back)
    assert values["components"] == ["ICE", "CONTRACTOR"]
    assert values["filer_name"] == ["Rosa Díaz"]


def test_the_same_submission_twice_files_once(client, app) -> None:
    review = walk_to_review(client)
    first = post_step(client, review, {"privacy_acknowledged": "y"}, action="submit")
    second = post_step(client, review, {"privacy_acknowledged": "y"}, action="submit")
    assert first.status_code == second.status_code == 200
    receipt = re.search(r'data-testid="receipt">([^<]+)<', first.get_data(as_text=True)).group(1)
    again = second.get_data(as_text=True)
    assert "This complaint had already been sent, so it was not filed twice." in again
    assert receipt in again
    assert 'data-testid="access-code"' not in again, "the access code is shown only once"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_honeypot_stops_bots(client, app) -> None:
    review = walk_to_review(client)
    data = hidden_and_visible_values(review)
    data.update(website=["http://spam.example"], privacy_acknowledged=["y"], action=["submit"])
    response = client.post("/en/file", data=data)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_status_lookup_errors(client, file_via_api) -> None:
    filed = file_via_api()
    empty = client.post("/en/status", data={}).get_data(as_text=True)
    assert "Enter your receipt number" in empty
    wrong = client.post("/en/status", data={"receipt": filed["receipt"],
                                            "access_code": "nope"}).get_data(as_text=True)
    assert "We could not find that complaint" in wrong
    assert filed["receipt"] in wrong, "what was typed is kept"


def test_confirmation_without_a_filing_goes_to_status(client) -> None:
    response = client.get("/en/file/confirmation")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/status")


@pytest.mark.parametrize("path", ["/en/", "/en/file", "/en/status", "/ar/", "/fa-af/file"])
def test_every_public_page_sets_lang_and_dir(client, path) -> None:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)">', html)
    assert match
    lang, direction = match.groups()
    assert direction == ("rtl" if lang in ("ar", "fa-AF", "ps") else "ltr")
