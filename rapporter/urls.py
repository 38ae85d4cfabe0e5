from django.urls import path

from . import historikk, oversikt, views

app_name = "rapporter"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("rapport/fylke/", views.FylkesrapportVelgView.as_view(), name="fylkesrapport_velg"),
    path("oversikt/", oversikt.OversiktView.as_view(), name="oversikt"),
    path("rapport/fylke/<str:nummer>/", views.FylkesrapportView.as_view(), name="fylkesrapport"),
    path("kommuner/<str:nummer>/", views.KommuneView.as_view(), name="kommune_detail"),
    path("slik-regner-vi/", views.SlikRegnerViView.as_view(), name="slik_regner_vi"),
    path("historikk/", historikk.EndringListView.as_view(), name="endring_list"),
    path("kommuner/<str:nummer>/historikk/", historikk.KommuneHistorikkView.as_view(), name="kommune_historikk"),
]
