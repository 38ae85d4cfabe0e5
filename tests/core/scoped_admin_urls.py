"""A test-only admin site with a case-data admin built on ScopedAdminMixin (the apps register theirs)."""

from django.contrib import admin
from django.urls import path

from config.urls import urlpatterns as project_urls
from core.admin import ScopedAdminMixin
from vedtak.models import Vedtak

site = admin.AdminSite(name="scopetest")


class VedtakTestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    fields = ["kommune", "aar", "antall", "anmodning", "saksnummer"]
    list_display = ["kommune", "aar", "antall"]
    list_select_related = ["kommune"]


site.register(Vedtak, VedtakTestAdmin)

urlpatterns = [*project_urls, path("testadmin/", site.urls)]
