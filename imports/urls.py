from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/bekreft/", views.import_confirm_view, name="import_confirm"),
    path("eksport/", views.export_long, name="export_long"),
    path("mal.csv", views.import_template, {"fmt": "csv"}, name="import_template_csv"),
    path("mal.xlsx", views.import_template, {"fmt": "xlsx"}, name="import_template_xlsx"),
]
