"""Letters to the filer: the templates staff choose from and the public words around messages.

Every sentence is a public-catalog message (N_), translated into all 16 languages and checked for
its placeholders like the rest; a letter is rendered in the complaint's language by
services/correspondence.py. Letters are short and plain, written for a frightened reader with
limited English, and never promise a remedy.
"""

from __future__ import annotations

from dataclasses import dataclass

from complaints.domain.taxonomy import DISPOSITION_CODES, N_, S_

# The details a letter may name; every template's placeholders are among these.
PLACEHOLDERS = frozenset({"receipt", "received_on", "components", "answer_by"})

# Translators: the first line of a letter to the person who filed a complaint.
GREETING = N_("Hello,")
# Translators: the line before the office's name at the end of a letter.
SIGN_OFF = N_("Sincerely,")
# Translators: the title of a letter; %(receipt)s is the complaint's receipt number, such as
# CR-7K4M-9QX2.
SUBJECT = N_("About your complaint %(receipt)s")
KEEP_CODES = N_("Please keep your receipt number and access code. You need them to read our "
                "messages and to answer us.")
# Translators: the end of a printed letter. %(status_url)s is the address of the status page.
PRINTED_HOW_TO_ANSWER = N_("To read our messages and answer online, go to %(status_url)s and "
                           "enter your receipt number and access code. You can also answer by "
                           "mail to the address at the top of this letter.")

# Translators: heading above the questions staff ask in a request for more information.
NOTE_QUESTIONS = N_("Our questions:")
# Translators: heading above the name and address of another office that may help the filer.
NOTE_WHERE_TO_GET_HELP = N_("Where you can get help:")
# Translators: heading above a few words a staff member added to a letter.
NOTE_FROM_STAFF = N_("A note from our staff:")

NO_EFFECT_ON_CASES = N_("This does not change any immigration case or other legal case you may "
                        "have.")
THANKS = N_("Thank you for telling us what happened. Complaints like yours help us find and fix "
            "problems.")


@dataclass(frozen=True)
class Template:
    """One letter: its stable code, what staff call it, its paragraphs (public messages), the
    heading of its free part (`note`), and whether that part must be filled in."""

    code: str
    label: str
    paragraphs: tuple[str, ...]
    note_heading: str = NOTE_FROM_STAFF
    note_required: bool = False
    # The complaint's status after sending it, through the workflow (None: unchanged).
    moves_to: str | None = None


_CLOSING: dict[str, tuple[str, str]] = {
    "recommendations_issued": (
        S_("Closed: recommendations issued"),
        N_("We have finished looking into your complaint %(receipt)s and closed it. We sent "
           "recommendations to the agency involved about the problems we found.")),
    "resolved_by_component": (
        S_("Closed: resolved by the component"),
        N_("We have closed your complaint %(receipt)s. The agency involved has dealt with the "
           "problem you told us about.")),
    "unsubstantiated": (
        S_("Closed: unsubstantiated"),
        N_("We have looked into your complaint %(receipt)s carefully and closed it. With the "
           "information we could find, we could not confirm what happened. This does not mean "
           "that we think you did not tell the truth.")),
    "insufficient_information": (
        S_("Closed: insufficient information"),
        N_("We have closed your complaint %(receipt)s because we did not have enough "
           "information to look into it. If you have more information, you can file a new "
           "complaint and mention this receipt number.")),
    "referred_to_oig": (
        S_("Closed: taken by the Inspector General"),
        N_("The Office of Inspector General of the Department of Homeland Security has taken "
           "your complaint %(receipt)s, so we have closed it in our office. That office will "
           "handle it from now on.")),
    "no_jurisdiction_referred_out": (
        S_("Closed: no jurisdiction, referred elsewhere"),
        N_("We have closed your complaint %(receipt)s because our office cannot handle it. We "
           "have sent it to another office that may be able to help.")),
    "withdrawn": (
        S_("Closed: withdrawn"),
        N_("As you asked, we have closed your complaint %(receipt)s. You can file a new "
           "complaint at any time.")),
    "duplicate": (
        S_("Closed: duplicate"),
        N_("We have closed your complaint %(receipt)s because it is about the same events as "
           "another complaint we already have. We will continue our work on that complaint.")),
}

TEMPLATES: tuple[Template, ...] = (
    Template(
        "acknowledgement", S_("Acknowledgement"),
        (N_("We received your complaint on %(received_on)s. Its receipt number is "
            "%(receipt)s."),
         N_("We will read it carefully. We will write to you if we need more information, and "
            "when we have news. Our office cannot award money or decide immigration cases, but "
            "we use complaints to find and fix problems."))),
    Template(
        "request_information", S_("Request for information"),
        (N_("We are reviewing your complaint %(receipt)s. We need more information from you "
            "before we can continue."),
         # Translators: %(answer_by)s is a date, such as 19 January 2000.
         N_("Please answer by %(answer_by)s. You can answer on our website or by mail. You can "
            "write in your own language.")),
        note_heading=NOTE_QUESTIONS, note_required=True, moves_to="awaiting_information"),
    Template(
        "referred_component", S_("Referral to the component"),
        # Translators: %(components)s names one or more government agencies, such as
        # "U.S. Immigration and Customs Enforcement (ICE)".
        (N_("We have sent your complaint %(receipt)s to %(components)s and asked them to look "
            "into what happened and tell us what they find. We will keep following it."),
         NO_EFFECT_ON_CASES)),
    Template(
        "referred_oig", S_("Referral to the Inspector General"),
        (N_("We have sent your complaint %(receipt)s to the Office of Inspector General of the "
            "Department of Homeland Security. That office decides whether to investigate it "
            "itself. If it does not, your complaint comes back to us."),
         NO_EFFECT_ON_CASES)),
    Template(
        "no_jurisdiction", S_("Referral out of jurisdiction"),
        (N_("We have read your complaint %(receipt)s carefully. Our office cannot handle it, "
            "because it is not about the Department of Homeland Security or its programs."),),
        note_heading=NOTE_WHERE_TO_GET_HELP),
    Template(
        "closed", S_("Closed"),
        (N_("We have finished our work on your complaint %(receipt)s and closed it."), THANKS)),
    *(Template(f"closed_{code}", label, (text, THANKS),
               note_heading=NOTE_WHERE_TO_GET_HELP if code == "no_jurisdiction_referred_out"
               else NOTE_FROM_STAFF)
      for code, (label, text) in _CLOSING.items()),
)
TEMPLATE_BY_CODE = {t.code: t for t in TEMPLATES}
TEMPLATE_CODES = tuple(TEMPLATE_BY_CODE)
assert set(_CLOSING) == set(DISPOSITION_CODES), "a closing letter for every disposition"  # noqa: S101

# -- the filer's side: the status page, the reply, the notification ------------------------

# Translators: heading of the list of messages between the office and the filer.
MESSAGES_HEADING = N_("Messages")
# Translators: who wrote a message: the office.
FROM_OFFICE = N_("From us")
# Translators: who wrote a message: the person reading the page.
FROM_FILER = N_("From you")
NO_MESSAGES = N_("There are no messages yet.")
# Translators: shown under a message staff wrote in another language than the filer's.
# %(language)s is the name of that language in the filer's language, such as "English".
OTHER_LANGUAGE = N_("This message is in %(language)s. If you cannot read it, answer and tell "
                    "us which language you read.")
REPLY_HEADING = N_("Write to us")
REPLY_LABEL = N_("Your message")
REPLY_HINT = N_("You can write in your own language.")
# Translators: the button that sends the filer's message to the office.
REPLY_BUTTON = N_("Send message")
REPLY_SENT = N_("We received your message. Thank you.")
REPLY_REQUIRED = N_("Write your message first.")

# Translators: the subject of an email; %(receipt)s is the receipt number.
NOTIFICATION_SUBJECT = N_("A new message about your complaint %(receipt)s")
# Translators: %(office_name)s is the name of our office.
NOTIFICATION_WAITING = N_("%(office_name)s has written a new message about your complaint "
                          "%(receipt)s.")
NOTIFICATION_SAFETY = N_("For your safety, the message is not in this email.")
NOTIFICATION_HOW = N_("To read it, go to this page and enter your receipt number and access "
                      "code:")
