from django.urls import path

from safety import views

app_name = "safety"
urlpatterns = [
    path("", views.home, name="home"),
    path("bedomning/ny/", views.check_new, name="check_new"),
    path("bedomning/<int:check_id>/", views.check_detail, name="check"),
    path("arende/<int:case_id>/bedomning/", views.case_check_new, name="case_check_new"),
    path("handelse/ny/", views.incident_new, name="incident_new"),
    path("handelse/<int:incident_id>/", views.incident_detail, name="incident"),
    path("handelse/<int:incident_id>/avlastning/", views.incident_debrief, name="incident_debrief"),
    path(
        "handelse/<int:incident_id>/avlastningssamtal/",
        views.incident_debrief_session,
        name="incident_debrief_session",
    ),
    path(
        "handelse/<int:incident_id>/uppfoljning/",
        views.incident_follow_up,
        name="incident_follow_up",
    ),
    path("kommun/", views.routines, name="routines"),
    path("kommun/<int:organisation_id>/", views.routine_edit, name="routine"),
]
