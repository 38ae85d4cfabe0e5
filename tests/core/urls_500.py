from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import include, path

from config.urls import handler400, handler500  # noqa: F401 - the project's error pages here too


def boom(request):
    raise RuntimeError("testfeil")


def suspicious(request):
    raise SuspiciousOperation("testfeil")


def status(request, code):
    raise {403: PermissionDenied, 404: Http404}[code]()


urlpatterns = [path("boom/", boom), path("mistenkelig/", suspicious), path("status/<int:code>/", status),
               path("", include("config.urls"))]
