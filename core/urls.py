from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "core"

urlpatterns = [
    path("profil/passord/", auth_views.PasswordChangeView.as_view(
        success_url=reverse_lazy("core:password_change_done")), name="password_change"),
    path("profil/totp/", views.TotpView.as_view(), name="totp"),
    path("profil/passord/endret/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
