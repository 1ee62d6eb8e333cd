"""The synthesis in the workbook: a Synthesis sheet (item x sector agreement with a colour
scale, consensus and divisiveness) and a Themes sheet, from the synthesis dict."""
from __future__ import annotations

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from consult.workbook import Column, Table
from consult.people.models import SECTORS
from consult.synthesis.service import cached
from consult.i18n import N_, _

ITEM_KINDS = {"paragraph": N_("paragraph"), "amendment": N_("amendment")}

FIRST_SHARE = 6  # column of the first sector's share (1-based)


def _share_scale(ws, first: int, last: int) -> None:
    """Orange (nobody agrees) through white (half) to blue (everyone agrees), as on the page."""
    span = f"{get_column_letter(FIRST_SHARE)}{first}:{get_column_letter(FIRST_SHARE + len(SECTORS))}{last}"
    ws.conditional_formatting.add(span, ColorScaleRule(
        start_type="num", start_value=0, start_color="F4A259", mid_type="num", mid_value=0.5, mid_color="FFFFFF",
        end_type="num", end_value=1, end_color="5B8FD6"))


def synthesis_table(s: dict) -> Table:
    def rows():
        for i in s["items"]:
            shares = [i["by_sector"].get(sector, {}).get("agree_share") for sector in SECTORS]
            seen = [i["by_sector"].get(sector, {}).get("seen", 0) for sector in SECTORS]
            split = i["divisiveness"]
            yield (i["document"], i["number"], _(ITEM_KINDS.get(i["kind"], i["kind"])), i["id"], i["title"], *shares,
                   i["total"]["agree_share"],
                   *seen, i["total"]["agree"], i["total"]["disagree"], i["total"]["neutral"], i["total"]["discuss"],
                   i["consensus"], split["strength"] if i["total"]["seen"] else None,
                   split["p"] if i["total"]["seen"] else None, _("yes") if split["significant"] else "",
                   "; ".join(_(SECTORS[x]) for x in split["agreeing"]),
                   "; ".join(_(SECTORS[x]) for x in split["disagreeing"]),
                   "; ".join(i["rooms"]))

    return Table(N_("Synthesis"), [
        Column(N_("Document"), 26), Column(N_("Paragraph"), 9), Column(N_("Item"), 10), Column(N_("Item id"), 8, "number"),
        Column(N_("Item text"), 40, "long"),
        *(Column(_("%(sector)s: agree share", sector=_(label)), 11, "number") for label in SECTORS.values()),
        Column(N_("All: agree share"), 11, "number"),
        *(Column(_("%(sector)s: seen", sector=_(label)), 8, "number") for label in SECTORS.values()),
        Column(N_("Agree"), 8, "number"), Column(N_("Disagree"), 8, "number"), Column(N_("Pass or abstain"), 8, "number"),
        Column(N_("Needs discussion"), 9, "number"), Column(N_("Consensus (sectors)"), 11, "number"),
        Column(N_("Divisiveness (Cramér's V)"), 11, "number"), Column(N_("Split p-value"), 10, "number"),
        Column(N_("Significant split"), 9), Column(N_("Sectors agreeing"), 26), Column(N_("Sectors disagreeing"), 26),
        Column(N_("Rooms"), 40, "long")], rows(), _share_scale)


def themes_table(s: dict) -> Table:
    def rows():
        for t in s["themes"]:
            quotes = "\n".join(f"{q['key']} ({_(SECTORS[q['sector']])}, {q['room']}, {q['paragraph']}): {q['text']}"
                               for q in t["representative"])
            yield (t["id"], t["label"], t["size"], "; ".join(t["rooms"]),
                   "; ".join(f"{_(SECTORS[k])} {n}" for k, n in t["sectors"].items()),
                   ", ".join(str(p) for p in t["paragraph_ids"]), quotes, " ".join(t["members"]))
        if s["not_grouped"]:
            yield (None, _("(not grouped: each stands alone)"), len(s["not_grouped"]), None, None, None, None,
                   " ".join(s["not_grouped"]))

    return Table(N_("Themes"), [Column(N_("Theme"), 7, "number"), Column(N_("Label"), 30), Column(N_("Size"), 6, "number"),
                            Column(N_("Rooms"), 36, "long"), Column(N_("Sectors"), 30, "long"),
                            Column(N_("Paragraph ids"), 12), Column(N_("Representative comments"), 70, "long"),
                            Column(N_("Ids of all comments (c: comment, a: amendment rationale)"), 40, "long")], rows())


def synthesis_sheets(session, event) -> list[Table]:
    """Both sheets from the cached synthesis: the export's caller has checked it is an organiser."""
    built = cached(session, event)
    return [synthesis_table(built), themes_table(built)]
