from django.urls import path

from team import views

app_name = "team"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.<str:fmt>", views.export, name="export"),
    path("enhet/<int:unit_id>/", views.overview, name="unit"),
    path("enhet/<int:unit_id>/export.<str:fmt>", views.export, name="unit_export"),
    path("godkann/<int:enrolment_id>/", views.sign_off, name="sign_off"),
]
