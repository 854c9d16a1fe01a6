"""The statistics rollup: exact daily (and monthly) counts kept by the write path, so statistics
never scan the complaints (complaints/stats/rollup.py says what each measure holds)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db


class StatsRollup(db.Model):  # type: ignore[name-defined]
    """One count: `measure` (e.g. `received:category|status`), `grain` (`d` a local day, `m` a
    local month, stored as its first day), `day`, up to two values `a` and `b` ('' for none),
    and the number `n`. The primary key is the index every statistic reads (a range of days of
    one measure and grain) and the conflict target of the write path's upserts."""

    __tablename__ = "stats_rollup"

    measure: Mapped[str] = mapped_column(String(48), primary_key=True)
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    a: Mapped[str] = mapped_column(String(40), primary_key=True, default="")
    b: Mapped[str] = mapped_column(String(40), primary_key=True, default="")
    n: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = ({"sqlite_with_rowid": False},)
