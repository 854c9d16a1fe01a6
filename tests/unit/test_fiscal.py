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
