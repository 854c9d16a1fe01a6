"""A complaint's audit events told as sentences for the case page and its print view.

Every event of the audit trail stays in the database; only the telling is shorter: a person's
repeated looks at a restricted complaint become one line with a count, where they first looked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from complaints.domain.taxonomy import (
    CHANNELS,
    DISPOSITIONS,
    FLAGS,
    PRIORITIES,
    SECTIONS,
    STATUSES,
)
from complaints.i18n import language
from complaints.models import AuditEvent, StaffUser


@dataclass
class Entry:
    """One line of the timeline."""

    at: datetime
    text: str
    note: str | None = None
    count: int = 1
    last_at: datetime | None = None
    kind: str = ""


def _who(actor: str, people: Mapping[int, StaffUser]) -> str:
    if actor.startswith("staff:") and actor[6:].isdigit() and int(actor[6:]) in people:
        return people[int(actor[6:])].name
    return {"public": _("The filer"), "api": _("A partner organisation"),
            "system": _("The system"), "system:demo": _("The demo data")}.get(actor, actor)


def _label(labels: Mapping[str, str], code: Any) -> str:
    return _(labels[code]) if isinstance(code, str) and code in labels else str(code or "—")


def _reason(reasons: Iterable[Mapping[str, Any]], decision: str) -> str | None:
    for reason in reasons:
        if isinstance(reason, Mapping) and reason.get("decision") == decision:
            return _(str(reason.get("reason") or "")) or None
    return None


def _filed(event: AuditEvent, who: str, data: Mapping[str, Any]) -> str:
    lang = language(data.get("language")).english_name
    channel = data.get("channel")
    if channel == "web":
        return _("Filed through the web form, in %(language)s.", language=lang)
    if channel == "api":
        return _("Filed by a partner organisation through the API, in %(language)s.",
                 language=lang)
    sources = {"mail": _("a letter"), "phone": _("a phone call"), "email": _("an email"),
               "fax": _("a fax")}
    return _("%(who)s entered it from %(source)s, in %(language)s.", who=who,
             source=sources.get(str(channel), _label(CHANNELS, channel)), language=lang)


def _routed(data: Mapping[str, Any]) -> str:
    reasons = data.get("reasons") or []
    section = _label(SECTIONS, data.get("section"))
    priority = _label(PRIORITIES, data.get("priority")).lower()
    text = _("Routed to %(section)s: %(why)s", section=section,
             why=_reason(reasons, "section") or _("no rule given"))
    text += " " + _("Priority %(priority)s: %(why)s", priority=priority,
                    why=_reason(reasons, "priority") or _("no rule given"))
    flags = [_label(FLAGS, f) for f in data.get("flags") or []]
    if data.get("restricted"):
        flags.insert(0, _("restricted"))
    if flags:
        text += " " + _("Flags: %(flags)s.", flags=", ".join(flags))
    return text


def _transition(event: AuditEvent, who: str, data: Mapping[str, Any]) -> str:
    text = _("%(who)s moved it from %(from)s to %(to)s.", who=who,
             **{"from": _label(STATUSES, event.from_status), "to": _label(STATUSES,
                                                                           event.to_status)})
    if data.get("disposition"):
        text += " " + _("Disposition: %(disposition)s.",
                        disposition=_label(DISPOSITIONS, data["disposition"]))
    if data.get("duplicate_of"):
        text += " " + _("Duplicate of %(receipt)s.", receipt=data["duplicate_of"])
    return text


def _assigned(who: str, data: Mapping[str, Any], people: Mapping[int, StaffUser]) -> str:
    parts = []
    section = data.get("section")
    if isinstance(section, Mapping):
        parts.append(_("%(who)s sent it to %(section)s.", who=who,
                       section=_label(SECTIONS, section.get("to"))))
    assignee = data.get("assignee")
    if isinstance(assignee, Mapping):
        target = assignee.get("to")
        person = people.get(target) if isinstance(target, int) else None
        if person is not None:
            parts.append(_("%(who)s assigned it to %(person)s.", who=who, person=person.name))
        else:
            parts.append(_("%(who)s took it off the assignee's list.", who=who))
    return " ".join(parts) or _("%(who)s changed the assignment.", who=who)


def _overridden(who: str, data: Mapping[str, Any]) -> str:
    parts = []
    names = {"section": _("section"), "priority": _("priority")}
    for decision, labels in (("section", SECTIONS), ("priority", PRIORITIES)):
        change = data.get(decision)
        if isinstance(change, Mapping):
            parts.append(_("%(what)s from %(from)s to %(to)s", what=names[decision],
                           **{"from": _label(labels, change.get("from")),
                              "to": _label(labels, change.get("to"))}))
    return _("%(who)s overrode the routing: %(changes)s.", who=who, changes="; ".join(parts))


def _message_sent(who: str, data: Mapping[str, Any]) -> str:
    from complaints.domain.letters import TEMPLATE_BY_CODE

    lang = language(data.get("language")).english_name
    template = TEMPLATE_BY_CODE.get(str(data.get("template")))
    if template is None:
        text = _("%(who)s wrote to the filer in %(language)s.", who=who, language=lang)
    else:
        text = _("%(who)s sent the filer the letter “%(letter)s” in %(language)s.", who=who,
                 letter=_(template.label), language=lang)
    if data.get("delivery") == "print":
        text += " " + _("It needs a printed letter.")
    return text


def _sentence(event: AuditEvent, people: Mapping[int, StaffUser],
              receipts: Mapping[int, str]) -> str:
    who = _who(event.actor, people)
    data = event.data or {}
    simple: dict[str, Callable[[], str]] = {
        "filed": lambda: _filed(event, who, data),
        "routed": lambda: _routed(data),
        "transition": lambda: _transition(event, who, data),
        "assigned": lambda: _assigned(who, data, people),
        "routing_overridden": lambda: _overridden(who, data),
        "restricted": lambda: _("%(who)s restricted it.", who=who),
        "unrestricted": lambda: _("%(who)s lifted the restriction.", who=who),
        "note_added": lambda: _("%(who)s added a note.", who=who),
        "mail_queued": lambda: _("An acknowledgement email to the filer was queued.")
        if data.get("message_kind") != "message_waiting"
        else _("An email telling the filer a message is waiting (without its text) was "
               "queued."),
        "mail_sent": lambda: _("The acknowledgement email was sent.")
        if data.get("message_kind") != "message_waiting"
        else _("The email telling the filer a message is waiting was sent."),
        "message_sent": lambda: _message_sent(who, data),
        "message_received": lambda: _("The filer answered on the status page.")
        if event.actor == "public" else _("The filer answered through the API."),
        "replies_read": lambda: _("%(who)s marked the filer's answers as read.", who=who),
        "letter_printed": lambda: _("%(who)s printed the letter for posting.", who=who),
        "mail_failed": lambda: _("Sending an email failed; it will be tried again."),
        "files_attached": lambda: ngettext(
            "%(who)s sent %(num)d file: %(names)s.", "%(who)s sent %(num)d files: %(names)s.",
            len(data.get("files") or []), who=who, names=", ".join(
                str(f.get("name")) for f in data.get("files") or [] if isinstance(f, Mapping))),
        "attachment_downloaded": lambda: (_(
            "%(who)s previewed the file “%(name)s”.", who=who, name=data.get("name"))
            if data.get("preview") else _("%(who)s downloaded the file “%(name)s”.", who=who,
                                          name=data.get("name"))),
        "attachment_refused": lambda: _(
            "%(who)s asked for the file “%(name)s” without access; it was refused.", who=who,
            name=data.get("name")),
        "possible_duplicate": lambda: _(
            "Flagged as a possible duplicate of %(receipts)s.",
            receipts=", ".join(receipts.get(int(m.get("complaint_id") or 0), "?")
                               for m in data.get("matches") or [] if isinstance(m, Mapping))),
    }
    if event.kind in simple:
        return simple[event.kind]()
    return _("%(who)s: %(what)s.", who=who, what=event.kind.replace("_", " "))


def _view_text(who: str, count: int, details_shown: bool) -> str:
    if details_shown:
        return ngettext("%(who)s viewed this restricted complaint.",
                        "%(who)s viewed this restricted complaint %(num)d times.", count, who=who)
    return ngettext("%(who)s looked at this restricted complaint without the grant.",
                    "%(who)s looked at this restricted complaint without the grant %(num)d "
                    "times.", count, who=who)


def entries(events: Iterable[AuditEvent], people: Mapping[int, StaffUser],
            receipts: Mapping[int, str]) -> list[Entry]:
    """The timeline in order. Each person's views of a restricted complaint are one entry, at
    their first view, counting them all (the last one's time kept)."""
    result: list[Entry] = []
    views: dict[tuple[str, bool], Entry] = {}
    for event in events:
        if event.kind == "viewed_restricted":
            shown = bool((event.data or {}).get("details_shown", True))
            key = (event.actor, shown)
            if key in views:
                entry = views[key]
                entry.count += 1
                entry.last_at = event.at
                entry.text = _view_text(_who(event.actor, people), entry.count, shown)
                continue
            entry = Entry(event.at, _view_text(_who(event.actor, people), 1, shown),
                          kind=event.kind)
            views[key] = entry
            result.append(entry)
            continue
        result.append(Entry(event.at, _sentence(event, people, receipts), event.note,
                            kind=event.kind))
    return result
