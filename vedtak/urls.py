from django.urls import path

from . import views

app_name = "vedtak"

urlpatterns = [
    path("bosettingsbehov/", views.BehovView.as_view(), name="behov"),
    path("aarslaas/", views.AarslaasView.as_view(), name="aarslaas"),
    path("kommuner/<str:nummer>/anmodning/ny/", views.AnmodningView.as_view(), name="anmodning_add"),
    path("kommuner/<str:nummer>/vedtak/ny/", views.VedtakCreateView.as_view(), name="vedtak_add"),
    path("kommuner/<str:nummer>/vedtak/<int:pk>/rett/", views.VedtakUpdateView.as_view(), name="vedtak_edit"),
    path("kommuner/<str:nummer>/vedtak/<int:pk>/dokument/", views.VedtakDokumentView.as_view(),
         name="vedtak_dokument"),
    path("kommuner/<str:nummer>/vedtak/sjekk-vilkaar/", views.VilkaarCheckView.as_view(), name="vilkaar_check"),
]
