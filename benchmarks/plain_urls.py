from django.urls import include, path
from wagtail import urls as wagtail_urls

from people.views import health

urlpatterns = [path("halsa/", health, name="health"), path("", include(wagtail_urls))]
