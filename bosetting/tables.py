import html

import django_tables2 as tables
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import AttributeDict, OrderBy, OrderByTuple

from core.export import Merknad

from .oversikt import tall_merknad, tall_tekst
from .status import GAP_FOR


def _pct(value):
    return "" if value is None else f"{round(value * 100)}\u00a0%"


class TallColumn(tables.Column):
    """A Tall (value + hidden cells): «:» when suppressed, «≥ N (k skjult)» for lower bounds.
    Exported as a figure column (core.export): the number when exact, else a blank and the
    marker column says why."""

    export_figur = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "app-num"}, "th": {"class": "app-num"}})
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return tall_tekst(value)

    def value(self, value):
        # Exports: a plain number when exact, so spreadsheets can sum it; blank when unknown; a
        # Merknad (blank number, text in the marker column) when cells are suppressed.
        if value is not None and value.skjulte:
            return Merknad(tall_merknad(value))
        return None if value is None else value.verdi


def _num_attrs():
    return {"td": {"class": "app-num"}, "th": {"class": "app-num"}}


class OversiktTable(tables.Table):
    kommunenummer = tables.Column(verbose_name=_("Nr."), order_by=("kommunenummer",), default="")
    kommune = tables.Column(verbose_name=_("Kommune"), order_by=("kommune",))
    fylke = tables.Column(verbose_name=_("Fylke"), order_by=("fylke_nr", "kommunenummer"), default="")
    anmodet = TallColumn(verbose_name=_("Anmodning"), order_by=("anmodet_n",))
    vedtatt = TallColumn(verbose_name=_("Vedtak"), order_by=("vedtatt_n",))
    bosatt = TallColumn(verbose_name=_("Bosatt"), order_by=("bosatt_n",))
    # The gaps by their names in bosetting.status.GAP (a sum row: summed over its kommuner below).
    gap_anmodning_vedtak = TallColumn(verbose_name=GAP_FOR["anmodning_vedtak"].tittel, order_by=("gap_av_n",))
    gap_vedtak_bosatt = TallColumn(verbose_name=GAP_FOR["vedtak_bosatt"].tittel, order_by=("gap_vb_n",))
    gap_anmodning_bosatt = TallColumn(verbose_name=GAP_FOR["anmodning_bosatt"].tittel, order_by=("gap_ab_n",))
    andel_bosatt = tables.Column(verbose_name=_("Bosatt av vedtak"), order_by=("andel_n",), attrs=_num_attrs(),
                                 default="")
    status = tables.Column(verbose_name=_("Status"), order_by=("status",), default="")

    class Meta:
        template_name = "tables/ds_table_fast.html"
        attrs = {"class": "ds-table app-oversikt", "data-size": "sm"}
        row_attrs = {"class": lambda record: f"app-sum app-sum--{record.niva}" if record.er_sum else ""}
        order_by = ("fylke",)
        empty_text = _("Ingen kommuner passer med filteret.")

    @tables.Table.order_by.setter
    def order_by(self, value):
        # django-tables2's own list sort resolves an Accessor per row and key (a tenth of the page);
        # the rows here are plain objects, so sort on their attributes, least significant key first.
        value = value or ()
        aliases = value.split(",") if isinstance(value, str) else value
        valid = [a for a in aliases if OrderBy(a).bare in self.columns and self.columns[OrderBy(a).bare].orderable]
        self._order_by = OrderByTuple(valid)
        rows = self.data.data
        for alias in reversed(valid):
            bc = self.columns[OrderBy(alias).bare]
            for accessor in reversed(bc.order_by if alias[0] == bc.order_by_alias[0] else bc.order_by.opposite):
                rows.sort(key=lambda r, a=accessor.bare: getattr(r, a), reverse=accessor.is_descending)
        # Sort within each fylke; its sum row stays last in the group (KS layout).
        rows.sort(key=lambda r: r.gruppe)

    def tbody_html(self):
        """The rows as one HTML string: the same markup django-tables2's row machinery makes, in a
        fraction of the time (it resolves every cell through BoundRow/Accessor: ~1 s for the
        country's 4 000 cells). Columns are plain attributes of the row; see the render_* below."""
        cols = []
        localized = {}  # as escape() below: localize() reads settings on every call

        def loc(value):
            hit = localized.get(value)
            if hit is None:
                hit = localized[value] = localize(value)
            return hit
        tekster = {}  # tall_tekst per (value, hidden cells): a few hundred distinct figures

        def tall(t):
            key = (t.verdi, t.skjulte)
            hit = tekster.get(key)
            if hit is None:
                hit = tekster[key] = conditional_escape(tall_tekst(t))
            return hit
        for bc in self.columns:
            name, col = bc.name, bc.column
            if isinstance(col, TallColumn):
                fn = tall
            elif name == "kommune":
                fn = None
            elif name == "andel_bosatt":
                fn = self.render_andel_bosatt
            elif hasattr(col, "celle"):  # a column that renders its own cell (safe HTML or text)
                fn = col.celle
            else:
                default = bc.default

                def fn(value, default=default):
                    return default if value in (None, "") else loc(value)
            cols.append((name, fn, f'<td {AttributeDict(bc.attrs.get("td", {})).as_html()}>'))
        out = []
        escaped = {}  # the same few hundred numbers recur: Django's escape() is slow per call

        def esc(cell):
            if hasattr(cell, "__html__"):
                return cell
            hit = escaped.get(cell)
            if hit is None:
                hit = escaped[cell] = conditional_escape(cell)
            return hit
        render_kommune, append = self.render_kommune, out.append
        for i, record in enumerate(self.data.data):
            parity = "odd" if i % 2 else "even"
            cls = f"app-sum app-sum--{record.niva} {parity}" if record.niva else parity
            append(f'<tr class="{cls}">')
            for name, fn, td in cols:
                value = getattr(record, name)
                cell = render_kommune(value, record) if fn is None else fn(value)
                append(td)
                append(esc(cell))
                append("</td>")
            append("</tr>")
        return mark_safe("".join(out))  # noqa: S308 (every cell is escaped above)

    def as_values(self, exclude_columns=None):
        """The export rows (header first), as django-tables2 makes them but without its per-cell
        signature inspection (most of a full export's time). Same value_* rules as below."""
        exclude_columns = exclude_columns or ()
        columns = [bc for bc in self.columns.iterall()
                   if not (bc.column.exclude_from_export or bc.name in exclude_columns)]
        yield [force_str(bc.header, strings_only=True) for bc in columns]
        cols = []
        for bc in columns:
            name, col = bc.name, bc.column
            if isinstance(col, TallColumn):
                fn = col.value
            elif name == "kommune":
                fn = None
            elif name == "andel_bosatt":
                fn = self.value_andel_bosatt
            elif hasattr(col, "eksport"):  # a column that exports its own value
                fn = col.eksport
            else:
                def fn(value):
                    return value
            cols.append((name, fn, col.empty_values))

        def cell(record, name, fn, empty):
            value = getattr(record, name)
            if value in empty:  # as django-tables2: an empty cell exports as None, unformatted
                return None
            return self.value_kommune(value, record) if fn is None else fn(value)
        for record in self.data.data:
            yield [force_str(cell(record, *c), strings_only=True) for c in cols]

    def render_kommune(self, value, record):
        # As format_html, with the standard library's escape: format_html cost 30 µs a row here.
        value = html.escape(str(value))
        if record.url:
            value = f'<a class="ds-link" href="{html.escape(record.url)}">{value}</a>'
        if record.er_sum:
            value = f"<strong>{value}</strong>"
        elif record.merknad:
            value = f'{value} <span class="app-merknad">({html.escape(str(record.merknad))})</span>'
        return mark_safe(value)  # noqa: S308 (escaped above)

    def value_kommune(self, value, record):
        return f"{value} ({record.merknad})" if record.merknad else value

    def render_andel_bosatt(self, value):
        return _pct(value)

    def value_andel_bosatt(self, value):
        return "" if value is None else round(value * 100)
