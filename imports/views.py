from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import can

from .forms import ImportForm
from .models import Import, ImportStatus
from .services import (
    ImportAlreadyDone,
    import_confirm,
    import_create,
    import_mark_stale,
    import_preview,
    import_run_in_background,
)
from .tasks import import_confirm_task

# Files with more rows than this are written by the worker, with the status shown while it runs.
BACKGROUND_ROWS = 2000


def _require_importer(user):
    if not can(user, "anmodning"):
        raise PermissionDenied(_("Bare IMDi og administratorer kan importere tall."))


def import_list(request):
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["fil"]
        imp, preview = import_create(
            f.read(), filename=f.name, user=request.user, sheet=form.cleaned_data["ark"],
            year=form.cleaned_data["aar"], blank_clears=form.cleaned_data["blank_sletter"],
        )
        return redirect("imports:import_detail", pk=imp.pk)
    imports = Import.objects.select_related("opprettet_av").defer("data")[:50]
    return render(request, "imports/import_list.html", {"form": form, "imports": imports, "title": _("Import")})


def import_detail(request, pk):
    _require_importer(request.user)
    imp = get_object_or_404(Import.objects.select_related("opprettet_av", "importert_av"), pk=pk)
    import_mark_stale(imp)
    if request.htmx:  # the status partial's polling (it stops once the import is no longer running)
        return render(request, "imports/_status.html", {"imp": imp})
    preview = None
    if imp.status in (ImportStatus.FORHANDSVIST, ImportStatus.FEILET):
        preview = import_preview(bytes(imp.data), filename=imp.filnavn, sheet=imp.ark or None, year=imp.aar,
                                 blank_clears=imp.blank_sletter, user=request.user)
    return render(request, "imports/import_detail.html", {"imp": imp, "preview": preview, "title": imp.filnavn})


@require_POST
def import_confirm_view(request, pk):
    """Confirm, or retry a failed run: idempotent (imports.services.import_confirm)."""
    _require_importer(request.user)
    imp = get_object_or_404(Import.objects.defer("data"), pk=pk)
    import_mark_stale(imp)
    try:
        if imp.antall_rader > BACKGROUND_ROWS:
            import_run_in_background(imp, user=request.user, queue=import_confirm_task.delay)
            messages.info(request, _("Importen kjører i bakgrunnen. Siden oppdateres når den er ferdig."))
            return redirect("imports:import_detail", pk=imp.pk)
        import_confirm(imp, user=request.user)
    except ImportAlreadyDone as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("imports:import_detail", pk=imp.pk)
    except ValidationError as exc:
        messages.error(request, _("Ingenting ble importert: %(feil)s") % {"feil": " ".join(exc.messages[:5])})
        return redirect("imports:import_detail", pk=imp.pk)
    messages.success(request, _("Importen er lagret."))
    return redirect("imports:import_detail", pk=imp.pk)


def export_long(request):
    """Long-layout export of the figures the user may see; `?publisering=1` suppresses small counts."""
    from django.utils import timezone

    from core.export import file_response
    from core.params import MAX_AAR, MIN_AAR

    from .exports import export_rows, export_title

    years = [int(y) for y in request.GET.getlist("aar")
             if y.isascii() and y.isdigit() and len(y) <= 4 and MIN_AAR <= int(y) <= MAX_AAR]
    years = years or [timezone.localdate().year]
    publication = request.GET.get("publisering") in ("1", "on", "true")
    headers, rows = export_rows(request.user, years, publication=publication)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    name = f"bosetting-{'-'.join(map(str, years))}{'-publisering' if publication else ''}"
    return file_response(fmt, export_title(years), headers, rows, name)


def import_template(request, fmt):
    """The long layout's template: a header row with exactly the columns the import reads and one
    example row that imports as it stands (imports.columns), written by the one exporter."""
    from core.export import file_response

    from .columns import template_rows, template_title

    _require_importer(request.user)
    headers, rows = template_rows()
    return file_response(fmt, template_title(), headers, rows, "importmal")
