"""Rebuild the stored per-enrolment module counts (learning.models.ModuleTally) from the
learning_moduledue view: after seeding with bulk writes (seed_scale, seed_demo) or if they are
ever doubted. Idempotent; one transaction."""

import time

from django.core.management.base import BaseCommand

from learning import tallies


class Command(BaseCommand):
    help = "Rebuild the per-enrolment module counts that Mitt team reads (issue 23)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = tallies.rebuild_all()
        self.stdout.write(f"{rows} tally rows in {time.monotonic() - started:.1f} s")
