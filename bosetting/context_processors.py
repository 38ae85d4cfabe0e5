from django.utils.functional import SimpleLazyObject


def syntetiske(request):
    """The notice about generated demo figures (bosetting.selectors.syntetiske_aar) that every
    page shows while there are any; read only when a page renders it."""
    from .selectors import syntetiske_aar

    return {"syntetisk_tekst": SimpleLazyObject(lambda: syntetiske_aar().tekst())}
