from django.urls import path

from . import views

app_name = "kommuner"

urlpatterns = [
    path("", views.KommuneListView.as_view(), name="kommune_list"),
]
