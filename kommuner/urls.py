from django.urls import path

from . import views

app_name = "kommuner"

urlpatterns = [
    path("", views.KommuneListView.as_view(), name="kommune_list"),
    path("<str:nummer>/", views.KommuneDetailView.as_view(), name="kommune_detail"),
]
