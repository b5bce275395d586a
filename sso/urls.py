from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("", views.find, name="find"),
    path("installningar/", views.settings_page, name="settings"),
    path("nya/<int:arrival_id>/bekrafta/", views.confirm_arrival, name="confirm_arrival"),
    path("katalog/", views.directory, name="directory"),
    path("katalog/nycklar/<int:token_id>/aterkalla/", views.revoke_token, name="revoke_token"),
    path("kommuner/", views.overview, name="overview"),
    path("<slug:slug>/", views.login, name="login"),
]
