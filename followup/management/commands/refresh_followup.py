from django.core.management.base import BaseCommand

from followup import services


class Command(BaseCommand):
    help = (
        "Recompute the follow-up facts (uppföljning) of the last quarters, as the daily job does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarters", type=int, default=8)

    def handle(self, *args, quarters: int, **options):
        written = services.refresh_quarter_facts(quarters=quarters)
        self.stdout.write(f"{written} kvartalsuppgifter skrivna")
