import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load the URLs now (and with them every view, Wagtail and its hooks), then leave everything
# loaded so far out of the garbage collector's full passes. It lives as long as the process,
# and walking it on every full pass cost some 15-20 ms of a large page ("Mitt team" at 500
# people; benchmarks/README.md).
importlib.import_module(settings.ROOT_URLCONF)
gc.freeze()
