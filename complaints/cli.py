"""Operator commands: `flask --app complaints <command>`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from complaints.mail import deliver_outbox


@click.command("send-mail")
@with_appcontext
@click.option("--limit", default=500, show_default=True, help="Most messages to send this run.")
def send_mail_command(limit: int) -> None:
    """Deliver what waits in the outbox (safe to run repeatedly and concurrently)."""
    report = deliver_outbox(limit=limit)
    click.echo(f"sent {report.sent}, retry later {report.deferred}, failed {report.failed}, "
               f"still waiting {report.waiting}")
    if report.waiting and not report.sent and not report.deferred and not report.failed:
        click.echo("No mail server is configured (MAIL_SERVER): messages wait in the outbox.")


@click.command("reindex-search")
@with_appcontext
def reindex_search_command() -> None:
    """Rebuild the narrative search index from the narratives (the app keeps it current; use
    this after changing narratives outside the app)."""
    from complaints.services.search import rebuild_documents

    click.echo(f"reindexed {rebuild_documents():,} complaints")


@click.command("clean-uploads")
@with_appcontext
def clean_uploads_command() -> None:
    """Delete files received on the public form whose complaint was never filed, once they
    expire (ATTACHMENT_PENDING_HOURS). Run it from cron; the form also cleans a few as it goes."""
    from complaints.services.attachments import clean_expired

    click.echo(f"removed {clean_expired():,} expired uploads")


@click.command("clean-exports")
@with_appcontext
def clean_exports_command() -> None:
    """Delete case exports older than the seven days the queue page offers them, and files
    left half-written by a stopped worker. Run it from cron."""
    from complaints.services.case_exports import clean_expired

    click.echo(f"removed {clean_expired():,} old export files")


def init_app(app: Flask) -> None:
    from complaints.staff import cli as staff_cli
    from complaints.stats import cli as stats_cli

    app.cli.add_command(send_mail_command)
    app.cli.add_command(reindex_search_command)
    app.cli.add_command(clean_uploads_command)
    app.cli.add_command(clean_exports_command)
    staff_cli.register(app)
    stats_cli.register(app)
