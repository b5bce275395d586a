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
    path(
        "intyg/<int:certificate_id>/aterkalla/",
        views.revoke_certificate,
        name="revoke_certificate",
    ),
    path("kursomgangar/", views.runs_led, name="runs_led"),
    path("kursomgangar/<int:run_id>/", views.run_roster, name="run_roster"),
    path(
        "kursomgangar/<int:run_id>/reservlista/<int:place_id>/<str:action>/",
        views.run_waitlist,
        name="run_waitlist",
    ),
    path("kursomgangar/<int:run_id>/deltagare.<str:fmt>", views.run_export, name="run_export"),
    path("kursomgangar/<int:run_id>/meddelande/", views.run_message, name="run_message"),
    path("kursomgangar/<int:run_id>/anmal/", views.run_enrol, name="run_enrol"),
    path("kursomgangar/<int:run_id>/avanmal/", views.run_withdraw, name="run_withdraw"),
    path("kursomgangar/<int:run_id>/kalender.ics", views.run_ics, name="run_ics"),
    path(
        "kursomgangar/pass/<int:session_id>/narvaro/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("kursomgangar/anmalningar/", views.run_requests, name="run_requests"),
    path(
        "kursomgangar/anmalningar/<int:enrolment_id>/<str:decision>/",
        views.decide_request,
        name="decide_request",
    ),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/ny-lank/", views.calendar_new_link, name="calendar_new_link"),
    path("kalender/stang-av/", views.calendar_revoke, name="calendar_revoke"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
