"""data/centers.json, data/centers/<id>.json and data/notices.json from the facts.

Each center object carries its record fields as written (as the record stood on the
as-of date: later events are not yet known) and what the measures derive from them;
the published schemas (schemas.py) describe both. Every file starts from the same
header (as-of date, licence, sample flag, measures, format version): a one-center file
is that header and the center object, the same object that the list in centers.json holds.
"""

from __future__ import annotations

from typing import Any

from generator.derive.deadlines import Deadline
from generator.derive.facts import CenterFacts, NoticeFacts, RegistryFacts
from generator.records.model import DIVISION_CODES
from generator.render.opendata.common import (
    GENERATED_BY,
    absolute,
    center_page,
    deadline_uid,
    iso,
    license_id,
    notice_page,
    number,
    source_text,
    unit_id,
)
from generator.render.opendata.versions import DATA_VERSION
from generator.rules.measures import judged, measures_of_fact
from generator.rules.table import Basis, rule

#: Record fields copied as written, when present (the rest are derived or reshaped).
RECORD_FIELDS = (
    "id",
    "category",
    "field",
    "location",
    "supervising_unit",
    "first_host_unit",
    "co_building_units",
    "research_directions",
    "contact",
    "director",
    "application_conditions",
    "institutions",
    "converted_from",
)
NOTICE_FIELDS = (
    "id",
    "title",
    "issuer",
    "document_number",
    "issue_date",
    "subject",
    "basis",
    "procedure",
    "entries",
    "objection",
    "contact",
    "url",
    "outcome",
)


def document_header(facts: RegistryFacts) -> dict[str, Any]:
    """What every JSON file says about itself: its date, licence, sample flag, the measures
    its derived values follow, and the format version."""
    own = facts.measures
    return {
        "as_of": facts.as_of.isoformat(),
        "generated_by": GENERATED_BY,
        "license": license_id(facts),
        "sample_data": facts.settings.sample_data,
        "measures": {
            "number": own.number,
            "title": own.title,
            "in_force_from": iso(own.in_force_from),
            "expires": iso(facts.book.end(own)),
            "expired": facts.derived_note is not None,
            "note": facts.derived_note,
        },
        "version": DATA_VERSION,
    }


def basis(facts: RegistryFacts, rule_id: str) -> dict[str, Any]:
    """Why a derived value is what it is: the rule, its article, whether it is this site's
    interpretation, and the measures it follows (expired or not)."""
    r = rule(rule_id)
    return {
        "rule_id": r.id,
        "article": r.article,
        "interpretation": r.basis == Basis.INTERPRETATION,
        "measures": facts.measures.number,
        "measures_expired": facts.derived_note is not None,
    }


def center_object(facts: RegistryFacts, c: CenterFacts) -> dict[str, Any]:
    known = c.center.until(facts.as_of)
    data = c.center.data
    out: dict[str, Any] = {key: data[key] for key in RECORD_FIELDS if key in data}
    out["name"] = c.center.name_on(facts.as_of)
    out["former_names"] = [
        {"name": old, "renamed_on": event.date.isoformat(), "source": event.get("source")}
        for old, event in known.former_names
    ]
    out["division_code"] = DIVISION_CODES.get(data["location"]) or None
    out["supervising_unit_id"] = unit_id(facts, data["supervising_unit"])
    out["events"] = [dict(e.fields) for e in known.events]
    out["event_measures"] = [_event_measures(c, e) for e in known.events]
    out["measures"] = {
        "legacy": c.legacy,
        "established_under": c.established_under.number if c.established_under else None,
    }
    out["page"] = center_page(c.id)
    out["page_url"] = absolute(facts, center_page(c.id))
    out["status"] = {
        "key": c.status,
        "label": c.status_label,
        "since": c.history[-1].start.isoformat() if c.history else None,
        "provisional": c.since_provisional,
        "detail": ({"key": c.detail.key, "label": c.detail.label, "days": c.detail.days} if c.detail else None),
        "text": c.status_text,
        "derived": True,
        "basis": basis(facts, "status.detail" if c.detail else "status"),
    }
    out["status_history"] = [
        {
            "key": i.status,
            "label": i.label,
            "start": i.start.isoformat(),
            "end": iso(i.end),
            "provisional": i.provisional,
        }
        for i in c.history
    ]
    out["deadlines"] = [
        dict(deadline_object(c.id, d), derived=True, basis=basis(facts, d.rule_id)) for d in c.deadlines
    ]
    r = c.ratings
    out["ratings"] = {
        "annual": [
            {
                "year": g.event.get("year"),
                "grade": g.grade,
                "date": g.event.date.isoformat(),
                "source": source_text(g.event.get("source")),
            }
            for g in r.annual
        ],
        "evaluations": [
            {"date": g.event.date.isoformat(), "grade": g.grade, "source": source_text(g.event.get("source"))}
            for g in r.evaluations
        ],
        "latest": ({"year": r.latest.event.get("year"), "grade": r.latest.grade} if r.latest else None),
        "excellent_streak": r.excellent_streak,
        "fail_streak": r.fail_streak,
    }
    f = c.funding
    out["funding"] = {
        "entitlements": [
            {
                "kind": e.kind,
                "amount_wan": number(e.amount_wan),
                "due_on": e.since.isoformat(),
                "due_reason": e.due_on,
                "granted_on": e.granted.date.isoformat() if e.granted else None,
                "granted_amount_wan": number(e.granted.get("amount_wan")) if e.granted else None,
                "derived": True,
                "basis": basis(facts, "funding.construction" if e.kind == "建设经费" else "funding.award"),
            }
            for e in f.entitlements
        ],
        "granted": [
            {
                "date": g.date.isoformat(),
                "funding_kind": g.get("funding_kind"),
                "amount_wan": number(g.get("amount_wan")),
                "source": source_text(g.get("source")),
            }
            for g in f.grants
        ],
        "granted_wan": number(f.granted_wan),
        "outstanding_wan": number(sum(e.amount_wan for e in f.outstanding)),
        "legacy": f.legacy,
    }
    out["flags"] = [
        {
            "rule_id": fl.rule_id,
            "kind": fl.kind,
            "kind_label": fl.kind_label,
            "article": fl.article,
            "title": fl.title,
            "statement": fl.statement,
            "message": fl.message,
            "derived": True,
            "basis": basis(facts, fl.rule_id),
        }
        for fl in c.flags
    ]
    return out


def deadline_object(center_id: str, d: Deadline) -> dict[str, Any]:
    return {
        "uid": deadline_uid(center_id, d.key),
        "rule_id": d.rule_id,
        "article": d.article,
        "title": d.title,
        "due": iso(d.due),
        "state": d.state,
        "state_label": d.state_label,
        "days": d.days,
        "met_on": iso(d.met_on),
        "provisional": d.provisional,
    }


def _event_measures(c: CenterFacts, event: Any) -> dict[str, Any]:
    """The measures a recorded event falls under, and whether the implemented rules judge it."""
    under = measures_of_fact(c.center, event)
    return {"index": event.index, "measures": under.number if under else None, "judged": judged(c.center, event)}


def notice_object(facts: RegistryFacts, n: NoticeFacts) -> dict[str, Any]:
    data = n.notice.data
    out: dict[str, Any] = {key: data[key] for key in NOTICE_FIELDS if key in data}
    if "outcome" in out and not n.outcome:
        del out["outcome"]  # decided after the as-of date: not yet known
    p = n.period
    out["period"] = {
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "working_days": p.working_days,
        "provisional": p.provisional,
        "stated": p.stated,
    }
    out["state"] = n.state
    out["state_label"] = n.state_label
    out["working_days_left"] = n.working_days_left
    out["page"] = notice_page(n.id)
    out["page_url"] = absolute(facts, notice_page(n.id))
    return out


def notices_document(facts: RegistryFacts) -> dict[str, Any]:
    notices = sorted(facts.notices, key=lambda n: (n.notice.issue_date, n.id), reverse=True)
    return {**document_header(facts), "notices": [notice_object(facts, n) for n in notices]}
