from django.urls import path

from . import views

app_name = "vedtak"

urlpatterns = [
    path("kommuner/<str:nummer>/vedtak/ny/", views.VedtakCreateView.as_view(), name="vedtak_add"),
    path("kommuner/<str:nummer>/vedtak/<int:pk>/rett/", views.VedtakUpdateView.as_view(), name="vedtak_edit"),
    path("kommuner/<str:nummer>/vedtak/sjekk-vilkaar/", views.VilkaarCheckView.as_view(), name="vilkaar_check"),
]
