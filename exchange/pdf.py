"""An agreement's one-page summary as PDF, for printing and sending.

Drawn with reportlab in DejaVu Sans (Debian's fonts-dejavu-core), which has the Cyrillic letters
of Russian names. Everything goes in one frame that shrinks to fit, so the summary is always one
A4 page; past MAX_MILESTONES, the rest are counted rather than listed.
"""

import datetime
import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.selectors import AgreementPage

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
MAX_MILESTONES = 30


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name in (FONT, FONT_BOLD):
        path = FONT_DIR / f"{name}.ttf"
        if not path.is_file():
            raise ImproperlyConfigured(f"{path} is missing: install Debian's fonts-dejavu-core for the agreement PDF.")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def _date(value: datetime.date | None, empty: str = "—") -> str:
    return date_format(value, "DATE_FORMAT") if value else empty


def agreement_pdf(page: AgreementPage, *, today: datetime.date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    agreement = page.agreement
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
    title = ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=2)
    heading = ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=10.5, spaceBefore=6, spaceAfter=2)

    def p(text, style=body) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    def table(rows, widths, header=True) -> Table:
        grid = Table(
            [[p(cell, small if header and index == 0 else body) for cell in row] for index, row in enumerate(rows)],
            colWidths=widths,
            hAlign="LEFT",
        )
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return grid

    event = agreement.signing_event
    event_text = (
        ", ".join(str(part) for part in (event.name, event.city, _date(event.held_on, "")) if part) if event else "—"
    )
    witnesses = "; ".join(str(person) for person in agreement.witnesses.all()) or "—"
    term = [
        _("Effective from: %(date)s") % {"date": _date(agreement.effective_from)},
        _("Expires on: %(date)s") % {"date": _date(agreement.expires_on, _("open-ended"))},
        str(agreement.get_renewal_display()).capitalize(),
    ]
    scope = ", ".join(item.stage.name for item in page.stages if item.covered) or "—"
    story = [
        p(f"{agreement.reference} · {agreement.title}", title),
        p(
            " · ".join(
                [
                    str(agreement.get_kind_display()).capitalize(),
                    _("Status: %(status)s") % {"status": agreement.get_status_display()},
                    _("public") if agreement.is_public else _("confidential to its parties"),
                ]
            ),
            small,
        ),
    ]
    if agreement.subject:
        story += [Spacer(0, 2 * mm), p(agreement.subject)]
    story += [
        p(_("Parties"), heading),
        table(
            [[_("Park"), _("Role"), _("Signatory"), _("Witnesses for this party")]]
            + [
                [
                    party.technopolis.name,
                    party.role or "—",
                    party.signatory or "—",
                    "; ".join(str(person) for person in party.witnesses.all()) or "—",
                ]
                for party in agreement.parties.all()
            ],
            [50 * mm, 30 * mm, 50 * mm, 50 * mm],
        ),
        p(_("Signing"), heading),
        p(_("Signed on: %(date)s") % {"date": _date(agreement.signed_on)}),
        p(_("Signing event: %(event)s") % {"event": event_text}),
        p(_("Witnesses: %(people)s") % {"people": witnesses}),
        p(_("Term"), heading),
        p(" · ".join(term)),
        p(_("Scope along the innovation chain"), heading),
        p(scope),
        p(_("Cooperation areas: %(areas)s") % {"areas": ", ".join(str(s) for s in agreement.sectors.all()) or "—"}),
        p(_("Milestones"), heading),
    ]
    rows = page.milestones[:MAX_MILESTONES]
    if rows:
        story.append(
            table(
                [[_("Due on"), _("Milestone"), _("Responsible park"), _("Status")]]
                + [
                    [
                        _date(row.milestone.due_on),
                        row.milestone.title,
                        row.milestone.responsible_technopolis or "—",
                        f"{row.milestone.get_status_display()}{' · ' + _('overdue') if row.is_overdue else ''}",
                    ]
                    for row in rows
                ],
                [25 * mm, 85 * mm, 40 * mm, 30 * mm],
            )
        )
    else:
        story.append(p(_("No milestones recorded."), small))
    if len(page.milestones) > MAX_MILESTONES:
        more = len(page.milestones) - MAX_MILESTONES
        story.append(p(_("… and %(count)s more milestones, listed in the portal.") % {"count": more}, small))
    story += [Spacer(0, 4 * mm), p(_("Summary as of %(date)s.") % {"date": _date(today)}, small)]

    buffer = io.BytesIO()
    margin = 15 * mm
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{agreement.reference} {agreement.title}",
    )
    frame_width, frame_height = A4[0] - 2 * margin, A4[1] - 2 * margin - 12
    document.build([KeepInFrame(frame_width, frame_height, story, mode="shrink")])
    return buffer.getvalue()
