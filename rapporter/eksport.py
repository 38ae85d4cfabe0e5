"""The county report as XLSX and PDF, from the same Fylkesrapport the page shows."""

import html
import io

from django.utils.translation import gettext as _

from bosetting.oversikt import tall_merknad, tall_tekst
from bosetting.status import GAP_FOR
from core.export import Merknad, sheet_title, with_marker_columns, xlsx_append, xlsx_bytes, xlsx_widths

FIGURE_COLUMNS = (2, 3, 4, 5, 6)  # the request, vedtak and gap of the year, the request and vedtak of the next

# The gap the KS slide shows, by its one definition (bosetting.status.GAP): the page, the XLSX and
# the PDF name and explain it alike.
RAPPORT_GAP = GAP_FOR["anmodning_vedtak"]


def gap_forklaring():
    return f"{RAPPORT_GAP.tittel} ({RAPPORT_GAP.formel}): {RAPPORT_GAP.definisjon}"


def _cells(rapport, figur):
    """Header and rows of the KS table, shared by both formats; `figur` writes a figure (a number
    cell in XLSX, the page's text in the PDF)."""
    a, b = rapport.aar, rapport.aar + 1
    header = [_("Kommunenr."), _("Kommune"), _("Anmodning %(aar)s") % {"aar": a}, _("Vedtak %(aar)s") % {"aar": a},
              f"{RAPPORT_GAP.tittel} {a}", _("Anmodning %(aar)s") % {"aar": b}, _("Vedtak %(aar)s") % {"aar": b},
              _("Status %(aar)s") % {"aar": a}]
    rows = []
    for r in rapport.rader:
        naa, neste = r["rad"], r["neste"]
        rows.append([r["nummer"], r["navn"], figur(naa and naa.anmodet), figur(naa and naa.vedtatt),
                     figur(naa and getattr(naa, RAPPORT_GAP.attr)),
                     figur(neste and neste.anmodet), figur(neste and neste.vedtatt), str(naa.status) if naa else ""])
    rows.append(["", _("Sum %(fylke)s") % {"fylke": rapport.fylke.navn}, figur(rapport.sum.anmodet),
                 figur(rapport.sum.vedtatt), figur(getattr(rapport.sum, RAPPORT_GAP.attr)),
                 figur(rapport.sum_neste.anmodet), figur(rapport.sum_neste.vedtatt), ""])
    return header, rows


def _tekst(t):
    """For the PDF: an exact figure as int; «:» or «≥ N (k skjult)» as the page shows it; unknown blank."""
    if t is None or (t.verdi is None and not t.skjulte):
        return None
    return tall_tekst(t) if t.skjulte else t.verdi


def _tall(t):
    """For XLSX (core.export): an exact figure as int; unknown blank; a suppressed or lower-bound
    figure blank with its marker («skjult», «minst N (k skjult)») in the column after it."""
    if t is None:
        return None
    return Merknad(tall_merknad(t)) if t.skjulte else t.verdi


def fylkesrapport_xlsx(rapport):
    """One sheet, «Bosetting i <fylke> <år>»: a title, the KS table (a marker column after each
    figure) with the county sum in bold, the reasons, the source. Written by the one exporter."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title(_("Bosetting i %(fylke)s %(aar)s") % {"fylke": rapport.fylke.navn, "aar": rapport.aar},
                           _("Bosetting %(aar)s") % {"aar": rapport.aar})
    xlsx_append(ws, [_("Bosetting i %(fylke)s %(aar)s–%(neste)s") % {
        "fylke": rapport.fylke.navn, "aar": rapport.aar, "neste": rapport.aar + 1}])
    ws["A1"].font = Font(bold=True, size=14)
    header, rows = with_marker_columns(*_cells(rapport, _tall), FIGURE_COLUMNS)
    xlsx_append(ws, header, bold=True)
    for row in rows[:-1]:
        xlsx_append(ws, row)
    xlsx_append(ws, rows[-1], bold=True)  # the county sum
    ws.append([])
    xlsx_append(ws, [_("Årsaker til færre bosatte enn anmodet (antall kommuner)")], bold=True)
    for label, n in rapport.aarsaker:
        xlsx_append(ws, [str(label), n])
    ws.append([])
    xlsx_append(ws, [_("Kilde: IMDi (anmodning, vedtak); kommunenes egne opplysninger (årsaker).")])
    xlsx_append(ws, [gap_forklaring()])
    if rapport.syntetisk:
        xlsx_append(ws, [rapport.syntetisk])
    xlsx_widths(ws, [12, 28, 16, 18, 14, 18, 18, 18, 16, 18, 14, 18, 28])
    return xlsx_bytes(wb)


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
    header, rows = _cells(rapport, _tekst)
    header = [_pdf_tekst(h) for h in header]
    header[4] = header[4].replace(", ", ",\n")  # the gap's name over two lines
    # The status (with its figures: «Ikke nådd: 12 av 20 bosatt») wraps in its column.
    celle = ParagraphStyle("celle", parent=styles["Normal"], fontName="Helvetica", fontSize=9, leading=11)
    data = [header] + [["" if v is None else _pdf_tekst(v) for v in row[:-1]]
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
