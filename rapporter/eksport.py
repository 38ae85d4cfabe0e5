"""The county report as XLSX and PDF, from the same Fylkesrapport the page shows."""

import html
import io

from django.utils.translation import gettext as _

from bosetting.oversikt import tall_tekst
from bosetting.status import GAP_FOR
from core.export import neutralise_row

# The gap the KS slide shows, by its one definition (bosetting.status.GAP): the page, the XLSX and
# the PDF name and explain it alike.
RAPPORT_GAP = GAP_FOR["anmodning_vedtak"]


def gap_forklaring():
    return f"{RAPPORT_GAP.tittel} ({RAPPORT_GAP.formel}): {RAPPORT_GAP.definisjon}"


def _cells(rapport):
    """Header and rows of the KS table, shared by both formats (numbers as numbers, «:» as text)."""
    a, b = rapport.aar, rapport.aar + 1
    header = [_("Kommunenr."), _("Kommune"), _("Anmodning %(aar)s") % {"aar": a}, _("Vedtak %(aar)s") % {"aar": a},
              f"{RAPPORT_GAP.tittel} {a}", _("Anmodning %(aar)s") % {"aar": b}, _("Vedtak %(aar)s") % {"aar": b},
              _("Status %(aar)s") % {"aar": a}]
    rows = []
    for r in rapport.rader:
        naa, neste = r["rad"], r["neste"]
        rows.append([r["nummer"], r["navn"], _num(naa and naa.anmodet), _num(naa and naa.vedtatt),
                     _num(naa and getattr(naa, RAPPORT_GAP.attr)),
                     _num(neste and neste.anmodet), _num(neste and neste.vedtatt), str(naa.status) if naa else ""])
    rows.append(["", _("Sum %(fylke)s") % {"fylke": rapport.fylke.navn}, _num(rapport.sum.anmodet),
                 _num(rapport.sum.vedtatt), _num(getattr(rapport.sum, RAPPORT_GAP.attr)),
                 _num(rapport.sum_neste.anmodet), _num(rapport.sum_neste.vedtatt), ""])
    return header, rows


def _num(t):
    """An exact figure as int; a suppressed or lower-bound figure as its text; unknown as blank."""
    if t is None or (t.verdi is None and not t.skjulte):
        return None
    if t.skjulte:
        return tall_tekst(t)
    return t.verdi


def fylkesrapport_xlsx(rapport):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = str(rapport.aar)
    ws.append([_("Bosetting i %(fylke)s %(aar)s–%(neste)s") % {
        "fylke": rapport.fylke.navn, "aar": rapport.aar, "neste": rapport.aar + 1}])
    ws["A1"].font = Font(bold=True, size=14)
    header, rows = _cells(rapport)
    # Text cells neutralised as in every export (core.export); the PDF shows them as they are.
    header, rows = neutralise_row(header), [neutralise_row(r) for r in rows]
    ws.append(header)
    for c in ws[2]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    ws.append([])
    ws.append([_("Årsaker til færre bosatte enn anmodet (antall kommuner)")])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for label, n in rapport.aarsaker:
        ws.append(neutralise_row([str(label), n]))
    ws.append([])
    ws.append([_("Kilde: IMDi (anmodning, vedtak); kommunenes egne opplysninger (årsaker).")])
    ws.append(neutralise_row([gap_forklaring()]))
    if rapport.syntetisk:
        ws.append([rapport.syntetisk])
    for col, width in zip("ABCDEFGH", (12, 28, 16, 14, 18, 16, 14, 28), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pdf_tekst(text):
    """The PDF's standard fonts have no minus sign (U+2212): a dash in its place."""
    return str(text).replace("\u2212", "–")


def fylkesrapport_pdf(rapport):
    """A4 landscape, the KS table with the county sum and the reasons, made with reportlab."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm,
                            title=_("Bosetting i %(fylke)s %(aar)s") % {
                                "fylke": rapport.fylke.navn, "aar": rapport.aar})
    styles = getSampleStyleSheet()
    story = [Paragraph(_("Bosetting i %(fylke)s %(aar)s–%(neste)s") % {
        "fylke": rapport.fylke.navn, "aar": rapport.aar, "neste": rapport.aar + 1}, styles["Title"])]
    header, rows = _cells(rapport)
    header = [_pdf_tekst(h) for h in header]
    header[4] = header[4].replace(", ", ",\n")  # the gap's name over two lines
    # The status (with its figures: «Ikke nådd: 12 av 20 bosatt») wraps in its column.
    celle = ParagraphStyle("celle", parent=styles["Normal"], fontName="Helvetica", fontSize=9, leading=11)
    data = [header] + [["" if v is None else str(v) for v in row[:-1]]
                       + [Paragraph(html.escape(_pdf_tekst(row[-1])), celle)] for row in rows]
    table = Table(data, repeatRows=1,
                  colWidths=[20 * mm, 52 * mm, 28 * mm, 24 * mm, 32 * mm, 28 * mm, 24 * mm, 52 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
        ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 9),
        ("ALIGN", (2, 0), (6, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f0f3f7")]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]))
    story += [table, Spacer(1, 6 * mm)]
    if rapport.aarsaker:
        # A scoped viewer's figures arrive suppressed (rapporter.selectors._aarsaker): None, «færre enn 3».
        n = rapport.antall_med_aarsaker
        n = _("færre enn %(n)s") % {"n": 3} if n is None else n
        story.append(Paragraph(_("Årsaker til færre bosatte enn anmodet (%(n)s kommuner har oppgitt årsaker)") % {
            "n": n}, styles["Heading3"]))
        at = Table([[str(label), str(n)] for label, n in rapport.aarsaker], colWidths=[110 * mm, 20 * mm])
        at.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9), ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
        story.append(at)
    story += [Spacer(1, 4 * mm), Paragraph(
        _("Kilde: IMDi (anmodning, vedtak); kommunenes egne opplysninger (årsaker). «:» = skjult av IMDi."),
        styles["Normal"]), Paragraph(html.escape(_pdf_tekst(gap_forklaring())), styles["Normal"])]
    if rapport.syntetisk:
        story.append(Paragraph(html.escape(_pdf_tekst(rapport.syntetisk)), styles["Normal"]))
    doc.build(story)
    return out.getvalue()
