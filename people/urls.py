from django.urls import path

from people import views, views_deliveries, views_staff
from people.accessibility import views as accessibility

app_name = "people"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("profil/", views.profile, name="profile"),
    path("sprak/", views.set_language, name="set_language"),
    path("personal/", views.staff, name="staff"),
    path("personal/bjud-in/", views.invite, name="invite"),
    path("personal/bjud-in/csv/", views.invite_csv, name="invite_csv"),
    path("personal/logg/", views.audit_log, name="audit_log"),
    path("personal/<int:user_id>/anonymisera/", views.anonymise, name="anonymise"),
    path("personal/<int:user_id>/", views_staff.person, name="person"),
    path(
        "personal/<int:user_id>/medlemskap/<int:membership_id>/",
        views_staff.membership_edit,
        name="membership_edit",
    ),
    path(
        "personal/<int:user_id>/inbjudan/skicka-igen/",
        views_staff.resend_pending,
        name="resend_pending",
    ),
    path("personal/<int:user_id>/inbjudan/aterkalla/", views_staff.revoke, name="revoke"),
    path("personal/<int:user_id>/avslut/", views_staff.leaver, name="leaver"),
    path("personal/<int:user_id>/avaktivera/", views_staff.deactivate, name="deactivate"),
    path("personal/<int:user_id>/aktivera/", views_staff.reactivate, name="reactivate"),
    path("profil/mina-uppgifter.zip", views.my_data, name="my_data"),
    path("tillganglighet/", accessibility.statement, name="accessibility"),
    path("personal/tillganglighet/", accessibility.reports, name="accessibility_reports"),
    path("personal/utskick/", views_deliveries.deliveries, name="deliveries"),
    path(
        "personal/utskick/<int:delivery_id>/skicka-igen/",
        views_deliveries.resend_invitation,
        name="resend_invitation",
    ),
]
