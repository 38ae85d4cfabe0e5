"""Vedtak documents (issue 16, defect 9): checked as PDFs by structure, stored under unguessable
names, served only through the kommune's scoped download view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from core.models import Rolle
from tests.factories import kommune, profil_user
from vedtak.models import Vedtak
from vedtak.pdf import er_pdf

pytestmark = pytest.mark.django_db

HTML_AS_PDF = b"%PDF-1.4\n<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n%%EOF\n"


def real_pdf():
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Vedtak i kommunestyret: 20 personer")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def halden_user(client):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune()])
    client.force_login(user)
    return user


def _upload(client, data, name="Vedtak kommunestyret 2025.pdf"):
    return client.post("/kommuner/3101/vedtak/ny/", {
        "aar": 2025, "antall": 20, "dato": "2025-03-01", "organ": "kommunestyre",
        "dokument": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_real_pdf_uploads_and_downloads_for_the_kommune(client, halden_user, tmp_path):
    data = real_pdf()
    assert _upload(client, data).status_code == 302
    v = Vedtak.objects.get()
    assert v.dokument_navn == "Vedtak kommunestyret 2025.pdf"
    # Stored under a random name, not the uploaded one.
    assert "kommunestyret" not in v.dokument.name and v.dokument.name.startswith("vedtak/")
    assert len(v.dokument.name.removeprefix("vedtak/").removesuffix(".pdf")) == 32
    page = client.get("/kommuner/3101/").content.decode()
    url = f"/kommuner/3101/vedtak/{v.pk}/dokument/"
    assert url in page and "Last ned vedtaket (PDF)" in page and v.dokument.name not in page
    r = client.get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "Vedtak kommunestyret 2025.pdf" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == data


def test_pdf_header_followed_by_html_is_refused(client, halden_user):
    r = _upload(client, HTML_AS_PDF)
    assert r.status_code == 200
    assert "Dokumentet er ikke en gyldig PDF-fil." in r.content.decode()
    assert not Vedtak.objects.exists()


def test_structural_check():
    data = real_pdf()
    assert er_pdf(data)
    assert not er_pdf(HTML_AS_PDF)
    assert not er_pdf(b"%PDF-1.4\n%%EOF")
    assert not er_pdf(data.replace(b"%PDF-1.", b"%PDF-9."))  # no such version
    assert not er_pdf(data[:-200])  # cut off: no %%EOF at the end
    html_inside = data.replace(b"\n", b"\n<HTML>", 1)
    assert not er_pdf(html_inside)
    start = data.rindex(b"startxref")
    assert not er_pdf(data[:start] + b"startxref\n99999999\n%%EOF\n")  # offset outside the file
    assert not er_pdf(data.replace(b"endobj", b"nothing"))


def test_other_kommunes_user_gets_404(client, halden_user):
    assert _upload(client, real_pdf()).status_code == 302
    v = Vedtak.objects.get()
    moss = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")])
    client.force_login(moss)
    assert client.get(f"/kommuner/3101/vedtak/{v.pk}/dokument/").status_code == 404
    # Nor through the user's own kommune's URL.
    assert client.get(f"/kommuner/3103/vedtak/{v.pk}/dokument/").status_code == 404
    client.logout()
    assert client.get(f"/kommuner/3101/vedtak/{v.pk}/dokument/").status_code == 302  # to the login page


def test_vedtak_without_document_is_404(client, halden_user):
    assert client.post("/kommuner/3101/vedtak/ny/", {"aar": 2025, "antall": 5,
                                                     "organ": "kommunestyre"}).status_code == 302
    assert client.get(f"/kommuner/3101/vedtak/{Vedtak.objects.get().pk}/dokument/").status_code == 404
