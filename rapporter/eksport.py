"""The county report as XLSX and PDF, from the same Fylkesrapport the page shows."""

import html
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bosetting.oversikt import TJENESTE_KOLONNER, tall_merknad, tall_tekst
from bosetting.status import GAP_FELLES, GAP_FOR, KOMMUNE_GAP
from core.export import Merknad, sheet_title, with_marker_columns, xlsx_append, xlsx_bytes, xlsx_widths

# The figures of `tabell`: the year's request, vedtak, settled and three gaps, the next year's request and vedtak.
FIGURE_COLUMNS = tuple(range(2, 10))

# The gap the KS slide shows, by its one definition (bosetting.status.GAP): the page, the XLSX and
# the PDF name and explain it alike.
RAPPORT_GAP = GAP_FOR["anmodning_vedtak"]


# The report's source, as the page, the XLSX and the PDF state it.
KILDE = gettext_lazy("Kilde: IMDis publiserte tall og tall registrert eller importert i Bosetting (anmodning, "
                     "vedtak, bosatte); kommunenes egne opplysninger (årsaker); oppfølgingen i Bosetting.")


def _tall(t):
    """For XLSX (core.export): an exact figure as int; unknown blank; a suppressed or lower-bound
    figure blank with its marker («skjult», «minst N (k skjult)») in the column after it."""
    if t is None:
        return None
    return Merknad(tall_merknad(t)) if t.skjulte else t.verdi


def fylkesrapport_xlsx(rapport):
    """One sheet, «Bosetting i <fylke> <år>»: a title, the page's table (`tabell`, a marker column
    after each figure) with the county sum in bold, the reasons, the source and the gaps'
    definitions. Written by the one exporter."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title(_("Bosetting i %(fylke)s %(aar)s") % {"fylke": rapport.fylke.navn, "aar": rapport.aar},
                           _("Bosetting %(aar)s") % {"aar": rapport.aar})
    xlsx_append(ws, [_("Bosetting i %(fylke)s %(aar)s–%(neste)s") % {
        "fylke": rapport.fylke.navn, "aar": rapport.aar, "neste": rapport.aar + 1}])
    ws["A1"].font = Font(bold=True, size=14)
    header, rows = with_marker_columns(*tabell(rapport, _tall, tekst=str), FIGURE_COLUMNS)
    xlsx_append(ws, header, bold=True)
    for row in rows[:-1]:
        xlsx_append(ws, row)
    xlsx_append(ws, rows[-1], bold=True)  # the county sum
    ws.append([])
    xlsx_append(ws, [_("Årsaker til færre bosatte enn anmodet (antall kommuner)")], bold=True)
    for label, n in rapport.aarsaker:
        xlsx_append(ws, [str(label), n])
    ws.append([])
    xlsx_append(ws, [str(KILDE)])
    for g in KOMMUNE_GAP:  # each gap in the table by its one definition
        xlsx_append(ws, [f"{g.tittel} ({g.formel}): {g.definisjon}"])
    if rapport.syntetisk:
        xlsx_append(ws, [rapport.syntetisk])
    xlsx_widths(ws, [12, 28] + [14, 18] * len(FIGURE_COLUMNS) + [28, 24])
    return xlsx_bytes(wb)


def _pdf_tekst(text):
    """The PDF's standard fonts have no minus sign (U+2212): a dash in its place."""
    return str(text).replace("\u2212", "–")


def pdf_tall(t):
    """A figure as the PDF writes it: the page's text (bosetting.oversikt.tall_tekst) for a known
    figure, «skjult» (or «minst N (k skjult)») for a suppressed one, «ukjent» for an unknown one,
    never 0. The PDF's standard fonts have no «≥», so the marker words of the exports are used."""
    if t is None or (t.verdi is None and not t.skjulte):
        return _("ukjent")
    return tall_merknad(t) if t.skjulte else tall_tekst(t)


def prognose_tekst(p):
    """The forecast cell as the page writes it (its template, tags stripped), for the PDF."""
    if p is None:
        return ""
    text = strip_tags(render_to_string("rapporter/_prognose_celle.html", {"p": p}))
    return " ".join(html.unescape(text).split())


def tabell(rapport, figur, tekst):
    """The county report's table of kommuner, as the page shows it, for both files: kommune
    number and name, this year's request, vedtak, settled and the three gaps (bosetting.status
    KOMMUNE_GAP), next year's request and vedtak, the status in words and, while the year runs,
    the forecast; the county sum last. `figur` writes a figure (a number with its marker in
    XLSX, the page's words in the PDF), `tekst` the forecast cell."""
    a, b = rapport.aar, rapport.aar + 1
    header = [_("Kommunenr."), _("Kommune"), _("Anmodning %(aar)s") % {"aar": a}, _("Vedtak %(aar)s") % {"aar": a},
              _("Bosatt %(aar)s") % {"aar": a}, *(f"{g.tittel} {a}" for g in KOMMUNE_GAP),
              _("Anmodning %(aar)s") % {"aar": b}, _("Vedtak %(aar)s") % {"aar": b}, _("Status %(aar)s") % {"aar": a}]
    if rapport.vis_prognose:
        header.append(_("Forventet bosatt %(aar)s (spenn)") % {"aar": a})
    header += [f"{label} {a}" for _k, label in TJENESTE_KOLONNER]
    ingen = [""] * len(TJENESTE_KOLONNER)  # hidden from the user, and the sum row

    def figurer(naa, neste):
        return [figur(naa and naa.anmodet), figur(naa and naa.vedtatt), figur(naa and naa.bosatt),
                *(figur(naa and getattr(naa, g.attr)) for g in KOMMUNE_GAP),
                figur(neste and neste.anmodet), figur(neste and neste.vedtatt)]

    rows = []
    for r in rapport.rader:
        naa = r["rad"]
        navn = r["navn"] + (f" ({r['merknad']})" if r.get("merknad") else "")
        row = [r["nummer"], navn, *figurer(naa, r["neste"]), str(naa.status) if naa else ""]
        if rapport.vis_prognose:
            row.append(tekst(prognose_tekst(r.get("prognose"))))
        row += [v if isinstance(v, int) else tekst(v) for v in r.get("tjenester") or ingen]
        rows.append(row)
    total = ["", _("Sum %(fylke)s") % {"fylke": rapport.fylke.navn}, *figurer(rapport.sum, rapport.sum_neste), ""]
    if rapport.vis_prognose:
        total.append(tekst(prognose_tekst(rapport.sum_prognose)))
    rows.append(total + ingen)
    return header, rows


def pdf_tabell(rapport):
    """The PDF's table (tabell, in the page's words): number and name in one column; the service
    columns apart (pdf_tjenester), as on the page."""
    header, rows = tabell(rapport, pdf_tall, tekst=str)
    n = len(TJENESTE_KOLONNER)
    return header[1:-n], [[" ".join(filter(None, r[:2]))] + r[2:-n] for r in rows]


def pdf_tjenester(rapport):
    """The service columns of `tabell` for the kommuner with registered facts (the page's second table)."""
    header, rows = tabell(rapport, pdf_tall, tekst=str)
    n = len(TJENESTE_KOLONNER)
    shown = {r["nummer"] for r in rapport.rader if r.get("tjenester_registrert")}
    return ([_("Kommune")] + [str(label) for _k, label in TJENESTE_KOLONNER],
            [[" ".join(filter(None, r[:2]))] + [str(v) for v in r[-n:]] for r in rows[:-1] if r[0] in shown])


def laget_tekst(laget):
    """«Laget dd.mm.åååå tt:mm», in Norwegian time (settings.TIME_ZONE, Europe/Oslo)."""
    return _("Laget %(t)s.") % {"t": timezone.localtime(laget).strftime("%d.%m.%Y %H:%M")}


def fotnote_tekster(rapport):
    """The notes under the table, as the page writes them: the source, what «skjult» and a blank
    mean, each gap's definition, the forecast's basis, the demo figures."""
    out = [str(KILDE), _("«skjult»: IMDi har skjult tallet (på nettsiden «:»); «minst N (k skjult)» er en "
                         "nedre grense. «ukjent»: tallet er ikke kjent (på nettsiden tomt)."), str(GAP_FELLES)]
    out += [f"{g.tittel} ({g.formel}): {g.definisjon}" for g in KOMMUNE_GAP]
    return out


def _oppfolging_linjer(oppfolging):
    if oppfolging is None or not oppfolging.tilgjengelig:
        return None
    linjer = [(_("Gjort"), [f"{o.tittel} – {o.kommune}" for o in oppfolging.utforte]),
              (_("Forfalte"), [f"{o.tittel} – {o.kommune} ({o.frist:%d.%m.%Y})" for o in oppfolging.forfalte]),
              (_("Åpne"), [f"{o.tittel} – {o.kommune} ({o.frist:%d.%m.%Y})" for o in oppfolging.apne])]
    return linjer


def fylkesrapport_pdf(rapport, *, oppfolging=None, laget=None):
    """The county report as a document to hand over (A4 landscape, reportlab): what the page
    shows — the table of kommuner with the county sum, IMDi's county table, the forecast, the
    reasons, the follow-ups done and open — with when it was made, the source, the notes, and
    «Side X av Y» on every page. Every cell is a Paragraph, so a long text wraps in its cell."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    laget = laget or timezone.now()
    tittel = _("Bosetting i %(fylke)s %(aar)s–%(neste)s") % {
        "fylke": rapport.fylke.navn, "aar": rapport.aar, "neste": rapport.aar + 1}
    laget_t = laget_tekst(laget)
    side_tekst = _("Side %(side)s av %(sider)s")

    class SideCanvas(canvas.Canvas):
        """Draws the footer once the number of pages is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._sider = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._sider.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for nr, state in enumerate(self._sider, 1):
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                w = self._pagesize[0]
                self.drawString(15 * mm, 7 * mm, _pdf_tekst(f"{tittel} · {laget_t}"))
                self.drawRightString(w - 15 * mm, 7 * mm, side_tekst % {"side": nr, "sider": len(self._sider)})
                super().showPage()
            super().save()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=12 * mm, bottomMargin=14 * mm,
                            title=_("Bosetting i %(fylke)s %(aar)s") % {
                                "fylke": rapport.fylke.navn, "aar": rapport.aar},
                            author=_("Bosetting"))
    styles = getSampleStyleSheet()
    normal = ParagraphStyle("tekst", parent=styles["Normal"], fontName="Helvetica", fontSize=9, leading=11)
    celle = ParagraphStyle("celle", parent=normal, fontSize=8, leading=10)
    tall_celle = ParagraphStyle("tall", parent=celle, alignment=2)  # right
    hode = ParagraphStyle("hode", parent=celle, fontName="Helvetica-Bold")
    tall_hode = ParagraphStyle("tallhode", parent=hode, alignment=2)
    sum_celle = ParagraphStyle("sum", parent=celle, fontName="Helvetica-Bold")
    sum_tall = ParagraphStyle("sumtall", parent=sum_celle, alignment=2)

    def p(text, style=normal):
        return Paragraph(html.escape(_pdf_tekst(text)), style)

    story = [p(tittel, styles["Title"]), p(laget_t + " " + str(KILDE))]
    if rapport.historisk:
        story.append(p(_("Historisk fylke: kommunene vises slik de var det året.")))
    if rapport.syntetisk:
        story.append(p(rapport.syntetisk, ParagraphStyle("syn", parent=normal, fontName="Helvetica-Bold")))
    story.append(Spacer(1, 3 * mm))

    header, rows = pdf_tabell(rapport)
    tall_kol = range(1, 9)  # the figures' columns
    bredde = doc.width
    fast = [42 * mm] + [19 * mm] * 3 + [22 * mm] * 3 + [19 * mm] * 2
    rest = bredde - sum(fast)
    widths = fast + ([rest * 0.55, rest * 0.45] if rapport.vis_prognose else [rest])

    def rad(cells, tekst_stil, tall_stil):
        return [p(v, tall_stil if i in tall_kol else tekst_stil) for i, v in enumerate(cells)]

    data = [rad(header, hode, tall_hode)] + [rad(r, celle, tall_celle) for r in rows[:-1]] + [
        rad(rows[-1], sum_celle, sum_tall)]
    table = Table(data, repeatRows=1, colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f0f3f7")]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    story += [table, Spacer(1, 5 * mm)]

    if rapport.har_tjenester:  # as on the page: its own table, the main one has no room for it
        story.append(p(_("Tjenester og press i %(f)s %(aar)s") % {"f": rapport.fylke.navn, "aar": rapport.aar},
                       styles["Heading3"]))
        t_header, t_rows = pdf_tjenester(rapport)
        t = Table([[p(v, hode) for v in t_header]] + [[p(v, celle) for v in r] for r in t_rows],
                  repeatRows=1, colWidths=[60 * mm, 40 * mm, 40 * mm, 40 * mm, 30 * mm])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]))
        story += [t, Spacer(1, 5 * mm)]

    if rapport.imdi:
        i = rapport.imdi
        story.append(p(_("IMDis egne tall for %(f)s %(aar)s") % {"f": i.fylke, "aar": rapport.aar}, styles["Heading3"]))
        kol = [_("Kilde"), _("Anmodning"), _("herav enslige mindreårige"), _("Vedtak"),
               _("herav enslige mindreårige"), _("Bosatt")]
        it = Table([[p(k, hode) for k in kol],
                    [p(_("IMDis fylketabell"), celle)] + [p(pdf_tall(t), tall_celle) for t in (
                        i.anmodet, i.anmodet_ema, i.vedtatt, i.vedtatt_ema, i.bosatt)],
                    [p(_("Summen av kommunene"), celle)] + [p(v, tall_celle) for v in (
                        pdf_tall(rapport.sum.anmodet), "", pdf_tall(rapport.sum.vedtatt), "",
                        pdf_tall(rapport.sum.bosatt))]], colWidths=[50 * mm] + [30 * mm] * 5)
        it.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]))
        story += [it, p(_("IMDis fylketabell (%(stand)s). Summen av kommunene kan avvike når IMDi har skjult "
                          "celler, når tallene er fra ulike datoer, eller når kommunenes tall ikke er "
                          "registrert.") % {"stand": i.stand}, celle), Spacer(1, 4 * mm)]

    if rapport.vis_prognose and rapport.kalibrering is not None:
        story.append(p(prognose_merknad(rapport.kalibrering), celle))
        story.append(Spacer(1, 4 * mm))

    story.append(p(_("Årsaker kommunene oppgir for å bosette færre"), styles["Heading3"]))
    if rapport.aarsaker:
        # A scoped viewer's figures arrive suppressed (rapporter.selectors._aarsaker): None, «færre enn 3».
        n = rapport.antall_med_aarsaker
        story.append(p(_("Antall kommuner som oppgir hver årsak (færre enn 3 kommuner har svart)") if n is None
                       else ngettext("Antall kommuner som oppgir hver årsak (%(n)s kommune har svart)",
                                     "Antall kommuner som oppgir hver årsak (%(n)s kommuner har svart)", n)
                       % {"n": n}, celle))
        at = Table([[p(_("Årsak"), hode), p(_("Kommuner"), tall_hode)]]
                   + [[p(label, celle), p(str(n), tall_celle)] for label, n in rapport.aarsaker],
                   colWidths=[110 * mm, 25 * mm])
        at.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]))
        story.append(at)
    else:
        story.append(p(_("Ingen kommuner har registrert årsaker for året.")))

    story.append(p(_("Oppfølging: gjort og åpent"), styles["Heading3"]))
    linjer = _oppfolging_linjer(oppfolging)
    if linjer is None:
        story.append(p(_("Oppfølginger vises her når oppfølgingsmodulen er tatt i bruk.")))
    else:
        story.append(p(_("%(g)s gjort, %(a)s åpne.") % {"g": oppfolging.antall_utforte, "a": oppfolging.antall_apne}))
        for overskrift, punkter in linjer:
            story.append(p(overskrift, hode))
            for linje in punkter or [_("Ingen")]:
                story.append(p("– " + linje, celle))

    story.append(Spacer(1, 5 * mm))
    story.append(p(_("Merknader"), styles["Heading3"]))
    for tekst in fotnote_tekster(rapport):
        story.append(p(tekst, celle))
    doc.build(story, canvasmaker=SideCanvas)
    return out.getvalue()


def prognose_merknad(k):
    """The page's note on the forecast (#prognose-merknad), in the same words."""
    text = strip_tags(render_to_string("rapporter/_prognose_merknad.html", {"r": {"kalibrering": k}}))
    return " ".join(html.unescape(text).split())
