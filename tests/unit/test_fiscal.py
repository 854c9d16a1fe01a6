"""Fiscal-year quarters and period labels (the federal fiscal year starts on 1 October)."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.stats.queries import (
    fiscal_quarter,
    fiscal_quarter_number,
    fiscal_year,
    month_label,
    period_labels,
    period_start,
)


@pytest.mark.parametrize(("day", "label"), [
    (date(2025, 9, 30), "FY2025-Q4"),
    (date(2025, 10, 1), "FY2026-Q1"),
    (date(2025, 12, 31), "FY2026-Q1"),
    (date(2026, 1, 1), "FY2026-Q2"),
    (date(2026, 3, 31), "FY2026-Q2"),
    (date(2026, 4, 1), "FY2026-Q3"),
    (date(2026, 6, 30), "FY2026-Q3"),
    (date(2026, 7, 1), "FY2026-Q4"),
    (date(2026, 9, 30), "FY2026-Q4"),
])
def test_fiscal_quarter_labels(day: date, label: str) -> None:
    assert fiscal_quarter(day) == label


def test_the_fiscal_year_turns_on_the_first_of_october() -> None:
    assert fiscal_year(date(2025, 9, 30)) == 2025
    assert fiscal_year(date(2025, 10, 1)) == 2026
    assert [fiscal_quarter_number(m) for m in range(1, 13)] == [2, 2, 2, 3, 3, 3, 4, 4, 4,
                                                                 1, 1, 1]
    with pytest.raises(ValueError, match="not a month"):
        fiscal_quarter_number(13)


def test_period_start_inverts_labels() -> None:
    assert period_start("FY2026-Q1", "quarter") == date(2025, 10, 1)
    assert period_start("FY2026-Q2", "quarter") == date(2026, 1, 1)
    assert period_start("FY2026-Q4", "quarter") == date(2026, 7, 1)
    assert period_start("2025-02", "month") == date(2025, 2, 1)
    for month in range(1, 13):
        day = date(2025, month, 15)
        assert fiscal_quarter(period_start(fiscal_quarter(day), "quarter")) == fiscal_quarter(day)
        assert period_start(month_label(day), "month") == day.replace(day=1)


def test_period_labels_cover_the_range_without_gaps() -> None:
    assert period_labels(date(2025, 8, 20), date(2026, 1, 5), "quarter") == [
        "FY2025-Q4", "FY2026-Q1", "FY2026-Q2"]
    assert period_labels(date(2025, 11, 30), date(2026, 2, 1), "month") == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert period_labels(date(2026, 2, 1), date(2025, 1, 1), "month") == []
    with pytest.raises(ValueError, match="unknown period"):
        period_labels(date(2025, 1, 1), date(2025, 2, 1), "week")


# -- reporting periods (stats/periods.py) ----------------------------------------------------------

from complaints.stats import periods  # noqa: E402


@pytest.mark.parametrize(("today", "this_fy", "last_fy"), [
    # The last day of FY2025 and the first of FY2026.
    (date(2025, 9, 30), (date(2024, 10, 1), date(2025, 9, 30)),
     (date(2023, 10, 1), date(2024, 9, 30))),
    (date(2025, 10, 1), (date(2025, 10, 1), date(2025, 10, 1)),
     (date(2024, 10, 1), date(2025, 9, 30))),
    (date(2026, 2, 28), (date(2025, 10, 1), date(2026, 2, 28)),
     (date(2024, 10, 1), date(2025, 9, 30))),
])
def test_fiscal_year_presets_turn_on_october_first(today: date, this_fy: tuple[date, date],
                                                   last_fy: tuple[date, date]) -> None:
    found = periods.presets(today)
    assert (found["this_fy"].date_from, found["this_fy"].date_to) == this_fy
    assert (found["last_fy"].date_from, found["last_fy"].date_to) == last_fy
    # Until its last day, this fiscal year is counted "to date".
    assert ("to date" in found["this_fy"].label) == ((today.month, today.day) != (9, 30))
    assert "to date" not in found["last_fy"].label


def test_fiscal_quarters_of_the_presets() -> None:
    found = periods.presets(date(2026, 1, 15))
    assert (found["this_fy_q1"].date_from, found["this_fy_q1"].date_to) == (
        date(2025, 10, 1), date(2025, 12, 31))
    assert (found["this_fy_q2"].date_from, found["this_fy_q2"].date_to) == (
        date(2026, 1, 1), date(2026, 1, 15))
    assert "this_fy_q3" not in found, "a quarter that has not started is not offered"
    assert (found["last_fy_q4"].date_from, found["last_fy_q4"].date_to) == (
        date(2025, 7, 1), date(2025, 9, 30))
    assert (found["last_fy_q1"].date_from, found["last_fy_q1"].date_to) == (
        date(2024, 10, 1), date(2024, 12, 31))
    with pytest.raises(ValueError, match="not started"):
        periods.resolve("this_fy_q4", None, None, date(2026, 1, 15))


@pytest.mark.parametrize(("fy", "quarter", "span"), [
    (2026, 1, (date(2025, 10, 1), date(2025, 12, 31))),
    (2026, 2, (date(2026, 1, 1), date(2026, 3, 31))),
    (2026, 3, (date(2026, 4, 1), date(2026, 6, 30))),
    (2026, 4, (date(2026, 7, 1), date(2026, 9, 30))),
])
def test_fiscal_quarter_spans(fy: int, quarter: int, span: tuple[date, date]) -> None:
    assert periods.fiscal_quarter_span(fy, quarter) == span
    assert all(fiscal_quarter(day) == f"FY{fy}-Q{quarter}" for day in span)


def test_calendar_year_and_last_twelve_full_months() -> None:
    found = periods.presets(date(2026, 3, 10))
    assert (found["this_year"].date_from, found["this_year"].date_to) == (
        date(2026, 1, 1), date(2026, 3, 10))
    assert (found["last_year"].date_from, found["last_year"].date_to) == (
        date(2025, 1, 1), date(2025, 12, 31))
    assert (found["last_12_months"].date_from, found["last_12_months"].date_to) == (
        date(2025, 3, 1), date(2026, 2, 28))


def test_a_preset_wins_over_dates_and_custom_dates_stay() -> None:
    today = date(2026, 3, 10)
    chosen = periods.resolve("last_fy", date(2020, 1, 1), None, today)
    assert (chosen.date_from, chosen.date_to) == (date(2024, 10, 1), date(2025, 9, 30))
    custom = periods.resolve("custom", date(2025, 1, 2), date(2025, 2, 3), today)
    assert (custom.date_from, custom.date_to, custom.preset) == (
        date(2025, 1, 2), date(2025, 2, 3), "custom")
    assert periods.resolve(None, None, None, today).preset == "all"
    with pytest.raises(ValueError, match="unknown period"):
        periods.resolve("next_century", None, None, today)


def test_the_same_period_a_year_earlier() -> None:
    fy = periods.presets(date(2026, 3, 10))["last_fy"]
    earlier = periods.comparison(fy)
    assert (earlier.date_from, earlier.date_to) == (date(2023, 10, 1), date(2024, 9, 30))
    leap = periods.comparison(periods.custom(date(2024, 2, 1), date(2024, 2, 29)))
    assert (leap.date_from, leap.date_to) == (date(2023, 2, 1), date(2023, 2, 28))
    with pytest.raises(ValueError, match="start and an end"):
        periods.comparison(periods.custom(None, date(2025, 1, 1)))
    with pytest.raises(ValueError, match="up to a year"):
        periods.comparison(periods.custom(date(2024, 1, 1), date(2025, 6, 30)))


def test_dates_typed_under_all_dates_are_used() -> None:
    chosen = periods.resolve("all", date(2025, 1, 2), None, date(2026, 3, 10))
    assert (chosen.date_from, chosen.date_to, chosen.preset) == (date(2025, 1, 2), None,
                                                                 "custom")
