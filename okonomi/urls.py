from django.urls import path

from . import views

app_name = "okonomi"

urlpatterns = [
    path("", views.NasjonalView.as_view(), name="nasjonal"),
    path("eksport/", views.NasjonalEksportView.as_view(), name="nasjonal_eksport"),
    path("fylke/<str:nummer>/", views.FylkeView.as_view(), name="fylke"),
    path("fylke/<str:nummer>/eksport/", views.FylkeEksportView.as_view(), name="fylke_eksport"),
    path("kommune/<str:nummer>/", views.KommuneView.as_view(), name="kommune"),
    path("kommune/<str:nummer>/eksport/", views.KommuneEksportView.as_view(), name="kommune_eksport"),
]
