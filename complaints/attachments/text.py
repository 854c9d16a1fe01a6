"""What people are told about files: the kinds accepted and why a file was refused, in words
for translators (every door shows the same messages)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

# Translators: the kinds of file a person can attach; keep the names in brackets as they are.
ACCEPTED_KINDS = _l("PDF, JPEG, PNG, HEIC photos, plain text (.txt) and Word (.docx) files")

# Translators: %(name)s is the name of the person's file; %(kinds)s lists the kinds accepted.
NOT_ACCEPTED = _l("“%(name)s” is not a kind of file we accept. We accept %(kinds)s.")
# Translators: %(name)s is the file's name; %(size)s is the largest size, such as "10 MB".
TOO_LARGE = _l("“%(name)s” is larger than %(size)s. Send a smaller file, or photos of the "
               "pages that matter.")
# Translators: %(name)s is the name of the person's file.
EMPTY = _l("“%(name)s” is empty.")
# Translators: %(name)s is the name of the person's file.
DAMAGED = _l("“%(name)s” could not be opened. It may be damaged: save it again, or send a photo "
             "of it instead.")
# Translators: %(name)s is the name of the person's file.
INFECTED = _l("“%(name)s” may contain a virus, so we did not accept it.")
# Translators: %(name)s is the name of the person's file; the virus scanner did not answer.
SCAN_UNAVAILABLE = _l("We could not check “%(name)s” for viruses just now, so it was not added. "
                      "Please try again in a few minutes.")
# Translators: %(name)s is the name of the person's Word document.
MACROS = _l("“%(name)s” contains macros. Save it as a regular Word document (.docx) or as a "
            "PDF and add it again.")
# Translators: %(name)s is the name of the person's file (a PDF or Word document).
ACTIVE_CONTENT = _l("“%(name)s” contains scripts or other files inside it, which we do not "
                    "accept. Save or print it as a new PDF, or send photos of the pages.")
# Translators: %(name)s is the name of the person's file.
MIXED = _l("“%(name)s” is more than one kind of file at once, so we did not accept it.")
GONE = _l("The files you added earlier were deleted because the form was left unsent for too "
          "long. Please add them again.")

# The kinds shown to people beside each file (what the content was found to be).
KIND_LABELS = {
    "application/pdf": _l("PDF document"),
    "image/jpeg": _l("JPEG photo"),
    "image/png": _l("PNG image"),
    "image/heic": _l("HEIC photo"),
    "text/plain": _l("Plain text"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        _l("Word document"),
}

# Answers of 413 on the routes that take files.
# Translators: %(size)s is the largest size of one file, such as "10 MB".
UPLOAD_TOO_LARGE = _l("What you sent was larger than we can receive at once, so nothing from that "
                      "page was kept. Go back and add fewer or smaller files at a time: each "
                      "file can be up to %(size)s.")
UPLOAD_TOO_SLOW = _l("What you sent took too long to arrive, so nothing from that page was kept. "
                     "Go back and try again, adding fewer files at a time.")

# API only: the parts of a multipart filing.
COMPLAINT_PART = _l("The part “complaint” must hold the complaint as a JSON object.")
UNKNOWN_PART = _l("Unknown part: send only “complaint” and “files”.")


def too_many(most: int) -> str:
    """The message for one file more than a complaint may have."""
    # Translators: %(num)d is the most files one complaint can have.
    return ngettext("You can add up to %(num)d file. Remove one before adding another.",
                    "You can add up to %(num)d files. Remove one before adding another.", most)


def say(message: Any, **values: str) -> str:
    """A message in the current language with its placeholders filled."""
    return str(message) % values
