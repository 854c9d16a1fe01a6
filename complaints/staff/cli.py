"""Staff account commands: create-staff and create-token."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from complaints.domain.taxonomy import ROLE_CODES, SECTION_CODES
from complaints.services import accounts


def _read_password() -> str:
    """From standard input when it is piped, else asked for twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@click.command("create-staff")
@click.argument("email")
@click.option("--name", required=True, help="Full name as colleagues know it.")
@click.option("--role", required=True, type=click.Choice(ROLE_CODES))
@click.option("--section", type=click.Choice(SECTION_CODES),
              help="The section an investigator works in.")
@click.option("--restricted", is_flag=True, help="Grant access to restricted complaints.")
@with_appcontext
def create_staff_command(email: str, name: str, role: str, section: str | None,
                         restricted: bool) -> None:
    """Create a staff account. The password is read from standard input or asked for."""
    password = _read_password()
    try:
        user = accounts.create_staff(
            accounts.StaffDetails(email, name, role, section, restricted), password, "cli")
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}. They sign in at /staff/login and set up "
               "two-factor sign-in on their account page.")


@click.command("create-token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for.")
@with_appcontext
def create_token_command(email: str, label: str) -> None:
    """Print a new API token for a staff account (only its hash is stored)."""
    user = accounts.by_email(email)
    if user is None or not user.active:
        raise click.ClickException("No active staff account has that email.")
    click.echo(accounts.create_token(user, label, "cli"))


def register(app: Flask) -> None:
    """Add the staff commands to `flask`."""
    app.cli.add_command(create_staff_command)
    app.cli.add_command(create_token_command)
