import datetime

from core.models import Rolle
from tests.factories import kommune, profil_user


def halden():
    return kommune("3101")


def sf_user(k=None, **kwargs):
    k = k or halden()
    return profil_user(Rolle.STATSFORVALTER, statsforvalter=k.fylke.statsforvalter, **kwargs)


def ks_user(**kwargs):
    return profil_user(Rolle.KS, **kwargs)


def punkt(ansvarlig, frist, k=None, **kwargs):
    from oppfolging.models import Oppfolgingspunkt

    return Oppfolgingspunkt.objects.create(kommune=k or halden(), ansvarlig=ansvarlig, frist=frist,
                                           tittel=kwargs.pop("tittel", f"Ring rådmannen {frist}"), **kwargs)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)
