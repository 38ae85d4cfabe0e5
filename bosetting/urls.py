from django.urls import path

from . import views

app_name = "bosetting"

urlpatterns = [
    # /oversikt/ is rapporter:oversikt (rapporter.oversikt: the figures with the contact columns).
    path("kommuner/<str:nummer>/bosatt/ny/", views.BosattView.as_view(), name="bosatt_add"),
    path("kommuner/<str:nummer>/bolig/", views.BoligView.as_view(), name="bolig_edit"),
    path("kommuner/<str:nummer>/aarsaker/", views.AarsakerView.as_view(), name="aarsaker_edit"),
    path("kommuner/<str:nummer>/tjenester/", views.TjenesterView.as_view(), name="tjenester"),
    path("kommuner/<str:nummer>/plan/", views.PlanView.as_view(), name="plan"),
    path("kommuner/<str:nummer>/plan/eksport/", views.PlanExportView.as_view(), name="plan_export"),
    path("plan/", views.PlanPipelineView.as_view(), name="plan_pipeline"),
    path("plan/eksport/", views.plan_pipeline_export, name="plan_pipeline_export"),
]
