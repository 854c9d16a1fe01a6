"""Statistics commands: export-stats, check-stats and demo-data."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from complaints import database, demo
from complaints.extensions import db
from complaints.stats import exporters, queries, rollup

FORMATS = ("csv", "xlsx", "json")


def _parse_dimensions(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    names = [part.strip() for part in value.split(",")] if value else []
    try:
        return queries.check_dimensions(names)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD",
                                 ctx=ctx, param=param) from exc


@click.command("export-stats")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="csv",
              show_default=True, help="Output format.")
@click.option("--by", "by", required=True, callback=_parse_dimensions,
              metavar="DIMENSION[,DIMENSION]",
              help="One dimension, or two separated by a comma to cross them: "
                   + ", ".join(queries.DIMENSIONS) + ".")
@click.option("--from", "date_from", callback=_parse_date, metavar="DATE",
              help="First day received (YYYY-MM-DD, inclusive, office time zone).")
@click.option("--to", "date_to", callback=_parse_date, metavar="DATE",
              help="Last day received (YYYY-MM-DD, inclusive, office time zone).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write; standard output when omitted (not for xlsx).")
@click.option("--suppress", type=click.IntRange(min=1), metavar="N",
              help="Suppress counts from 1 to N-1 (empty in CSV and Excel, null in JSON), and "
                   "further cells so that none can be worked out from the totals or the other "
                   "tables of the same report. "
                   f"The usual threshold is {queries.DEFAULT_SUPPRESSION}.")
@with_appcontext
def export_stats_command(output_format: str, by: list[str], date_from: date | None,
                         date_to: date | None, output: Path | None, suppress: int | None) -> None:
    """Export aggregate counts of complaints (no personal data; restricted ones included).

    Periods are by the date received. Counts by any_category and component add up to more than
    the total, since one complaint can count under several.
    """
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"--from {date_from} is after --to {date_to}",
                                 param_hint="'--from' / '--to'")
    if output_format == "xlsx" and output is None:
        raise click.UsageError("An Excel file cannot go to the terminal: give --output FILE.")
    from complaints.stats import report as stats_report  # the page's report, suppression

    args = {"by": ",".join(by), "from": date_from.isoformat() if date_from else "",
            "to": date_to.isoformat() if date_to else "", "suppress": str(suppress or "")}
    try:
        wanted = stats_report.ReportRequest.from_args(args)
    except stats_report.ReportError as exc:
        raise click.UsageError(str(exc)) from exc
    if suppress:
        # The same cells hidden as on the statistics page for the same period and breakdown.
        result = stats_report.build_report(wanted)
    else:
        table = queries.aggregate(by, date_from, date_to)
        name = stats_report.title(by)
        result = stats_report.Report(wanted, {name: table}, name)
    table = result.main
    tables = {result.main_title: table}
    about = stats_report.about(result, f"{_user()} (flask export-stats)")
    if output_format == "xlsx":
        assert output is not None  # noqa: S101 - checked above
        output.write_bytes(exporters.to_xlsx(tables, about))
    else:
        content = (exporters.to_csv(tables) if output_format == "csv"
                   else json.dumps(exporters.table_json(table), ensure_ascii=False,
                                   indent=2) + "\n")
        if output is None:
            click.echo(content, nl=False)
        else:
            output.write_text(content, encoding="utf-8")
    if output is not None:
        click.echo(f"Wrote {len(table.rows)} rows ({table.total} complaints) to {output}.",
                   err=True)


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


@click.command("demo-data")
@click.option("--count", type=click.IntRange(min=1), default=1000, show_default=True,
              help="How many complaints to create.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed gives the same complaints (relative to today).")
@click.option("--batch-size", type=click.IntRange(min=100), default=demo.DEFAULT_BATCH,
              show_default=True, help="Complaints per bulk insert.")
@with_appcontext
def demo_data_command(count: int, seed: int, batch_size: int) -> None:
    """Create realistic synthetic complaints (all languages, categories and statuses, over the
    three years before today). For demonstrations and testing only."""
    if current_app.config.get("ENV") == "production":
        click.echo("Warning: COMPLAINTS_ENV is production; demo complaints are being added to "
                   "this database.", err=True)
    if sys.stderr.isatty():
        # A progress bar on a terminal, redrawn in place.
        with click.progressbar(length=count, label="Creating demo complaints", file=sys.stderr,
                               show_pos=True, show_eta=True, width=30) as bar:
            def advance(done: int, total: int, seconds: float) -> None:
                bar.update(done - bar.pos)

            report = demo.generate(count, seed, batch_size=batch_size, progress=advance)
    else:
        report = demo.generate(count, seed, batch_size=batch_size,
                               progress=_progress_lines(count, batch_size))
    click.echo(f"Created {report.count:,} demo complaints and {report.events:,} audit events in "
               f"{report.seconds:.1f} s ({report.rate:,.0f} complaints/s).")
    click.echo(f"Demo access code (the same for every demo complaint of this run): "
               f"{report.access_code}")
    if report.last_receipt:
        click.echo(f"Try it on the status page with receipt {report.last_receipt}.")


@click.command("check-stats")
@click.option("--rebuild", is_flag=True,
              help="Then replace the rollup with the one the rows imply (writers wait "
                   "meanwhile).")
@click.option("--show", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many differences to list.")
@with_appcontext
def check_stats_command(rebuild: bool, show: int) -> None:
    """Recompute the statistics rollup from the complaints (in SQL) and report every
    difference from the stored one; exit 1 if there is any. With --rebuild, replace it too
    (exit 0 once rebuilt)."""
    if rebuild:
        with database.writer_turn(db.engine):
            connection = database.begin_write(db.session())
            if connection.dialect.name == "postgresql":
                # Writers wait until the rebuild commits, so none of their counts is lost.
                connection.exec_driver_sql("LOCK TABLE stats_rollup IN EXCLUSIVE MODE")
            count, found = rollup.check(connection, limit=show)
            _report_differences(count, found)
            rows = rollup.rebuild(connection)
            db.session.commit()
        click.echo(f"Rebuilt the statistics rollup from the complaints: {rows:,} rows.")
        return
    db.session.rollback()
    connection = db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"}
                                       if db.engine.dialect.name == "postgresql" else {})
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")  # one snapshot for the rows and the rollup
    try:
        count, found = rollup.check(connection, limit=show)
    finally:
        db.session.rollback()
    _report_differences(count, found)
    if count:
        raise SystemExit(1)
    click.echo("The statistics rollup agrees with the complaints.")


def _report_differences(count: int, found: list[rollup.Difference]) -> None:
    if not count:
        return
    click.echo(f"{count:,} differences between the statistics rollup and the complaints:",
               err=True)
    for difference in found:
        click.echo(f"  {difference.describe()}", err=True)
    if count > len(found):
        click.echo(f"  ... and {count - len(found):,} more", err=True)


def _progress_lines(count: int, batch_size: int) -> Callable[[int, int, float], None]:
    """Progress as a line every 5% (for logs and pipes, where a bar would be noise)."""
    step = max(batch_size, count // 20)
    shown = 0

    def progress(done: int, total: int, seconds: float) -> None:
        nonlocal shown
        if done - shown >= step or done == total:
            shown = done
            rate = done / seconds if seconds else 0.0
            click.echo(f"  {done:,} / {total:,} complaints ({rate:,.0f}/s)")

    return progress


def register(app: Flask) -> None:
    """Add the statistics commands to `flask`."""
    app.cli.add_command(export_stats_command)
    app.cli.add_command(check_stats_command)
    app.cli.add_command(demo_data_command)
