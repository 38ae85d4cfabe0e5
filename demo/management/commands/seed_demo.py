import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from core import roles
from core.services import access_changed, access_snapshot, bruker_epost_set, profil_save
from demo.oppfolging import seed_demo_data
from demo.saker import seed_demo_case

OFFICE = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"
# Demo users' addresses are under a domain reserved for examples (RFC 2606): mail to them goes
# nowhere, and with the console backend the first `send_reminders` shows what each would get.
DEMO_EPOST_DOMENE = "bosetting.example"

# username, full name, role, superuser, scope (office name or kommune numbers)
DEMO_USERS = [
    ("demo-admin", "Demo Administrator", roles.ADMINISTRATOR, True, None),
    ("demo-ks", "Demo KS", roles.KS, False, None),
    ("demo-imdi", "Demo IMDi", roles.IMDI, False, None),
    ("demo-statsforvalter", "Demo Statsforvalter", roles.STATSFORVALTER, False, OFFICE),
    ("demo-halden", "Demo Halden", roles.KOMMUNE, False, ["3101"]),
    # An inter-municipal service holding two kommuner.
    ("demo-indre", "Demo Indre Østfold og Skiptvet", roles.KOMMUNE, False, ["3118", "3116"]),
]


class Command(BaseCommand):
    help = (
        "Oppretter én demobruker per rolle (og senere demodata). Passord fra DEMO_PASSWORD, ellers "
        "genereres ett og skrives ut én gang. Trygt å kjøre flere ganger. Krever kommuneregisteret "
        "(load_kommuner) for statsforvalter- og kommunebrukerne."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Passord for demobrukerne (ellers DEMO_PASSWORD).")

    @transaction.atomic
    def handle(self, *args, **options):
        from kommuner.models import Kommune, Statsforvalter

        password = options["password"] or os.environ.get("DEMO_PASSWORD") or ""
        generated = False
        for name in roles.ROLES:
            Group.objects.get_or_create(name=name)
        User = get_user_model()
        created_any = False
        shown = []
        for username, full_name, role, superuser, scope in DEMO_USERS:
            office = Statsforvalter.objects.filter(navn=scope).first() if role == roles.STATSFORVALTER else None
            kommuner = list(Kommune.objects.gjeldende().filter(nummer__in=scope)) if role == roles.KOMMUNE else []
            if (role == roles.STATSFORVALTER and office is None) or (role == roles.KOMMUNE and not kommuner):
                self.stderr.write(f"  {username}: hoppet over (kjør load_kommuner først)")
                continue
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
            if not user.email:  # an address the user set on /profil/ is kept
                bruker_epost_set(user=user, epost=f"{username}@{DEMO_EPOST_DOMENE}")
            if superuser:
                before = access_snapshot(user)
                access_changed(user=user, before=None if created else before)
            else:
                profil_save(user=user, rolle=role, statsforvalter=office, kommuner=kommuner)
            shown.append((username, role, scope))
        self.stdout.write(self.style.SUCCESS("Demobrukere (DEMODATA):"))
        for username, role, scope in shown:
            where = scope if isinstance(scope, str) else ", ".join(scope or [])
            self.stdout.write(f"  {username:<24} {role:<15} {where}")
        self.stdout.write(f"  E-post: <brukernavn>@{DEMO_EPOST_DOMENE} (reservert domene; påminnelsene vises i "
                          "konsollen med `send_reminders`)")
        if password:
            note = " (generert nå; skrives ikke ut igjen)" if generated else ""
            self.stdout.write(f"  Passord: {password}{note}")
        elif not created_any:
            self.stdout.write("  Passordet er uendret. Sett DEMO_PASSWORD for å bytte det.")
        seed_demo_case(self.stdout)
        seed_demo_data()
