import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from bosetting.demo import seed_demo_case
from core import roles
from oppfolging.demo import seed_demo_data

DEMO_USERS = [
    # username, full name, role, superuser
    ("admin", "Demo Administrator", roles.ADMINISTRATOR, True),
]


class Command(BaseCommand):
    help = (
        "Oppretter demobrukere (og senere demodata). Passord fra DEMO_PASSWORD, ellers genereres "
        "ett og skrives ut én gang. Trygt å kjøre flere ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Passord for demobrukerne (ellers DEMO_PASSWORD).")

    @transaction.atomic
    def handle(self, *args, **options):
        import os

        password = options["password"] or os.environ.get("DEMO_PASSWORD") or ""
        generated = False
        for name in roles.ROLES:
            Group.objects.get_or_create(name=name)
        User = get_user_model()
        created_any = False
        for username, full_name, role, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created or password:
                if not password:
                    password, generated = secrets.token_urlsafe(12), True
                first, _, last = full_name.partition(" ")
                user.first_name, user.last_name = first, last
                user.is_staff = user.is_superuser = superuser
                user.set_password(password)
                user.save()
                created_any |= created
            user.groups.add(Group.objects.get(name=role))
        self.stdout.write(self.style.SUCCESS("Demobrukere (DEMODATA):"))
        for username, _full, role, _su in DEMO_USERS:
            self.stdout.write(f"  {username:<24} {role}")
        if password:
            note = " (generert nå; skrives ikke ut igjen)" if generated else ""
            self.stdout.write(f"  Passord: {password}{note}")
        elif not created_any:
            self.stdout.write("  Passordet er uendret. Sett DEMO_PASSWORD for å bytte det.")
        seed_demo_case(self.stdout)
        seed_demo_data()
