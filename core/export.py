"""One exporter for every download: text a spreadsheet would run as a formula is neutralised.

`neutralise` is used by every export that writes cells (the long export, the county report, and
every django-tables2 list export through `TableExportMixin`). Numbers stay numbers.
`TableExportMixin` is also where the lists' `?per_page=` is held to a sane range.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django_tables2.export import ExportMixin, TableExport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Markers that are text on purpose and no formula: IMDi's «:» (suppressed) and a bare dash.
HARMLESS = (":", "-")
PER_PAGE_MIN, PER_PAGE_MAX = 1, 200


def neutralise(value):
    """Prefix text a spreadsheet would treat as a formula with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value not in HARMLESS:
        return "'" + value
    return value


def neutralise_row(row):
    return [neutralise(v) for v in row]


class NeutralisingTableExport(TableExport):
    """django-tables2's TableExport with every text cell (headers included) neutralised."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        if dataset.headers:
            dataset.headers = neutralise_row(str(h) for h in dataset.headers)
        for i in range(len(dataset)):
            dataset[i] = neutralise_row(dataset[i])
        return dataset


class ClampedPaginator(Paginator):
    """A paginator whose page size is held to 1..200, whatever `?per_page=` says."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE_MIN
        super().__init__(object_list, min(max(per_page, PER_PAGE_MIN), PER_PAGE_MAX), *args, **kwargs)

    def validate_number(self, number):
        """A page out of range or not a number is the first or last page, never an error."""
        try:
            return super().validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            try:
                return 1 if int(number) < 1 else max(self.num_pages, 1)
            except (TypeError, ValueError, OverflowError):
                return 1


class TableExportMixin(ExportMixin):
    """ExportMixin for every list page: exports go through `NeutralisingTableExport`, and the
    table's pagination (when it paginates) uses `ClampedPaginator`."""

    export_class = NeutralisingTableExport

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if paginate is False:
            return paginate
        paginate = dict(paginate) if isinstance(paginate, dict) else {}
        # MultipleObjectMixin's plain Paginator comes along from FilterView: replace it.
        if not issubclass(paginate.get("paginator_class") or Paginator, ClampedPaginator):
            paginate["paginator_class"] = ClampedPaginator
        return paginate
