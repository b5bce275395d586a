"""The skeleton every demo seed command shares: `--password` for the demo accounts, `--force` to
run with DEBUG off, the guard that refuses otherwise, and the seed it builds on run first with
the same options. `make demo` runs only the last seed of the chain (seed_demo <- seed_mentoring
<- seed_safety <- seed_pulse <- seed_followup), so each one calls the one before.

PyYAML and the data files stay with loader.py, which seed_demo reads."""

import functools

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
