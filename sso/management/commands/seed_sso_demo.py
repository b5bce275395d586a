"""Demo: Lunds kommun signs in through its own identity provider, the demo SAML IdP that
`make run` starts beside runserver (demo/saml_idp.py). Idempotent; run after seed_demo
(make demo does)."""

import datetime

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from demo.seed import SeedCommand
from people.models import Organisation, Role, Unit, User
from people.services import add_membership
from sso.models import IdentityProvider, Preset, Protocol
from sso.services import save_identity_provider

MUNICIPALITY = "Lunds kommun"
UNIT = "Barn och unga – utredning"
ADMIN = "admin@example.org"
SLUG = "lund"
DOMAIN = "lund.example"
# Siri has an account (invited, no password of her own): she signs in only through the IdP.
PERSON = ("siri.sjoberg@lund.example", "Siri Sjöberg", Role.SOCIAL_SECRETARY)


class Command(SeedCommand):
    help = "Demo: Lunds kommun med inloggning via demons identitetstjänst (SAML)."
    takes_password = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--idp-url", default="http://127.0.0.1:8001")

    def load(self, *, idp_url, **options) -> None:
        organisation = Organisation.objects.filter(name=MUNICIPALITY).first()
        admin = User.objects.filter(email=ADMIN).first()
        if organisation is None or admin is None:
            raise CommandError(f"Kör seed_demo först: {MUNICIPALITY} och {ADMIN} behövs.")
        unit = Unit.objects.get(organisation=organisation, name=UNIT)
        with transaction.atomic():
            idp = IdentityProvider.objects.filter(organisation=organisation).first()
            idp = idp or IdentityProvider(organisation=organisation)
            idp.slug = SLUG
            idp.protocol = Protocol.SAML
            idp.preset = Preset.STANDARD
            idp.metadata_url = f"{idp_url.rstrip('/')}/metadata"
            idp.metadata_xml = ""
            idp.default_unit = unit
            idp.create_accounts = True
            idp.single_logout = True
            idp.group_roles = "Socialsekreterare = social_secretary"
            save_identity_provider(admin, idp=idp, domains=[DOMAIN])
            email, name, role = PERSON
            person = User.objects.filter(email=email).first()
            if person is None:
                person = User.objects.create_user(email=email, password=None, full_name=name)
                add_membership(
                    None,
                    user=person,
                    role=role,
                    unit=unit,
                    start_date=timezone.localdate() - datetime.timedelta(days=400),
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"{MUNICIPALITY} loggar in via demons identitetstjänst ({idp.metadata_url})."
            )
        )
        self.stdout.write(f"  Logga in med kommunens inloggning: {email} på /sso/{SLUG}/")
