from django.urls import path

from . import views

app_name = "oppfolging"

urlpatterns = [
    path("", views.PunktListView.as_view(), name="punkt_list"),
    path("ferdig/", views.PunktBulkDoneView.as_view(), name="punkt_bulk_done"),
    path("<int:pk>/", views.PunktDetailView.as_view(), name="punkt_detail"),
    path("<int:pk>/endre/", views.PunktUpdateView.as_view(), name="punkt_update"),
    path("dialog/ny/", views.DialogCreateView.as_view(), name="dialog_add"),
    path("dialog/<int:pk>/", views.DialogDetailView.as_view(), name="dialog_detail"),
    path("dialog/<int:pk>/endre/", views.DialogUpdateView.as_view(), name="dialog_update"),
]
