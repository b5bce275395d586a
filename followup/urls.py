from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.<str:fmt>", views.export, name="export"),
    path("samverkansgrupper/", views.groups, name="groups"),
    path("samverkansgrupper/ny/", views.group_edit, name="group_new"),
    path("samverkansgrupper/<int:group_id>/", views.group_edit, name="group_edit"),
    path("samverkansgrupper/<int:group_id>/ta-bort/", views.group_delete, name="group_delete"),
    path("lan/", views.counties, name="counties"),
    path("lan/<int:county_id>/", views.county_edit, name="county_edit"),
]
