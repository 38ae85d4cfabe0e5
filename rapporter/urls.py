from django.urls import path

from . import views

app_name = "rapporter"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("rapport/fylke/<str:nummer>/", views.FylkesrapportView.as_view(), name="fylkesrapport"),
]
