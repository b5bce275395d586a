"""The pulse's daily job by hand (what Celery beat runs every morning)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from pulse import services


class Command(BaseCommand):
    help = "Stänger pulsomgångar som har gått ut och öppnar dagens, med inbjudningar via utkorgen."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Kör som om det vore det här datumet (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError("--today ska vara ett datum, ÅÅÅÅ-MM-DD.") from error
        result = services.run_daily(day)
        self.stdout.write(
            f"Stängda omgångar: {result['closed']}, nya inbjudningar: {result['invited']}."
        )
