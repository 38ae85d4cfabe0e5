from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.forms import AdminInnloggingForm, InnloggingForm
from core.sprak import set_language
from core.tilgjengelighet import TilgjengelighetView
from core.views import health
from oppfolging.views import ProfilView
from rapporter.views import DashboardView

admin.site.site_header = _("Bosetting – administrasjon")
admin.site.site_title = _("Bosetting")
admin.site.index_title = _("Administrasjon")
admin.site.login_form = AdminInnloggingForm

# Error pages that need neither the request nor the database (templates/400.html, 500.html).
handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"

urlpatterns = [
    # The landing page is the dashboard (rapporter); the name "home" is kept for links.
    path("", DashboardView.as_view(), name="home"),
    path("logg-inn/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                          authentication_form=InnloggingForm), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("helse/", health, name="health"),
    # Written standard switch (POST, stores the choice in the language cookie and on a signed-in
    # user's profile); open so the login page can offer it too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("tilgjengelighet/", TilgjengelighetView.as_view(), name="tilgjengelighet"),
    path("kommuner/", include("kommuner.urls")),
    path("import/", include("imports.urls")),
    path("oppfolging/", include("oppfolging.urls")),
    path("tilskudd/", include("okonomi.urls")),
    path("profil/", ProfilView.as_view(), name="profil"),
    path("", include("bosetting.urls")),
    path("", include("vedtak.urls")),
    path("", include("core.urls")),
    path("", include("rapporter.urls")),
    path("admin/", admin.site.urls),
]
