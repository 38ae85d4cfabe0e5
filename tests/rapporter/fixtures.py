"""Hand-checkable data: the KS Østfold slide (2014 and 2015) registered through the services."""

import csv
import datetime
from pathlib import Path

from vedtak.services import anmodning_register, vedtak_register

LOCAL_CSV = Path(__file__).resolve().parent / "ks_ostfold_2014_2015.csv"


def ks_rows():
    with LOCAL_CSV.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["kommunenummer"]]


def load_ks():
    """Anmodning and vedtak 2014 and 2015 for the 18 Østfold kommuner as they were then."""
    from kommuner.models import Kommune

    kommuner = {k.nummer: k for k in Kommune.objects.filter(nummer__in=[r["kommunenummer"] for r in ks_rows()])}
    for r in ks_rows():
        k = kommuner[r["kommunenummer"]]
        for aar in (2014, 2015):
            anmodning_register(kommune=k, aar=aar, antall=int(r[f"anmodning_{aar}"]),
                               dato_sendt=datetime.date(aar - 1, 10, 1), svarfrist=datetime.date(aar - 1, 12, 1))
            if r[f"vedtak_{aar}"]:
                vedtak_register(kommune=k, aar=aar, antall=int(r[f"vedtak_{aar}"]), dato=datetime.date(aar - 1, 11, 1))
