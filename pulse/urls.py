from django.urls import path

from pulse import views

app_name = "pulse"
urlpatterns = [
    path("resultat/", views.results, name="results"),
    path("<str:token>/", views.answer, name="answer"),
]
