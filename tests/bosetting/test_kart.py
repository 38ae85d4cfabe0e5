"""The map: TopoJSON decoding, simplification, colouring and the legend."""

import pytest

from bosetting.kart import douglas_peucker, kart, kart_data
from bosetting.oversikt import Rad
from bosetting.status import Tall
from tests.rapporter.fixtures import load_ks


def test_douglas_peucker_keeps_ends_and_drops_points_on_the_line():
    pts = [(0, 0), (1, 0.1), (2, 0), (3, 5), (4, 0)]
    assert douglas_peucker(pts, 0.5) == [(0, 0), (2, 0), (3, 5), (4, 0)]
    assert douglas_peucker([(0, 0), (1, 0), (2, 0)], 0.5) == [(0, 0), (2, 0)]


def test_closed_arc_keeps_an_area():
    square = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    out = douglas_peucker(square, 1)
    assert out[0] == out[-1] == (0, 0) and len(set(out)) >= 3


def test_every_kommune_has_a_shape_and_is_cached():
    k = kart()
    assert len(k.kommuner) == 357
    assert all(d.startswith("M") for _nr, _navn, d in k.kommuner)
    assert k.fylkesgrenser and kart() is k


def _rad(nr, anmodet, vedtatt, bosatt=None, status="vedtak_delvis", url="/kommuner/x/"):
    return Rad(kommunenummer=nr, kommune=f"K{nr}", fylke="F", fylke_nr="31", anmodet=Tall(anmodet),
               vedtatt=Tall(vedtatt), bosatt=Tall(bosatt), status="Status", status_kode=status, url=url)


def test_colour_classes_legend_counts_and_titles():
    rows = [_rad("3101", 10, 4), _rad("3103", 10, 10, 10, "anmodning_dekket"), _rad("3105", 10, None, status="anmodet"),
            _rad("3107", 20, 19, url=None)]
    data = kart_data(rows, "vedtak")
    by = {k["nr"]: k for k in data["kommuner"]}
    assert (by["3101"]["klasse"], by["3103"]["klasse"], by["3105"]["klasse"], by["3107"]["klasse"]) == (
        "a0", "a3", "ingen", "a2")
    assert by["3101"]["url"] and by["3107"]["url"] is None
    assert "Anmodet 10, vedtatt 4" in by["3101"]["tekst"] and "40 %" in by["3101"]["tekst"]
    assert by["4601"]["klasse"] == "utenfor"  # not in the rows: drawn neutral, not linked
    legend = {x["klasse"]: x["antall"] for x in data["legend"]}
    assert legend == {"a0": 1, "a1": 0, "a2": 1, "a3": 1, "ingen": 1}
    status = {x["klasse"]: x["antall"] for x in kart_data(rows, "status")["legend"]}
    assert status == {"vedtak_delvis": 2, "anmodning_dekket": 1, "anmodet": 1}
    bosatt = {k["nr"]: k["klasse"] for k in kart_data(rows, "bosatt")["kommuner"]}
    assert bosatt["3103"] == "a3" and bosatt["3101"] == "ingen"  # bosatt unknown


def test_a_small_selection_is_shown_close_up():
    full = kart().viewbox
    few = kart_data([_rad("3101", 10, 4), _rad("3118", 10, 4)])["viewbox"]
    x, y, w, h = map(int, few.split())
    fx, fy, fw, fh = map(int, full.split())
    assert w < fw / 5 and h < fh / 5 and fx <= x and fy <= y
    everyone = [_rad(nr, 10, 5) for nr, _navn, _d in kart().kommuner]
    assert kart_data(everyone)["viewbox"] == full


@pytest.mark.django_db
def test_page_weight_under_one_megabyte(client, admin_user):
    from rapporter.sidevekt import sidevekt

    load_ks()
    client.force_login(admin_user)
    w = sidevekt(client.get("/", {"aar": 2014}).content)
    assert "/static/css/rapporter.css" in w["assets"] and len(w["assets"]) >= 4
    assert w["html"] > 100_000  # the inline map is there
    assert w["total"] < 1_000_000


def test_overview_can_include_the_map_with_a_template_tag(rf):
    from django.template import Context, Template

    request = rf.get("/oversikt/", {"aar": "2025", "maal": "status"})
    html = Template("{% load bosetting %}{% rapport_kart rows request.GET.maal %}").render(
        Context({"rows": [_rad("3101", 10, 4)], "request": request}))
    assert 'href="/kommuner/x/"' in html and "Kart: Status" in html
    assert '<input type="hidden" name="aar" value="2025">' in html  # the overview's filters are kept


@pytest.mark.parametrize("maal", ["vedtak", "status"])
def test_map_table_rows_built_in_python_equal_the_template_loop(rf, maal):
    """kart_data's `tabellrader` (the map's table without forecasts) is the markup _kart.html's
    own loop makes (kept for the table with forecasts)."""
    from django.template.loader import render_to_string

    rows = [_rad("3101", 10, 4), _rad("3103", 10, 10, 10, "anmodning_dekket"),
            _rad("3105", None, None, status="anmodet"),
            _rad("3107", 20, 19, url=None), Rad(kommunenummer="0301", kommune="Oslo <&> \"x\"", fylke="F",
                                                fylke_nr="03", anmodet=Tall(1234), vedtatt=Tall(None, 1),
                                                bosatt=Tall(5, 2), status="Bosetting pågår", url="/k?a=1&b=2")]
    data = kart_data(rows, maal)
    request = rf.get("/oversikt/")
    fast = render_to_string("bosetting/_kart.html", {"kart": data, "request": request})
    slow = render_to_string("bosetting/_kart.html", {"kart": {**data, "tabellrader": None}, "request": request})
    assert data["tabellrader"] and "Oslo &lt;&amp;&gt; &quot;x&quot;" in fast and "&amp;b=2" in fast
    assert fast == slow
