from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kurser/<int:course_id>/anmal/", views.enrol, name="enrol"),
    path("moduler/<int:module_id>/kunskapskontroll/", views.knowledge_check, name="check"),
    path("moduler/<int:module_id>/klar/", views.complete, name="complete"),
    path("resultat/<int:attempt_id>/", views.attempt, name="attempt"),
    path("intyg/", views.certificates, name="certificates"),
    path("intyg/<int:certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
