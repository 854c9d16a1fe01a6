"""What a person reads on the public side, in every language: the review step's answers, month
names and dates, the contact language, the landing page's reassurance and other ways to file,
the privacy notice and the accessibility statement."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape

from complaints import dates, i18n
from complaints.domain.taxonomy import CATEGORY_BY_CODE
from tests.integration.test_public_form import hidden_and_visible_values, post_step

LOCALES = [lang.url_code for lang in i18n.LANGUAGES]
ANSWERS = (
    {"primary_category": "detention_conditions", "categories": ["medical_care"],
     "narrative": "No drinking water for four days in unit B.", "incident_month_m": "02",
     "incident_year": "2026"},
    {"components": ["ICE"], "city": "El Paso"},
    {"at_risk_now": "yes", "currently_detained": "no", "us_citizen_held": "no",
     "minor_involved": "no"},
    {"filing_for_other": "no", "interpreter_needed": "y", "share_identity": "yes",
     "dob_month": "01", "dob_day": "19", "dob_year": "2000"},
    {},  # no files
)


def in_locale(app, code: str, message: str, **values) -> str:
    with app.test_request_context(), force_locale(code):
        return gettext(message, **values)


def text_of(fragment: str) -> str:
    """The words of an HTML fragment, spaces collapsed (a narrow no-break space is kept)."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def review_answers(html: str) -> dict[str, tuple[str, list[str]]]:
    """Each review row's field name -> (its answer as read, its list items if a list)."""
    rows = {}
    for name, answer in re.findall(
            r'<div class="review-list__row" data-field="([^"]+)">.*?<dd>(.*?)</dd>', html, re.S):
        items = [text_of(item) for item in re.findall(r"<li>(.*?)</li>", answer, re.S)]
        rows[name] = (text_of(answer), items)
    return rows


def walk_to_review(client, url_locale: str) -> str:
    page = client.get(f"/{url_locale}/file").get_data(as_text=True)
    for fields in ANSWERS:
        response = post_step(client, page, fields, locale=url_locale)
        page = response.get_data(as_text=True)
        assert 'data-error-summary' not in page, page
    return page


@pytest.mark.parametrize("url_locale", LOCALES)
def test_review_step_shows_each_answer_as_a_translated_word(client, app, url_locale) -> None:
    code = i18n.from_url_code(url_locale).code
    rows = review_answers(walk_to_review(client, url_locale))
    yes, no = in_locale(app, code, "Yes"), in_locale(app, code, "No")
    detention = in_locale(app, code, CATEGORY_BY_CODE["detention_conditions"].label)
    medical = in_locale(app, code, CATEGORY_BY_CODE["medical_care"].label)

    assert rows["primary_category"][0] == detention
    assert rows["categories"][1] == [medical]
    assert rows["at_risk_now"][0] == yes
    assert rows["currently_detained"][0] == no
    assert rows["interpreter_needed"][0] == yes
    assert rows["share_identity"][0] == yes
    assert rows["incident_month"][0] == dates.month_year(date(2026, 2, 1), code)
    assert rows["date_of_birth"][0] == dates.long_date(date(2000, 1, 19), code)
    every_item = [item for _, items in rows.values() for item in items]
    assert all(len(item) > 1 for item in every_item), f"a word drawn letter by letter: {rows}"
    if code != "en":
        # No English where the language has its own word (Spanish "No" is Spanish too).
        english = {"Yes", "No", "Conditions in immigration detention",
                   "Medical or mental health care in custody", "February 2026"}
        english -= {yes, no, detention, medical}
        assert not english & {answer for answer, _ in rows.values()}, rows


def test_an_unanswered_question_reads_not_answered_not_no(client) -> None:
    page = client.get("/en/file").get_data(as_text=True)
    for fields in (ANSWERS[0], ANSWERS[1], {}, {}, {}):
        page = post_step(client, page, fields).get_data(as_text=True)
    rows = review_answers(page)
    assert rows["at_risk_now"][0] == "Not answered"
    assert rows["filing_for_other"][0] == "Not answered"


def month_options(html: str, select_id: str) -> list[str]:
    body = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [unescape(label) for value, label in
            re.findall(r'<option value="(\d\d)"[^>]*>([^<]*)</option>', body)]


@pytest.mark.parametrize("url_locale", LOCALES)
def test_month_names_are_the_languages_own(client, url_locale) -> None:
    code = i18n.from_url_code(url_locale).code
    html = client.get(f"/{url_locale}/file").get_data(as_text=True)
    months = month_options(html, "incident_month_m")
    assert months == dates.month_names(code)
    assert len(set(months)) == 12
    others = {lang.code: dates.month_names(lang.code) for lang in i18n.LANGUAGES
              if lang.code != code}
    assert months not in others.values(), "no language shows another language's months"


def test_haitian_creole_and_somali_dates_read_as_their_readers_write_them() -> None:
    assert dates.month_names("ht")[:3] == ["janvye", "fevriye", "mas"]
    assert dates.long_date(date(2026, 12, 1), "ht") == "1 desanm 2026"
    assert dates.long_date(date(2000, 1, 19), "so") == "19 Janaayo 2000"
    assert dates.long_date(date(2000, 1, 19), "ps").startswith("19 ")
    assert dates.month_names("ru")[0] == "январь", "a list names the month, not 'of January'"
    for code in ("ht", "so"):
        assert "janvier" not in dates.long_date(date(2000, 1, 19), code)


@pytest.mark.parametrize("url_locale", LOCALES)
def test_status_page_dates_are_in_the_complaints_language(client, app, file_via_api,
                                                         url_locale) -> None:
    code = i18n.from_url_code(url_locale).code
    filed = file_via_api(language=url_locale)
    html = client.post(f"/{url_locale}/status", data={
        "receipt": filed["receipt"], "access_code": filed["access_code"]}).get_data(as_text=True)
    from complaints.extensions import db
    from complaints.models import Complaint

    with app.test_request_context():
        complaint = db.session.query(Complaint).one()
        expected = dates.long_date(complaint.received_at, code)
    assert f"<dd>{expected}</dd>" in html


@pytest.mark.parametrize("code", ["ht", "so", "ps"])
def test_acknowledgement_email_dates_as_the_filer_writes_them(app, file_via_api, code) -> None:
    from complaints.extensions import db
    from complaints.models import Complaint, OutboxMessage

    file_via_api(language=code, email="filer@example.org")
    with app.test_request_context():
        message = db.session.query(OutboxMessage).one()
        received = db.session.query(Complaint).one().received_at
        assert dates.long_date(received, code) in message.body_text
        assert dates.long_date(received, code) in message.body_html
    assert not re.search(r"janvier|février|décembre|novembre|octobre", message.body_text)


def test_contact_language_follows_the_page_until_the_person_picks_one(client) -> None:
    page = client.get("/en/file").get_data(as_text=True)
    switched = post_step(client, page, {}, action="stay", locale="es").get_data(as_text=True)
    assert hidden_and_visible_values(switched)["language"] == ["es"]
    # On the "about you" step the person picks French; switching the page keeps French.
    you = switched
    for fields in ANSWERS[:3]:
        you = post_step(client, you, fields, locale="es").get_data(as_text=True)
    chosen = post_step(client, you, {"language": "fr"}, locale="es").get_data(as_text=True)
    again = post_step(client, chosen, {}, action="stay", locale="ar").get_data(as_text=True)
    assert hidden_and_visible_values(again)["language"] == ["fr"]


def test_error_summary_is_the_one_alert_and_links_to_what_to_fix(client) -> None:
    html = client.post("/en/file", data={"step": "what", "action": "next"}).get_data(
        as_text=True)
    assert html.count('role="alert"') == 1
    assert 'class="usa-link" href="#primary_category-profiling"' in html
    assert 'href="#narrative"' in html
    assert 'href="#incident_month_m"' in html
    for part in ("incident_month_m", "incident_year", "incident_day"):
        tag = re.search(rf'<(?:select|input)[^>]*id="{part}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag, part
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert "incident-hint" in described, part
        assert "incident_month_m-error-1" in described, part


@pytest.mark.parametrize("url_locale", LOCALES)
def test_landing_reassures_first_and_gives_other_ways_to_file(client, app, url_locale) -> None:
    code = i18n.from_url_code(url_locale).code
    html = client.get(f"/{url_locale}/").get_data(as_text=True)
    not_used = in_locale(app, code, "We do not use your complaint to enforce immigration law "
                                    "against you.")
    start = in_locale(app, code, "Start your complaint")
    assert not_used in html
    assert html.index(not_used) < html.index(start), "said before the person starts"
    assert f'href="/{url_locale}/privacy"' in html
    assert in_locale(app, code, "Other ways to file") in html
    assert "2707 Martin Luther King, Jr. Avenue SE" in html
    assert "Washington, DC 20528-0190" in html
    assert 'href="tel:+18666448360"' in html
    assert in_locale(app, code, "TTY: dial %(tty)s for the relay service.", tty="711") in html
    assert in_locale(app, code, "An official website of the United States government") in html
    for category in CATEGORY_BY_CODE.values():
        label = str(escape(in_locale(app, code, category.label)))
        assert f"{label}</strong>" in html
        assert f"{label}.</strong>" not in html
        assert f"{label}</strong>." not in html


@pytest.mark.parametrize("url_locale", LOCALES)
@pytest.mark.parametrize(("path", "heading"), [
    ("privacy", "How we use your information"), ("accessibility", "Accessibility")])
def test_privacy_notice_and_accessibility_statement(client, app, url_locale, path,
                                                     heading) -> None:
    code = i18n.from_url_code(url_locale).code
    response = client.get(f"/{url_locale}/{path}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{in_locale(app, code, heading)}</h1>" in html
    assert in_locale(app, code, "Other ways to file") in html
    if path == "privacy":
        assert in_locale(app, code, "We do not use your complaint to enforce immigration law "
                                    "against you.") in html


def test_office_contact_and_banner_are_settings(app_factory) -> None:
    app = app_factory(OFFICE_PHONE="1-800-555-0100", OFFICE_TTY="",
                      OFFICE_MAILING_ADDRESS="PO Box 1;Springfield, IL 62701",
                      OFFICIAL_SITE_BANNER=False)
    html = app.test_client().get("/en/").get_data(as_text=True)
    assert 'href="tel:+18005550100"' in html
    assert "Springfield, IL 62701" in html
    assert "PO Box 1<br>" in html
    assert "TTY" not in html
    assert "An official website of the United States government" not in html


@pytest.mark.parametrize(("url_locale", "order"), [
    ("en", ["dob_month", "dob_day", "dob_year"]), ("tl", ["dob_month", "dob_day", "dob_year"]),
    ("es", ["dob_day", "dob_month", "dob_year"]), ("ar", ["dob_day", "dob_month", "dob_year"]),
    ("ht", ["dob_day", "dob_month", "dob_year"]), ("so", ["dob_day", "dob_month", "dob_year"]),
    ("zh-hant", ["dob_year", "dob_month", "dob_day"]), ("ko", ["dob_year", "dob_month", "dob_day"]),
])
def test_date_of_birth_fields_follow_how_the_reader_writes_a_date(client, url_locale,
                                                                  order) -> None:
    page = client.get(f"/{url_locale}/file").get_data(as_text=True)
    for fields in ANSWERS[:3]:
        page = post_step(client, page, fields, locale=url_locale).get_data(as_text=True)
    shown = re.findall(r'<(?:input|select)[^>]*id="(dob_(?:day|month|year))"', page)
    assert shown == order


def visible_text(html: str) -> str:
    body = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return text_of(body)


@pytest.mark.parametrize("url_locale", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("path", ["", "file", "status", "privacy", "accessibility"])
def test_chinese_pages_use_chinese_punctuation(client, url_locale, path) -> None:
    html = client.get(f"/{url_locale}/{path}").get_data(as_text=True)
    if path == "file":
        html += client.post(f"/{url_locale}/file", data={"step": "what", "action": "next"}
                            ).get_data(as_text=True)
    text = visible_text(html)
    han = r"[\u3400-\u9fff]"
    clashes = re.findall(rf"{han}[.,:;()!?]|[,:;()!?]{han}", text)
    assert clashes == [], clashes
