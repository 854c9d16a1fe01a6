"""The statistics report: which tables a request asks for, built once and shared by the page,
its downloads and the API, so a download holds exactly what the page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from complaints.domain.taxonomy import CATEGORY_CODES, COMPONENT_CODES
from complaints.stats import queries

PERIODS = ("month", "quarter")


class ReportError(ValueError):
    """A parameter was refused; `errors` maps parameter names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ReportRequest:
    by: list[str] = field(default_factory=lambda: ["category"])
    date_from: date | None = None
    date_to: date | None = None
    category: str | None = None
    component: str | None = None
    period: str = "month"
    suppress_below: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> ReportRequest:
        """Read and check request parameters; refuse bad ones with a message each."""
        errors: dict[str, str] = {}
        raw_by = str(args.get("by") or "category")
        if args.get("by2") and "," not in raw_by:
            raw_by += "," + str(args.get("by2"))
        by = [part.strip() for part in raw_by.split(",") if part.strip()]
        try:
            by = queries.check_dimensions(by)
        except ValueError as exc:
            errors["by"] = str(exc)
        dates: dict[str, date | None] = {}
        for name in ("from", "to"):
            value = str(args.get(name) or "").strip()
            try:
                dates[name] = date.fromisoformat(value) if value else None
            except ValueError:
                errors[name] = f"{value[:20]!r} is not a date: use YYYY-MM-DD"
                dates[name] = None
        start, end = dates.get("from"), dates.get("to")
        if start and end and start > end:
            errors["from"] = "the period starts after it ends"
        category = str(args.get("category") or "") or None
        if category and category not in CATEGORY_CODES:
            errors["category"] = f"unknown category {category[:40]!r}"
        component = str(args.get("component") or "") or None
        if component and component not in COMPONENT_CODES:
            errors["component"] = f"unknown component {component[:40]!r}"
        period = str(args.get("period") or "month")
        if period not in PERIODS:
            errors["period"] = "use month or quarter"
        suppress = str(args.get("suppress") or "").strip()
        threshold: int | None = None
        if suppress:
            if suppress.isascii() and suppress.isdigit() and 1 < int(suppress) <= 1000:
                threshold = int(suppress)
            else:
                errors["suppress"] = "a whole number from 2 to 1000"
        if errors:
            raise ReportError(errors)
        return cls(by, dates.get("from"), dates.get("to"), category, component, period,
                   threshold)

    def as_args(self) -> dict[str, str]:
        values = {"by": ",".join(self.by), "period": self.period,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "",
                  "category": self.category or "", "component": self.component or "",
                  "suppress": str(self.suppress_below or "")}
        return {k: v for k, v in values.items() if v}


def _title(by: list[str]) -> str:
    return "Complaints by " + " and ".join(name.replace("_", " ") for name in by)


def build(request: ReportRequest) -> dict[str, queries.StatsTable]:
    """Every table of the report, in the order the page shows them."""
    where = queries.selection(request.category, request.component)
    span = (request.date_from, request.date_to)
    return {
        _title(request.by): queries.aggregate(request.by, *span, request.suppress_below, where),
        f"Received, opened and closed by {request.period}": queries.flow(
            *span, period=request.period, suppress_below=request.suppress_below),
        "Open complaints by age": queries.backlog(request.date_to, request.suppress_below,
                                                  where),
        "Median days to first triage and to closure": queries.handling_times_table(
            *span, request.suppress_below),
        "Referred and retained": queries.referrals(*span, request.suppress_below),
    }
