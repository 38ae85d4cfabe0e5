"""The import pages' explaining parts, kept out of the views: the column help (imports.columns)
and, on a failed preview, the upload form again with the failed file's options."""

from django import template

from .. import columns as cols
from ..forms import ImportForm

register = template.Library()


@register.inclusion_tag("imports/_kolonner.html")
def import_kolonner():
    ignored, derived = cols.ignored_columns()
    return {"kolonner": cols.columns(), "plankolonner": cols.plan_columns(),
            "tjenestekolonner": cols.service_columns(), "ignorert": ignored, "avledet": derived,
            "merknader": cols.marker_texts(), "merknad_suffiks": cols.MARKER_SUFFIX}


@register.inclusion_tag("imports/_ny_fil.html", takes_context=True)
def import_ny_fil(context, imp):
    """The upload form (posting to /import/, as there), filled with the failed import's options."""
    form = ImportForm(initial={"aar": imp.aar, "ark": imp.ark, "blank_sletter": imp.blank_sletter})
    return {"form": form, "csrf_token": context.get("csrf_token")}
