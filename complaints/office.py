"""The office's own contact details, from settings, as the public pages show them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext


@dataclass(frozen=True)
class Office:
    name: str
    department: str
    address_lines: tuple[str, ...]
    phone: str
    tty: str

    @property
    def phone_link(self) -> str:
        """A tel: link: digits only, with the country code for a North American number."""
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) == 11 and digits.startswith("1"):
            return f"tel:+{digits}"
        return f"tel:{digits}"


def from_config(config: Any) -> Office:
    """The office in the reader's language (the name and department are translated when the
    catalogs know them; the postal address stays as the post office needs it)."""
    lines = re.split(r"\s*(?:\n|;)\s*", str(config["OFFICE_MAILING_ADDRESS"]).strip())
    return Office(
        name=gettext(config["OFFICE_NAME"]),
        department=gettext(config["OFFICE_DEPARTMENT"]) if config["OFFICE_DEPARTMENT"] else "",
        address_lines=tuple(line for line in lines if line),
        phone=str(config["OFFICE_PHONE"]),
        tty=str(config["OFFICE_TTY"]),
    )
