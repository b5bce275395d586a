"""System checks for production settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that each web process keeps for itself (or not at all): with several processes, each
# counts failed logins and remembers used two-step codes on its own, so limits multiply and a
# code is accepted once per process.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) is not shared between web processes.",
            hint="Set CACHE_URL or REDIS_URL to a Redis server, e.g. redis://127.0.0.1:6379/1: "
            "login rate limits and used two-step verification codes must be counted in one "
            "place (README, Settings).",
            id="people.E001",
        )
    ]
