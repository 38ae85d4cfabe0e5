"""The fuzz suite: every named URL × every role, with query strings and form bodies made by hypothesis.

For each URL name (tests/access_registry.py and the generated admin pages, the same list the access
matrix walks) hypothesis draws requests: GET with a query string, or POST (where the view takes
one) with a body in one of several encodings, with or without the CSRF token, sometimes as htmx,
sometimes with the path's own parameters replaced. Keys are those the page's forms show (read from
the page as the superuser sees it), the registry's valid post, parameters every list reads, and
random ones; values are odd numbers, dates, unicode, NUL, very long strings, lists, files, and the
ids of the test world's own rows. Every drawn request is sent once per role (and, for a kommune's
case pages, for each of the three kommuner of the matrix), and every answer must hold:

- no 500 (no exception reaches the handler) and no Python traceback in the page;
- anonymous users are sent to a login page (or get 400 for a bad request, 403 without the token);
- a kommune's case page out of the role's scope answers 404 whatever the input (400 for a bad
  request, 405 for a method the view does not take, 403 without the CSRF token): never its page;
- no answer contains the marker text planted in the case data (vedtak conditions, follow-ups,
  dialogue summaries) of a kommune outside the role's scope;
- no HTML answer contains the drawn markup values unescaped (XSS, reflected or stored by an
  earlier request of the same test);
- a POST without the CSRF token is refused (403).

Deterministic (derandomize, no example database) and bounded: see EXAMPLES. The number of requests
and their status codes are printed at the end of the run (tests/conftest.py, pytest_terminal_summary).
"""

import html.parser
import itertools
import time
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.access_registry import ADMIN, OPEN, SCOPED, URLS
from tests.test_access_matrix import (
    ADMIN_MODELS,
    LOGINS,
    OFFICE,
    READS,
    ROLES,
    SCOPES,
    World,
    admin_object,
    make_user,
)

# Drawn requests per URL name; each is sent for every role (× 3 kommuner on a kommune's case pages).
EXAMPLES = 7
# The admin's generated model pages: many, alike, and only the superuser gets past the login.
ADMIN_MODEL_EXAMPLES = 2
# Pages that compute figures for many kommuner: fewer draws, the same checks.
HEAVY = {"home": 2, "rapporter:dashboard": 2, "imports:export_long": 3, "rapporter:oversikt": 3,
         "kommuner:kommune_list": 4, "rapporter:kommune_historikk": 4, "rapporter:kommune_detail": 4}
# POST is not drawn for these: any non-empty POST to the admin's delete page deletes, by design.
NO_POST_VIEWS = ("delete",)

STATS = {"requests": 0, "status": Counter(), "seconds": 0.0, "urls": set(), "roles": set(), "probes": 0}

MARKER = "FZMRK-{}-Q7"
MARKERS = {scope: MARKER.format(scope.upper()).encode() for scope in SCOPES}
# Markers of kommuner a role must never see (READS in the access matrix).
FORBIDDEN = {role: [MARKERS[s] for s in SCOPES if s not in READS.get(role, set())] for role in ROLES}
TRACEBACK = b"Traceback (most recent call last)"
# The markup values in ODD, as they would stand in a page that did not escape them.
XSS = [b"<script>alert(1)</script>", b"<img src=x onerror=alert(1)>"]
CSRF_SECRET = "fuzzcsrfsecret0123456789abcdefgh"  # 32 characters: a valid unmasked CSRF secret


# --- The world: the access matrix's users and kommuner, once per module, with planted markers --


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """Built once and rolled back at the end of the module; each test runs in a savepoint on top."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def _fast_password_hashing():
    """Login and password forms get drawn passwords; hashing each one with PBKDF2 is a third of a
    second that tests nothing here (the lockout and password tests use the real hasher)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def fuzz_roles(fuzz_world):
    return Roles(fuzz_world)


def _build_world():
    from core.models import Profil, Rolle
    from kommuner.models import Kommune, Statsforvalter
    from oppfolging.models import Dialog, Oppfolgingspunkt
    from vedtak.services import vedtak_register

    kommuner = {scope: Kommune.objects.get(nummer=nr) for scope, nr in SCOPES.items()}
    office = Statsforvalter.objects.get(navn=OFFICE)
    # The user the admin's user and profile pages open (so fuzzing them never changes a role's user).
    target = make_user("fz-annen", Rolle.KS)
    users = {
        "uten_rolle": make_user("fz-uten-rolle"),
        "admin": make_user("fz-admin", superuser=True),
        "ks": make_user("fz-ks", Rolle.KS),
        "imdi": make_user("fz-imdi", Rolle.IMDI),
        "statsforvalter": make_user("fz-sf", Rolle.STATSFORVALTER, office=office),
        "kommune": make_user("fz-kommune", Rolle.KOMMUNE, kommuner=[kommuner["egen"]]),
    }
    for scope, k in kommuner.items():
        marker = MARKERS[scope].decode()
        vedtak_register(kommune=k, aar=2025, antall=10, vilkaar=f"Vilkår {marker}", saksnummer="25/1")
        Oppfolgingspunkt.objects.create(kommune=k, tittel=f"Punkt {marker}", ansvarlig=users["ks"],
                                        frist="2026-12-01")
        dialog = Dialog.objects.create(dato="2026-11-01", type="telefon", sammendrag=f"Samtale {marker}")
        dialog.kommuner.add(k)
    world = World(users=users, kommuner=kommuner)
    world.target = target
    world.target_profil = Profil.objects.get(user=target)
    return world


# --- What a page's forms expect: field names, their types and the values they offer -----------


class FormFields(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}  # name -> {"file": bool, "values": set}
        self._select = None

    def _field(self, name):
        return self.fields.setdefault(name, {"file": False, "values": set()})

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in ("input", "textarea", "select", "button") and name and name != "csrfmiddlewaretoken":
            field = self._field(name)
            if attrs.get("type") == "file":
                field["file"] = True
            if tag in ("input", "button") and attrs.get("value") is not None:
                field["values"].add(attrs["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and attrs.get("value") is not None:
            self._field(self._select)["values"].add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(content, admin_page):
    parser = FormFields()
    parser.feed(content.decode("utf-8", "replace"))
    if admin_page:
        # The admin's list actions are not fuzzed: "delete_selected" with every row chosen deletes by design.
        parser.fields.pop("action", None)
    return {name: {"file": f["file"], "values": sorted(f["values"])[:25]} for name, f in parser.fields.items()}


# --- Generated values ---------------------------------------------------------------------------

ODD = [
    "", " ", "0", "-0", "-1", "1.5", "1,5", "1e309", "NaN", "inf", "-inf", "0x1F", "٣١٠١", "²", "½", "１２",
    "2147483647", "2147483648", "-2147483649", "9223372036854775808", "9" * 40,
    "9999-12-31", "0001-01-01", "0000-00-00", "2025-02-30", "2025-13-01", "31.12.9999", "29.02.2025", "2025-W01",
    "1.1.", "true", "false", "on", "None", "null", "[]", "{}", "\x00", "a\x00b", "%00", "\u202e", "\ufeff", "😀",
    "Ærlige Øyvind på Åsen", "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{ 7*7 }}",
    "=1+1", '=HYPERLINK("http://x")', "@SUM(A1)", "+47", "../../etc/passwd", "' OR 1=1 --", "%", "_", "\\",
    "http://evil.example/", "//evil.example", "javascript:alert(1)", "/logg-inn/?next=//evil.example",
    "x" * 5000, "æ" * 3000, "\r\n", "\t", "csv", "xlsx", "json", "-aar", "kommune__nummer", "pk__gt",
]
GLOBAL_KEYS = [
    "aar", "aar_til", "page", "per_page", "sort", "q", "kommune", "kommuner", "fylke", "statsforvalter", "status",
    "type", "rolle", "_export", "next", "format", "id", "pk", "nummer", "velg", "antall", "dato", "o", "p", "e",
    "all", "_changelist_filters", "_popup", "_to_field", "language", "handling", "maaned",
]
ENCODINGS = ["multipart"] * 5 + ["urlencoded"] * 3 + ["latin-1", "bad-utf-8"]
FILE_CONTENTS = [
    b"", b"%PDF-1.4\n%%EOF\n", b"%PDF-1.4\n" + b"\x00" * 200, b"PK\x03\x04" + b"\x00" * 26,
    b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,40\n",
    b"kommunenummer;aar;anmodning\n3101;9999;-5\n;;\n", b"\xff\xfe\x00k\x00o", "æøå;ÆØÅ\n".encode("iso-8859-1"),
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b"=cmd|' /C calc'!A0,2\n",
]


def _workbooks():
    """A real XLSX, and the same with an external entity in its sheet (XXE)."""
    from tests.imports.test_pipeline import _xlsx_with_doctype, xlsx_bytes

    plain = xlsx_bytes([["kommunenummer", "kommune", "aar", "anmodning"], ["3101", "Halden", "2025", "40"]])
    return [plain, _xlsx_with_doctype('<!DOCTYPE ws [<!ENTITY e SYSTEM "file:///etc/hostname">]>', "&e;")]


FILE_CONTENTS += _workbooks()
FILE_NAMES = ["vedtak.pdf", "data.csv", "data.xlsx", "../../x.pdf", "Ø.PDF", "x" * 300 + ".pdf", "noname", ".csv"]

# Unicode of every kind but surrogates and control characters: NUL and friends come from ODD, so that
# not every other request stops at the NUL check (400).
text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
plain_value = st.one_of(
    st.sampled_from(ODD),
    st.integers(-(2**70), 2**70).map(str),
    st.integers(-3, 40).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    text,
    text.map(lambda s: s * 80),
)


def world_values(world):
    """Ids and numbers of the world's own rows: values a form accepts, in or out of the role's scope."""
    from oppfolging.models import Dialog, Oppfolgingspunkt
    from vedtak.models import Vedtak

    values = {str(u.pk) for u in world.users.values()}
    for k in world.kommuner.values():
        values |= {str(k.pk), k.nummer, k.fylke.nummer}
    for model in (Vedtak, Oppfolgingspunkt, Dialog):
        values |= {str(pk) for pk in model.objects.values_list("pk", flat=True)[:10]}
    return sorted(values) + ["2013", "2025", "2026", "2040", "2041"]


def requests_for(fields, valid_post, world, accepts_post):
    """A strategy of requests: (method, params, encoding, csrf, htmx, fuzz_path)."""
    names = sorted(set(fields) | set(valid_post))
    key = st.one_of(st.sampled_from(names or GLOBAL_KEYS), st.sampled_from(GLOBAL_KEYS),
                    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20))
    known = st.sampled_from(world_values(world))

    @st.composite
    def value_for(draw, name):
        offered = fields.get(name, {}).get("values") or []
        if fields.get(name, {}).get("file") and draw(st.booleans()):
            return SimpleUploadedFile(draw(st.sampled_from(FILE_NAMES)),
                                      draw(st.one_of(st.sampled_from(FILE_CONTENTS), st.binary(max_size=600))))
        one = st.one_of(st.sampled_from(offered), known, plain_value) if offered else st.one_of(known, plain_value)
        if draw(st.integers(0, 5)) == 0:
            return draw(st.lists(one, min_size=2, max_size=4))
        return draw(one)

    @st.composite
    def request(draw):
        method = "POST" if accepts_post and draw(st.booleans()) else "GET"
        chosen = draw(st.lists(key, max_size=7, unique=True))
        params = {name: draw(value_for(name)) for name in chosen}
        base = method == "POST" and bool(valid_post) and draw(st.booleans())
        # A body in iso-8859-1 is refused whole (400, Django), so it is drawn now and then only.
        encoding = draw(st.sampled_from(ENCODINGS))
        if method == "GET" or any(isinstance(v, SimpleUploadedFile) for v in params.values()):
            encoding = "multipart"
        return {
            "method": method, "params": params, "base": base, "encoding": encoding,
            "csrf": method == "GET" or draw(st.integers(0, 9)) > 0,
            "htmx": draw(st.integers(0, 4)) == 0,
            "fuzz_path": draw(st.integers(0, 6)) == 0,
            "path_values": draw(st.lists(st.one_of(st.integers(-5, 2**70).map(str), plain_value),
                                         min_size=3, max_size=3)),
        }

    return request()


# --- Sending, and what every answer must hold ------------------------------------------------------


class Roles:
    """One client per role for the module, signed in once (the sessions live in the module's
    transaction); signed in again when a request, or a test's rollback, ended its session."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        for role in ROLES:
            client = Client(raise_request_exception=False, enforce_csrf_checks=True)
            if role != "anonym":
                client.force_login(world.users[role])
            self.clients[role] = client

    def fresh(self):
        """At the start of each test: only the session and the CSRF cookie, each role signed in."""
        for role, client in self.clients.items():
            for name in list(client.cookies):
                if name != settings.SESSION_COOKIE_NAME:
                    del client.cookies[name]
            client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
            self.ensure_signed_in(role)
        return self

    def ensure_signed_in(self, role):
        if role == "anonym":
            return
        client, user = self.clients[role], self.world.users[role]
        if client.session.get("_auth_user_id") != str(user.pk):
            user.refresh_from_db()
            client.force_login(user)

    def token(self, role):
        cookie = self.clients[role].cookies.get(settings.CSRF_COOKIE_NAME)
        return cookie.value if cookie and cookie.value else CSRF_SECRET


def encode(params, encoding):
    pairs = [(k, v) for k, v in params.items()]
    if encoding == "urlencoded":
        return urlencode(pairs, doseq=True).encode(), "application/x-www-form-urlencoded"
    if encoding == "latin-1":
        body = urlencode(pairs, doseq=True, encoding="iso-8859-1", errors="replace")
        return body.encode(), "application/x-www-form-urlencoded; charset=iso-8859-1"
    # Bytes that are not UTF-8 under the default (UTF-8) form encoding.
    return urlencode(pairs, doseq=True).encode() + b"&fritekst=%E6%F8%E5\xe6\xf8", "application/x-www-form-urlencoded"


def send(roles, role, url, req, body_params):
    client = roles.clients[role]
    extra = {"HTTP_HX_REQUEST": "true"} if req["htmx"] else {}
    if req["method"] == "POST" and req["csrf"]:
        extra["HTTP_X_CSRFTOKEN"] = roles.token(role)
    started = time.perf_counter()
    if req["method"] == "GET":
        response = client.get(url, body_params, **extra)
    elif req["encoding"] == "multipart":
        for value in body_params.values():
            if isinstance(value, SimpleUploadedFile):
                value.seek(0)
        response = client.post(url, body_params, **extra)
    else:
        body, content_type = encode(body_params, req["encoding"])
        response = client.generic("POST", url, body, content_type=content_type, **extra)
    STATS["seconds"] += time.perf_counter() - started
    STATS["requests"] += 1
    STATS["status"][response.status_code] += 1
    STATS["roles"].add(role)
    if req["method"] == "POST":
        roles.ensure_signed_in(role)
    return response


def content_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def has_nul(req):
    def nul(v):
        return isinstance(v, str) and "\x00" in v or isinstance(v, list) and any(nul(x) for x in v)

    return req["method"] == "GET" and any(nul(v) for v in req["params"].values())


def problems(response, *, role, scope, kind, admin_page, req, url):
    """What is wrong with one answer ([] when it holds)."""
    wrong = []
    status = response.status_code
    where = f"{role}: {req['method']} {url}"
    if status >= 500 and not (status == 503 and url == reverse("health")):  # health: 503 is its answer
        exc = getattr(response, "exc_info", None)
        wrong.append(f"{where} → {status} ({exc[1]!r})" if exc else f"{where} → {status}")
        return wrong
    body = content_of(response)
    if TRACEBACK in body:
        wrong.append(f"{where}: Python-feilmelding i svaret")
    if response.get("Content-Type", "").startswith("text/html") and any(x in body for x in XSS):
        wrong.append(f"{where} → {status}: et innsendt skript står uescapet i siden (XSS)")
    leaked = [m.decode() for m in FORBIDDEN[role] if m in body]
    if leaked:
        wrong.append(f"{where} → {status} viste {leaked} (utenfor rollens omfang)")
    no_token = req["method"] == "POST" and not req["csrf"]
    if no_token and status != 403 and not (kind == OPEN and status == 400):
        wrong.append(f"{where} uten CSRF-token → {status}, ventet 403")
    if role == "anonym" and kind != OPEN:
        if status == 302:
            if not response.url.startswith(LOGINS):
                wrong.append(f"{where} sendte anonym til {response.url}")
        elif status not in (400, 403):
            wrong.append(f"{where} → {status} for anonym, ventet innlogging")
    if admin_page and role not in ("admin", "anonym") and status not in (302, 400, 403):
        wrong.append(f"{where} → {status}, ventet admin-innlogging")
    if scope is not None and role != "anonym" and scope not in READS[role]:
        allowed = {404, 400} | ({405} if req["method"] == "POST" else set()) | ({403} if no_token else set())
        if status not in allowed:
            wrong.append(f"{where} → {status} utenfor omfang, ventet 404")
    return wrong


# --- The URLs: the registry's and the admin's generated model pages ----------------------------------


def _admin_url(name, world):
    from django.contrib.auth import get_user_model

    from core.models import Profil

    model, view = ADMIN_MODELS[name]
    if view not in ("change", "history", "delete"):
        return reverse(name)
    if model is get_user_model():
        obj = world.target
    elif model is Profil:
        obj = world.target_profil
    else:
        obj = admin_object(model, world)
    return reverse(name, args=[obj.pk])


def targets(name, world):
    """(url kwargs or None, [(scope, url)]) for the URL name."""
    if name in ADMIN_MODELS:
        return None, [(None, _admin_url(name, world))]
    spec = URLS[name]
    if spec.kind == SCOPED:
        out = []
        for scope in SCOPES:
            kwargs = spec.kwargs(world, world.kommune(scope))
            out.append((scope, reverse(name, kwargs=kwargs)))
        return spec.kwargs(world, world.kommune("egen")), out
    kwargs = spec.kwargs(world, None) if spec.kwargs else {}
    return kwargs, [(None, reverse(name, kwargs=kwargs))]


def fuzzed_url(name, kwargs, values):
    """The URL with its path parameters replaced by drawn values (those the URL pattern takes)."""
    if not kwargs:
        return None
    for attempt in itertools.permutations(values, len(kwargs)):
        try:
            return reverse(name, kwargs=dict(zip(kwargs, attempt, strict=False)))
        except NoReverseMatch:
            continue
    return None


ALL_NAMES = sorted(URLS) + sorted(ADMIN_MODELS)


def examples_for(name):
    if name in ADMIN_MODELS:
        return ADMIN_MODEL_EXAMPLES
    return HEAVY.get(name, EXAMPLES)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_fuzz_route(fuzz_world, fuzz_roles, db, name):
    world = fuzz_world
    admin_page = name in ADMIN_MODELS
    kind = ADMIN if admin_page else URLS[name].kind
    spec = None if admin_page else URLS[name]
    roles = fuzz_roles.fresh()
    kwargs, urls = targets(name, world)
    own_url = urls[0][1] if len(urls) == 1 else dict(urls)["egen"]

    # What the page's forms take (as the superuser sees them), and whether the view takes a POST.
    admin = roles.clients["admin"]
    STATS["probes"] += 2
    fields = form_fields(content_of(admin.get(own_url)), admin_page or kind == ADMIN)
    probe = admin.post(own_url, {}, HTTP_X_CSRFTOKEN=roles.token("admin"))
    roles.ensure_signed_in("admin")
    assert probe.status_code < 500, f"admin: POST {own_url} (tom) → {probe.status_code}"
    view = ADMIN_MODELS[name][1] if admin_page else None
    accepts_post = probe.status_code != 405 and view not in NO_POST_VIEWS
    valid_post = spec.post(world, world.kommune("egen")) if spec and spec.post else {}
    made = [0]

    @hsettings(max_examples=examples_for(name), deadline=None, derandomize=True, database=None,
               suppress_health_check=list(HealthCheck))
    @given(req=requests_for(fields, valid_post, world, accepts_post))
    def run(req):
        sends = urls
        if req["fuzz_path"] and (other := fuzzed_url(name, kwargs, req["path_values"])):
            sends = [(None, other)]  # a made-up id: not one of the three kommuner, only the general checks
        wrong = []
        for scope, url in sends:
            body = dict(req["params"])
            if req["base"]:
                body = {**spec.post(world, world.kommune(scope or "egen")), **body}
            for role in ROLES:
                response = send(roles, role, url, req, body)
                made[0] += 1
                wrong += problems(response, role=role, scope=scope, kind=kind, admin_page=admin_page,
                                  req=req, url=url)
        assert wrong == [], f"{name} {req}:\n" + "\n".join(wrong)

    run()
    STATS["urls"].add(name)
    assert made[0] >= examples_for(name) * len(ROLES)


def test_fuzz_covers_every_named_url_and_enough_requests():
    """The suite fuzzes every name the URL resolver knows, and makes at least 5 000 requests (runs
    after the fuzzing above; counted when all of it ran in this process, not split by -k or xdist)."""
    from tests.test_access_matrix import NAMED, walk

    assert sorted(set(NAMED) - set(ALL_NAMES)) == []
    assert len(list(walk(get_resolver().url_patterns))) >= len(NAMED)
    planned = sum(examples_for(n) * len(ROLES) * (len(SCOPES) if n in URLS and URLS[n].kind == SCOPED else 1)
                  for n in ALL_NAMES)
    assert planned >= 5000, planned
    if STATS["urls"] == set(ALL_NAMES):
        assert STATS["requests"] >= 5000, STATS["requests"]
        assert set(STATS["roles"]) == set(ROLES)



@pytest.mark.parametrize("role, scope", [("kommune", "egen"), ("statsforvalter", "nabo"), ("ks", "fjern")])
def test_the_markers_show_where_the_role_may_read(fuzz_world, fuzz_roles, db, role, scope):
    """The planted markers are on the pages of the kommuner a role reads, so their absence from
    every other answer above is the scope's doing, not a page that never shows them."""
    client = fuzz_roles.fresh().clients[role]
    kommune = fuzz_world.kommune(scope)
    for name in ("rapporter:kommune_detail", "oppfolging:punkt_list", "rapporter:endring_list"):
        url = reverse(name, kwargs={"nummer": kommune.nummer} if name == "rapporter:kommune_detail" else {})
        response = client.get(url)
        assert response.status_code == 200
        assert MARKERS[scope] in response.content, (name, role)


def test_the_checks_catch_a_500_a_leak_and_an_out_of_scope_page():
    """problems() flags what the suite is for (on made-up answers, no request needed)."""
    from django.http import HttpResponse

    req = {"method": "GET", "csrf": True, "params": {}}
    kw = {"kind": SCOPED, "admin_page": False, "req": req, "url": "/kommuner/4601/"}
    assert problems(HttpResponse(status=500), role="ks", scope="fjern", **kw)
    assert problems(HttpResponse(b"<p>FZMRK-FJERN-Q7</p>"), role="kommune", scope=None, **kw)
    assert problems(HttpResponse(b"ok"), role="statsforvalter", scope="fjern", **kw)  # 200 out of scope
    assert problems(HttpResponse(b"ok"), role="anonym", scope=None, **kw)  # anonymous not sent to login
    assert problems(HttpResponse(b"Traceback (most recent call last):"), role="admin", scope=None, **kw)
    assert problems(HttpResponse(b"<p><script>alert(1)</script></p>"), role="admin", scope=None, **kw)  # XSS
    assert problems(HttpResponse(status=200), role="ks", scope=None, **{**kw, "req": {**req, "method": "POST",
                                                                                      "csrf": False}})
    # And lets the right answers through.
    assert problems(HttpResponse(b"<p>FZMRK-FJERN-Q7</p>"), role="ks", scope="fjern", **kw) == []
    assert problems(HttpResponse(status=404), role="kommune", scope="fjern", **kw) == []
