"""The workbook's first sheet: counts per room and per sector, the leading amendments, two charts."""
from __future__ import annotations

import datetime as dt

from openpyxl.chart import BarChart, Reference
from sqlalchemy import func, select

from consult.amendments.models import Amendment, AmendmentVote
from consult.conference.models import Event
from consult.contributions.models import Comment
from consult.export.lookups import STATUSES, Lookups
from consult.people.models import SECTORS, Participant
from consult.rooms.models import Membership
from consult.workbook import Column, Table
from consult.i18n import N_, _


def overview(lk: Lookups, event: Event, generated: dt.datetime) -> Table:
    s = lk.session
    counts = {key: dict(s.execute(query).all()) for key, query in {
        "members": select(Membership.room_id, func.count()).group_by(Membership.room_id),
        "comments": select(Comment.room_id, func.count()).where(lk.shown(Comment)).group_by(Comment.room_id),
        "amendments": select(Amendment.room_id, func.count()).where(lk.shown(Amendment)).group_by(Amendment.room_id),
        "votes": select(Amendment.room_id, func.count()).join(AmendmentVote).group_by(Amendment.room_id),
    }.items()}
    by_sector = {key: dict(s.execute(query).all()) for key, query in {
        "members": select(Participant.sector, func.count(func.distinct(Participant.id))).join(Membership)
        .where(lk.in_scope(Membership.room_id)).group_by(Participant.sector),
        "comments": select(Participant.sector, func.count()).join(Comment, Comment.author_id == Participant.id)
        .where(lk.in_scope(Comment.room_id), lk.shown(Comment)).group_by(Participant.sector),
        "amendments": select(Participant.sector, func.count()).join(Amendment, Amendment.author_id == Participant.id)
        .where(lk.in_scope(Amendment.room_id), lk.shown(Amendment)).group_by(Participant.sector),
        "votes": select(Participant.sector, func.count()).join(AmendmentVote).join(Amendment)
        .where(lk.in_scope(Amendment.room_id)).group_by(Participant.sector),
    }.items()}
    leading = s.execute(select(Amendment).where(lk.in_scope(Amendment.room_id), lk.shown(Amendment))
                        .order_by((Amendment.agree - Amendment.disagree).desc(), Amendment.id).limit(10)).scalars().all()
    scope = (_("Including content hidden by moderators or awaiting approval, marked in each sheet's Moderation "
               "column.") if lk.include_hidden else _("Visible content only: hidden comments and amendments, and those "
               "awaiting approval, are left out here and in every sheet."))
    rows = [(_("Event"), event.title, None, None, None, None),
            (_("Generated (UTC)"), generated, None, None, None, None),
            (_("Reflects"), _("Everything committed before the moment above; rooms may have moved on since."),
             None, None, None, None),
            (_("Counts"), scope, None, None, None, None),
            (_("What each count is"), _("Participants: memberships, as in the Participants sheet's Rooms column (per "
             "sector: people, one row each there). Comments and Amendments: rows of those sheets. Votes: amendment "
             "votes, the Agree + Disagree + Abstain of the Votes sheet's 'Amendment vote' rows."),
             None, None, None, None),
            (None, None, None, None, None, None),
            (_("Per room"), _("Room"), _("Participants"), _("Comments"), _("Amendments"), _("Votes"))]
    first_room = len(rows) + 2
    for room_id, (session_title, name, _phase) in lk.rooms.items():
        rows.append((session_title, name, *(counts[k].get(room_id, 0) for k in ("members", "comments", "amendments", "votes"))))
    last_room = len(rows) + 1
    keys = ("members", "comments", "amendments", "votes")
    rows.append((_("Total"), _("All rooms"), *(sum(counts[k].get(r, 0) for r in lk.rooms) for k in keys)))
    rows += [(None,) * 6, (_("Per sector"), _("Sector"), _("People"), _("Comments"), _("Amendments"), _("Votes"))]
    for key, label in SECTORS.items():
        rows.append(("", _(label), *(by_sector[k].get(key, 0) for k in keys)))
    rows.append((_("Total"), _("All sectors"), *(sum(by_sector[k].values()) for k in keys)))
    rows += [(None,) * 6, (_("Leading amendments"), _("Amendment"), _("Agree"), _("Disagree"), _("Abstain"), _("Status"))]
    first_amendment = len(rows) + 2
    for a in leading:
        rows.append((lk.rooms[a.room_id][1], _("Amendment %(id)s", id=a.id), a.agree, a.disagree, a.abstain, _(STATUSES[a.status])))
    last_amendment = len(rows) + 1

    def charts(ws, first, last):
        if last_room >= first_room:
            chart = BarChart()
            chart.type, chart.title, chart.y_axis.title = "bar", _("Participation per room"), _("Participants")
            chart.add_data(Reference(ws, min_col=3, min_row=first_room - 1, max_row=last_room), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=2, min_row=first_room, max_row=last_room))
            chart.height, chart.width = 9, 18
            ws.add_chart(chart, "H2")
        if last_amendment >= first_amendment:
            chart = BarChart()
            chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
            chart.title = _("Support for the leading amendments")
            chart.add_data(Reference(ws, min_col=3, max_col=5, min_row=first_amendment - 1, max_row=last_amendment),
                           titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=2, min_row=first_amendment, max_row=last_amendment))
            chart.height, chart.width = 9, 18
            ws.add_chart(chart, "H22")

    return Table(N_("Overview"), [Column(N_("Consultation"), 22), Column("", 40), Column("", 14, "number"),
                              Column("", 12, "number"), Column("", 12, "number"), Column("", 10, "number")],
                 rows, charts, records=False)
