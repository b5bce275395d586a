"""The skeleton every demo seed command shares: `--password` for the demo accounts, `--force` to
run with DEBUG off, the guard that refuses otherwise, and the seed it builds on run first with
the same options. `make demo` runs only the last seed of the chain (seed_demo <- seed_mentoring
<- seed_safety <- seed_pulse <- seed_followup), so each one calls the one before.

PyYAML and the data files stay with loader.py, which seed_demo reads."""

import contextlib
import functools
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from people.models import User

DEFAULT_PASSWORD = "introsteg-demo"  # noqa: S105 - the demo accounts' documented password


@functools.cache
def _hashed(password: str, algorithm: str) -> str:
    return make_password(password, hasher=algorithm)


def create_demo_user(*, email: str, full_name: str, password: str) -> User:
    """A demo account with the demo password, hashed once per run (per password and hasher)
    and shared by every account: PBKDF2's 1,000,000 iterations cost ~0.3 s of CPU an account,
    63 % of `seed_followup --force`'s CPU with its ~125 accounts (37 of 48 s). The demo
    accounts share one documented password anyway, so a shared salt gives nothing away.
    Created through the manager as any account (its e-mail rule), the hash then written."""
    user = User.objects.create_user(email=email, password=None, full_name=full_name)
    user.password = _hashed(password, get_hasher().algorithm)
    User.objects.filter(pk=user.pk).update(password=user.password)
    return user


@contextlib.contextmanager
def indexed_once() -> Iterator[list[Page]]:
    """Wagtail's search index and reference index written once for each page the caller puts
    in the list it is given, when the block ends, instead of on every save inside: add_child,
    save_revision and publish each save the page, and each save ran both indexers (seed_demo's
    pages: 1,590 -> 1,195 queries, 0.65 -> 0.48 s of CPU and PostgreSQL's 0.21 -> 0.15 s,
    min of 5 at load 3-4). Written with the calls the signal handlers make, the search
    backends' add() and ReferenceIndex.create_or_update_for_object(), a page at a time in the
    order they were made: an entry's title weight (title_norm) is set from the titles indexed
    before it, so the rows come out as they did save by save.

    Only saves are held back: a page deleted inside would keep its index entries. The search
    handler is disconnected and connected again: modelsearch's one switch, a backend's
    AUTO_UPDATE, still runs the handler's task, which reads the page twice a save (~100
    queries a seed). Signals are the whole process's, not the thread's; nothing else saves
    pages while a seed runs, in its command or in a test's set-up."""
    made: list[Page] = []
    models = [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield made
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    if not made:
        return
    # Read again, one query a page type: publish() saved a copy it made from the revision, so
    # the caller's objects are not what the database holds (live revision, unpublished changes).
    saved: dict[int, Page] = {}
    for model in dict.fromkeys(type(page) for page in made):
        saved |= model.get_indexed_objects().in_bulk([p.pk for p in made if type(p) is model])
    backends = list(get_search_backends(with_auto_update=True))
    with transaction.atomic():
        for page in made:
            page = saved[page.pk]
            for backend in backends:
                backend.add(page)
            ReferenceIndex.create_or_update_for_object(page)


class SeedCommand(BaseCommand):
    """A demo seed: subclasses write `load()` and name the seed they build on in `after`."""

    after: str | None = None
    # seed_sso_demo creates no accounts, so it has no password to take.
    takes_password = True

    def add_arguments(self, parser):
        if self.takes_password:
            parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @property
    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                f"{self.command_name} skapar demodata: kör inte med DEBUG av utan --force."
            )
        if self.after is not None:
            call_command(self.after, password=options["password"], force=force, stdout=self.stdout)
        self.load(**options)

    def load(self, **options) -> None:
        raise NotImplementedError
